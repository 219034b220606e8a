-- The bundled sample: the same customers, written twice by two silos that do
-- not talk.  The shop's till keeps first and last names apart; the contact
-- centre types a full name as heard on the phone, in any order, with typos.

CREATE SCHEMA shop;
CREATE TABLE shop.customers (
	customer_no int PRIMARY KEY,
	prenom      text,
	nom         text,
	mail        text,
	tel         text,
	ville       text
);
INSERT INTO shop.customers VALUES
	(1,  'Jean-Pierre', 'DUPONT',      'Jean.Dupont+promo@GMail.com', '06 12 34 56 78',      'Lyon'),
	(2,  'Frédérique',  'Le Goff',     'fred.legoff@orange.fr',       '02 98 76 54 32',      'Brest'),
	(3,  'Françoise',   'Lefèvre',     'f.lefevre@free.fr',           '+33 (0)6 22 33 44 55', 'Lille'),
	(4,  'Robert',      'Smith',       'bob.smith@example.co.uk',     '+44 20 7946 0958',     'London'),
	(5,  'Élodie',      'Gauthier',    'elodie.gauthier@laposte.net', '07.81.22.33.44',       'Nantes'),
	(6,  'Philippe',    'Renault',     'ph.renault@wanadoo.fr',       '0033 1 45 67 89 10',   'Paris'),
	(7,  'Catherine',   'Muller',      'cath.muller@gmx.de',          '+49 30 1234567',       'Berlin'),
	(8,  'José',        'Álvarez',     'jose.alvarez@correo.es',      '+34 612 345 678',      'Madrid'),
	(9,  'William',     'Johnson',     'wjohnson@example.com',        '(415) 555-0134',       'San Francisco'),
	(10, 'Marie',       'Martin',      'marie.martin@sfr.fr',         '06 55 44 33 22',       'Bordeaux'),
	(11, 'Дмитрий',     'Шостакович',  'dmitri@example.ru',           '+7 912 345 67 89',     'Paris'),
	(12, 'Anne-Sophie', 'de la Fontaine', 'as.delafontaine@yahoo.fr', '04 91 12 34 56',      'Marseille');

CREATE SCHEMA callcenter;
CREATE TABLE callcenter.contacts (
	contact_id text PRIMARY KEY,
	full_name  text,
	email      text,
	phone      text,
	city       text
);
INSERT INTO callcenter.contacts VALUES
	('A-01', 'DUPONT Jean Pierre',         'jeandupont@gmail.com',     '+33612345678',     'LYON'),
	('A-02', 'Mme Frederique LE GOFF',     NULL,                       '0298765432',       'brest'),
	('A-03', 'Lefebvre Francoise',         'F.Lefevre@Free.fr',        '06-22-33-44-55',   'Lille'),
	('A-04', 'Mr Bob Smith',               'Bob.Smith@example.co.uk ', '020 7946 0958',    'London'),
	('A-05', 'Elodie Gautier',             'n/a',                      '+33 7 81 22 33 44', 'NANTES'),
	('A-06', 'Filipe Renaud',              'ph.renault@wanadoo.fr',    NULL,               'Paris 15e'),
	('A-07', 'Katherine Mueller',          'cath.muller@gmx.de',       '030 1234567',      'Berlin'),
	('A-08', 'Jose Alvarez',               'Jose.Alvarez@correo.es',   '612345678',        'Madrid'),
	('A-09', 'Bill Johnson',               'wjohnson+support@example.com', '415-555-0134', 'SF'),
	('A-10', 'Martin Marie',               NULL,                       '06 55 44 33 23',   'Bordeaux'),
	('A-11', 'Dmitrij Sostakovic',         'DMITRI@EXAMPLE.RU',        NULL,               'Paris'),
	('A-12', 'Mercier Martine',            'martine.mercier@sfr.fr',   '06 98 76 54 32',   'Toulouse'),
	('A-13', 'A.-S. Delafontaine',         'as.delafontaine@yahoo.fr', '+33 4 91 12 34 56', 'Marseille');
