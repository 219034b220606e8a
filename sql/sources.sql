-- Sources: registering silo tables, and every way of getting it wrong.
SET search_path = customer_unify, public;

CREATE SCHEMA shop;
CREATE TABLE shop.customers (
	customer_no int PRIMARY KEY, prenom text, nom text, mail text, tel text,
	date_naissance date, cp text, ville text, adresse text, fidelite int, religion text
);
INSERT INTO shop.customers VALUES
	(1, 'Jean-Pierre', 'Dupont', 'jp.dupont@gmail.com', '06 12 34 56 78', '1970-03-02', '69001', 'Lyon', '1 rue de la Paix', 42, NULL),
	(2, 'Élodie', 'Gauthier', NULL, '07 81 22 33 44', NULL, '44000', 'Nantes', NULL, NULL, NULL),
	(3, 'Robert', 'Smith', 'bob@example.co.uk', NULL, '1981-12-25', NULL, 'London', NULL, 7, NULL);
CREATE SCHEMA callcenter;
CREATE TABLE callcenter.contacts (contact_id text, full_name text, email text, phone text, score numeric);
INSERT INTO callcenter.contacts VALUES ('A-01', 'DUPONT Jean Pierre', 'jeandupont@gmail.com', '+33612345678', 0.5),
	('A-02', 'Mme Frederique LE GOFF', NULL, '0298765432', NULL);
CREATE VIEW callcenter.contacts_v AS SELECT * FROM callcenter.contacts;

-- a source: its id, its attributes (known kinds, and a custom one with a comparator)
SELECT jsonb_pretty(cu_add_source('shop.customers', id => 'customer_no',
	columns => '{"given_name": "prenom", "surname": "nom", "email": "mail", "phone": "tel",
	             "birth_date": "date_naissance", "postcode": "cp", "city": "ville", "address": "adresse",
	             "loyalty_no": {"column": "fidelite", "comparator": "exact"}}'));
-- a view can be a source too, with a lower trust
SELECT cu_add_source('callcenter.contacts_v', id => 'contact_id',
	columns => '{"full_name": "full_name", "email": "email", "phone": "phone"}', trust => 0.8) ->> 'records' AS records;
SELECT s.source, s.id_column, s.trust, a.attribute, a.column_name, a.comparator
FROM cu_sources s JOIN cu_source_attributes a USING (source_id) ORDER BY s.source_id, a.attribute;

-- errors name the problem, and write nothing
SELECT cu_add_source('shop.nope', id => 'id', columns => '{"surname": "nom"}');
SELECT cu_add_source('shop.customers', id => 'customer_no', columns => '{"surname": "nom"}');
CREATE TABLE shop.dup (id int, nom text);
INSERT INTO shop.dup VALUES (1, 'a'), (1, 'b'), (NULL, 'c');
SELECT cu_add_source('shop.dup', id => 'id', columns => '{"surname": "nom"}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_no', columns => '{"surname": "full_name"}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', columns => '{"shoe_size": "score"}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', columns => '{"surname": "nom"}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', columns => '{"surname": "score"}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', columns => '{"rating": {"column": "score", "comparator": "fuzzy"}}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', columns => '{"Surname": "full_name"}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', columns => '[]');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', columns => '{"full_name": "full_name"}', trust => 0);
SELECT cu_add_source('shop.customers_seq', id => 'x', columns => '{"surname": "nom"}');
CREATE SEQUENCE shop.s;
SELECT cu_add_source('shop.s', id => 'last_value', columns => '{"surname": "last_value"}');
SELECT count(*) AS sources_after_errors FROM cu_sources;

-- sensitive data is refused unless explicitly allowed
SELECT cu_add_source('callcenter.contacts', id => 'contact_id',
	columns => '{"full_name": "full_name", "religion": {"column": "full_name", "comparator": "exact"}}');
SELECT cu_remove_source('shop.customers');
SELECT cu_add_source('shop.customers', id => 'customer_no',
	columns => '{"surname": "nom", "belief": {"column": "religion", "comparator": "exact"}}');
SELECT cu_add_source('shop.customers', id => 'customer_no',
	columns => '{"surname": "nom", "belief": {"column": "religion", "comparator": "exact"}}',
	allow_sensitive => true) -> 'attributes' -> 'belief' AS allowed;

-- removing
SELECT cu_remove_source('shop.customers');
SELECT cu_remove_source('shop.customers');
SELECT count(*) AS sources, (SELECT count(*) FROM cu_source_attributes) AS attributes FROM cu_sources;

-- a hostile search_path changes nothing
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.count(anyelement) RETURNS bigint LANGUAGE sql AS $$ SELECT 0::bigint $$;
CREATE FUNCTION hostile.format(text, text, regclass) RETURNS text LANGUAGE sql AS $$ SELECT 'SELECT 0, 0, 0' $$;
SET search_path = hostile, customer_unify, public;
SELECT cu_add_source('shop.customers', id => 'customer_no', columns => '{"surname": "nom"}') -> 'attributes' AS hostile_path;
RESET search_path;
DROP SCHEMA hostile CASCADE;
SET search_path = customer_unify, public;

-- the phone region of a source is checked
SELECT cu_add_source('shop.dup', id => 'nom', columns => '{"surname": "nom"}', phone_region => 'XX');

-- dates as silos write them
SELECT v, cu_parse_date(v) FROM (VALUES ('1970-03-02'), ('19700302'), ('02/03/1970'), ('2.3.1970'), (' 1970/3/2 '),
	('02-03-1970'), ('19701302'), ('2023-02-29'), ('2024-02-29'), ('31/04/1999'), ('1970'), (''), ('abc'),
	('00000000'), ('1970-03-02T10:00')) AS t(v);

-- staging: every source's records, normalised into cu_records

CREATE SCHEMA web;
CREATE TABLE web.accounts (login text PRIMARY KEY, first text, last text, born text, zip text, mobile text, vip boolean);
INSERT INTO web.accounts VALUES ('jp', 'JEAN-PIERRE', 'DUPONT', '19700302', '69 001', '0612345678', true),
	('bob', 'Bob', 'Smith', '25/12/1981', NULL, '+44 20 7946 0958', false), ('x', '', '  ', 'n/a', '', 'none', NULL);
SELECT cu_add_source('web.accounts', id => 'login', columns => '{"given_name": "first", "surname": "last",
	"birth_date": "born", "postcode": "zip", "phone": "mobile", "vip": {"column": "vip", "comparator": "exact"}}') ->> 'records' AS records;
SELECT cu_load_records();
SELECT s.source, r.record_id, r.given_name, r.surname, r.full_name, r.email, r.phone, r.birth_date, r.postcode, r.city, r.extra
FROM cu_records r JOIN cu_sources s USING (source_id) ORDER BY s.source_id, r.record_id;
-- a second load replaces the first
SELECT cu_load_records() ->> 'records' AS records_again, (SELECT count(*) FROM cu_records) AS staged;
