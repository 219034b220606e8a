-- test/bench/gen_customers.sql: a seeded generator of customers and of noisy
-- searches for them, for the name-search benchmark.
--
-- psql -v n=1000000 -v queries=1000 -v seed=0.23 -f gen_customers.sql creates
--   bench_customers(id, name): clean names "First [Second] Last" drawn from French
--     and English first names and from real and syllable-built surnames
--     (about 60,000 surnames), with their accents;
--   bench_searches(qid, query, truth, noise): for a random sample of customers,
--     the name as an advisor or a web form would type it, with two different
--     kinds of noise (-v noises=1 for one) among: a typo in the surname or in
--     the first name, the surname or the first name spelt as heard, a
--     nickname, initials for the first names, accents dropped; then capitals,
--     lower case or the surname first; truth is the id of the customer.
-- The same seed gives the same tables.

\if :{?n}
\else
\set n 1000000
\endif
\if :{?queries}
\else
\set queries 1000
\endif
\if :{?seed}
\else
\set seed 0.23
\endif

SELECT setseed(:seed);

CREATE TEMP TABLE gen_given(i serial, name text);
INSERT INTO gen_given(name) SELECT unnest(ARRAY[
	'Jean', 'Pierre', 'Marie', 'Anne', 'Françoise', 'Frédérique', 'Élodie', 'Hélène', 'Philippe', 'Thomas',
	'Nicolas', 'Catherine', 'Isabelle', 'Sébastien', 'Stéphane', 'Céline', 'Jérôme', 'Mathieu', 'Guillaume',
	'Christophe', 'Aurélie', 'Laurent', 'Benoît', 'Joséphine', 'Gaëlle', 'Anaïs', 'Noël', 'Zoé', 'Chloé', 'Léa',
	'Théo', 'Lucas', 'Hugo', 'Manon', 'Camille', 'Julien', 'Romain', 'Maxime', 'Antoine', 'Alexandre', 'Vincent',
	'François', 'Olivier', 'Sylvie', 'Nathalie', 'Valérie', 'Sandrine', 'Véronique', 'Christine', 'Martine',
	'Monique', 'Jacqueline', 'Dominique', 'Patrick', 'Michel', 'Bernard', 'Alain', 'Daniel', 'Gérard', 'René',
	'Louis', 'Gabriel', 'Arthur', 'Raphaël', 'Jules', 'Adam', 'Emma', 'Jade', 'Louise', 'Alice', 'Inès', 'Lina',
	'Agathe', 'Margaux', 'Clémence', 'Pauline', 'Mathilde', 'Océane', 'Ophélie', 'Amélie', 'Bérénice', 'Cécile',
	'Joseph', 'Robert', 'William', 'Margaret', 'Elizabeth', 'James', 'John', 'Michael', 'David', 'Richard',
	'Charles', 'Jennifer', 'Patricia', 'Linda', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Matthew',
	'Anthony', 'Mark', 'Donald', 'Steven', 'Andrew', 'Kenneth', 'Joshua', 'Kevin', 'Brian', 'George', 'Edward',
	'Ronald', 'Timothy', 'Emily', 'Olivia', 'Sophia', 'Isabella', 'Charlotte', 'Amelia', 'Harper', 'Evelyn',
	'Abigail', 'Stephen', 'Christopher', 'Katherine', 'Rebecca', 'Rachel', 'Samuel', 'Benjamin', 'Henry',
	'Oliver', 'Jack', 'Harry', 'Jacob', 'Ethan', 'Nathan', 'Ryan', 'Megan', 'Lauren', 'Hannah', 'Victoria']);

