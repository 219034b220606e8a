-- test/bench/gen_silos.sql: a seeded generator of customer records spread over
-- four CRM silos, with the truth, for the resolution benchmark (resolve.sql).
--
--   psql -v n=1000000 -v seed=0.42 -f gen_silos.sql
--
-- (both variables optional; defaults 1000000 and 0.42).  Plain PostgreSQL: it
-- needs nothing of customer_unify.  It drops and creates, in schema public:
--
--   persons(person_id, given, family, email, phone, birth_date, address,
--           postcode, city, gender, household_id, landline)
--       the true people, about n / 2.5 of them: each appears in 1 to 4 records
--       (22 % once, 28 % twice, 28 % three times, 22 % four times), mostly in
--       different silos, sometimes twice in the same one;
--   shop_customers(customer_no, prenom, nom, email, tel, date_naissance,
--                  cp, ville, adresse, truth)                     about 35 % of n
--       the shop's till: dates as text 'DD/MM/YYYY', surnames often in
--       capitals, phones as typed by an advisor;
--   web_accounts(account_id, first_name, last_name, email, birth_date,
--                postcode, city, address, truth)                  about 30 %
--       typed by the customers themselves: an e-mail always, one per account
--       (a second account of the same person has another), lower case,
--       Gmail dots and +tags;
--   callcenter_contacts(contact_id, full_name, phone, email, postcode, truth)
--                                                                 about 20 %
--       names heard on the phone ("NOM Prénom" or "Prénom Nom"), the number
--       called from in four formats;
--   review_authors(author_id, display_name, email, city, truth)  about 15 %
--       "Jean-Pierre D.", "jp dupont", handles, few other fields;
--   truth(source regclass, source_id text, person_id bigint)
--       a view: every record's true person (source_id as cu_identity_map
--       holds it: the id column as text).
--
-- The noise: French and English names with their accents, a quarter of the
-- people bearing one of ~150 common surnames (Martin 1 %, Bernard, Smith ...)
-- and first names as skewed, hence many homonyms (a third of the people share
-- their first and last name with someone); households sharing an address and a landline (spouses, children,
-- sometimes a son bearing his father's name, a few sharing one e-mail);
-- maiden and married names; nicknames (Bob, JP), typos, names spelt as heard,
-- first and last names swapped, particles glued (Le Goff / Legoff); e-mail
-- case, Gmail dots, +tags, a second address, typos in the domain; one number
-- in many formats, a landline instead of a mobile, an old number; birth dates
-- with day and month swapped, a wrong digit, or 01/01/1900; address variants
-- ('12 rue de la Paix' / '12, r. de la paix' / '12 RUE DE LA PAIX'), old
-- addresses of people who moved; NULLs, more in some silos than in others.
--
-- The same n and seed give the same tables, whatever the plan: the seed
-- (setseed) draws a salt, and every random draw is a hash of the salt, a
-- stream number and the id of a household, person or record, all numbered in
-- a fixed order.  Set-based SQL only: one million records in about a minute
-- on two cores.

\if :{?n}
\else
\set n 1000000
\endif
\if :{?seed}
\else
\set seed 0.42
\endif

SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '256MB';

DROP VIEW IF EXISTS public.truth;
DROP TABLE IF EXISTS public.persons, public.shop_customers, public.callcenter_contacts,
	public.web_accounts, public.review_authors CASCADE;

-- the salt of every draw, from the seed
SELECT setseed(:seed) AS gen_ignore \gset
SELECT floor(random() * 1e12)::bigint AS gen_salt \gset

-- rnd(id, stream): a uniform draw in [0, 1), a pure function of (salt, stream, id)
SELECT format('CREATE FUNCTION pg_temp.rnd(k bigint, stream int) RETURNS float8 LANGUAGE sql IMMUTABLE AS %L',
	format('SELECT ((hashint8extended(k, %s + stream) >> 11) & 9007199254740991)::float8 / 9007199254740992',
	       :gen_salt)) \gexec

-- the noise functions, name lists and other pieces shared with the demo's
-- generator (noisy_name, noisy_email, phone_fr, address_fr, name_list ...)
\ir noise.sql

------------------------------------------------------------------------------
-- helpers

-- a phone number in E.164 (French, or a British mobile) written in one of six ways
CREATE FUNCTION pg_temp.phone_format(e164 text, fmt int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN e164 IS NULL THEN NULL
		WHEN e164 LIKE '+33%' THEN pg_temp.phone_fr(e164, fmt)
		ELSE CASE fmt % 3                                                                        -- British mobiles
			WHEN 0 THEN '+44 ' || substr(e164, 4, 4) || ' ' || substr(e164, 8)
			WHEN 1 THEN e164
			ELSE '0044 ' || substr(e164, 4, 4) || ' ' || substr(e164, 8)
			END
	END
$$;
-- a mobile number in E.164 from a unique number x in [0, 10^8): French, or British
CREATE FUNCTION pg_temp.mobile(x bigint, uk boolean, r float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN uk THEN '+4477' || lpad(x::text, 8, '0') ELSE pg_temp.mobile_fr(x, r) END
$$;

------------------------------------------------------------------------------
-- name lists: first names by gender, most common first; nicknames; surnames.
-- They are gen_customers.sql's lists with genders, compound first names and
-- more nicknames; that script builds its tables with them, so they cannot be
-- included from there.  The French first names and the common French and
-- English surnames come first, from noise.sql's name_list (shared with the
-- demo's generator); the English first names and the rest follow.

CREATE TEMP TABLE gen_given(gender char, i int, name text, PRIMARY KEY (gender, i));
INSERT INTO gen_given SELECT 'M', i, name FROM unnest(pg_temp.name_list('fr.given.M') || ARRAY[
	'Robert', 'William', 'James', 'John', 'Michael', 'Richard', 'Charles', 'Matthew', 'Anthony', 'Steven',
	'Andrew', 'Kenneth', 'Joshua', 'Kevin', 'Brian', 'George', 'Edward', 'Timothy', 'Christopher', 'Samuel',
	'Benjamin', 'Henry', 'Oliver', 'Jack', 'Harry', 'Ethan', 'Nathan', 'Ryan']) WITH ORDINALITY AS u(name, i);
INSERT INTO gen_given SELECT 'F', i, name FROM unnest(pg_temp.name_list('fr.given.F') || ARRAY[
	'Elizabeth', 'Margaret', 'Jennifer', 'Linda', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Emily',
	'Olivia', 'Sophia', 'Charlotte', 'Amelia', 'Rebecca', 'Rachel', 'Katherine', 'Megan', 'Hannah', 'Victoria',
	'Lauren', 'Abigail']) WITH ORDINALITY AS u(name, i);

CREATE TEMP TABLE gen_nick(name text PRIMARY KEY, nicks text[]);
INSERT INTO gen_nick SELECT * FROM pg_temp.nick_list();
INSERT INTO gen_nick VALUES
	('James', '{Jim,Jimmy}'), ('Richard', '{Rick,Dick}'), ('Daniel', '{Dany,Dan}'), ('Catherine', '{Cathy,Cath}'),
	('Patricia', '{Pat,Patty}'), ('Katherine', '{Kate,Katie}');

-- the common surnames first (the most common first), then a long tail built
-- from syllables (Bour+geois, Mar+chand+ier ...) as in gen_customers.sql
CREATE TEMP TABLE gen_family(i int PRIMARY KEY, name text);
INSERT INTO gen_family SELECT i, name
FROM unnest(pg_temp.name_list('fr.family') || pg_temp.name_list('en.family') || ARRAY[
	'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'de la Fontaine', 'Le Bihan', 'Hoffmann', 'Schäfer', 'Koch'])
	WITH ORDINALITY AS u(name, i);
SELECT count(*) AS gen_n_common FROM gen_family \gset
INSERT INTO gen_family
SELECT :gen_n_common + row_number() OVER (ORDER BY name COLLATE "C"), name
FROM (SELECT DISTINCT initcap(p || m || s) AS name
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
                              'é', 'ène', 'ès', 'ière']) AS s) t
WHERE name NOT IN (SELECT name FROM gen_family);

SELECT count(*) FILTER (WHERE gender = 'M') AS gen_n_given_m, count(*) FILTER (WHERE gender = 'F') AS gen_n_given_f
FROM gen_given \gset
SELECT count(*) AS gen_n_family FROM gen_family \gset

------------------------------------------------------------------------------
-- places: cities (population in thousands as weight, phone zone), streets

CREATE TEMP TABLE gen_city(i int PRIMARY KEY, city text, cp_base int, cp_count int, zone int, weight int);
INSERT INTO gen_city SELECT row_number() OVER (), * FROM (VALUES
	('Paris', 75001, 20, 1, 2100), ('Marseille', 13001, 16, 4, 870), ('Lyon', 69001, 9, 4, 520),
	('Toulouse', 31000, 1, 5, 500), ('Nice', 6000, 1, 4, 340), ('Nantes', 44000, 1, 2, 320),
	('Montpellier', 34000, 1, 4, 300), ('Strasbourg', 67000, 1, 3, 290), ('Bordeaux', 33000, 1, 5, 260),
	('Lille', 59000, 1, 3, 235), ('Rennes', 35000, 1, 2, 220), ('Reims', 51100, 1, 3, 180),
	('Toulon', 83000, 1, 4, 180), ('Saint-Étienne', 42000, 1, 4, 175), ('Le Havre', 76600, 1, 2, 165),
	('Grenoble', 38000, 1, 4, 160), ('Dijon', 21000, 1, 3, 160), ('Angers', 49000, 1, 2, 155),
	('Villeurbanne', 69100, 1, 4, 150), ('Nîmes', 30000, 1, 4, 150), ('Clermont-Ferrand', 63000, 1, 4, 145),
	('Aix-en-Provence', 13100, 1, 4, 145), ('Le Mans', 72000, 1, 2, 145), ('Brest', 29200, 1, 2, 140),
	('Tours', 37000, 1, 2, 135), ('Amiens', 80000, 1, 3, 135), ('Limoges', 87000, 1, 5, 130),
	('Annecy', 74000, 1, 4, 130), ('Perpignan', 66000, 1, 4, 120), ('Boulogne-Billancourt', 92100, 1, 1, 120),
	('Metz', 57000, 1, 3, 120), ('Besançon', 25000, 1, 3, 118), ('Orléans', 45000, 1, 2, 116),
	('Saint-Denis', 93200, 1, 1, 113), ('Rouen', 76000, 1, 2, 112), ('Argenteuil', 95100, 1, 1, 110),
	('Montreuil', 93100, 1, 1, 110), ('Mulhouse', 68100, 1, 3, 108), ('Caen', 14000, 1, 2, 105),
	('Nancy', 54000, 1, 3, 105), ('Vitry-sur-Seine', 94400, 1, 1, 95), ('Nanterre', 92000, 1, 1, 95),
	('Créteil', 94000, 1, 1, 92), ('Poitiers', 86000, 1, 5, 90), ('Avignon', 84000, 1, 4, 90),
	('Aubervilliers', 93300, 1, 1, 88), ('Versailles', 78000, 1, 1, 85), ('Cherbourg-en-Cotentin', 50100, 1, 2, 79),
	('Rueil-Malmaison', 92500, 1, 1, 79), ('Pau', 64000, 1, 5, 77), ('La Rochelle', 17000, 1, 5, 77),
	('Saint-Nazaire', 44600, 1, 2, 72), ('Ajaccio', 20000, 1, 4, 72), ('Colmar', 68000, 1, 3, 68),
	('Évry-Courcouronnes', 91000, 1, 1, 66), ('Valence', 26000, 1, 4, 64), ('Quimper', 29000, 1, 2, 63),
	('Troyes', 10000, 1, 3, 61), ('Chambéry', 73000, 1, 4, 60), ('Neuilly-sur-Seine', 92200, 1, 1, 60),
	('Niort', 79000, 1, 5, 59), ('Lorient', 56100, 1, 2, 57), ('Vannes', 56000, 1, 2, 54),
	('Saint-Quentin', 2100, 1, 3, 53), ('Bayonne', 64100, 1, 5, 52), ('Arles', 13200, 1, 4, 51),
	('Saint-Malo', 35400, 1, 2, 47), ('Belfort', 90000, 1, 3, 47), ('Saint-Priest', 69800, 1, 4, 47),
	('Châlons-en-Champagne', 51000, 1, 3, 44), ('Bourg-en-Bresse', 1000, 1, 4, 41),
	('Saint-Martin-d''Hères', 38400, 1, 4, 38), ('Sainte-Geneviève-des-Bois', 91700, 1, 1, 36),
	('Montigny-le-Bretonneux', 78180, 1, 1, 33), ('L''Haÿ-les-Roses', 94240, 1, 1, 31),
	('Le Puy-en-Velay', 43000, 1, 4, 19)) AS c(city, cp_base, cp_count, zone, weight);
-- one slot per thousand inhabitants: a uniform slot is a city drawn by population
CREATE TEMP TABLE gen_city_slot AS
SELECT row_number() OVER (ORDER BY c.i, s) AS slot, c.i AS city_i
FROM gen_city c CROSS JOIN LATERAL generate_series(1, c.weight) AS s;
ALTER TABLE gen_city_slot ADD PRIMARY KEY (slot);

CREATE TEMP TABLE gen_stype(slot int PRIMARY KEY, stype text, abbr text);
INSERT INTO gen_stype
SELECT row_number() OVER (ORDER BY t.ord, s), t.stype, t.abbr
FROM (VALUES (1, 'rue', 'r.', 11), (2, 'avenue', 'av.', 3), (3, 'boulevard', 'bd', 2), (4, 'place', 'pl.', 1),
             (5, 'chemin', 'ch.', 1), (6, 'allée', 'all.', 1), (7, 'impasse', 'imp.', 1), (8, 'route', 'rte', 1),
             (9, 'quai', 'q.', 1)) AS t(ord, stype, abbr, weight)
CROSS JOIN LATERAL generate_series(1, t.weight) AS s;

CREATE TEMP TABLE gen_street(i int PRIMARY KEY, name text);
INSERT INTO gen_street SELECT i, name FROM unnest(pg_temp.name_list('fr.street')) WITH ORDINALITY AS u(name, i);

SELECT (SELECT count(*) FROM gen_city_slot) AS gen_n_city_slots, (SELECT count(*) FROM gen_stype) AS gen_n_stypes,
       (SELECT count(*) FROM gen_street) AS gen_n_streets \gset
-- enough households for n records (1.4 persons a household, 2.5 records a person, 3 % to spare)
SELECT ceil(:n / 2.5 * 1.03 / 1.4)::bigint + 10 AS gen_n_households \gset

------------------------------------------------------------------------------
-- households: size, address, landline, head's name and birth date

CREATE TEMP TABLE gen_household AS
WITH h AS (
	SELECT h AS household_id,
	       CASE WHEN pg_temp.rnd(h, 1) < 0.70 THEN 1 WHEN pg_temp.rnd(h, 1) < 0.92 THEN 2
	            WHEN pg_temp.rnd(h, 1) < 0.98 THEN 3 ELSE 4 END AS size,
	       CASE WHEN pg_temp.rnd(h, 2) < 0.5 THEN 'F' ELSE 'M' END AS head_gender,
	       pg_temp.rnd(h, 3) AS r_given,
	       -- a quarter of the people bear one of the common surnames, the most common most often
	       CASE WHEN pg_temp.rnd(h, 4) < 0.25 THEN 1 + floor(power(pg_temp.rnd(h, 5), 1.5) * :gen_n_common)::int
	            ELSE :gen_n_common + 1 + floor(pg_temp.rnd(h, 5) * (:gen_n_family - :gen_n_common))::int END AS head_family_i,
	       date '1939-01-01' + floor(pg_temp.rnd(h, 6) * 23740)::int AS head_birth,
	       1 + floor(power(pg_temp.rnd(h, 7), 2) * 180)::int AS num,
	       CASE WHEN pg_temp.rnd(h, 8) < 0.04 THEN CASE WHEN pg_temp.rnd(h, 9) < 0.7 THEN 'bis' ELSE 'ter' END END AS bis,
	       1 + floor(pg_temp.rnd(h, 10) * :gen_n_stypes)::int AS stype_slot,
	       1 + floor(pg_temp.rnd(h, 11) * :gen_n_streets)::int AS street_i,
	       1 + floor(pg_temp.rnd(h, 12) * :gen_n_city_slots)::int AS city_slot,
	       pg_temp.rnd(h, 13) AS r_cp,
	       CASE WHEN pg_temp.rnd(h, 14) < 0.10 THEN
	            CASE WHEN pg_temp.rnd(h, 15) < 0.6 THEN 'Apt ' || (1 + floor(pg_temp.rnd(h, 16) * 60))::int
	                 ELSE 'Bât ' || chr(65 + floor(pg_temp.rnd(h, 16) * 6)::int) END END AS complement,
	       pg_temp.rnd(h, 17) AS r_landline,
	       pg_temp.rnd(h, 18) AS r_landline_digit,
	       pg_temp.rnd(h, 19) AS r_shared_email,
	       pg_temp.rnd(h, 20) < 0.7 AS spouse_takes_name
	FROM generate_series(1, :gen_n_households::bigint) AS h
)
SELECT h.household_id, h.size, h.head_gender,
       1 + floor(power(h.r_given, 1.6) * CASE h.head_gender WHEN 'M' THEN :gen_n_given_m ELSE :gen_n_given_f END)::int
         AS head_given_i,
       h.head_family_i, h.head_birth, h.spouse_takes_name,
       h.num || coalesce(' ' || h.bis, '') || ' ' || t.stype || ' ' || s.name AS address,
       h.num, h.bis, t.stype, t.abbr, s.name AS street, h.complement,
       lpad((c.cp_base + floor(h.r_cp * c.cp_count))::text, 5, '0') AS postcode, c.city,
       -- landlines: zone 1-5 by region, then a digit that is not an overseas block, then 7 digits unique to the household
       CASE WHEN h.r_landline < CASE WHEN h.size > 1 THEN 0.55 ELSE 0.25 END
            THEN '+33' || c.zone || substr('1234578', 1 + floor(h.r_landline_digit * 7)::int, 1)
                 || lpad(((h.household_id * 7393913 + :gen_salt % 10000000) % 10000000)::text, 7, '0') END AS landline,
       h.size > 1 AND h.r_shared_email < 0.05 AS shared_email
FROM h
JOIN gen_stype t ON t.slot = h.stype_slot
JOIN gen_street s ON s.i = h.street_i
JOIN gen_city_slot cs ON cs.slot = h.city_slot
JOIN gen_city c ON c.i = cs.city_i;
ALTER TABLE gen_household ADD PRIMARY KEY (household_id);

------------------------------------------------------------------------------
-- people: member 1 heads the household, member 2 is a spouse (of the other
-- sex nine times in ten), 3 and 4 are grown-up children (one in seven of the
-- head's sex bears the head's first name)

CREATE TEMP TABLE gen_person AS
WITH m AS (
	SELECT row_number() OVER (ORDER BY h.household_id, m.member) AS person_id, m.member, h.*
	FROM gen_household h CROSS JOIN LATERAL generate_series(1, h.size) AS m(member)
), g AS (
	SELECT m.*,
	       CASE WHEN member = 1 THEN head_gender
	            WHEN member = 2 THEN CASE WHEN pg_temp.rnd(person_id, 1) < 0.9
	                                      THEN CASE head_gender WHEN 'M' THEN 'F' ELSE 'M' END ELSE head_gender END
	            ELSE CASE WHEN pg_temp.rnd(person_id, 1) < 0.5 THEN 'F' ELSE 'M' END END AS gender,
	       CASE WHEN pg_temp.rnd(person_id, 4) < 0.25
	            THEN 1 + floor(power(pg_temp.rnd(person_id, 5), 1.5) * :gen_n_common)::int
	            ELSE :gen_n_common + 1 + floor(pg_temp.rnd(person_id, 5) * (:gen_n_family - :gen_n_common))::int
	       END AS own_family_i
	FROM m
), a AS (
	SELECT g.*,
	       CASE WHEN member = 1 THEN head_given_i
	            WHEN member >= 3 AND gender = head_gender AND pg_temp.rnd(person_id, 2) < 0.15 THEN head_given_i
	            ELSE 1 + floor(power(pg_temp.rnd(person_id, 3), 1.6)
	                           * CASE gender WHEN 'M' THEN :gen_n_given_m ELSE :gen_n_given_f END)::int
	       END AS given_i,
	       -- a wife takes her husband's name seven times in ten
	       CASE WHEN member = 2 AND NOT (gender = 'F' AND spouse_takes_name) THEN own_family_i
	            ELSE head_family_i END AS family_i,
	       -- a wife's other name: her maiden name, or the married name she did not take
	       CASE WHEN member = 2 AND gender = 'F' THEN
	            CASE WHEN spouse_takes_name THEN own_family_i WHEN head_gender = 'M' THEN head_family_i END
	       END AS alias_i,
	       pg_temp.member_birth(member, head_birth, pg_temp.rnd(person_id, 6), pg_temp.rnd(person_id, 7)) AS birth_date,
	       -- two numbers unique to the person in [0, 10^8): its mobile and an old one
	       (2 * person_id * 73939133 + :gen_salt % 100000000) % 100000000 AS x_mobile,
	       ((2 * person_id + 1) * 73939133 + :gen_salt % 100000000) % 100000000 AS x_old,
	       pg_temp.rnd(person_id, 8) < CASE WHEN member >= 3 THEN 0.95 ELSE 0.85 END AS has_mobile,
	       pg_temp.rnd(person_id, 9) < 0.03 AS uk_mobile
	FROM g
)
SELECT a.person_id, a.household_id, a.member, a.gender, gg.name AS given, f.name AS family, al.name AS alias_family,
       a.birth_date, a.address, a.num, a.bis, a.stype, a.abbr, a.street, a.complement, a.postcode, a.city, a.landline,
       CASE WHEN a.has_mobile THEN pg_temp.mobile(a.x_mobile, a.uk_mobile, pg_temp.rnd(a.person_id, 10)) END AS mobile,
       pg_temp.mobile(a.x_old, false, pg_temp.rnd(a.person_id, 11)) AS old_mobile,
       a.shared_email,
       -- where they lived before (another household's address)
       1 + floor(pg_temp.rnd(a.person_id, 12) * :gen_n_households)::bigint AS prev_household_id
FROM a
JOIN gen_given gg ON gg.gender = a.gender AND gg.i = a.given_i
JOIN gen_family f ON f.i = a.family_i
LEFT JOIN gen_family al ON al.i = a.alias_i;
ALTER TABLE gen_person ADD PRIMARY KEY (person_id);

------------------------------------------------------------------------------
-- e-mail addresses: a main one (9 in 10 people; a family address shared by
-- the household for 1 in 20 households of several), and another one (old
-- provider or second address) for everybody.  Unique, as on the real
-- Internet, counting Gmail's ignored dots: a taken address gets a number.

CREATE TEMP TABLE gen_domain(kind int, slot int, domain text);
INSERT INTO gen_domain
SELECT d.kind, row_number() OVER (PARTITION BY d.kind ORDER BY d.ord, s), d.domain
FROM (VALUES (1, 1, 'gmail.com', 35), (1, 2, 'orange.fr', 12), (1, 3, 'hotmail.fr', 8), (1, 4, 'yahoo.fr', 7),
             (1, 5, 'free.fr', 7), (1, 6, 'laposte.net', 5), (1, 7, 'hotmail.com', 4), (1, 8, 'outlook.fr', 4),
             (1, 9, 'sfr.fr', 4), (1, 10, 'outlook.com', 3), (1, 11, 'icloud.com', 3), (1, 12, 'live.fr', 2),
             (1, 13, 'yahoo.com', 2), (1, 14, 'gmx.fr', 1), (1, 15, 'aol.com', 1),
             (2, 1, 'wanadoo.fr', 8), (2, 2, 'hotmail.fr', 6), (2, 3, 'gmail.com', 6), (2, 4, 'club-internet.fr', 3),
             (2, 5, 'neuf.fr', 3), (2, 6, 'aliceadsl.fr', 2), (2, 7, 'noos.fr', 2), (2, 8, 'voila.fr', 2),
             (2, 9, 'yahoo.fr', 3), (2, 10, 'free.fr', 3)) AS d(kind, ord, domain, weight)
CROSS JOIN LATERAL generate_series(1, d.weight) AS s;
SELECT (SELECT count(*) FROM gen_domain WHERE kind = 1) AS gen_n_dom1,
       (SELECT count(*) FROM gen_domain WHERE kind = 2) AS gen_n_dom2 \gset

-- owner kind 1: main address of a person, 2: other address of a person, 3: family address of a household
CREATE TEMP TABLE gen_email0 AS
WITH w AS (
	SELECT p.person_id, p.birth_date,
	       CASE WHEN pg_temp.rnd(p.person_id, 20) < 0.5 THEN replace(pg_temp.mailword(p.given), '-', '')
	            ELSE pg_temp.mailword(p.given) END AS g,
	       pg_temp.mailword(p.family) AS f
	FROM gen_person p
), owners AS (
	SELECT 1 AS kind, person_id AS id, g, f, birth_date FROM w
	WHERE pg_temp.rnd(person_id, 21) < 0.9
	UNION ALL
	SELECT 2, person_id, g, f, birth_date FROM w
)
SELECT o.kind, o.id,
       pg_temp.mail_local(g, f, birth_date, u) AS local,
       d.domain
FROM (SELECT owners.*, pg_temp.rnd(id, 22 + kind) AS u, pg_temp.rnd(id, 25 + kind) AS r_dom FROM owners) o
JOIN gen_domain d ON d.kind = o.kind
                 AND d.slot = 1 + floor(o.r_dom * CASE o.kind WHEN 1 THEN :gen_n_dom1 ELSE :gen_n_dom2 END)::int
UNION ALL
SELECT 3, h.household_id,
       CASE WHEN pg_temp.rnd(h.household_id, 30) < 0.6 THEN 'famille.' ELSE 'les' END
       || pg_temp.mailword(f.name),
       d.domain
FROM gen_household h
JOIN gen_family f ON f.i = h.head_family_i
JOIN gen_domain d ON d.kind = 1 AND d.slot = 1 + floor(pg_temp.rnd(h.household_id, 31) * :gen_n_dom1)::int
WHERE h.shared_email;

CREATE TEMP TABLE gen_email AS
WITH e1 AS (
	SELECT kind, id, local, domain,
	       row_number() OVER (PARTITION BY CASE WHEN domain = 'gmail.com' THEN replace(local, '.', '') ELSE local END,
	                                       domain ORDER BY kind, id) AS rn
	FROM gen_email0
), e2 AS (
	SELECT kind, id, domain, CASE WHEN rn = 1 THEN local ELSE local || (rn + 1)::text END AS local FROM e1
), e3 AS (
	SELECT e2.*,
	       row_number() OVER (PARTITION BY CASE WHEN domain = 'gmail.com' THEN replace(local, '.', '') ELSE local END,
	                                       domain ORDER BY kind, id) AS rn
	FROM e2
)
SELECT kind, id, CASE WHEN rn = 1 THEN local ELSE local || '.' || kind || id END || '@' || domain AS email
FROM e3;
ALTER TABLE gen_email ADD PRIMARY KEY (kind, id);

------------------------------------------------------------------------------
-- records: each person gets 1 to 4 of them; record j goes to the j-th silo of
-- the person's own weighted random order of the four silos (so mostly
-- different silos), or, one time in 12, again to the first one (a duplicate
-- account).  The weights give about 35/30/20/15 % of the records.
-- Silos: 1 shop, 2 web, 3 call centre, 4 reviews.

CREATE TEMP TABLE gen_silo_order AS
SELECT p.person_id, s.silo,
       row_number() OVER (PARTITION BY p.person_id
                          ORDER BY ln(1 - pg_temp.rnd(p.person_id, 40 + s.silo)) / s.weight DESC, s.silo) AS rank
FROM gen_person p
CROSS JOIN (VALUES (1, 0.574), (2, 0.357), (3, 0.128), (4, 0.072)) AS s(silo, weight);
ALTER TABLE gen_silo_order ADD PRIMARY KEY (person_id, rank);

CREATE TEMP TABLE gen_rec AS
WITH k AS (
	SELECT person_id,
	       CASE WHEN pg_temp.rnd(person_id, 45) < 0.22 THEN 1 WHEN pg_temp.rnd(person_id, 45) < 0.50 THEN 2
	            WHEN pg_temp.rnd(person_id, 45) < 0.78 THEN 3 ELSE 4 END AS k
	FROM gen_person
), c AS (
	SELECT person_id, k, sum(k) OVER (ORDER BY person_id) - k AS before FROM k
), r AS (
	SELECT c.before + j AS rec_id, c.person_id, j
	FROM c CROSS JOIN LATERAL generate_series(1, c.k) AS j
	WHERE c.before + j <= :n
)
SELECT r.rec_id, r.person_id, r.j,
       CASE WHEN r.j > 1 AND pg_temp.rnd(r.rec_id, 146) < 0.08 THEN s1.silo ELSE sj.silo END AS silo
FROM r
JOIN gen_silo_order sj ON sj.person_id = r.person_id AND sj.rank = r.j
JOIN gen_silo_order s1 ON s1.person_id = r.person_id AND s1.rank = 1;

-- everything a record may need, with its rank in its silo (ids in random order)
CREATE TEMP TABLE gen_rec_full AS
SELECT r.rec_id, r.silo,
       row_number() OVER (PARTITION BY r.silo ORDER BY pg_temp.rnd(r.rec_id, 147), r.rec_id) AS silo_rank,
       row_number() OVER (PARTITION BY r.person_id, r.silo ORDER BY r.rec_id) AS nth_in_silo,
       p.*,
       CASE WHEN p.shared_email THEN eh.email ELSE em.email END AS email,
       ea.email AS alt_email,
       k.nicks[1 + floor(pg_temp.rnd(r.rec_id, 148) * cardinality(k.nicks))::int] AS nick,
       ph.address AS prev_address, ph.num AS prev_num, ph.bis AS prev_bis, ph.stype AS prev_stype,
       ph.abbr AS prev_abbr, ph.street AS prev_street, ph.complement AS prev_complement,
       ph.postcode AS prev_postcode, ph.city AS prev_city
FROM gen_rec r
JOIN gen_person p ON p.person_id = r.person_id
LEFT JOIN gen_email em ON em.kind = 1 AND em.id = p.person_id
LEFT JOIN gen_email eh ON eh.kind = 3 AND eh.id = p.household_id
JOIN gen_email ea ON ea.kind = 2 AND ea.id = p.person_id
LEFT JOIN gen_nick k ON k.name = p.given
JOIN gen_household ph ON ph.household_id = p.prev_household_id;

------------------------------------------------------------------------------
-- the true people (those with at least one record)

CREATE TABLE public.persons AS
SELECT p.person_id, p.given, p.family,
       CASE WHEN p.shared_email THEN eh.email ELSE em.email END AS email,
       coalesce(p.mobile, p.landline) AS phone, p.birth_date, p.address, p.postcode, p.city,
       p.gender, p.household_id, p.landline
FROM gen_person p
LEFT JOIN gen_email em ON em.kind = 1 AND em.id = p.person_id
LEFT JOIN gen_email eh ON eh.kind = 3 AND eh.id = p.household_id
WHERE p.person_id IN (SELECT person_id FROM gen_rec)
ORDER BY p.person_id;
ALTER TABLE public.persons ADD PRIMARY KEY (person_id);

------------------------------------------------------------------------------
-- The four silos.  x(k) below is pg_temp.rnd(rec_id, 100 + k): each record
-- draws each of its choices from its own stream.

-- the shop's till: advisors type names in capitals, dates as DD/MM/YYYY;
-- half the birth dates, most phones, six in ten e-mails, addresses

CREATE TABLE public.shop_customers AS
WITH d AS (
	SELECT r.*,
	       pg_temp.noisy_name(given, family, nick, alias_family, pg_temp.rnd(rec_id, 101),
	                          '{0.05, 0.08, 0.09, 0.11, 0.14, 0.16, 0.26}',
	                          pg_temp.rnd(rec_id, 102), pg_temp.rnd(rec_id, 103)) AS nm,
	       pg_temp.rnd(rec_id, 104) AS r_case,
	       pg_temp.rnd(rec_id, 105) < 0.05 AS moved,
	       -- the number given: 1 in 50 an old one, else mostly the mobile
	       CASE WHEN pg_temp.rnd(rec_id, 106) < 0.02 THEN old_mobile
	            WHEN mobile IS NOT NULL AND (landline IS NULL OR pg_temp.rnd(rec_id, 106) < 0.80) THEN mobile
	            ELSE landline END AS phone_used,
	       pg_temp.rnd(rec_id, 107) AS r_addr
	FROM gen_rec_full r WHERE silo = 1
), v AS (
	SELECT d.*,
	       CASE WHEN moved THEN prev_postcode ELSE postcode END AS cp_used,
	       CASE WHEN moved THEN prev_city ELSE city END AS city_used,
	       CASE WHEN moved THEN pg_temp.address_fr(prev_num, prev_bis, prev_stype, prev_abbr, prev_street, prev_complement,
	                                               pg_temp.rnd(rec_id, 108), pg_temp.rnd(rec_id, 109))
	            ELSE pg_temp.address_fr(num, bis, stype, abbr, street, complement,
	                                    pg_temp.rnd(rec_id, 108), pg_temp.rnd(rec_id, 109)) END AS addr_used
	FROM d
)
SELECT 100000 + silo_rank AS customer_no,
       CASE WHEN r_case < 0.25 THEN pg_temp.shout(nm[1]) ELSE nm[1] END AS prenom,
       CASE WHEN r_case < 0.25 THEN pg_temp.shout(nm[2]) WHEN r_case < 0.70 THEN upper(nm[2]) ELSE nm[2] END AS nom,
       CASE WHEN pg_temp.rnd(rec_id, 110) < 0.60
            THEN pg_temp.noisy_email(email, alt_email, pg_temp.rnd(rec_id, 111), '{0.03, 0.05, 0.05, 0.05, 0.09, 0.10, 0.12}',
                                     pg_temp.rnd(rec_id, 112), pg_temp.rnd(rec_id, 113))
            WHEN pg_temp.rnd(rec_id, 110) < 0.62 THEN '' END AS email,
       CASE WHEN pg_temp.rnd(rec_id, 114) >= 0.78 OR phone_used IS NULL THEN NULL
            ELSE pg_temp.phone_format(CASE WHEN pg_temp.rnd(rec_id, 115) < 0.01
                                           THEN pg_temp.phone_typo(phone_used, pg_temp.rnd(rec_id, 116), pg_temp.rnd(rec_id, 117))
                                           ELSE phone_used END,
                                      (ARRAY[0, 0, 0, 2, 2, 2, 4, 4, 1, 5])[1 + floor(pg_temp.rnd(rec_id, 118) * 10)::int]) END AS tel,
       CASE WHEN pg_temp.rnd(rec_id, 119) < 0.004 THEN '01/01/1900'
            WHEN pg_temp.rnd(rec_id, 119) < 0.50
            THEN to_char(pg_temp.noisy_date(birth_date, pg_temp.rnd(rec_id, 120), 0.03, pg_temp.rnd(rec_id, 121)),
                         'DD/MM/YYYY') END AS date_naissance,
       -- a third of the postcodes of departments 01-09 lost their leading zero (a spreadsheet import)
       CASE WHEN r_addr < 0.05 THEN NULL
            WHEN cp_used LIKE '0%' AND pg_temp.rnd(rec_id, 122) < 0.3 THEN ltrim(cp_used, '0') ELSE cp_used END AS cp,
       CASE WHEN r_addr < 0.04 THEN NULL ELSE pg_temp.city_fr(city_used, cp_used, pg_temp.rnd(rec_id, 123)) END AS ville,
       CASE WHEN r_addr < 0.12 THEN NULL ELSE addr_used END AS adresse,
       person_id AS truth
FROM v
ORDER BY customer_no;
ALTER TABLE public.shop_customers ADD PRIMARY KEY (customer_no);

-- the web shop: typed by the customers, an e-mail always (their main one, or
-- another if they have none) with Gmail dots and +tags, case as it comes,
-- two thirds of the birth dates

CREATE TABLE public.web_accounts AS
WITH d AS (
	SELECT r.*,
	       pg_temp.noisy_name(given, family, nick, alias_family, pg_temp.rnd(rec_id, 101),
	                          '{0.01, 0.02, 0.02, 0.07, 0.09, 0.10, 0.20}',
	                          pg_temp.rnd(rec_id, 102), pg_temp.rnd(rec_id, 103)) AS nm,
	       pg_temp.rnd(rec_id, 104) AS r_case,
	       pg_temp.rnd(rec_id, 105) < 0.05 AS moved,
	       pg_temp.rnd(rec_id, 107) AS r_addr,
	       -- one address an account: the family address is taken by the head of
	       -- the household, the others use their own; a second account of the same
	       -- person takes the other address, a third a +tag
	       CASE WHEN shared_email AND member > 1 THEN alt_email ELSE coalesce(email, alt_email) END AS base_email
	FROM gen_rec_full r WHERE silo = 2
), v AS (
	SELECT d.*,
	       CASE WHEN nth_in_silo = 1 THEN base_email
	            WHEN nth_in_silo = 2 AND base_email <> alt_email THEN alt_email
	            ELSE split_part(base_email, '@', 1) || '+' || nth_in_silo || '@' || split_part(base_email, '@', 2)
	       END AS web_email
	FROM d
)
SELECT 5000000 + silo_rank AS account_id,
       CASE WHEN r_case < 0.15 THEN lower(nm[1]) WHEN r_case < 0.20 THEN upper(nm[1])
            WHEN r_case < 0.30 THEN pg_temp.strip(nm[1]) ELSE nm[1] END AS first_name,
       CASE WHEN r_case < 0.15 THEN lower(nm[2]) WHEN r_case < 0.20 THEN upper(nm[2])
            WHEN r_case < 0.30 THEN pg_temp.strip(nm[2]) ELSE nm[2] END AS last_name,
       pg_temp.noisy_email(web_email, alt_email, pg_temp.rnd(rec_id, 111),
                           '{0.05, 0.10, 0.20, 0.28, 0.28, 0.28, 0.28}', pg_temp.rnd(rec_id, 112),
                           pg_temp.rnd(rec_id, 113)) AS email,
       CASE WHEN pg_temp.rnd(rec_id, 119) < 0.004 THEN date '1900-01-01'
            WHEN pg_temp.rnd(rec_id, 119) < 0.65
            THEN pg_temp.noisy_date(birth_date, pg_temp.rnd(rec_id, 120), 0.02, pg_temp.rnd(rec_id, 121)) END AS birth_date,
       CASE WHEN r_addr < 0.25 THEN NULL WHEN moved THEN prev_postcode ELSE postcode END AS postcode,
       CASE WHEN r_addr < 0.25 THEN NULL
            ELSE pg_temp.city_fr(CASE WHEN moved THEN prev_city ELSE city END,
                                 CASE WHEN moved THEN prev_postcode ELSE postcode END,
                                 pg_temp.rnd(rec_id, 123)) END AS city,
       CASE WHEN r_addr < 0.28 THEN NULL
            WHEN moved THEN pg_temp.address_fr(prev_num, prev_bis, prev_stype, prev_abbr, prev_street, prev_complement,
                                               pg_temp.rnd(rec_id, 108), pg_temp.rnd(rec_id, 109))
            ELSE pg_temp.address_fr(num, bis, stype, abbr, street, complement,
                                    pg_temp.rnd(rec_id, 108), pg_temp.rnd(rec_id, 109)) END AS address,
       person_id AS truth
FROM v
ORDER BY account_id;
ALTER TABLE public.web_accounts ADD PRIMARY KEY (account_id);

-- the call centre: the name as heard ("DUPONT Jean" or "Jean Dupont"), the
-- number called from in four formats, sometimes an e-mail or a postcode

CREATE TABLE public.callcenter_contacts AS
WITH d AS (
	SELECT r.*,
	       pg_temp.noisy_name(given, family, nick, alias_family, pg_temp.rnd(rec_id, 101),
	                          '{0.06, 0.09, 0.17, 0.23, 0.23, 0.25, 0.33}',
	                          pg_temp.rnd(rec_id, 102), pg_temp.rnd(rec_id, 103)) AS nm,
	       pg_temp.rnd(rec_id, 104) < 0.3 AS no_accents,
	       CASE WHEN pg_temp.rnd(rec_id, 106) < 0.02 THEN old_mobile
	            WHEN mobile IS NOT NULL AND (landline IS NULL OR pg_temp.rnd(rec_id, 106) < 0.70) THEN mobile
	            ELSE landline END AS phone_used
	FROM gen_rec_full r WHERE silo = 3
), v AS (
	SELECT d.*, CASE WHEN no_accents THEN ARRAY[pg_temp.strip(nm[1]), pg_temp.strip(nm[2])] ELSE nm END AS nm2
	FROM d
)
SELECT 'C-' || lpad(silo_rank::text, greatest(6, length(silo_rank::text)), '0') AS contact_id,
       CASE WHEN pg_temp.rnd(rec_id, 105) < 0.5 THEN upper(nm2[2]) || ' ' || nm2[1]
            ELSE nm2[1] || ' ' || nm2[2] END AS full_name,
       CASE WHEN pg_temp.rnd(rec_id, 114) >= 0.95 OR phone_used IS NULL THEN NULL
            ELSE pg_temp.phone_format(CASE WHEN pg_temp.rnd(rec_id, 115) < 0.01
                                           THEN pg_temp.phone_typo(phone_used, pg_temp.rnd(rec_id, 116), pg_temp.rnd(rec_id, 117))
                                           ELSE phone_used END,
                                      floor(pg_temp.rnd(rec_id, 118) * 4)::int) END AS phone,
       CASE WHEN pg_temp.rnd(rec_id, 110) < 0.30
            THEN pg_temp.noisy_email(email, alt_email, pg_temp.rnd(rec_id, 111), '{0.03, 0.03, 0.03, 0.03, 0.08, 0.08, 0.08}',
                                     pg_temp.rnd(rec_id, 112), pg_temp.rnd(rec_id, 113)) END AS email,
       CASE WHEN pg_temp.rnd(rec_id, 107) < 0.55
            THEN CASE WHEN pg_temp.rnd(rec_id, 122) < 0.03 THEN prev_postcode ELSE postcode END END AS postcode,
       person_id AS truth
FROM v
ORDER BY silo_rank;
ALTER TABLE public.callcenter_contacts ADD PRIMARY KEY (contact_id);

-- review sites: a display name ("Jean-Pierre D.", "jp dupont", a handle ...),
-- sometimes an e-mail or a city

CREATE TABLE public.review_authors AS
WITH d AS (
	SELECT r.*,
	       pg_temp.noisy_name(given, family, nick, alias_family, pg_temp.rnd(rec_id, 101),
	                          '{0.02, 0.04, 0.04, 0.12, 0.12, 0.12, 0.17}',
	                          pg_temp.rnd(rec_id, 102), pg_temp.rnd(rec_id, 103)) AS nm,
	       pg_temp.rnd(rec_id, 104) AS r_kind
	FROM gen_rec_full r WHERE silo = 4
)
SELECT 'a' || lpad(to_hex((silo_rank * 2654435761) % 4294967296), 8, '0') AS author_id,
       CASE WHEN r_kind < 0.30 THEN nm[1] || ' ' || left(nm[2], 1) || '.'                  -- Jean-Pierre D.
            WHEN r_kind < 0.45 THEN lower(pg_temp.strip(CASE WHEN nm[1] ~ '[- ]' THEN pg_temp.initials(nm[1])
                                                             ELSE nm[1] END)) || ' ' || lower(nm[2]) -- jp dupont
            WHEN r_kind < 0.70 THEN nm[1] || ' ' || nm[2]                                   -- Jean-Pierre Dupont
            WHEN r_kind < 0.80 THEN nm[1]                                                   -- Jean-Pierre
            WHEN r_kind < 0.90 THEN left(nm[1], 1) || '. ' || nm[2]                         -- J. Dupont
            ELSE pg_temp.mailword(left(nm[1], 1) || replace(nm[2], ' ', '')) || to_char(birth_date, 'YY') -- jdupont75
       END AS display_name,
       CASE WHEN pg_temp.rnd(rec_id, 110) < 0.45
            THEN pg_temp.noisy_email(email, alt_email, pg_temp.rnd(rec_id, 111), '{0, 0.02, 0.02, 0.07, 0.17, 0.17, 0.17}',
                                     pg_temp.rnd(rec_id, 112), pg_temp.rnd(rec_id, 113)) END AS email,
       CASE WHEN pg_temp.rnd(rec_id, 107) < 0.50 THEN pg_temp.city_fr(city, postcode, pg_temp.rnd(rec_id, 123)) END AS city,
       person_id AS truth
FROM d
ORDER BY silo_rank;
ALTER TABLE public.review_authors ADD PRIMARY KEY (author_id);
------------------------------------------------------------------------------
-- the truth, as cu_identity_map names records

CREATE VIEW public.truth AS
SELECT 'public.shop_customers'::regclass AS source, customer_no::text AS source_id, truth AS person_id
FROM public.shop_customers
UNION ALL
SELECT 'public.web_accounts'::regclass, account_id::text, truth FROM public.web_accounts
UNION ALL
SELECT 'public.callcenter_contacts'::regclass, contact_id, truth FROM public.callcenter_contacts
UNION ALL
SELECT 'public.review_authors'::regclass, author_id, truth FROM public.review_authors;

CREATE INDEX ON public.shop_customers (truth);
CREATE INDEX ON public.web_accounts (truth);
CREATE INDEX ON public.callcenter_contacts (truth);
CREATE INDEX ON public.review_authors (truth);
VACUUM ANALYZE public.persons, public.shop_customers, public.web_accounts, public.callcenter_contacts,
	public.review_authors;

\pset footer off
SELECT s.silo, s.records, round(100.0 * s.records / sum(s.records) OVER (), 1) AS "%",
       (SELECT count(*) FROM public.persons) AS persons
FROM (SELECT 'shop_customers' AS silo, count(*) AS records, 1 AS ord FROM public.shop_customers
      UNION ALL SELECT 'web_accounts', count(*), 2 FROM public.web_accounts
      UNION ALL SELECT 'callcenter_contacts', count(*), 3 FROM public.callcenter_contacts
      UNION ALL SELECT 'review_authors', count(*), 4 FROM public.review_authors) AS s
ORDER BY s.ord;
\pset footer on
