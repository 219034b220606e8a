-- test/bench/gen_names.sql: a seeded generator of noisy person-name pairs.
--
-- psql -v n=1000000 -v seed=0.17 -f gen_names.sql creates bench_pairs(id, a, b,
-- same, noise): a is a clean "First Last" name drawn from French and English
-- name lists; b is either the same person written with realistic noise
-- (accents dropped and upper case, a typo, swapped words, a phonetic
-- spelling, an initial, a nickname) or another person (same = false).
-- The same seed gives the same pairs.

\if :{?n}
\else
\set n 1000000
\endif
\if :{?seed}
\else
\set seed 0.17
\endif

SELECT setseed(:seed);

CREATE TEMP TABLE bench_given(i serial, name text);
INSERT INTO bench_given(name) SELECT unnest(ARRAY[
	'Jean', 'Jean-Pierre', 'Pierre', 'Marie', 'Anne', 'Françoise', 'Frédérique', 'Élodie', 'Hélène',
	'Philippe', 'Thomas', 'Nicolas', 'Catherine', 'Isabelle', 'Sébastien', 'Stéphane', 'Céline',
	'Jérôme', 'Mathieu', 'Guillaume', 'Christophe', 'Aurélie', 'Laurent', 'Benoît', 'Joséphine',
	'Gaëlle', 'Anaïs', 'Noël', 'Zoé', 'Chloé', 'Léa', 'Théo', 'Lucas', 'Hugo', 'Manon', 'Camille',
	'Anne-Sophie', 'Marie-Claire', 'Joseph', 'Robert', 'William', 'Margaret', 'Elizabeth', 'James',
	'John', 'Michael', 'David', 'Richard', 'Charles', 'Jennifer', 'Patricia', 'Linda', 'Barbara',
	'Susan', 'Jessica', 'Sarah', 'Karen', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven',
	'Andrew', 'Kenneth', 'Joshua', 'Kevin', 'Brian', 'George', 'Edward', 'Ronald', 'Timothy',
	'Emily', 'Olivia', 'Sophia', 'Isabella', 'Charlotte', 'Amelia', 'Harper', 'Evelyn', 'Abigail']);

CREATE TEMP TABLE bench_family(i serial, name text);
INSERT INTO bench_family(name) SELECT unnest(ARRAY[
	'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
	'Simon', 'Laurent', 'Lefèvre', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent',
	'Fournier', 'Morel', 'Girard', 'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet',
	'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller',
	'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont',
	'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer',
	'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger', 'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas',
	'Meunier', 'Jean', 'Perez', 'Marchand', 'Dufour', 'Blanchard', 'Marie', 'Barbier', 'Brun',
	'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Fernandez', 'Le Goff', 'Le Gall', 'Renault',
	'Renaud', 'de la Fontaine', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis',
	'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'White', 'Harris', 'Thompson', 'Young',
	'Walker', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson',
	'Carter', 'Mitchell', 'Roberts', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins',
	'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Cooper', 'Peterson', 'Reed', 'O''Brien',
	'McDonald', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch']);

CREATE TEMP TABLE bench_nick(name text, nick text);
INSERT INTO bench_nick VALUES ('Robert', 'Bob'), ('William', 'Bill'), ('Joseph', 'Jojo'), ('Margaret', 'Peggy'),
	('Elizabeth', 'Liz'), ('James', 'Jim'), ('Richard', 'Dick'), ('Michael', 'Mike'), ('Edward', 'Ted'),
	('Anthony', 'Tony'), ('Nicolas', 'Nico'), ('Sébastien', 'Seb'), ('Catherine', 'Cathy'),
	('Christophe', 'Chris'), ('Isabelle', 'Zaza'), ('Frédérique', 'Fred'), ('Daniel', 'Dan'),
	('Steven', 'Steve'), ('Andrew', 'Andy'), ('Timothy', 'Tim'), ('Jennifer', 'Jenny'), ('Patricia', 'Pat');

-- noise functions (shout, typo, phonetic)
\ir noise.sql

CREATE TABLE bench_pairs AS
WITH draws AS (
	SELECT g AS id,
	       1 + floor(random() * (SELECT count(*) FROM bench_given))::int AS gi,
	       1 + floor(random() * (SELECT count(*) FROM bench_family))::int AS fi,
	       1 + floor(random() * (SELECT count(*) FROM bench_given))::int AS gi2,
	       1 + floor(random() * (SELECT count(*) FROM bench_family))::int AS fi2,
	       random() AS kind, random() AS r1, random() AS r2
	FROM generate_series(1, :n) AS g
), named AS (
	SELECT d.*, g.name AS given, f.name AS family, g2.name AS given2, f2.name AS family2
	FROM draws d
	JOIN bench_given g ON g.i = d.gi JOIN bench_family f ON f.i = d.fi
	JOIN bench_given g2 ON g2.i = d.gi2 JOIN bench_family f2 ON f2.i = d.fi2
)
SELECT id, given || ' ' || family AS a,
	CASE
		WHEN kind < 0.15 THEN pg_temp.shout(given || ' ' || family)
		WHEN kind < 0.30 THEN given || ' ' || pg_temp.typo(family, r1, r2)
		WHEN kind < 0.40 THEN pg_temp.typo(given, r1, r2) || ' ' || family
		WHEN kind < 0.50 THEN upper(family) || ' ' || given
		WHEN kind < 0.58 THEN given || ' ' || pg_temp.phonetic(family)
		WHEN kind < 0.64 THEN left(given, 1) || '. ' || family
		WHEN kind < 0.68 THEN coalesce((SELECT nick FROM bench_nick n WHERE n.name = given), given) || ' ' || family
		WHEN kind < 0.75 THEN given || ' ' || family2
		ELSE given2 || ' ' || family2
	END AS b,
	kind < 0.68 OR (kind >= 0.75 AND gi = gi2 AND fi = fi2) AS same,
	CASE
		WHEN kind < 0.15 THEN 'shout' WHEN kind < 0.30 THEN 'typo-family' WHEN kind < 0.40 THEN 'typo-given'
		WHEN kind < 0.50 THEN 'swapped' WHEN kind < 0.58 THEN 'phonetic' WHEN kind < 0.64 THEN 'initial'
		WHEN kind < 0.68 THEN 'nickname' WHEN kind < 0.75 THEN 'other-family' ELSE 'other'
	END AS noise
FROM named;
ALTER TABLE bench_pairs ADD PRIMARY KEY (id);
VACUUM ANALYZE bench_pairs;