-- real surnames, and surnames built from syllables (Bour+geois, Mar+chand+ier ...)
CREATE TEMP TABLE gen_family(i serial, name text);
INSERT INTO gen_family(name) SELECT unnest(ARRAY[
	'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
	'Laurent', 'Lefèvre', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
	'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand',
	'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin',
	'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson',
	'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger', 'Roche',
	'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Perez', 'Marchand', 'Dufour', 'Blanchard', 'Barbier', 'Brun',
	'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Fernandez', 'Le Goff', 'Le Gall', 'Renault', 'Renaud',
	'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
	'Moore', 'Jackson', 'White', 'Harris', 'Thompson', 'Young', 'Walker', 'Allen', 'King', 'Wright', 'Scott',
	'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Phillips', 'Campbell',
	'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan',
	'Cooper', 'Peterson', 'Reed', 'O''Brien', 'McDonald', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker']);
INSERT INTO gen_family(name)
SELECT DISTINCT initcap(p || m || s)
FROM unnest(ARRAY['bour', 'mar', 'bel', 'char', 'mon', 'lac', 'val', 'ros', 'del', 'ber', 'cour', 'fon',
                  'gar', 'lan', 'mal', 'pel', 'tour', 'ville', 'beau', 'chau', 'dar', 'fer', 'gri', 'hal',
                  'jar', 'ker', 'lou', 'mor', 'nor', 'pon', 'quin', 'rou', 'sau', 'tho', 'vau', 'bran',
                  'cas', 'dor', 'es', 'fau', 'gau', 'her', 'bla', 'cro', 'dra', 'fla', 'gra', 'pra', 'tra',
                  'vil', 'wal', 'whit', 'ash', 'brad', 'craw', 'dun', 'ell', 'fair', 'hart', 'kings']) AS p
CROSS JOIN unnest(ARRAY['', 'e', 'i', 'o', 'a', 'an', 'en', 'on', 'ar', 'er', 'el', 'il', 'ou', 'au', 'in',
                        'ch', 'ss', 'll']) AS m
CROSS JOIN unnest(ARRAY['geois', 'chand', 'tin', 'lier', 'mont', 'court', 'ville', 'val', 'rand', 'det',
                        'let', 'quet', 'naud', 'gnon', 'lard', 'thier', 'mann', 'son', 'ford', 'ley',
                        'ton', 'worth', 'field', 'wood', 'ridge', 'dale', 'by', 'ham', 'stone', 'well',
                        'ot', 'eau', 'ard', 'ier', 'on', 'in', 'ez', 'oux', 'ay', 'ault', 'aud', 'ais',
                        'é', 'ène', 'ès', 'ière']) AS s;

-- the customers: given name, sometimes a second one, and a surname
CREATE TABLE bench_customers AS
WITH draws AS (
	SELECT g AS id,
	       1 + floor(power(random(), 2) * (SELECT count(*) FROM gen_given))::int AS g1,
	       1 + floor(power(random(), 2) * (SELECT count(*) FROM gen_given))::int AS g2,
	       -- half the customers bear one of the ~150 common surnames, the most common most often
	       CASE WHEN random() < 0.5 THEN 1 + floor(power(random(), 2) * 150)::int
	            ELSE 151 + floor(random() * ((SELECT count(*) FROM gen_family) - 150))::int END AS f,
	       random() AS r
	FROM generate_series(1, :n) AS g
)
SELECT d.id,
       a.name || CASE WHEN d.r < 0.12 THEN '-' || b.name WHEN d.r < 0.2 THEN ' ' || b.name ELSE '' END
              || ' ' || c.name AS name
FROM draws d
JOIN gen_given a ON a.i = d.g1 JOIN gen_given b ON b.i = d.g2 JOIN gen_family c ON c.i = d.f;
ALTER TABLE bench_customers ADD PRIMARY KEY (id);

-- noise functions (shout, typo, phonetic)
\ir noise.sql

CREATE FUNCTION pg_temp.last_word(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT substring(s from '([^ ]+)$')
$$;
CREATE FUNCTION pg_temp.first_words(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT substring(s from '^(.*) [^ ]+$')
$$;
CREATE TEMP TABLE gen_nick(name text PRIMARY KEY, nick text);
INSERT INTO gen_nick VALUES ('Robert', 'Bob'), ('William', 'Bill'), ('Joseph', 'Jojo'), ('Margaret', 'Peggy'),
	('Elizabeth', 'Liz'), ('James', 'Jim'), ('Richard', 'Dick'), ('Michael', 'Mike'), ('Edward', 'Ted'),
	('Anthony', 'Tony'), ('Nicolas', 'Nico'), ('Sébastien', 'Seb'), ('Catherine', 'Cathy'), ('Christophe', 'Chris'),
	('Isabelle', 'Zaza'), ('Frédérique', 'Fred'), ('Daniel', 'Dany'), ('Steven', 'Steve'), ('Andrew', 'Andy'),
	('Timothy', 'Tim'), ('Jennifer', 'Jenny'), ('Patricia', 'Pat'), ('Alexandre', 'Alex'), ('Maxime', 'Max'),
	('Dominique', 'Dom'), ('Benjamin', 'Ben'), ('Samuel', 'Sam'), ('Christopher', 'Chris'), ('Victoria', 'Vicky'),
	('Rebecca', 'Becky'), ('Katherine', 'Kate'), ('Matthew', 'Matt'), ('Kenneth', 'Ken'), ('Joshua', 'Josh'),
	('Emmanuel', 'Manu'), ('Gérard', 'Gégé'), ('Julien', 'Juju'), ('Thomas', 'Tom'), ('Henry', 'Harry'),
	('Stéphane', 'Steph'), ('Valérie', 'Val'), ('Véronique', 'Vero'), ('Nathalie', 'Nath'), ('Sandrine', 'Sandy');

-- one kind of noise applied to a name split as {first names, surname}
CREATE FUNCTION pg_temp.noise(n text[], kind int, r1 float8, r2 float8) RETURNS text[] LANGUAGE sql AS $$
	SELECT CASE kind
		WHEN 0 THEN ARRAY[n[1], pg_temp.typo(n[2], r1, r2)]
		WHEN 1 THEN ARRAY[pg_temp.typo(n[1], r1, r2), n[2]]
		WHEN 2 THEN ARRAY[n[1], pg_temp.phonetic(n[2])]
		WHEN 3 THEN ARRAY[pg_temp.phonetic(n[1]), n[2]]
		WHEN 4 THEN ARRAY[coalesce((SELECT nick FROM gen_nick g WHERE g.name = split_part(n[1], ' ', 1)),
		                           pg_temp.phonetic(n[1])), n[2]]
		WHEN 5 THEN ARRAY[CASE WHEN n[1] ~ '[- ]' THEN lower(left(n[1], 1) || substring(n[1] from '[- ](.)'))
		                       ELSE left(n[1], 1) || '.' END, n[2]]
		ELSE ARRAY[pg_temp.shout(n[1]), pg_temp.shout(n[2])]
	END
$$;

-- each searched name gets :noises kinds of noise (default 2, all different),
-- then the case and word order an advisor or a web form would type
\if :{?noises}
\else
\set noises 2
\endif
CREATE TABLE bench_searches AS
WITH sample AS (
	SELECT row_number() OVER () AS qid, id, name,
	       ARRAY[pg_temp.first_words(name), pg_temp.last_word(name)] AS n0,
	       floor(random() * 7)::int AS k1, 1 + floor(random() * 6)::int AS k2step,
	       random() AS k3, random() AS r1, random() AS r2
	FROM (SELECT * FROM bench_customers ORDER BY random() LIMIT :queries) AS s
), kinds AS (
	SELECT s.*, (s.k1 + s.k2step) % 7 AS k2 FROM sample s
), noisy AS (
	SELECT k.*, CASE WHEN :noises >= 2 THEN pg_temp.noise(pg_temp.noise(n0, k1, r1, r2), k2, r2, r1)
	                 ELSE pg_temp.noise(n0, k1, r1, r2) END AS n2
	FROM kinds k
)
SELECT qid,
       CASE WHEN k3 < 0.4 THEN upper(n2[1] || ' ' || n2[2])
            WHEN k3 < 0.7 THEN upper(n2[2]) || ' ' || n2[1]
            ELSE lower(n2[1] || ' ' || n2[2]) END AS query,
       id AS truth,
       (ARRAY['typo in surname', 'typo in first name', 'surname as heard', 'first name as heard',
              'nickname', 'initials', 'accents dropped'])[k1 + 1]
         || CASE WHEN :noises >= 2 THEN ' + ' || (ARRAY['typo in surname', 'typo in first name', 'surname as heard',
              'first name as heard', 'nickname', 'initials', 'accents dropped'])[k2 + 1] ELSE '' END AS noise
FROM noisy;
ALTER TABLE bench_searches ADD PRIMARY KEY (qid);
VACUUM ANALYZE bench_customers;
