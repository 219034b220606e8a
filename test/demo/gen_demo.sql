-- test/demo/gen_demo.sql: a seeded sample of four CRM silos holding the same
-- few thousand French and English customers, with their interactions and their
-- feedback texts, and the truth, for `make demo`.
--
--   psql -X -v ON_ERROR_STOP=1 -d demo -f test/demo/gen_demo.sql
--   psql -X -v ON_ERROR_STOP=1 -d demo -v people=3000 -v seed=0.42 -f test/demo/gen_demo.sql
--
-- (both variables optional; defaults 3000 and 0.42).  Plain PostgreSQL 15: it
-- calls nothing of customer_unify.  It drops the schemas shop, callcenter,
-- webshop, feedback and demo_truth (CASCADE) and creates:
--
--   shop.customers(customer_no, prenom, nom, mail, tel, date_naissance,
--                  adresse, cp, ville, updated_at)          60 % of the people
--       the shop's till: surnames often in capitals, accents sometimes
--       dropped, phones as typed, dates of birth as text 'DD/MM/YYYY', 30 %
--       without e-mail, placeholders ('n/a', 'inconnu', 'test@test.com',
--       '0000000000', '01/01/1900'); 5 % of the customers twice (the second
--       record older: old address, old number);
--   shop.tickets(ticket_no, customer_no, bought_at, store, amount)
--       0 to 6 purchases a shop record over the last 365 days;
--   callcenter.contacts(contact_id, full_name, phone, email, cp, updated_at)
--                                                           35 % of the people
--       the name as heard ("DUPONT Jean-Pierre", "Mme Frédérique Le Goff",
--       "jp dupont"), the number called from, seldom an e-mail; unhappy
--       customers call more;
--   callcenter.calls(call_id, contact_id, called_at, reason, notes, lang)
--       1 to 4 calls a contact over the last 365 days: a reason in English,
--       the advisor's note in the customer's language (NULL 30 %), its tone
--       following the customer's mood;
--   webshop.accounts(account_id, first_name, last_name, email, phone,
--                    birth_date, address, postcode, city, country, created_at,
--                    updated_at)                            50 % of the people
--       typed by the customers: an e-mail always, lower case, Gmail dots,
--       +tags, typos in the domain; 8 % with a second account (another
--       e-mail); the people in no silo at all get an account too;
--   webshop.orders(order_id, account_id, ordered_at, total, status)
--       0 to 8 orders an account over the last 365 days;
--   feedback.messages(message_id, author, email, channel, posted_at, lang,
--                     body, rating)                         45 % of the people
--       reviews, chats and e-mails, 1 to 5 a writer over the last 180 days:
--       the author as typed ("Jean-Pierre D.", "jp dupont", "jdupont75"),
--       an e-mail 60 % of the time, a text of 5 to 40 words in the person's
--       language (praise, complaints, questions; negations, intensifiers,
--       "2/5", emoji, "!!!", capitals), a rating (1-5, reviews only) that
--       agrees with the text;
--   demo_truth.records(source, source_id, person_id)
--       every record of the four identity silos (customers, contacts,
--       accounts, messages) and its true person.
--
-- The people: about 55 % French, 27 % British and 18 % American, in
-- households sharing an address and a landline (spouses, grown-up children);
-- French and English first names (about 160 and 140, with their accents) and
-- about 180 surnames, the common ones drawn most often (homonyms); French, British
-- and American towns with plausible postcodes and phone numbers.  Each person
-- has a mood: 60 % happy, 25 % mixed, 15 % unhappy; and 5 % turned unhappy
-- recently: two or three angry messages in the last 7 days (and a late order,
-- a complaint call), so that "the most unhappy customers of the week" exist.
--
-- The noise: typos, names spelt as heard, nicknames (Bob/Robert, JP/Jean-
-- Pierre, Kate/Catherine), first and last names swapped, particles glued (Le
-- Goff / LeGoff), maiden names, accents dropped, capitals; e-mail case, Gmail
-- dots, +tags, a second address, typos in the domain; a number in many
-- formats ('06 12 34 56 78', '+33612345678', '06.12.34.56.78', '+44 20 7946
-- 0958', '020 7946 0958', '(617) 555-0134'), a landline instead of a mobile,
-- an old number; dates of birth with day and month swapped or a wrong digit;
-- addresses written several ways, old addresses of people who moved; NULLs.
--
-- The same people and seed give the same rows: the seed (setseed) draws a
-- salt, and every draw is a hash of the salt, a stream number and the id of a
-- household, person, record or interaction (numbered in a fixed order), so
-- the result does not depend on the plan.  Timestamps are now() minus a drawn
-- offset: they move with the clock, their offsets do not.  Quiet (make demo
-- prints its own summary); about a second for 3000 people on two cores.

\if :{?people}
\else
\set people 3000
\endif
\if :{?seed}
\else
\set seed 0.42
\endif

\set gen_quiet_saved :QUIET
\set QUIET on
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 0;

BEGIN;

DROP SCHEMA IF EXISTS shop, callcenter, webshop, feedback, demo_truth CASCADE;

-- the salt of every draw, from the seed; the clock every timestamp is relative to
SELECT setseed(:seed) AS gen_ignore \gset
SELECT floor(random() * 1e12)::bigint AS gen_salt, floor(extract(epoch FROM now()))::bigint AS gen_now \gset

-- rnd(k, stream): a uniform draw in [0, 1), a pure function of (salt, stream, k)
SELECT format('CREATE FUNCTION pg_temp.rnd(k bigint, stream int) RETURNS float8 LANGUAGE sql IMMUTABLE AS %L',
	format('SELECT ((hashint8extended(k, %s + stream) >> 11) & 9007199254740991)::float8 / 9007199254740992',
	       :gen_salt)) \gexec
-- a timestamp s seconds before the clock
SELECT format('CREATE FUNCTION pg_temp.ago(s float8) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS %L',
	format('SELECT to_timestamp(%s - floor(s))', :gen_now)) \gexec

-- the noise functions, name lists and other pieces shared with
-- test/bench/gen_silos.sql (noisy_name, noisy_email, phone_fr, address_fr, name_list ...)
\ir ../bench/noise.sql

------------------------------------------------------------------------------
-- helpers

-- the first letter in capitals
CREATE FUNCTION pg_temp.cap(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT upper(left(s, 1)) || substr(s, 2)
$$;
-- one element of an array, drawn by r in [0, 1)
CREATE FUNCTION pg_temp.pick(a text[], r float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT a[1 + floor(r * cardinality(a))::int]
$$;
-- a text with its gender marks resolved: {e} the feminine ending, {eux} -eux/-euse, {C}/{c}
-- Client or Cliente, {il}/{Il} il/elle, {he}/{He} he/she
CREATE FUNCTION pg_temp.gendered(s text, gender text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN gender = 'F'
	            THEN replace(replace(replace(replace(replace(replace(replace(replace(s,
	                 '{e}', 'e'), '{eux}', 'euse'), '{C}', 'Cliente'), '{c}', 'cliente'),
	                 '{il}', 'elle'), '{Il}', 'Elle'), '{he}', 'she'), '{He}', 'She')
	            ELSE replace(replace(replace(replace(replace(replace(replace(replace(s,
	                 '{e}', ''), '{eux}', 'eux'), '{C}', 'Client'), '{c}', 'client'),
	                 '{il}', 'il'), '{Il}', 'Il'), '{he}', 'he'), '{He}', 'He')
	       END
$$;
-- the number of words
CREATE FUNCTION pg_temp.words(s text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN btrim(s) = '' THEN 0 ELSE cardinality(regexp_split_to_array(btrim(s), '\s+')) END
$$;
-- {given, family} as record k of a silo writes them (noisy_name with the cumulative
-- rates p): the nickname and the noise drawn from the record's streams s to s + 3
CREATE FUNCTION pg_temp.record_name(given text, family text, nicks text[], alias text, k bigint, s int, p float8[])
	RETURNS text[] LANGUAGE sql AS $$
	SELECT pg_temp.noisy_name(given, family, pg_temp.pick(nicks, pg_temp.rnd(k, s)), alias, pg_temp.rnd(k, s + 1), p,
	                          pg_temp.rnd(k, s + 2), pg_temp.rnd(k, s + 3))
$$;

-- a British national number (without its 0) in groups: 20 7946 0958, 161 496 0123, 7700 900123
CREATE FUNCTION pg_temp.uk_groups(n text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN n ~ '^2' THEN substr(n, 1, 2) || ' ' || substr(n, 3, 4) || ' ' || substr(n, 7)
		WHEN n ~ '^1(1\d|\d1)' THEN substr(n, 1, 3) || ' ' || substr(n, 4, 3) || ' ' || substr(n, 7)
		ELSE substr(n, 1, 4) || ' ' || substr(n, 5)
	END
$$;
-- a phone number in E.164 (French, British or American) written in one of six ways; as for
-- French numbers (phone_fr), 5 is the international form with spaces and 3 an odd one
CREATE FUNCTION pg_temp.phone_format(e164 text, fmt int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN e164 IS NULL THEN NULL
		WHEN e164 LIKE '+33%' THEN pg_temp.phone_fr(e164, fmt % 6)
		WHEN e164 LIKE '+44%' THEN CASE fmt % 6
			WHEN 0 THEN '0' || pg_temp.uk_groups(substr(e164, 4))                                -- 020 7946 0958
			WHEN 1 THEN e164                                                                     -- +442079460958
			WHEN 2 THEN '0' || substr(e164, 4)                                                   -- 02079460958
			WHEN 3 THEN '0044 ' || pg_temp.uk_groups(substr(e164, 4))                            -- 0044 20 7946 0958
			WHEN 4 THEN '+44 (0)' || pg_temp.uk_groups(substr(e164, 4))                          -- +44 (0)20 7946 0958
			ELSE '+44 ' || pg_temp.uk_groups(substr(e164, 4))                                    -- +44 20 7946 0958
			END
		ELSE CASE fmt % 6
			WHEN 0 THEN '(' || substr(e164, 3, 3) || ') ' || substr(e164, 6, 3) || '-' || substr(e164, 9)   -- (617) 555-0134
			WHEN 1 THEN e164                                                                                -- +16175550134
			WHEN 2 THEN substr(e164, 3, 3) || '-' || substr(e164, 6, 3) || '-' || substr(e164, 9)           -- 617-555-0134
			WHEN 3 THEN '1-' || substr(e164, 3, 3) || '-' || substr(e164, 6, 3) || '-' || substr(e164, 9)   -- 1-617-555-0134
			WHEN 4 THEN substr(e164, 3, 3) || '.' || substr(e164, 6, 3) || '.' || substr(e164, 9)           -- 617.555.0134
			ELSE '+1 ' || substr(e164, 3, 3) || ' ' || substr(e164, 6, 3) || ' ' || substr(e164, 9)        -- +1 617 555 0134
			END
	END
$$;
-- a mobile number in E.164 from a number x in [0, 10^8) unique to the person
CREATE FUNCTION pg_temp.mobile(x bigint, country text, area text, r float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE country
		WHEN 'FR' THEN pg_temp.mobile_fr(x, r)
		WHEN 'GB' THEN '+447' || substr('45789', 1 + floor(r * 5)::int, 1) || lpad(x::text, 8, '0')
		ELSE '+1' || area || (200 + (x / 10000) % 800)::text || lpad((x % 10000)::text, 4, '0')
	END
$$;

-- a street address written in one of several ways (v), with its complement half the time (r):
-- French as address_fr ('12 rue de la Paix', '12, r. de la paix' ...); British 'Flat 3, 12 Baker Street',
-- '12 Baker St'; American '1234 Oak Street, Apt 4B', '1234 Oak St.'
CREATE FUNCTION pg_temp.address(country text, num int, bis text, stype text, abbr text, street text, compl text,
                                v float8, r float8) RETURNS text LANGUAGE sql AS $$
	SELECT CASE WHEN country = 'FR' THEN pg_temp.address_fr(num, bis, stype, abbr, street, compl, v, r)
	ELSE
		CASE WHEN compl IS NOT NULL AND r < 0.5 AND country = 'GB' THEN compl || ', ' ELSE '' END
		|| CASE
			WHEN v < 0.50 THEN num || ' ' || street || ' ' || stype
			WHEN v < 0.70 THEN num || ' ' || street || ' ' || abbr
			WHEN v < 0.78 THEN upper(num || ' ' || street || ' ' || stype)
			WHEN v < 0.85 THEN lower(num || ' ' || street || ' ' || abbr)
			WHEN v < 0.93 AND country = 'GB' THEN num || ', ' || street || ' ' || stype
			WHEN v < 0.93 THEN num || ' ' || street || ' ' || abbr || '.'
			WHEN v < 0.97 THEN num || ' ' || street || ' ' || lower(stype)
			ELSE num || ' ' || pg_temp.typo(street, r, (v - 0.97) / 0.03) || ' ' || stype
		END
		|| CASE WHEN compl IS NOT NULL AND r < 0.5 AND country = 'US' THEN ', ' || compl ELSE '' END
	END
$$;

-- a town written in one of several ways (French ones as city_fr)
CREATE FUNCTION pg_temp.city_variant(country text, city text, state text, postcode text, v float8)
	RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN city IS NULL THEN NULL
		WHEN country = 'FR' THEN pg_temp.city_fr(city, postcode, v)
		WHEN country = 'GB' THEN CASE
			WHEN v < 0.60 THEN city
			WHEN v < 0.80 THEN upper(city)
			WHEN v < 0.87 THEN lower(city)
			WHEN v < 0.95 AND city = 'Newcastle upon Tyne' THEN 'Newcastle'
			WHEN v < 0.95 THEN city
			ELSE pg_temp.typo(city, v, 1 - v)
			END
		ELSE CASE
			WHEN v < 0.55 THEN city
			WHEN v < 0.70 THEN city || ', ' || state
			WHEN v < 0.85 THEN upper(city)
			WHEN v < 0.90 THEN lower(city)
			WHEN v < 0.96 THEN CASE city WHEN 'New York' THEN 'NYC' WHEN 'San Francisco' THEN 'SF'
			                             WHEN 'Los Angeles' THEN 'LA' WHEN 'Philadelphia' THEN 'Philly' ELSE city END
			ELSE city || ' ' || state
			END
	END
$$;

------------------------------------------------------------------------------
-- name lists: first names by language and gender, most common first;
-- nicknames; surnames by language, most common first.  The French first names
-- and surnames and the English surnames start with noise.sql's name_list
-- (shared with test/bench/gen_silos.sql); this script's own names follow.

CREATE TEMP TABLE gen_given(lang text, gender char, i int, name text, PRIMARY KEY (lang, gender, i));
INSERT INTO gen_given SELECT 'fr', 'M', i, name FROM unnest(pg_temp.name_list('fr.given.M') || ARRAY[
	'Mickaël', 'Grégory', 'Fabrice', 'Franck', 'Yves', 'Gilles', 'Marcel', 'Roger', 'André', 'Clément', 'Adrien',
	'Baptiste', 'Quentin', 'Florian', 'Kévin', 'Enzo', 'Mathéo', 'Léo', 'Nathan', 'Benjamin', 'Valentin', 'Gaëtan',
	'Aurélien', 'Jérémy', 'Joël', 'Lionel', 'Anthony']) WITH ORDINALITY AS u(name, i);
INSERT INTO gen_given SELECT 'fr', 'F', i, name FROM unnest(pg_temp.name_list('fr.given.F') || ARRAY[
	'Corinne', 'Karine', 'Laurence', 'Virginie', 'Delphine', 'Florence', 'Caroline', 'Audrey', 'Mélanie', 'Élise',
	'Lucie', 'Juliette', 'Charlotte', 'Sarah', 'Noémie', 'Maëlle', 'Héloïse', 'Bérénice', 'Solène', 'Annick',
	'Ginette', 'Odette', 'Geneviève', 'Thérèse']) WITH ORDINALITY AS u(name, i);
INSERT INTO gen_given SELECT 'en', 'M', i, name FROM unnest(ARRAY[
	'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles',
	'Christopher', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Paul', 'Andrew', 'Joshua',
	'Kenneth', 'Kevin', 'Brian', 'George', 'Timothy', 'Ronald', 'Edward', 'Jason', 'Jeffrey', 'Ryan', 'Jacob',
	'Gary', 'Nicholas', 'Eric', 'Jonathan', 'Stephen', 'Larry', 'Justin', 'Scott', 'Brandon', 'Benjamin',
	'Samuel', 'Gregory', 'Alexander', 'Patrick', 'Frank', 'Raymond', 'Jack', 'Dennis', 'Jerry', 'Tyler', 'Aaron',
	'Henry', 'Oliver', 'Harry', 'Ethan', 'Nathan', 'Liam', 'Noah', 'Owen', 'Connor', 'Callum', 'Rhys', 'Gareth',
	'Ian', 'Graham', 'Neil', 'Stuart', 'Declan', 'Seán', 'Noël', 'Éamonn']) WITH ORDINALITY AS u(name, i);
INSERT INTO gen_given SELECT 'en', 'F', i, name FROM unnest(ARRAY[
	'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Lisa',
	'Nancy', 'Betty', 'Margaret', 'Sandra', 'Ashley', 'Kimberly', 'Emily', 'Donna', 'Michelle', 'Carol', 'Amanda',
	'Dorothy', 'Melissa', 'Deborah', 'Stephanie', 'Rebecca', 'Sharon', 'Laura', 'Cynthia', 'Kathleen', 'Amy',
	'Angela', 'Helen', 'Anna', 'Brenda', 'Pamela', 'Emma', 'Nicole', 'Samantha', 'Katherine', 'Christine',
	'Debra', 'Rachel', 'Catherine', 'Carolyn', 'Janet', 'Ruth', 'Maria', 'Heather', 'Olivia', 'Sophia',
	'Charlotte', 'Amelia', 'Megan', 'Hannah', 'Victoria', 'Lauren', 'Abigail', 'Chloe', 'Grace', 'Lucy', 'Zoë',
	'Siobhán', 'Niamh', 'Renée', 'Chloë', 'Aoife']) WITH ORDINALITY AS u(name, i);

CREATE TEMP TABLE gen_nick(name text PRIMARY KEY, nicks text[]);
INSERT INTO gen_nick SELECT * FROM pg_temp.nick_list();
INSERT INTO gen_nick VALUES
	('James', '{Jim,Jimmy,Jamie}'), ('Richard', '{Rick,Rich,Dick}'), ('Stephen', '{Steve}'),
	('Nicholas', '{Nick}'), ('Jonathan', '{Jon}'), ('Alexander', '{Alex}'), ('Joseph', '{Joe}'),
	('Gregory', '{Greg}'), ('Jeffrey', '{Jeff}'), ('Donald', '{Don}'), ('Ronald', '{Ron,Ronnie}'),
	('Daniel', '{Dan,Danny}'), ('Raymond', '{Ray}'), ('Patrick', '{Pat,Paddy}'),
	('Catherine', '{Cathy,Kate,Cath}'), ('Katherine', '{Kate,Katie,Kathy}'), ('Patricia', '{Pat,Trish,Patty}'),
	('Samantha', '{Sam}'), ('Deborah', '{Debbie,Deb}'), ('Kimberly', '{Kim}'), ('Pamela', '{Pam}'),
	('Amanda', '{Mandy}'), ('Dorothy', '{Dot,Dottie}'), ('Christine', '{Chris,Chrissie}'),
	('Alexandra', '{Alex}'), ('Caroline', '{Caro}'), ('Aurélie', '{Aurél}');

CREATE TEMP TABLE gen_family(lang text, i int, name text, PRIMARY KEY (lang, i));
INSERT INTO gen_family SELECT 'fr', i, name FROM unnest(pg_temp.name_list('fr.family') || ARRAY[
	'de la Fontaine', 'Le Bihan', 'Lebrun', 'Hébert', 'Pelletier', 'Benoît', 'Caron', 'Lévêque', 'Bouvier',
	'Deschamps', 'Prévost', 'Carré', 'Da Silva', 'Chauvin', 'Aubert', 'Giraud', 'Le Roux', 'Kerjean',
	'd''Arcy', 'Bréhat']) WITH ORDINALITY AS u(name, i);
INSERT INTO gen_family SELECT 'en', i, name FROM unnest(pg_temp.name_list('en.family') || ARRAY[
	'O''Connor', 'MacLeod', 'Hughes', 'Clarke', 'Hall', 'Lewis', 'Robinson', 'Wood', 'Turner', 'Kelly', 'Ward',
	'Watson', 'Bennett', 'Gray', 'Price', 'Russell', 'Fitzgerald', 'Sullivan', 'Foster', 'Howard', 'Brooks',
	'Lloyd', 'Griffiths', 'Owen', 'Ellis', 'Connor', 'Van der Berg', 'St. John']) WITH ORDINALITY AS u(name, i);

------------------------------------------------------------------------------
-- places: towns by country (weight, postcodes, phone area), street names and kinds

CREATE TEMP TABLE gen_city(country text, i int, city text, state text, cp_base int, cp_count int,
                           cp_prefixes text[], area text, weight int, PRIMARY KEY (country, i));
INSERT INTO gen_city
SELECT country, row_number() OVER (PARTITION BY country ORDER BY ord), city, state, cp_base, cp_count,
       cp_prefixes::text[], area, weight
FROM (VALUES
	(1, 'FR', 'Paris', NULL, 75001, 20, NULL, '1', 30), (2, 'FR', 'Lyon', NULL, 69001, 9, NULL, '4', 12),
	(3, 'FR', 'Marseille', NULL, 13001, 16, NULL, '4', 10), (4, 'FR', 'Lille', NULL, 59000, 1, NULL, '3', 8),
	(5, 'FR', 'Nantes', NULL, 44000, 1, NULL, '2', 8), (6, 'FR', 'Bordeaux', NULL, 33000, 1, NULL, '5', 8),
	(7, 'FR', 'Toulouse', NULL, 31000, 1, NULL, '5', 8), (8, 'FR', 'Brest', NULL, 29200, 1, NULL, '2', 4),
	(9, 'FR', 'Rennes', NULL, 35000, 1, NULL, '2', 6), (10, 'FR', 'Strasbourg', NULL, 67000, 1, NULL, '3', 6),
	(11, 'FR', 'Montpellier', NULL, 34000, 1, NULL, '4', 6), (12, 'FR', 'Nice', NULL, 6000, 1, NULL, '4', 6),
	(13, 'FR', 'Grenoble', NULL, 38000, 1, NULL, '4', 4), (14, 'FR', 'Saint-Étienne', NULL, 42000, 1, NULL, '4', 4),
	(15, 'FR', 'Le Havre', NULL, 76600, 1, NULL, '2', 3), (16, 'FR', 'Dijon', NULL, 21000, 1, NULL, '3', 3),
	(17, 'FR', 'Angers', NULL, 49000, 1, NULL, '2', 3), (18, 'FR', 'Nîmes', NULL, 30000, 1, NULL, '4', 3),
	(19, 'FR', 'Clermont-Ferrand', NULL, 63000, 1, NULL, '4', 3),
	(20, 'FR', 'Aix-en-Provence', NULL, 13100, 1, NULL, '4', 3), (21, 'FR', 'Tours', NULL, 37000, 1, NULL, '2', 3),
	(22, 'FR', 'Besançon', NULL, 25000, 1, NULL, '3', 2), (23, 'FR', 'Orléans', NULL, 45000, 1, NULL, '2', 2),
	(24, 'FR', 'Rouen', NULL, 76000, 1, NULL, '2', 3), (25, 'FR', 'Caen', NULL, 14000, 1, NULL, '2', 2),
	(26, 'FR', 'Quimper', NULL, 29000, 1, NULL, '2', 2), (27, 'FR', 'Lorient', NULL, 56100, 1, NULL, '2', 2),
	(28, 'FR', 'Vannes', NULL, 56000, 1, NULL, '2', 1), (29, 'FR', 'Créteil', NULL, 94000, 1, NULL, '1', 2),
	(30, 'FR', 'Boulogne-Billancourt', NULL, 92100, 1, NULL, '1', 2),
	(31, 'FR', 'Versailles', NULL, 78000, 1, NULL, '1', 2), (32, 'FR', 'Annecy', NULL, 74000, 1, NULL, '4', 2),
	(33, 'FR', 'La Rochelle', NULL, 17000, 1, NULL, '5', 2), (34, 'FR', 'Pau', NULL, 64000, 1, NULL, '5', 1),
	(35, 'FR', 'Bourg-en-Bresse', NULL, 1000, 1, NULL, '4', 1),
	(36, 'FR', 'Saint-Quentin', NULL, 2100, 1, NULL, '3', 1),
	(37, 'FR', 'Évry-Courcouronnes', NULL, 91000, 1, NULL, '1', 1),
	(38, 'FR', 'L''Haÿ-les-Roses', NULL, 94240, 1, NULL, '1', 1), (39, 'FR', 'Saint-Malo', NULL, 35400, 1, NULL, '2', 1),
	(40, 'FR', 'Chambéry', NULL, 73000, 1, NULL, '4', 1),
	(1, 'GB', 'London', NULL, 1, 20, '{SW,SE,N,E,W,NW}', '20', 30),
	(2, 'GB', 'Manchester', NULL, 1, 20, '{M}', '161', 8), (3, 'GB', 'Birmingham', NULL, 1, 30, '{B}', '121', 8),
	(4, 'GB', 'Leeds', NULL, 1, 17, '{LS}', '113', 5), (5, 'GB', 'Glasgow', NULL, 1, 40, '{G}', '141', 5),
	(6, 'GB', 'Edinburgh', NULL, 1, 17, '{EH}', '131', 4), (7, 'GB', 'Bristol', NULL, 1, 16, '{BS}', '117', 4),
	(8, 'GB', 'Liverpool', NULL, 1, 25, '{L}', '151', 4), (9, 'GB', 'Cardiff', NULL, 10, 15, '{CF}', '29', 3),
	(10, 'GB', 'Sheffield', NULL, 1, 20, '{S}', '114', 3),
	(11, 'GB', 'Newcastle upon Tyne', NULL, 1, 15, '{NE}', '191', 3),
	(12, 'GB', 'Nottingham', NULL, 1, 11, '{NG}', '115', 3), (13, 'GB', 'Oxford', NULL, 1, 4, '{OX}', '1865', 2),
	(14, 'GB', 'Cambridge', NULL, 1, 5, '{CB}', '1223', 2), (15, 'GB', 'Brighton', NULL, 1, 3, '{BN}', '1273', 2),
	(16, 'GB', 'Belfast', NULL, 1, 17, '{BT}', '28', 2), (17, 'GB', 'York', NULL, 1, 32, '{YO}', '1904', 1),
	(1, 'US', 'New York', 'NY', 10001, 40, NULL, '212', 10), (2, 'US', 'Los Angeles', 'CA', 90001, 60, NULL, '213', 6),
	(3, 'US', 'Chicago', 'IL', 60601, 60, NULL, '312', 6), (4, 'US', 'Houston', 'TX', 77002, 50, NULL, '713', 4),
	(5, 'US', 'Boston', 'MA', 2108, 28, NULL, '617', 5), (6, 'US', 'Seattle', 'WA', 98101, 20, NULL, '206', 4),
	(7, 'US', 'San Francisco', 'CA', 94102, 30, NULL, '415', 4), (8, 'US', 'Austin', 'TX', 78701, 50, NULL, '512', 3),
	(9, 'US', 'Denver', 'CO', 80202, 30, NULL, '303', 3), (10, 'US', 'Portland', 'OR', 97201, 30, NULL, '503', 2),
	(11, 'US', 'Philadelphia', 'PA', 19102, 50, NULL, '215', 3), (12, 'US', 'Miami', 'FL', 33125, 40, NULL, '305', 3)
	) AS c(ord, country, city, state, cp_base, cp_count, cp_prefixes, area, weight);
-- one slot per unit of weight: a uniform slot is a town drawn by size
CREATE TEMP TABLE gen_city_slot AS
SELECT c.country, row_number() OVER (PARTITION BY c.country ORDER BY c.i, s) AS slot, c.i AS city_i
FROM gen_city c CROSS JOIN LATERAL generate_series(1, c.weight) AS s;
ALTER TABLE gen_city_slot ADD PRIMARY KEY (country, slot);

CREATE TEMP TABLE gen_stype(country text, slot int, stype text, abbr text, PRIMARY KEY (country, slot));
INSERT INTO gen_stype
SELECT t.country, row_number() OVER (PARTITION BY t.country ORDER BY t.ord, s), t.stype, t.abbr
FROM (VALUES ('FR', 1, 'rue', 'r.', 11), ('FR', 2, 'avenue', 'av.', 3), ('FR', 3, 'boulevard', 'bd', 2),
             ('FR', 4, 'place', 'pl.', 1), ('FR', 5, 'chemin', 'ch.', 1), ('FR', 6, 'allée', 'all.', 1),
             ('FR', 7, 'impasse', 'imp.', 1), ('FR', 8, 'route', 'rte', 1), ('FR', 9, 'quai', 'q.', 1),
             ('GB', 1, 'Road', 'Rd', 4), ('GB', 2, 'Street', 'St', 4), ('GB', 3, 'Lane', 'Ln', 2),
             ('GB', 4, 'Avenue', 'Ave', 1), ('GB', 5, 'Close', 'Cl', 1), ('GB', 6, 'Drive', 'Dr', 1),
             ('GB', 7, 'Gardens', 'Gdns', 1), ('GB', 8, 'Crescent', 'Cres', 1), ('GB', 9, 'Way', 'Wy', 1),
             ('US', 1, 'Street', 'St', 4), ('US', 2, 'Avenue', 'Ave', 3), ('US', 3, 'Drive', 'Dr', 2),
             ('US', 4, 'Road', 'Rd', 1), ('US', 5, 'Lane', 'Ln', 1), ('US', 6, 'Boulevard', 'Blvd', 1),
             ('US', 7, 'Court', 'Ct', 1), ('US', 8, 'Place', 'Pl', 1)) AS t(country, ord, stype, abbr, weight)
CROSS JOIN LATERAL generate_series(1, t.weight) AS s;

CREATE TEMP TABLE gen_street(country text, i int, name text, PRIMARY KEY (country, i));
INSERT INTO gen_street SELECT 'FR', i, name FROM unnest(pg_temp.name_list('fr.street')) WITH ORDINALITY AS u(name, i);
INSERT INTO gen_street SELECT 'GB', i, name FROM unnest(ARRAY[
	'High', 'Station', 'Church', 'Victoria', 'Park', 'Manor', 'Kings', 'Queens', 'Mill', 'Albert', 'Baker',
	'Grange', 'Windsor', 'Springfield', 'Willow', 'Chester', 'York', 'New', 'Green', 'School', 'North',
	'Orchard', 'Beech', 'Meadow', 'Cedar', 'St John''s', 'Highfield', 'Richmond', 'London', 'Alexandra'])
	WITH ORDINALITY AS u(name, i);
INSERT INTO gen_street SELECT 'US', i, name FROM unnest(ARRAY[
	'Oak', 'Maple', 'Pine', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Main', 'Park', 'Sunset', 'Lincoln',
	'Madison', 'Jefferson', 'Second', 'Third', 'Fifth', 'Franklin', 'Highland', 'Spring', 'Walnut', 'Chestnut',
	'Ridge', 'Church', 'Mill', 'River', 'Market', 'Adams', 'Jackson', 'Cherry']) WITH ORDINALITY AS u(name, i);

-- how many of each, for uniform draws
CREATE TEMP TABLE gen_count(what text, key text, n int, PRIMARY KEY (what, key));
INSERT INTO gen_count
SELECT 'given', lang || gender, count(*) FROM gen_given GROUP BY lang, gender
UNION ALL SELECT 'family', lang, count(*) FROM gen_family GROUP BY lang
UNION ALL SELECT 'city', country, count(*) FROM gen_city_slot GROUP BY country
UNION ALL SELECT 'stype', country, count(*) FROM gen_stype GROUP BY country
UNION ALL SELECT 'street', country, count(*) FROM gen_street GROUP BY country;

------------------------------------------------------------------------------
-- households: country, size, address, landline, head's name and birth date

-- enough households for the people (1.53 persons a household on average; a margin)
SELECT ceil(:people / 1.35)::int + 20 AS gen_n_households \gset

CREATE TEMP TABLE gen_household AS
WITH h AS (
	SELECT h AS household_id,
	       CASE WHEN pg_temp.rnd(h, 1) < 0.62 THEN 1 WHEN pg_temp.rnd(h, 1) < 0.88 THEN 2
	            WHEN pg_temp.rnd(h, 1) < 0.97 THEN 3 ELSE 4 END AS size,
	       CASE WHEN pg_temp.rnd(h, 2) < 0.55 THEN 'FR' WHEN pg_temp.rnd(h, 2) < 0.82 THEN 'GB' ELSE 'US' END AS country,
	       CASE WHEN pg_temp.rnd(h, 3) < 0.5 THEN 'F' ELSE 'M' END AS head_gender,
	       pg_temp.rnd(h, 4) AS r_given,
	       pg_temp.rnd(h, 5) < 0.04 AS foreign_name,
	       pg_temp.rnd(h, 6) AS r_family,
	       date '1940-01-01' + floor(pg_temp.rnd(h, 7) * 22000)::int AS head_birth,
	       pg_temp.rnd(h, 8) AS r_num,
	       CASE WHEN pg_temp.rnd(h, 9) < 0.04 THEN CASE WHEN pg_temp.rnd(h, 10) < 0.7 THEN 'bis' ELSE 'ter' END END AS bis,
	       pg_temp.rnd(h, 11) AS r_stype, pg_temp.rnd(h, 12) AS r_street, pg_temp.rnd(h, 13) AS r_city,
	       pg_temp.rnd(h, 14) AS r_cp1, pg_temp.rnd(h, 15) AS r_cp2, pg_temp.rnd(h, 16) AS r_cp3,
	       pg_temp.rnd(h, 17) AS r_cp4,
	       pg_temp.rnd(h, 18) < 0.10 AS has_compl, pg_temp.rnd(h, 19) AS r_compl, pg_temp.rnd(h, 20) AS r_compl2,
	       pg_temp.rnd(h, 21) AS r_landline, pg_temp.rnd(h, 22) AS r_landline_digit,
	       pg_temp.rnd(h, 23) AS r_shared_email,
	       pg_temp.rnd(h, 24) < 0.7 AS spouse_takes_name
	FROM generate_series(1, :gen_n_households) AS h
), x AS (
	SELECT h.*, CASE WHEN country = 'FR' THEN 'fr' ELSE 'en' END AS lang,
	       CASE WHEN (country = 'FR') <> foreign_name THEN 'fr' ELSE 'en' END AS family_lang
	FROM h
), l AS MATERIALIZED (
	-- the indexes drawn in each list (the most common names most often)
	SELECT x.*,
	       1 + floor(power(x.r_given, 1.6)
	                 * (SELECT n FROM gen_count WHERE what = 'given' AND key = x.lang || x.head_gender))::int AS head_given_i,
	       1 + floor(power(x.r_family, 1.5)
	                 * (SELECT n FROM gen_count WHERE what = 'family' AND key = x.family_lang))::int AS head_family_i,
	       1 + floor(x.r_city * (SELECT n FROM gen_count WHERE what = 'city' AND key = x.country))::int AS city_slot,
	       1 + floor(x.r_stype * (SELECT n FROM gen_count WHERE what = 'stype' AND key = x.country))::int AS stype_slot,
	       1 + floor(x.r_street * (SELECT n FROM gen_count WHERE what = 'street' AND key = x.country))::int AS street_i
	FROM x
)
SELECT l.household_id, l.size, l.country, l.lang, l.head_gender, l.head_birth, l.spouse_takes_name,
       l.head_given_i, l.family_lang, l.head_family_i,
       CASE l.country WHEN 'FR' THEN 1 + floor(power(l.r_num, 2) * 180)::int
                      WHEN 'GB' THEN 1 + floor(power(l.r_num, 2) * 220)::int
                      ELSE 100 + floor(l.r_num * 9800)::int END AS num,
       CASE WHEN l.country = 'FR' THEN l.bis END AS bis,
       t.stype, t.abbr, s.name AS street,
       CASE WHEN l.has_compl THEN CASE l.country
            WHEN 'FR' THEN CASE WHEN l.r_compl < 0.6 THEN 'Apt ' || (1 + floor(l.r_compl2 * 60))::int
                                ELSE 'Bât ' || chr(65 + floor(l.r_compl2 * 6)::int) END
            WHEN 'GB' THEN 'Flat ' || (1 + floor(l.r_compl2 * 24))::int || CASE WHEN l.r_compl < 0.2 THEN 'B' ELSE '' END
            ELSE CASE WHEN l.r_compl < 0.5 THEN 'Apt ' || (1 + floor(l.r_compl2 * 12))::int || chr(65 + floor(l.r_compl * 8)::int)
                      WHEN l.r_compl < 0.8 THEN 'Unit ' || (1 + floor(l.r_compl2 * 40))::int
                      ELSE '#' || (100 + floor(l.r_compl2 * 400))::int END
            END END AS compl,
       c.city, c.state,
       CASE l.country
            WHEN 'FR' THEN lpad((c.cp_base + floor(l.r_cp1 * c.cp_count))::int::text, 5, '0')
            WHEN 'GB' THEN pg_temp.pick(c.cp_prefixes, l.r_cp2) || (c.cp_base + floor(l.r_cp1 * c.cp_count))::int
                           || ' ' || floor(l.r_cp3 * 10)::int
                           || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + floor(l.r_cp4 * 20)::int, 1)
                           || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + floor(l.r_cp2 * 400)::int % 20, 1)
            ELSE lpad((c.cp_base + floor(l.r_cp1 * c.cp_count))::int::text, 5, '0')
       END AS postcode,
       c.area,
       -- landlines: unique to the household within an area code
       CASE WHEN l.r_landline < CASE WHEN l.size > 1 THEN 0.55 ELSE 0.25 END THEN CASE l.country
            WHEN 'FR' THEN '+33' || c.area || substr('1234578', 1 + floor(l.r_landline_digit * 7)::int, 1)
                           || lpad(((l.household_id::bigint * 7393913 + :gen_salt % 10000000) % 10000000)::text, 7, '0')
            WHEN 'GB' THEN '+44' || c.area || (2 + floor(l.r_landline_digit * 7)::int)::text
                           || lpad(((l.household_id::bigint * 7393913 + :gen_salt % 10000000)
                                    % (10 ^ (9 - length(c.area)))::bigint)::text, 9 - length(c.area), '0')
            ELSE '+1' || c.area || (200 + floor(l.r_landline_digit * 800)::int)::text
                 || lpad(((l.household_id::bigint * 7393913 + :gen_salt % 10000) % 10000)::text, 4, '0')
            END END AS landline,
       l.size > 1 AND l.r_shared_email < 0.05 AS shared_email,
       row_number() OVER (PARTITION BY l.country ORDER BY l.household_id) AS country_rank
FROM l
JOIN gen_city_slot cs ON cs.country = l.country AND cs.slot = l.city_slot
JOIN gen_city c ON c.country = l.country AND c.i = cs.city_i
JOIN gen_stype t ON t.country = l.country AND t.slot = l.stype_slot
JOIN gen_street s ON s.country = l.country AND s.i = l.street_i;
ALTER TABLE gen_household ADD PRIMARY KEY (household_id);
CREATE UNIQUE INDEX ON gen_household (country, country_rank);
INSERT INTO gen_count SELECT 'household', country, count(*) FROM gen_household GROUP BY country;

------------------------------------------------------------------------------
-- people: member 1 heads the household, member 2 is a spouse (of the other
-- sex nine times in ten), 3 and 4 are grown-up children (one in seven of the
-- head's sex bears the head's first name); their mood; which silos know them

CREATE TEMP TABLE gen_person AS
WITH m AS (
	SELECT row_number() OVER (ORDER BY h.household_id, m.member) AS person_id, m.member, h.*
	FROM gen_household h CROSS JOIN LATERAL generate_series(1, h.size) AS m(member)
), g AS MATERIALIZED (
	SELECT m.*,
	       CASE WHEN member = 1 THEN head_gender
	            WHEN member = 2 THEN CASE WHEN pg_temp.rnd(person_id, 50) < 0.9
	                                      THEN CASE head_gender WHEN 'M' THEN 'F' ELSE 'M' END ELSE head_gender END
	            ELSE CASE WHEN pg_temp.rnd(person_id, 50) < 0.5 THEN 'F' ELSE 'M' END END AS gender,
	       CASE WHEN pg_temp.rnd(person_id, 53) < 0.04 THEN CASE lang WHEN 'fr' THEN 'en' ELSE 'fr' END
	            ELSE lang END AS own_family_lang
	FROM m
	WHERE person_id <= :people
), a AS MATERIALIZED (
	SELECT g.*,
	       CASE WHEN member = 1 THEN head_given_i
	            WHEN member >= 3 AND gender = head_gender AND pg_temp.rnd(person_id, 51) < 0.15 THEN head_given_i
	            ELSE 1 + floor(power(pg_temp.rnd(person_id, 52), 1.6) * gn.n)::int
	       END AS given_i,
	       1 + floor(power(pg_temp.rnd(person_id, 54), 1.5) * fn.n)::int AS own_family_i,
	       pg_temp.member_birth(member, head_birth, pg_temp.rnd(person_id, 55), pg_temp.rnd(person_id, 56)) AS birth_date,
	       -- two numbers unique to the person in [0, 10^8): its mobile and an old one
	       (2 * person_id * 73939133 + :gen_salt % 100000000) % 100000000 AS x_mobile,
	       ((2 * person_id + 1) * 73939133 + :gen_salt % 100000000) % 100000000 AS x_old,
	       pg_temp.rnd(person_id, 57) < CASE WHEN member >= 3 THEN 0.95 ELSE 0.86 END AS has_mobile,
	       CASE WHEN pg_temp.rnd(person_id, 60) < 0.60 THEN 'happy'
	            WHEN pg_temp.rnd(person_id, 60) < 0.85 THEN 'mixed' ELSE 'unhappy' END AS mood,
	       pg_temp.rnd(person_id, 61) < 0.05 AS turned
	FROM g
	JOIN gen_count gn ON gn.what = 'given' AND gn.key = g.lang || g.gender
	JOIN gen_count fn ON fn.what = 'family' AND fn.key = g.own_family_lang
), f AS MATERIALIZED (
	SELECT a.*,
	       -- a wife takes her husband's name seven times in ten; her other name is her maiden name,
	       -- or the married name she did not take
	       CASE WHEN member = 2 AND NOT (gender = 'F' AND spouse_takes_name) THEN own_family_lang ELSE family_lang END
	         AS f_lang,
	       CASE WHEN member = 2 AND NOT (gender = 'F' AND spouse_takes_name) THEN own_family_i ELSE head_family_i END
	         AS f_i,
	       CASE WHEN member = 2 AND gender = 'F' THEN
	            CASE WHEN spouse_takes_name THEN own_family_lang WHEN head_gender = 'M' THEN family_lang END END AS al_lang,
	       CASE WHEN member = 2 AND gender = 'F' THEN
	            CASE WHEN spouse_takes_name THEN own_family_i WHEN head_gender = 'M' THEN head_family_i END END AS al_i
	FROM a
)
SELECT f.person_id, f.household_id, f.member, f.country, f.lang, f.gender, gg.name AS given, fa.name AS family,
       al.name AS alias_family, k.nicks, f.birth_date,
       f.num, f.bis, f.stype, f.abbr, f.street, f.compl, f.postcode, f.city, f.state, f.area, f.landline,
       CASE WHEN f.has_mobile THEN pg_temp.mobile(f.x_mobile, f.country, f.area, pg_temp.rnd(f.person_id, 58)) END AS mobile,
       pg_temp.mobile(f.x_old, f.country, f.area, pg_temp.rnd(f.person_id, 59)) AS old_mobile,
       f.shared_email, f.mood, f.turned,
       -- where they lived before: another household's address in the same country
       1 + floor(pg_temp.rnd(f.person_id, 62) * hn.n)::int AS prev_rank,
       -- the silos: 60 % at the shop (5 % of them twice), 35 % at the call centre (the unhappy more),
       -- 50 % at the web shop (8 % of them twice), 45 % write (all those who turned unhappy)
       CASE WHEN pg_temp.rnd(f.person_id, 63) >= 0.60 THEN 0 WHEN pg_temp.rnd(f.person_id, 64) < 0.05 THEN 2 ELSE 1 END
         AS shop_n,
       CASE WHEN pg_temp.rnd(f.person_id, 65) < CASE f.mood WHEN 'happy' THEN 0.30 WHEN 'mixed' THEN 0.38 ELSE 0.50 END
                 OR (f.turned AND pg_temp.rnd(f.person_id, 65) < 0.6)
            THEN 1 ELSE 0 END AS cc_n,
       CASE WHEN pg_temp.rnd(f.person_id, 66) >= 0.50 THEN 0 WHEN pg_temp.rnd(f.person_id, 67) < 0.08 THEN 2 ELSE 1 END
         AS web_n,
       CASE WHEN f.turned THEN (ARRAY[0, 0, 1, 1, 2])[1 + floor(pg_temp.rnd(f.person_id, 69) * 5)::int]
            WHEN pg_temp.rnd(f.person_id, 68) >= 0.42 THEN 0
            ELSE width_bucket(pg_temp.rnd(f.person_id, 69), ARRAY[0, 0.45, 0.72, 0.86, 0.94]::float8[]) END AS msg_n,
       CASE WHEN f.turned THEN 2 + (pg_temp.rnd(f.person_id, 70) < 0.4)::int ELSE 0 END AS angry_n,
       pg_temp.rnd(f.person_id, 71) AS r_display
FROM f
JOIN gen_given gg ON gg.lang = f.lang AND gg.gender = f.gender AND gg.i = f.given_i
JOIN gen_family fa ON fa.lang = f.f_lang AND fa.i = f.f_i
LEFT JOIN gen_family al ON al.lang = f.al_lang AND al.i = f.al_i
LEFT JOIN gen_nick k ON k.name = gg.name
JOIN gen_count hn ON hn.what = 'household' AND hn.key = f.country;
ALTER TABLE gen_person ADD PRIMARY KEY (person_id);
-- those no silo knows get a web account
UPDATE gen_person SET web_n = 1 WHERE shop_n + cc_n + web_n + msg_n + angry_n = 0;

------------------------------------------------------------------------------
-- e-mail addresses: a main one (9 in 10 people; a family address shared by
-- the household for 1 in 20 households of several), and another one (old
-- provider or second address) for everybody.  Unique, counting Gmail's
-- ignored dots: a taken address gets a number.

CREATE TEMP TABLE gen_domain(country text, kind int, slot int, domain text, PRIMARY KEY (country, kind, slot));
INSERT INTO gen_domain
SELECT d.country, d.kind, row_number() OVER (PARTITION BY d.country, d.kind ORDER BY d.ord, s), d.domain
FROM (VALUES ('FR', 1, 1, 'gmail.com', 35), ('FR', 1, 2, 'orange.fr', 12), ('FR', 1, 3, 'hotmail.fr', 8),
             ('FR', 1, 4, 'yahoo.fr', 7), ('FR', 1, 5, 'free.fr', 7), ('FR', 1, 6, 'laposte.net', 5),
             ('FR', 1, 7, 'outlook.fr', 4), ('FR', 1, 8, 'sfr.fr', 4), ('FR', 1, 9, 'icloud.com', 3),
             ('FR', 1, 10, 'live.fr', 2),
             ('FR', 2, 1, 'wanadoo.fr', 8), ('FR', 2, 2, 'hotmail.fr', 6), ('FR', 2, 3, 'gmail.com', 6),
             ('FR', 2, 4, 'free.fr', 3), ('FR', 2, 5, 'neuf.fr', 3), ('FR', 2, 6, 'club-internet.fr', 2),
             ('FR', 2, 7, 'yahoo.fr', 3),
             ('GB', 1, 1, 'gmail.com', 35), ('GB', 1, 2, 'hotmail.co.uk', 12), ('GB', 1, 3, 'yahoo.co.uk', 8),
             ('GB', 1, 4, 'outlook.com', 8), ('GB', 1, 5, 'btinternet.com', 8), ('GB', 1, 6, 'icloud.com', 5),
             ('GB', 1, 7, 'sky.com', 4), ('GB', 1, 8, 'live.co.uk', 3),
             ('GB', 2, 1, 'gmail.com', 5), ('GB', 2, 2, 'hotmail.co.uk', 4), ('GB', 2, 3, 'aol.co.uk', 2),
             ('GB', 2, 4, 'ntlworld.com', 2), ('GB', 2, 5, 'yahoo.co.uk', 3), ('GB', 2, 6, 'tiscali.co.uk', 2),
             ('US', 1, 1, 'gmail.com', 40), ('US', 1, 2, 'yahoo.com', 12), ('US', 1, 3, 'outlook.com', 8),
             ('US', 1, 4, 'hotmail.com', 8), ('US', 1, 5, 'icloud.com', 7), ('US', 1, 6, 'aol.com', 4),
             ('US', 1, 7, 'comcast.net', 4), ('US', 1, 8, 'msn.com', 2),
             ('US', 2, 1, 'gmail.com', 5), ('US', 2, 2, 'yahoo.com', 4), ('US', 2, 3, 'aol.com', 3),
             ('US', 2, 4, 'hotmail.com', 3), ('US', 2, 5, 'verizon.net', 2), ('US', 2, 6, 'att.net', 2)
	) AS d(country, kind, ord, domain, weight)
CROSS JOIN LATERAL generate_series(1, d.weight) AS s;
INSERT INTO gen_count SELECT 'domain', country || kind, count(*) FROM gen_domain GROUP BY country, kind;

-- owner kind 1: main address of a person, 2: other address of a person, 3: family address of a household
CREATE TEMP TABLE gen_email0 AS
WITH w AS (
	SELECT p.person_id, p.country, p.birth_date,
	       CASE WHEN pg_temp.rnd(p.person_id, 72) < 0.5 THEN replace(pg_temp.mailword(p.given), '-', '')
	            ELSE pg_temp.mailword(p.given) END AS g,
	       pg_temp.mailword(p.family) AS f
	FROM gen_person p
), owners AS (
	SELECT 1 AS kind, person_id AS id, country, g, f, birth_date FROM w WHERE pg_temp.rnd(person_id, 73) < 0.9
	UNION ALL
	SELECT 2, person_id, country, g, f, birth_date FROM w
)
SELECT o.kind, o.id,
       pg_temp.mail_local(g, f, birth_date, u) AS local,
       d.domain
FROM (SELECT owners.*, pg_temp.rnd(id, 74 + kind) AS u, pg_temp.rnd(id, 77 + kind) AS r_dom FROM owners) o
JOIN gen_count dn ON dn.what = 'domain' AND dn.key = o.country || o.kind
JOIN gen_domain d ON d.country = o.country AND d.kind = o.kind AND d.slot = 1 + floor(o.r_dom * dn.n)::int
UNION ALL
SELECT 3, h.household_id,
       CASE WHEN h.lang = 'fr' THEN CASE WHEN pg_temp.rnd(h.household_id, 30) < 0.6 THEN 'famille.' ELSE 'les' END
            ELSE CASE WHEN pg_temp.rnd(h.household_id, 30) < 0.6 THEN 'the' ELSE 'family.' END END
       || pg_temp.mailword(f.name),
       d.domain
FROM gen_household h
JOIN gen_family f ON f.lang = h.family_lang AND f.i = h.head_family_i
JOIN gen_count dn ON dn.what = 'domain' AND dn.key = h.country || '1'
JOIN gen_domain d ON d.country = h.country AND d.kind = 1
                 AND d.slot = 1 + floor(pg_temp.rnd(h.household_id, 31) * dn.n)::int
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

-- everything a record may need
CREATE TEMP TABLE gen_full AS
SELECT p.*,
       CASE WHEN p.shared_email THEN eh.email ELSE em.email END AS email,
       ea.email AS alt_email,
       ph.num AS prev_num, ph.bis AS prev_bis, ph.stype AS prev_stype, ph.abbr AS prev_abbr,
       ph.street AS prev_street, ph.compl AS prev_compl, ph.postcode AS prev_postcode, ph.city AS prev_city
FROM gen_person p
LEFT JOIN gen_email em ON em.kind = 1 AND em.id = p.person_id
LEFT JOIN gen_email eh ON eh.kind = 3 AND eh.id = p.household_id
JOIN gen_email ea ON ea.kind = 2 AND ea.id = p.person_id
JOIN gen_household ph ON ph.country = p.country AND ph.country_rank = p.prev_rank;
ALTER TABLE gen_full ADD PRIMARY KEY (person_id);

------------------------------------------------------------------------------
-- texts: pools of phrases by language; {r} is the rating, {stars} the rating
-- in stars, {n} an order number; the gender marks ({e}, {eux}, {C} ...) are
-- resolved by pg_temp.gendered for the person who writes or calls

CREATE TEMP TABLE gen_pool(name text PRIMARY KEY, items text[]);
INSERT INTO gen_pool VALUES
-- feedback: French
('fr.open.review', ARRAY['', '', '', '', '', '', 'Commande du mois dernier :', 'Bilan :', 'Mon avis :']),
('fr.open.chat', ARRAY['Bonjour,', 'Bonjour !', 'Bonsoir,', 'Salut,', '', '', 'Bonjour à vous,']),
('fr.open.email', ARRAY['Bonjour,', 'Madame, Monsieur,', 'Bonjour, commande n°{n} :', 'Suite à mon appel,',
	'Bonjour, concernant ma commande {n},', 'Madame, Monsieur, dossier {n} -']),
('fr.pos', ARRAY[
	'la livraison a été très rapide et le colis bien emballé',
	'le produit est vraiment de très bonne qualité',
	'j''ai été remboursé{e} en deux jours, merci',
	'votre conseiller a été très aimable et patient',
	'la conseillère du chat a réglé mon problème en cinq minutes',
	'service impeccable du début à la fin',
	'super qualité pour le prix',
	'le livreur était ponctuel et très sympa',
	'commande reçue en parfait état',
	'le retour s''est fait sans aucun problème',
	'rien à redire, tout est parfait',
	'le personnel du magasin est toujours souriant',
	'ils ont remplacé l''article sans discuter',
	'très bon accueil en magasin, merci à Julie',
	'le site est simple et le paiement rapide',
	'je suis vraiment satisfait{e} de mon achat',
	'excellent suivi de la commande par SMS',
	'le colis est arrivé avec un jour d''avance',
	'je n''ai jamais eu le moindre souci avec vous',
	'aucun problème avec la livraison, comme d''habitude',
	'le responsable s''est excusé et m''a offert un bon d''achat',
	'les vêtements taillent parfaitement et sont très confortables']),
('fr.neg', ARRAY[
	'mon colis n''est toujours pas arrivé après trois semaines',
	'le produit est arrivé complètement cassé',
	'j''attends toujours mon remboursement depuis un mois',
	'le conseiller au téléphone était très désagréable',
	'le service client ne sert absolument à rien',
	'personne n''a répondu à mes trois mails',
	'j''ai attendu 45 minutes au téléphone pour rien',
	'le produit ne marche plus après une semaine',
	'j''ai été débité deux fois pour la même commande',
	'la facture est encore fausse',
	'le livreur a laissé le colis sous la pluie',
	'le numéro de suivi ne fonctionne pas',
	'je ne suis pas du tout satisfait{e}',
	'ce n''est pas du tout ce que j''attendais',
	'ma réclamation a été complètement ignorée',
	'personne ne m''a jamais rappelé',
	'la qualité est vraiment décevante pour ce prix',
	'on m''a raccroché au nez deux fois',
	'le colis a été perdu et personne ne sait où il est',
	'la taille ne correspond pas du tout au guide',
	'l''application plante au moment de payer',
	'les frais de retour sont scandaleux',
	'je n''ai reçu que la moitié de ma commande',
	'le remboursement n''est jamais arrivé']),
('fr.neu.q', ARRAY[
	'Est-ce que je peux modifier l''adresse de livraison ?',
	'Quand ma commande sera-t-elle expédiée ?',
	'Avez-vous ce modèle en taille 42 ?',
	'Comment faire un retour pour un article offert ?',
	'Le magasin est-il ouvert le dimanche matin ?',
	'Je voudrais savoir si la garantie couvre la batterie.',
	'Pouvez-vous m''envoyer une copie de ma facture ?',
	'Est-il possible de payer en trois fois sans frais ?',
	'Je ne trouve pas mon numéro de commande, pouvez-vous m''aider ?',
	'Livrez-vous en point relais dans ma ville ?']),
('fr.neu.s', ARRAY[
	'Livraison correcte, produit conforme à la description.',
	'Colis reçu, je n''ai pas encore testé le produit.',
	'Le produit est correct, sans plus.',
	'Article reçu dans les délais annoncés, rien de particulier à signaler.',
	'Produit standard, ni mieux ni moins bien qu''ailleurs.',
	'Commande arrivée mardi, emballage simple.']),
('fr.verdict.pos', ARRAY['Je recommande', 'Merci encore', 'Parfait', 'Top', 'Très content{e}', 'Bravo à toute l''équipe',
	'Je reviendrai', 'Au top', 'Génial', 'Très satisfait{e}']),
('fr.verdict.neg', ARRAY['Très déçu{e}', 'Pas du tout satisfait{e}', 'Je ne recommande pas', 'Plus jamais', 'Décevant',
	'À éviter', 'Vraiment nul', 'Je veux être remboursé{e}']),
('fr.verdict.angry', ARRAY['INADMISSIBLE', 'SCANDALEUX', 'C''EST UNE HONTE', 'PLUS JAMAIS', 'Je vais porter plainte',
	'Je veux être remboursé{e} immédiatement', 'Service client inexistant', 'Honteux', 'ARNAQUE', 'Je suis furi{eux}']),
('fr.end.pos', ARRAY['.', '!', '!!', ' :)', ' 😍', ' 👍', ' 🙂', ' {r}/5', ' note : {r}/5', ' {stars}', '!', '.']),
('fr.end.neg', ARRAY['.', '!', '!!!', ' :(', ' 🙁', ' 👎', ' {r}/5', ' note : {r}/5', ' {stars}', '...', '.']),
('fr.end.angry', ARRAY['!!!', ' !!!', '!!!!', ' 😡', ' 😡😡', ' 🤬', ' {r}/5 !!!', '?!', '!!!']),
('fr.end.mixed', ARRAY['.', '...', ' {r}/5', '. Bof.', ' note : {r}/5', ' 😐', '.']),
('fr.close', ARRAY['Merci d''avance.', 'Cordialement.', 'Merci.', 'Bonne journée.', 'Merci de votre retour.']),
('fr.intens', ARRAY['Franchement', 'Honnêtement', 'Sérieusement', 'Encore une fois', 'Pour la troisième fois']),
('fr.join', ARRAY[' et ', ', ', '. ', ' et en plus ']),
('fr.but', ARRAY[' mais ', ', par contre ', ' mais ', ', en revanche ']),
-- feedback: English
('en.open.review', ARRAY['', '', '', '', '', '', 'Ordered last month:', 'Verdict:', 'My review:']),
('en.open.chat', ARRAY['Hi,', 'Hello,', 'Hi!', 'Hey,', '', '', 'Hello there,']),
('en.open.email', ARRAY['Hello,', 'Dear team,', 'Hi, order #{n}:', 'Following my call,', 'Dear Sir or Madam,',
	'Re: order {n} -']),
('en.pos', ARRAY[
	'the delivery was really fast and the parcel well packed',
	'the product is of excellent quality',
	'I got my refund within two days, thanks',
	'your advisor was very helpful and patient',
	'the chat agent solved my problem in five minutes',
	'excellent service from start to finish',
	'great quality for the price',
	'the courier was on time and very friendly',
	'my order arrived in perfect condition',
	'the return was easy and hassle free',
	'nothing to complain about, everything is perfect',
	'the staff in the shop are always lovely',
	'they replaced the item without any questions',
	'really warm welcome in the store',
	'the website is simple and checkout is quick',
	'I am really pleased with my purchase',
	'great tracking updates by text message',
	'the parcel arrived a day early',
	'I have never had a single problem with you',
	'no issues at all with the delivery, as usual',
	'the manager apologised and offered a voucher',
	'the clothes fit perfectly and feel very comfortable']),
('en.neg', ARRAY[
	'my parcel still has not arrived after three weeks',
	'the product arrived completely broken',
	'still waiting for my refund after a month',
	'the advisor on the phone was really rude',
	'customer service was not helpful at all',
	'nobody answered my three emails',
	'I waited 45 minutes on hold for nothing',
	'the product stopped working after a week',
	'I was charged twice for the same order',
	'the invoice is wrong again',
	'the courier left the parcel out in the rain',
	'the tracking number does not work',
	'I am not satisfied at all',
	'it is not at all what I expected',
	'my complaint was completely ignored',
	'nobody ever called me back',
	'the quality is really disappointing for the price',
	'they hung up on me twice',
	'the parcel got lost and nobody knows where it is',
	'the size is nothing like the size guide',
	'the app crashes every time I try to pay',
	'the return fees are outrageous',
	'I only received half of my order',
	'the refund never came']),
('en.neu.q', ARRAY[
	'Can I change the delivery address on my order?',
	'When will my order be shipped?',
	'Do you have this model in a size 10?',
	'How do I return an item that was a gift?',
	'Is the store open on Sunday mornings?',
	'I would like to know if the warranty covers the battery.',
	'Could you send me a copy of my invoice?',
	'Is it possible to pay in three instalments?',
	'I cannot find my order number, can you help?',
	'Do you deliver to pickup points in my town?']),
('en.neu.s', ARRAY[
	'Delivery was fine, product as described.',
	'Parcel received, I have not tried the product yet.',
	'The product is okay, nothing more.',
	'Item arrived within the stated time, nothing special to report.',
	'Standard product, no better or worse than elsewhere.',
	'Order arrived on Tuesday, simple packaging.']),
('en.verdict.pos', ARRAY['Highly recommend', 'Thanks again', 'Perfect', 'Brilliant', 'Very happy',
	'Well done to the whole team', 'Will be back', 'Spot on', 'Amazing', 'Very satisfied']),
('en.verdict.neg', ARRAY['Very disappointed', 'Not happy at all', 'Would not recommend', 'Never again',
	'Disappointing', 'Avoid', 'Really poor', 'I want my money back']),
('en.verdict.angry', ARRAY['UNACCEPTABLE', 'DISGRACEFUL', 'ABSOLUTELY RIDICULOUS', 'NEVER AGAIN',
	'I am reporting you to trading standards', 'I want a full refund now', 'Worst customer service ever',
	'Shameful', 'SCAM', 'I am furious']),
('en.end.pos', ARRAY['.', '!', '!!', ' :)', ' 😍', ' 👍', ' 🙂', ' {r}/5', ' rating: {r}/5', ' {stars}', '!', '.']),
('en.end.neg', ARRAY['.', '!', '!!!', ' :(', ' 🙁', ' 👎', ' {r}/5', ' rating: {r}/5', ' {stars}', '...', '.']),
('en.end.angry', ARRAY['!!!', ' !!!', '!!!!', ' 😡', ' 😡😡', ' 🤬', ' {r}/5 !!!', '?!', '!!!']),
('en.end.mixed', ARRAY['.', '...', ' {r}/5', '. Meh.', ' rating: {r}/5', ' 😐', '.']),
('en.close', ARRAY['Thanks in advance.', 'Kind regards.', 'Thanks.', 'Have a nice day.', 'Cheers.']),
('en.intens', ARRAY['Honestly', 'Seriously', 'Frankly', 'Once again', 'For the third time']),
('en.join', ARRAY[' and ', ', ', '. ', ' and on top of that ']),
('en.but', ARRAY[' but ', ', however ', ' but ', ', but then ']),
-- the advisors' notes: French
('fr.call.delivery.neg', ARRAY[
	'{C} très mécontent{e}, colis toujours pas livré après trois semaines.',
	'{C} furi{eux} : le colis est marqué livré mais {il} n''a rien reçu.',
	'Retard de livraison, {il} menace d''annuler sa commande.']),
('fr.call.delivery.neu', ARRAY[
	'Demande de suivi du colis, livraison prévue jeudi.',
	'{C} demande un créneau de livraison le samedi.',
	'Point relais fermé, nouveau point relais proposé.']),
('fr.call.delivery.pos', ARRAY[
	'Colis localisé, {c} rassuré{e} et satisfait{e} de la réponse.',
	'Livraison reprogrammée, {il} remercie pour la rapidité.']),
('fr.call.refund.neg', ARRAY[
	'Remboursement toujours pas reçu, {c} très agacé{e}.',
	'{C} attend son remboursement depuis six semaines et n''est pas du tout satisfait{e}.']),
('fr.call.refund.neu', ARRAY[
	'Demande de remboursement enregistrée, délai de dix jours annoncé.',
	'{C} demande où en est son remboursement.']),
('fr.call.refund.pos', ARRAY[
	'Remboursement confirmé, {il} remercie l''équipe.',
	'{C} content{e} du remboursement rapide.']),
('fr.call.billing.neg', ARRAY[
	'Double prélèvement sur la carte, {c} très mécontent{e}.',
	'Facture erronée pour la deuxième fois, {il} est excédé{e}.']),
('fr.call.billing.neu', ARRAY[
	'Demande de duplicata de facture, envoyé par mail.',
	'Question sur les frais de port facturés.']),
('fr.call.billing.pos', ARRAY[
	'Erreur de facturation corrigée, {c} satisfait{e}.',
	'Avoir émis, {c} content{e} du geste.']),
('fr.call.product question.neg', ARRAY[
	'Produit en panne après deux semaines, {c} déçu{e}.',
	'La notice est incompréhensible, {c} agacé{e}.']),
('fr.call.product question.neu', ARRAY[
	'Question sur la compatibilité du chargeur.',
	'{C} demande si le modèle existe en noir.']),
('fr.call.product question.pos', ARRAY[
	'Conseils d''utilisation donnés, {c} ravi{e}.',
	'{C} a trouvé la réponse utile et remercie.']),
('fr.call.complaint.neg', ARRAY[
	'Réclamation : vendeur en magasin jugé désagréable, {c} furi{eux}.',
	'{C} très en colère, menace de ne plus jamais commander.',
	'{C} se plaint de ne jamais être rappelé{e}, ton très agressif.']),
('fr.call.complaint.neu', ARRAY[
	'Réclamation enregistrée, transmise au service qualité.',
	'{C} signale un article manquant, enquête ouverte.']),
('fr.call.complaint.pos', ARRAY[
	'Réclamation traitée, geste commercial accepté, {c} satisfait{e}.',
	'{C} remercie pour la prise en charge rapide de sa réclamation.']),
('fr.call.address change.neg', ARRAY[
	'Changement d''adresse non pris en compte, colis reparti à l''ancienne adresse, {c} mécontent{e}.']),
('fr.call.address change.neu', ARRAY[
	'Changement d''adresse suite à un déménagement.',
	'Mise à jour de l''adresse de livraison et du téléphone.']),
('fr.call.address change.pos', ARRAY[
	'Adresse mise à jour, {c} satisfait{e}.',
	'Nouvelle adresse enregistrée, {il} remercie.']),
('fr.follow.neg', ARRAY['Geste commercial proposé, refusé.', 'Rappel prévu sous 48 h.', 'Escaladé au responsable.',
	'Menace de laisser un avis négatif.', '{Il} souhaite clôturer son compte.']),
('fr.follow.neu', ARRAY['Rappel prévu si besoin.', 'Ticket transmis au service concerné.', 'Mail de confirmation envoyé.']),
('fr.follow.pos', ARRAY['{Il} remercie pour l''accueil.', 'Très cordial{e}.', 'Aucune autre demande.']),
-- the advisors' notes: English
('en.call.delivery.neg', ARRAY[
	'Customer very unhappy, parcel still not delivered after three weeks.',
	'Parcel marked as delivered but nothing received, customer is furious.',
	'Late delivery again, customer threatens to cancel the order.']),
('en.call.delivery.neu', ARRAY[
	'Asked for tracking, delivery expected on Thursday.',
	'Customer asked for a Saturday delivery slot.',
	'Pickup point closed, offered another pickup point.']),
('en.call.delivery.pos', ARRAY[
	'Parcel located, customer reassured and happy with the answer.',
	'Delivery rebooked, customer thanked us for the quick help.']),
('en.call.refund.neg', ARRAY[
	'Refund still not received, customer very annoyed.',
	'Customer has been waiting six weeks for a refund and is not satisfied at all.']),
('en.call.refund.neu', ARRAY[
	'Refund request logged, told it takes ten days.',
	'Customer asked about the status of the refund.']),
('en.call.refund.pos', ARRAY[
	'Customer happy with the quick refund, thanked the team.',
	'Refund confirmed, customer pleased.']),
('en.call.billing.neg', ARRAY[
	'Charged twice on the card, customer very unhappy.',
	'Wrong invoice for the second time, {he} is exasperated.']),
('en.call.billing.neu', ARRAY[
	'Asked for a copy of the invoice, sent by email.',
	'Question about the shipping fees charged.']),
('en.call.billing.pos', ARRAY[
	'Billing error fixed, customer satisfied.',
	'Credit note issued, customer glad of the gesture.']),
('en.call.product question.neg', ARRAY[
	'Product broke down after two weeks, customer disappointed.',
	'Manual is useless, customer annoyed.']),
('en.call.product question.neu', ARRAY[
	'Question about charger compatibility.',
	'Customer asked whether the model comes in black.']),
('en.call.product question.pos', ARRAY[
	'Gave usage tips, customer delighted.',
	'Customer found the answer useful and thanked us.']),
('en.call.complaint.neg', ARRAY[
	'Complaint: rude sales assistant in store, customer furious.',
	'Customer very angry, threatens never to order again.',
	'Customer complains nobody ever calls back, very aggressive tone.']),
('en.call.complaint.neu', ARRAY[
	'Complaint logged, passed on to the quality team.',
	'Customer reports a missing item, investigation opened.']),
('en.call.complaint.pos', ARRAY[
	'Complaint resolved, goodwill gesture accepted, customer satisfied.',
	'Customer thanked us for handling the complaint so quickly.']),
('en.call.address change.neg', ARRAY[
	'Address change not applied, parcel sent to the old address, customer unhappy.']),
('en.call.address change.neu', ARRAY[
	'Address change after moving house.',
	'Updated delivery address and phone number.']),
('en.call.address change.pos', ARRAY[
	'Address updated, customer satisfied.',
	'New address saved, customer thanked us.']),
('en.follow.neg', ARRAY['Offered a voucher, refused.', 'Callback scheduled within 48 hours.', 'Escalated to the manager.',
	'Threatens to leave a bad review.', '{He} wants to close the account.']),
('en.follow.neu', ARRAY['Will call back if needed.', 'Ticket passed on to the right team.', 'Confirmation email sent.']),
('en.follow.pos', ARRAY['Very polite.', 'Thanked us for the help.', 'No further request.']);

------------------------------------------------------------------------------
-- The four identity silos.  Each record draws each of its choices from its
-- own stream: rnd(person_id * 10 + nth, stream), streams 200-299 for the
-- shop, 300-399 the call centre, 400-499 the web shop, 500-599 the messages.

-- the shop's till: a second record of the same customer is an older one (the
-- previous address, an old number, no e-mail)
CREATE TEMP TABLE gen_shop AS
WITH r AS (
	SELECT f.*, n AS nth, f.person_id * 10 + n AS k
	FROM gen_full f CROSS JOIN LATERAL generate_series(1, f.shop_n) AS n
), d AS (
	SELECT r.*,
	       row_number() OVER (ORDER BY pg_temp.rnd(k, 200), k) AS silo_rank,
	       pg_temp.record_name(given, family, nicks, alias_family, k, 201, '{0.04, 0.07, 0.08, 0.10, 0.12, 0.14, 0.24}') AS nm,
	       pg_temp.rnd(k, 205) AS r_case,
	       nth = 2 OR pg_temp.rnd(k, 206) < 0.04 AS moved,
	       CASE WHEN nth = 2 OR pg_temp.rnd(k, 207) < 0.03 THEN old_mobile
	            WHEN mobile IS NOT NULL AND (landline IS NULL OR pg_temp.rnd(k, 207) < 0.78) THEN mobile
	            ELSE landline END AS phone_used,
	       pg_temp.rnd(k, 208) AS r_addr, pg_temp.rnd(k, 209) AS r_mail, pg_temp.rnd(k, 210) AS r_tel,
	       pg_temp.rnd(k, 211) AS r_birth
	FROM r
)
SELECT d.k, d.person_id, d.nth, d.lang, d.country, d.city AS home_city, d.mood, d.turned,
       10000 + d.silo_rank AS customer_no,
       CASE WHEN r_case < 0.18 THEN pg_temp.shout(nm[1]) WHEN r_case < 0.28 THEN pg_temp.strip(nm[1]) ELSE nm[1] END
         AS prenom,
       CASE WHEN r_case < 0.18 THEN pg_temp.shout(nm[2]) WHEN r_case < 0.60 THEN upper(nm[2])
            WHEN r_case < 0.68 THEN pg_temp.strip(nm[2]) ELSE nm[2] END AS nom,
       CASE WHEN nth = 2 AND r_mail < 0.6 THEN NULL
            WHEN r_mail < 0.30 THEN NULL
            WHEN r_mail < 0.345 THEN pg_temp.pick(ARRAY['n/a', 'inconnu', 'test@test.com', 'pas@demail.fr', 'N/A', ''],
                                                  pg_temp.rnd(k, 212))
            ELSE pg_temp.noisy_email(coalesce(email, alt_email), alt_email, pg_temp.rnd(k, 213),
                                     '{0.04, 0.06, 0.09, 0.13, 0.20, 0.22, 0.24}', pg_temp.rnd(k, 214), pg_temp.rnd(k, 215))
       END AS mail,
       CASE WHEN r_tel < 0.12 OR phone_used IS NULL THEN NULL
            WHEN r_tel < 0.145 THEN pg_temp.pick(ARRAY['0000000000', '0000000000', 'n/a', '0123456789'], pg_temp.rnd(k, 216))
            ELSE pg_temp.phone_format(CASE WHEN pg_temp.rnd(k, 217) < 0.015
                                           THEN pg_temp.phone_typo(phone_used, pg_temp.rnd(k, 218), pg_temp.rnd(k, 219))
                                           ELSE phone_used END,
                                      (ARRAY[0, 0, 0, 0, 2, 2, 4, 4, 1, 5])[1 + floor(pg_temp.rnd(k, 220) * 10)::int])
       END AS tel,
       CASE WHEN r_birth < 0.01 THEN '01/01/1900'
            WHEN r_birth < 0.50 THEN to_char(pg_temp.noisy_date(birth_date, pg_temp.rnd(k, 221), 0.04, pg_temp.rnd(k, 222)),
                                             'DD/MM/YYYY') END AS date_naissance,
       CASE WHEN r_addr < 0.08 THEN NULL
            WHEN moved THEN pg_temp.address(country, prev_num, prev_bis, prev_stype, prev_abbr, prev_street, prev_compl,
                                            pg_temp.rnd(k, 223), pg_temp.rnd(k, 224))
            ELSE pg_temp.address(country, num, bis, stype, abbr, street, compl, pg_temp.rnd(k, 223), pg_temp.rnd(k, 224))
       END AS adresse,
       -- a third of the postcodes starting with 0 lost it (a spreadsheet import); British ones sometimes
       -- in lower case or without their space; '00000' now and then
       CASE WHEN r_addr < 0.05 THEN NULL
            WHEN r_addr > 0.995 THEN '00000'
            WHEN (CASE WHEN moved THEN prev_postcode ELSE postcode END) LIKE '0%' AND pg_temp.rnd(k, 225) < 0.3
                 THEN ltrim(CASE WHEN moved THEN prev_postcode ELSE postcode END, '0')
            WHEN country = 'GB' AND pg_temp.rnd(k, 225) < 0.15
                 THEN lower(CASE WHEN moved THEN prev_postcode ELSE postcode END)
            WHEN country = 'GB' AND pg_temp.rnd(k, 225) < 0.25
                 THEN replace(CASE WHEN moved THEN prev_postcode ELSE postcode END, ' ', '')
            ELSE CASE WHEN moved THEN prev_postcode ELSE postcode END END AS cp,
       CASE WHEN r_addr < 0.04 THEN NULL
            WHEN r_addr > 0.99 THEN 'inconnu'
            ELSE pg_temp.city_variant(country, CASE WHEN moved THEN prev_city ELSE city END, state,
                                      CASE WHEN moved THEN prev_postcode ELSE postcode END, pg_temp.rnd(k, 226)) END AS ville,
       -- updated long ago when the record holds an old address
       CASE WHEN moved THEN 400 + pg_temp.rnd(k, 227) * 900 ELSE pg_temp.rnd(k, 227) * 700 END * 86400 AS updated_ago
FROM d;
ALTER TABLE gen_shop ADD PRIMARY KEY (k);

-- the call centre: the name as heard, with a title now and then, the number called from
CREATE TEMP TABLE gen_cc AS
WITH r AS (
	SELECT f.*, f.person_id * 10 + 1 AS k FROM gen_full f WHERE f.cc_n > 0
), d AS (
	SELECT r.*,
	       row_number() OVER (ORDER BY pg_temp.rnd(k, 300), k) AS silo_rank,
	       pg_temp.record_name(given, family, nicks, alias_family, k, 301, '{0.06, 0.09, 0.17, 0.23, 0.27, 0.30, 0.36}') AS nm0,
	       pg_temp.rnd(k, 305) < 0.3 AS no_accents,
	       pg_temp.rnd(k, 306) AS r_style,
	       CASE WHEN pg_temp.rnd(k, 307) < 0.03 THEN old_mobile
	            WHEN mobile IS NOT NULL AND (landline IS NULL OR pg_temp.rnd(k, 307) < 0.70) THEN mobile
	            ELSE landline END AS phone_used,
	       CASE WHEN lang = 'fr' THEN CASE gender WHEN 'M' THEN pg_temp.pick('{M.,M.,Monsieur,Mr}', pg_temp.rnd(k, 308))
	                                              ELSE pg_temp.pick('{Mme,Mme,Madame,Mlle}', pg_temp.rnd(k, 308)) END
	            ELSE CASE gender WHEN 'M' THEN pg_temp.pick('{Mr,Mr.,Mr}', pg_temp.rnd(k, 308))
	                             ELSE pg_temp.pick('{Mrs,Ms,Miss,Mrs.}', pg_temp.rnd(k, 308)) END END AS title
	FROM r
), v AS (
	SELECT d.*, CASE WHEN no_accents THEN ARRAY[pg_temp.strip(nm0[1]), pg_temp.strip(nm0[2])] ELSE nm0 END AS nm
	FROM d
)
SELECT v.k, v.person_id, v.lang, v.gender, v.mood, v.turned,
       'CC-' || lpad(silo_rank::text, greatest(6, length(silo_rank::text)), '0') AS contact_id,
       CASE WHEN r_style < 0.35 THEN upper(nm[2]) || ' ' || nm[1]                                  -- DUPONT Jean-Pierre
            WHEN r_style < 0.60 THEN nm[1] || ' ' || nm[2]                                         -- Jean-Pierre Dupont
            WHEN r_style < 0.75 THEN title || ' ' || nm[1] || ' ' || nm[2]                         -- Mme Frédérique Le Goff
            WHEN r_style < 0.85 THEN lower(pg_temp.strip(CASE WHEN nm[1] ~ '[- ]' THEN pg_temp.initials(nm[1])
                                                             ELSE nm[1] END)) || ' ' || lower(nm[2])  -- jp dupont
            WHEN r_style < 0.95 THEN nm[2] || ' ' || nm[1]                                         -- Dupont Jean-Pierre
            ELSE title || ' ' || upper(nm[2])                                                      -- Mme LE GOFF
       END AS full_name,
       CASE WHEN pg_temp.rnd(k, 309) < 0.05 OR phone_used IS NULL THEN NULL
            ELSE pg_temp.phone_format(CASE WHEN pg_temp.rnd(k, 310) < 0.015
                                           THEN pg_temp.phone_typo(phone_used, pg_temp.rnd(k, 311), pg_temp.rnd(k, 312))
                                           ELSE phone_used END,
                                      floor(pg_temp.rnd(k, 313) * 6)::int) END AS phone,
       CASE WHEN pg_temp.rnd(k, 314) < 0.30
            THEN pg_temp.noisy_email(coalesce(email, alt_email), alt_email, pg_temp.rnd(k, 315),
                                     '{0.05, 0.07, 0.07, 0.07, 0.12, 0.14, 0.14}', pg_temp.rnd(k, 316), pg_temp.rnd(k, 317))
       END AS email,
       CASE WHEN pg_temp.rnd(k, 318) < 0.60
            THEN CASE WHEN pg_temp.rnd(k, 319) < 0.04 THEN prev_postcode
                      WHEN country = 'GB' AND pg_temp.rnd(k, 319) < 0.3 THEN replace(postcode, ' ', '')
                      ELSE postcode END END AS cp
FROM v;
ALTER TABLE gen_cc ADD PRIMARY KEY (k);

-- the web shop: typed by the customers; a second account has the other e-mail address
CREATE TEMP TABLE gen_web AS
WITH r AS (
	SELECT f.*, n AS nth, f.person_id * 10 + n AS k
	FROM gen_full f CROSS JOIN LATERAL generate_series(1, f.web_n) AS n
), d AS (
	SELECT r.*,
	       row_number() OVER (ORDER BY pg_temp.rnd(k, 400), k) AS silo_rank,
	       pg_temp.record_name(given, family, nicks, alias_family, k, 401, '{0.01, 0.02, 0.02, 0.06, 0.07, 0.09, 0.18}') AS nm,
	       pg_temp.rnd(k, 405) AS r_case,
	       pg_temp.rnd(k, 406) < 0.05 AS moved,
	       pg_temp.rnd(k, 407) AS r_addr,
	       CASE WHEN nth = 2 OR email IS NULL OR (shared_email AND member > 1) THEN alt_email ELSE email END AS base_email,
	       -- created 1 month to 6 years ago, updated since
	       (30 + power(pg_temp.rnd(k, 408), 1.3) * 2150) * 86400 AS created_ago
	FROM r
)
SELECT d.k, d.person_id, d.nth, d.lang, d.mood, d.turned,
       700000 + silo_rank AS account_id,
       CASE WHEN r_case < 0.15 THEN lower(nm[1]) WHEN r_case < 0.19 THEN upper(nm[1])
            WHEN r_case < 0.29 THEN pg_temp.strip(nm[1]) ELSE nm[1] END AS first_name,
       CASE WHEN r_case < 0.15 THEN lower(nm[2]) WHEN r_case < 0.19 THEN upper(nm[2])
            WHEN r_case < 0.29 THEN pg_temp.strip(nm[2]) ELSE nm[2] END AS last_name,
       -- lower case, Gmail dots moved, +tags, typos in the domain
       lower(pg_temp.noisy_email(base_email, alt_email, pg_temp.rnd(k, 409), '{0, 0, 0.10, 0.18, 0.18, 0.22, 0.22}',
                                 pg_temp.rnd(k, 410), pg_temp.rnd(k, 411))) AS email,
       CASE WHEN pg_temp.rnd(k, 412) < 0.40 OR coalesce(mobile, landline) IS NULL THEN NULL
            ELSE pg_temp.phone_format(coalesce(mobile, landline), floor(pg_temp.rnd(k, 413) * 6)::int) END AS phone,
       CASE WHEN pg_temp.rnd(k, 414) < 0.50 THEN NULL
            WHEN pg_temp.rnd(k, 414) < 0.505 THEN date '1900-01-01'
            ELSE pg_temp.noisy_date(birth_date, pg_temp.rnd(k, 415), 0.03, pg_temp.rnd(k, 416)) END AS birth_date,
       CASE WHEN r_addr < 0.10 THEN NULL
            WHEN moved THEN pg_temp.address(country, prev_num, prev_bis, prev_stype, prev_abbr, prev_street, prev_compl,
                                            pg_temp.rnd(k, 417), pg_temp.rnd(k, 418))
            ELSE pg_temp.address(country, num, bis, stype, abbr, street, compl, pg_temp.rnd(k, 417), pg_temp.rnd(k, 418))
       END AS address,
       CASE WHEN r_addr < 0.08 THEN NULL
            WHEN country = 'US' AND pg_temp.rnd(k, 419) < 0.15
                 THEN CASE WHEN moved THEN prev_postcode ELSE postcode END || '-' || lpad((floor(pg_temp.rnd(k, 420) * 9999) + 1)::text, 4, '0')
            WHEN country = 'GB' AND pg_temp.rnd(k, 419) < 0.15 THEN lower(CASE WHEN moved THEN prev_postcode ELSE postcode END)
            ELSE CASE WHEN moved THEN prev_postcode ELSE postcode END END AS postcode,
       CASE WHEN r_addr < 0.08 THEN NULL
            ELSE pg_temp.city_variant(country, CASE WHEN moved THEN prev_city ELSE city END, state,
                                      CASE WHEN moved THEN prev_postcode ELSE postcode END, pg_temp.rnd(k, 421)) END AS city,
       country,
       created_ago,
       created_ago * pg_temp.rnd(k, 422) * CASE WHEN moved THEN 1 ELSE 0.6 END AS updated_ago
FROM d;
ALTER TABLE gen_web ADD PRIMARY KEY (k);

-- the messages: the older ones in the person's mood, then, for those who turned
-- unhappy, two or three angry ones in the last 7 days
CREATE TEMP TABLE gen_msg AS
WITH r AS (
	SELECT f.*, n AS nth, f.person_id * 10 + n AS k, n > f.msg_n AS angry
	FROM gen_full f CROSS JOIN LATERAL generate_series(1, f.msg_n + f.angry_n) AS n
), d AS (
	SELECT r.*,
	       CASE WHEN angry THEN 'angry'
	            WHEN mood = 'happy' THEN CASE WHEN pg_temp.rnd(k, 500) < 0.70 THEN 'pos'
	                                          WHEN pg_temp.rnd(k, 500) < 0.93 THEN 'neu' ELSE 'mixed' END
	            WHEN mood = 'mixed' THEN CASE WHEN pg_temp.rnd(k, 500) < 0.30 THEN 'pos' WHEN pg_temp.rnd(k, 500) < 0.50 THEN 'neu'
	                                          WHEN pg_temp.rnd(k, 500) < 0.75 THEN 'mixed' ELSE 'neg' END
	            ELSE CASE WHEN pg_temp.rnd(k, 500) < 0.65 THEN 'neg' WHEN pg_temp.rnd(k, 500) < 0.80 THEN 'mixed'
	                      WHEN pg_temp.rnd(k, 500) < 0.95 THEN 'neu' ELSE 'pos' END
	       END AS tone,
	       pg_temp.rnd(k, 501) < 0.5 AS lean_neg,
	       CASE WHEN pg_temp.rnd(k, 502) < 0.45 THEN 'review' WHEN pg_temp.rnd(k, 502) < 0.75 THEN 'chat' ELSE 'email' END
	         AS channel,
	       -- seconds ago: the last 180 days; the angry ones in the last 6.5 days; the others of those who
	       -- turned unhappy before the last week
	       CASE WHEN angry THEN 600 + pg_temp.rnd(k, 503) * 6.5 * 86400
	            WHEN turned THEN (8 + pg_temp.rnd(k, 503) * 172) * 86400
	            ELSE 600 + pg_temp.rnd(k, 503) * 180 * 86400 END AS posted_ago
	FROM r
), s AS MATERIALIZED (
	SELECT d.*,
	       CASE tone WHEN 'pos' THEN 5 - (pg_temp.rnd(k, 504) < 0.4)::int
	                 WHEN 'neu' THEN 3 + (pg_temp.rnd(k, 504) < 0.3)::int
	                 WHEN 'mixed' THEN CASE WHEN lean_neg THEN 2 + (pg_temp.rnd(k, 504) < 0.5)::int
	                                        ELSE 3 + (pg_temp.rnd(k, 504) < 0.3)::int END
	                 WHEN 'neg' THEN 1 + (pg_temp.rnd(k, 504) < 0.45)::int
	                 ELSE 1 END AS score
	FROM d
), p AS MATERIALIZED (
	-- the parts: an opening, clauses of the tone (mixed: one of each, joined by "but"), a verdict, an ending
	SELECT s.*,
	       replace(pg_temp.pick(po.items, pg_temp.rnd(k, 505)), '{n}', (10000 + floor(pg_temp.rnd(k, 506) * 90000))::int::text)
	         AS open_t,
	       pg_temp.pick(pa.items, pg_temp.rnd(k, 507)) AS a1,
	       pg_temp.pick(pa.items, pg_temp.rnd(k, 508)) AS a2,
	       pg_temp.pick(pa.items, pg_temp.rnd(k, 509)) AS a3,
	       pg_temp.pick(pb.items, pg_temp.rnd(k, 508)) AS b1,
	       pg_temp.pick(pj.items, pg_temp.rnd(k, 510)) AS j1,
	       pg_temp.pick(pj.items, pg_temp.rnd(k, 511)) AS j2,
	       pg_temp.pick(pbut.items, pg_temp.rnd(k, 510)) AS but_t,
	       pg_temp.pick(pv.items, pg_temp.rnd(k, 512)) AS verdict,
	       replace(replace(pg_temp.pick(pe.items, pg_temp.rnd(k, 513)), '{r}', score::text),
	               '{stars}', repeat('★', score) || repeat('☆', 5 - score)) AS ending,
	       pg_temp.pick(pq.items, pg_temp.rnd(k, 507)) AS question,
	       pg_temp.pick(pst.items, pg_temp.rnd(k, 507)) AS statement,
	       pg_temp.pick(pcl.items, pg_temp.rnd(k, 512)) AS close_t,
	       pg_temp.pick(pin.items, pg_temp.rnd(k, 514)) AS intens,
	       pg_temp.rnd(k, 515) AS u_more, pg_temp.rnd(k, 516) AS u_verdict, pg_temp.rnd(k, 517) AS u_case
	FROM s
	JOIN gen_pool po ON po.name = s.lang || '.open.' || s.channel
	JOIN gen_pool pa ON pa.name = s.lang || CASE WHEN s.tone = 'pos' OR (s.tone = 'mixed' AND s.lean_neg) THEN '.pos'
	                                             ELSE '.neg' END
	JOIN gen_pool pb ON pb.name = s.lang || CASE WHEN s.tone = 'mixed' AND NOT s.lean_neg THEN '.pos' ELSE '.neg' END
	JOIN gen_pool pj ON pj.name = s.lang || '.join'
	JOIN gen_pool pbut ON pbut.name = s.lang || '.but'
	JOIN gen_pool pv ON pv.name = s.lang || '.verdict.' || CASE s.tone WHEN 'angry' THEN 'angry' WHEN 'pos' THEN 'pos'
	                                                                   ELSE 'neg' END
	JOIN gen_pool pe ON pe.name = s.lang || '.end.' || CASE s.tone WHEN 'neu' THEN 'mixed' ELSE s.tone END
	JOIN gen_pool pq ON pq.name = s.lang || '.neu.q'
	JOIN gen_pool pst ON pst.name = s.lang || '.neu.s'
	JOIN gen_pool pcl ON pcl.name = s.lang || '.close'
	JOIN gen_pool pin ON pin.name = s.lang || '.intens'
), t AS (
	-- the core of the text, then its beginning (the opening: the first letter in capitals, or
	-- after "Bonjour," in lower case but for "I") and a shorter variant (no opening, no third clause)
	SELECT p.*,
	       CASE tone
	            WHEN 'neu' THEN CASE WHEN channel = 'review' THEN statement ELSE question END
	                            || CASE WHEN channel <> 'review' AND u_more < 0.5 THEN ' ' || close_t ELSE '' END
	            WHEN 'mixed' THEN a1 || but_t || b1 || ending
	            WHEN 'angry' THEN CASE WHEN u_more < 0.5 THEN intens || ', ' || a1 ELSE a1 END
	                              || CASE WHEN a2 <> a1 THEN j1 || CASE WHEN j1 = '. ' THEN pg_temp.cap(a2) ELSE a2 END
	                                 ELSE '' END
	                              || '{3}. ' || verdict || ending
	            ELSE a1 || CASE WHEN u_more < 0.45 AND a2 <> a1
	                            THEN j1 || CASE WHEN j1 = '. ' THEN pg_temp.cap(a2) ELSE a2 END ELSE '' END
	                    || CASE WHEN u_verdict < CASE tone WHEN 'pos' THEN 0.5 ELSE 0.6 END THEN '. ' || verdict ELSE '' END
	                    || ending
	       END AS core,
	       CASE WHEN tone = 'angry' AND u_verdict < 0.4 AND a3 <> a1 AND a3 <> a2
	            THEN j2 || CASE WHEN j2 = '. ' THEN pg_temp.cap(a3) ELSE a3 END ELSE '' END AS third
	FROM p
), b AS (
	SELECT t.*,
	       CASE WHEN open_t = '' THEN pg_temp.cap(replace(core, '{3}', third))
	            WHEN open_t ~ '[,:]$' AND core !~ '^I[ '']' THEN open_t || ' ' || lower(left(core, 1)) || substr(replace(core, '{3}', third), 2)
	            ELSE open_t || ' ' || pg_temp.cap(replace(core, '{3}', third)) END AS long_body,
	       pg_temp.cap(replace(core, '{3}', '')) AS short_body
	FROM t
), m AS (
	SELECT b.*, pg_temp.gendered(CASE WHEN pg_temp.words(long_body) <= 40 THEN long_body ELSE short_body END, gender)
	              AS body0
	FROM b
)
SELECT m.k, m.person_id, m.nth, m.lang, m.channel, m.tone, m.score, m.posted_ago, m.angry,
       -- shouting: a quarter of the angry texts; chats typed in lower case now and then
       CASE WHEN tone = 'angry' AND u_case < 0.25 THEN upper(body0)
            WHEN channel = 'chat' AND u_case > 0.8 THEN lower(body0)
            ELSE body0 END AS body,
       CASE WHEN channel = 'review' THEN score END AS rating,
       -- the author as typed: most people keep one style, the others vary
       pg_temp.record_name(given, family, nicks, alias_family, k, 518, '{0.02, 0.04, 0.04, 0.12, 0.13, 0.14, 0.18}') AS nm,
       CASE WHEN pg_temp.rnd(k, 522) < 0.65 THEN r_display ELSE pg_temp.rnd(k, 523) END AS r_style,
       birth_date,
       CASE WHEN channel = 'email' OR pg_temp.rnd(k, 524) < CASE channel WHEN 'chat' THEN 0.55 ELSE 0.30 END
            THEN pg_temp.noisy_email(coalesce(email, alt_email), alt_email, pg_temp.rnd(k, 525),
                                     '{0.02, 0.04, 0.07, 0.12, 0.20, 0.21, 0.21}', pg_temp.rnd(k, 526), pg_temp.rnd(k, 527))
       END AS email
FROM m;
ALTER TABLE gen_msg ADD PRIMARY KEY (k);

------------------------------------------------------------------------------
-- the interactions: tickets (streams 600-), calls (700-), orders (800-),
-- keyed by record key * 10 + their number

CREATE TEMP TABLE gen_ticket AS
WITH t AS MATERIALIZED (
	SELECT s.customer_no, s.k * 10 + j AS tk, s.country, s.home_city,
	       1 + floor(pg_temp.rnd(s.k * 10 + j, 604) * cn.n)::int AS slot
	FROM gen_shop s
	CROSS JOIN LATERAL generate_series(1, floor(pg_temp.rnd(s.k, 600) * 7)::int) AS j
	JOIN gen_count cn ON cn.what = 'city' AND cn.key = s.country
)
SELECT t.customer_no, t.tk,
       pg_temp.rnd(t.tk, 601) * 365 * 86400 AS bought_ago,
       CASE WHEN pg_temp.rnd(t.tk, 602) < 0.75 THEN t.home_city ELSE c.city END AS store,
       round((4 + 180 * power(pg_temp.rnd(t.tk, 603), 2.2))::numeric, 2) AS amount
FROM t
JOIN gen_city_slot cs ON cs.country = t.country AND cs.slot = t.slot
JOIN gen_city c ON c.country = t.country AND c.i = cs.city_i;

-- calls: the reason and the tone of the note follow the mood; those who turned
-- unhappy made their last call this week, a complaint
CREATE TEMP TABLE gen_call AS
WITH c AS MATERIALIZED (
	SELECT cc.*, cc.k * 10 + j AS ck, j,
	       CASE WHEN cc.turned AND j = 1 THEN (0.1 + pg_temp.rnd(cc.k * 10 + j, 701) * 6) * 86400
	            ELSE pg_temp.rnd(cc.k * 10 + j, 701) * 365 * 86400 END AS called_ago
	FROM gen_cc cc
	CROSS JOIN LATERAL generate_series(1, width_bucket(pg_temp.rnd(cc.k, 700), ARRAY[0, 0.25, 0.55, 0.80]::float8[])) AS j
), t AS MATERIALIZED (
	SELECT c.*,
	       CASE WHEN c.turned AND c.called_ago < 7 * 86400 THEN 'neg'
	            ELSE CASE c.mood
	                 WHEN 'happy' THEN CASE WHEN pg_temp.rnd(ck, 702) < 0.55 THEN 'pos' WHEN pg_temp.rnd(ck, 702) < 0.92 THEN 'neu' ELSE 'neg' END
	                 WHEN 'mixed' THEN CASE WHEN pg_temp.rnd(ck, 702) < 0.30 THEN 'pos' WHEN pg_temp.rnd(ck, 702) < 0.65 THEN 'neu' ELSE 'neg' END
	                 ELSE CASE WHEN pg_temp.rnd(ck, 702) < 0.10 THEN 'pos' WHEN pg_temp.rnd(ck, 702) < 0.35 THEN 'neu' ELSE 'neg' END
	                 END END AS tone,
	       CASE WHEN c.turned AND c.called_ago < 7 * 86400 THEN 'complaint'
	            WHEN c.mood = 'unhappy' THEN pg_temp.pick('{complaint,complaint,complaint,refund,refund,delivery,delivery,billing,billing,product question}',
	                                                     pg_temp.rnd(ck, 703))
	            ELSE pg_temp.pick('{product question,product question,product question,address change,address change,delivery,delivery,billing,refund,complaint}',
	                              pg_temp.rnd(ck, 703)) END AS reason
	FROM c
)
SELECT t.contact_id, t.ck, t.called_ago, t.reason, t.lang,
       CASE WHEN pg_temp.rnd(ck, 704) < 0.30 THEN NULL
            ELSE pg_temp.gendered(pg_temp.pick(n1.items, pg_temp.rnd(ck, 705))
                                  || CASE WHEN pg_temp.rnd(ck, 706) < 0.5
                                          THEN ' ' || pg_temp.pick(n2.items, pg_temp.rnd(ck, 707)) ELSE '' END,
                                  t.gender)
       END AS notes
FROM t
JOIN gen_pool n1 ON n1.name = t.lang || '.call.' || t.reason || '.' || t.tone
JOIN gen_pool n2 ON n2.name = t.lang || '.follow.' || t.tone;

-- orders: 0 to 8 an account (0 to 3 a second account); late, cancelled and
-- refunded more often for the unhappy; those who turned unhappy have late ones
CREATE TEMP TABLE gen_order AS
WITH o AS (
	SELECT w.account_id, w.mood, w.turned, w.k * 10 + j AS ok,
	       pg_temp.rnd(w.k * 10 + j, 801) * least(365 * 86400, w.created_ago) AS ordered_ago
	FROM gen_web w
	CROSS JOIN LATERAL generate_series(1, floor(pg_temp.rnd(w.k, 800) * CASE WHEN w.nth = 1 THEN 9 ELSE 4 END)::int) AS j
)
SELECT o.account_id, o.ok, o.ordered_ago,
       round((9.9 + 240 * power(pg_temp.rnd(ok, 802), 1.8))::numeric, 2) AS total,
       CASE WHEN o.ordered_ago < 6 * 86400 AND pg_temp.rnd(ok, 803) < 0.8 THEN 'in transit'
            WHEN o.turned AND o.ordered_ago < 30 * 86400 AND pg_temp.rnd(ok, 803) < 0.9 THEN 'late'
            ELSE CASE WHEN pg_temp.rnd(ok, 804) < CASE o.mood WHEN 'happy' THEN 0.90 WHEN 'mixed' THEN 0.78 ELSE 0.62 END
                      THEN 'delivered'
                      ELSE pg_temp.pick('{late,late,late,cancelled,refunded,refunded}', pg_temp.rnd(ok, 805)) END
       END AS status
FROM o;

------------------------------------------------------------------------------
-- the tables

CREATE SCHEMA shop;
CREATE SCHEMA callcenter;
CREATE SCHEMA webshop;
CREATE SCHEMA feedback;
CREATE SCHEMA demo_truth;

CREATE TABLE shop.customers (
	customer_no    int PRIMARY KEY,
	prenom         text,
	nom            text,
	mail           text,
	tel            text,
	date_naissance text,
	adresse        text,
	cp             text,
	ville          text,
	updated_at     timestamptz
);
INSERT INTO shop.customers
SELECT customer_no, prenom, nom, mail, tel, date_naissance, adresse, cp, ville, pg_temp.ago(updated_ago)
FROM gen_shop ORDER BY customer_no;

CREATE TABLE shop.tickets (
	ticket_no   bigint PRIMARY KEY,
	customer_no int NOT NULL REFERENCES shop.customers,
	bought_at   timestamptz NOT NULL,
	store       text,
	amount      numeric(10,2)
);
INSERT INTO shop.tickets
SELECT 4000000 + row_number() OVER (ORDER BY floor(bought_ago) DESC, tk), customer_no, pg_temp.ago(bought_ago), store, amount
FROM gen_ticket ORDER BY 1;
CREATE INDEX ON shop.tickets (customer_no);

CREATE TABLE callcenter.contacts (
	contact_id text PRIMARY KEY,
	full_name  text,
	phone      text,
	email      text,
	cp         text,
	updated_at timestamptz
);
INSERT INTO callcenter.contacts
SELECT c.contact_id, c.full_name, c.phone, c.email, c.cp, pg_temp.ago(l.last_ago)   -- updated at the last call
FROM gen_cc c JOIN (SELECT contact_id, min(called_ago) AS last_ago FROM gen_call GROUP BY contact_id) l USING (contact_id)
ORDER BY c.contact_id;

CREATE TABLE callcenter.calls (
	call_id    bigint PRIMARY KEY,
	contact_id text NOT NULL REFERENCES callcenter.contacts,
	called_at  timestamptz NOT NULL,
	reason     text,
	notes      text,
	lang       text
);
INSERT INTO callcenter.calls
SELECT 300000 + row_number() OVER (ORDER BY floor(called_ago) DESC, ck), contact_id, pg_temp.ago(called_ago), reason, notes, lang
FROM gen_call ORDER BY 1;
CREATE INDEX ON callcenter.calls (contact_id);

CREATE TABLE webshop.accounts (
	account_id bigint PRIMARY KEY,
	first_name text,
	last_name  text,
	email      text NOT NULL,
	phone      text,
	birth_date date,
	address    text,
	postcode   text,
	city       text,
	country    text,
	created_at timestamptz,
	updated_at timestamptz
);
INSERT INTO webshop.accounts
SELECT account_id, first_name, last_name, email, phone, birth_date, address, postcode, city, country,
       pg_temp.ago(created_ago), pg_temp.ago(updated_ago)
FROM gen_web ORDER BY account_id;

CREATE TABLE webshop.orders (
	order_id   bigint PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES webshop.accounts,
	ordered_at timestamptz NOT NULL,
	total      numeric(10,2),
	status     text
);
INSERT INTO webshop.orders
SELECT 1100000 + row_number() OVER (ORDER BY floor(ordered_ago) DESC, ok), account_id, pg_temp.ago(ordered_ago), total, status
FROM gen_order ORDER BY 1;
CREATE INDEX ON webshop.orders (account_id);

CREATE TABLE feedback.messages (
	message_id bigint PRIMARY KEY,
	author     text,
	email      text,
	channel    text NOT NULL,
	posted_at  timestamptz NOT NULL,
	lang       text,
	body       text NOT NULL,
	rating     int CHECK (rating BETWEEN 1 AND 5)
);
-- the author as typed on a review site or in a chat
CREATE TEMP TABLE gen_msg_id AS
SELECT k, 90000 + row_number() OVER (ORDER BY floor(posted_ago) DESC, k) AS message_id FROM gen_msg;
INSERT INTO feedback.messages
SELECT i.message_id,
       CASE WHEN m.r_style < 0.25 THEN m.nm[1] || ' ' || left(m.nm[2], 1) || '.'                        -- Jean-Pierre D.
            WHEN m.r_style < 0.38 THEN lower(pg_temp.strip(CASE WHEN m.nm[1] ~ '[- ]' THEN pg_temp.initials(m.nm[1])
                                                                ELSE m.nm[1] END)) || ' ' || lower(m.nm[2])  -- jp dupont
            WHEN m.r_style < 0.63 THEN m.nm[1] || ' ' || m.nm[2]                                         -- Sarah Connor
            WHEN m.r_style < 0.73 THEN m.nm[1]                                                           -- Jean-Pierre
            WHEN m.r_style < 0.82 THEN left(m.nm[1], 1) || '. ' || m.nm[2]                               -- J. Dupont
            WHEN m.r_style < 0.92 THEN pg_temp.mailword(left(m.nm[1], 1) || replace(m.nm[2], ' ', ''))
                                       || to_char(m.birth_date, 'YY')                                    -- jdupont75
            ELSE pg_temp.mailword(replace(m.nm[1], '-', '')) || '_' || lower(left(pg_temp.mailword(m.nm[2]), 1))  -- sarah_c
       END,
       m.email, m.channel, pg_temp.ago(m.posted_ago), m.lang, m.body, m.rating
FROM gen_msg m JOIN gen_msg_id i USING (k)
ORDER BY i.message_id;
CREATE INDEX ON feedback.messages (posted_at);

CREATE TABLE demo_truth.records (
	source    text,
	source_id text,
	person_id int NOT NULL,
	PRIMARY KEY (source, source_id)
);
INSERT INTO demo_truth.records
SELECT 'shop.customers', customer_no::text, person_id FROM gen_shop
UNION ALL SELECT 'callcenter.contacts', contact_id, person_id FROM gen_cc
UNION ALL SELECT 'webshop.accounts', account_id::text, person_id FROM gen_web
UNION ALL SELECT 'feedback.messages', i.message_id::text, m.person_id FROM gen_msg m JOIN gen_msg_id i USING (k)
ORDER BY 1, 2;
CREATE INDEX ON demo_truth.records (person_id);

ANALYZE shop.customers, shop.tickets, callcenter.contacts, callcenter.calls, webshop.accounts, webshop.orders,
	feedback.messages, demo_truth.records;

------------------------------------------------------------------------------
-- tidy up what this script made in the session

DROP TABLE gen_given, gen_nick, gen_family, gen_city, gen_city_slot, gen_stype, gen_street, gen_count,
	gen_household, gen_person, gen_domain, gen_email0, gen_email, gen_full, gen_pool, gen_shop, gen_cc, gen_web,
	gen_msg, gen_msg_id, gen_ticket, gen_call, gen_order;
-- this script's functions, then noise.sql's
DROP FUNCTION pg_temp.rnd(bigint, int), pg_temp.ago(float8), pg_temp.cap(text), pg_temp.pick(text[], float8),
	pg_temp.gendered(text, text), pg_temp.words(text), pg_temp.record_name(text, text, text[], text, bigint, int, float8[]),
	pg_temp.uk_groups(text), pg_temp.phone_format(text, int), pg_temp.mobile(bigint, text, text, float8),
	pg_temp.address(text, int, text, text, text, text, text, float8, float8),
	pg_temp.city_variant(text, text, text, text, float8);
DROP FUNCTION pg_temp.shout(text), pg_temp.typo(text, float8, float8), pg_temp.phonetic(text), pg_temp.strip(text),
	pg_temp.mailword(text), pg_temp.initials(text), pg_temp.noisy_name(text, text, text, text, float8, float8[], float8, float8),
	pg_temp.noisy_email(text, text, float8, float8[], float8, float8), pg_temp.phone_fr(text, int),
	pg_temp.phone_typo(text, float8, float8), pg_temp.mobile_fr(bigint, float8), pg_temp.noisy_date(date, float8, float8, float8),
	pg_temp.address_fr(int, text, text, text, text, text, float8, float8), pg_temp.city_fr(text, text, float8),
	pg_temp.name_list(text), pg_temp.nick_list(), pg_temp.member_birth(int, date, float8, float8),
	pg_temp.mail_local(text, text, date, float8);

COMMIT;

RESET max_parallel_workers_per_gather;
RESET jit;
RESET client_min_messages;
\set QUIET :gen_quiet_saved
\unset gen_quiet_saved
\unset gen_ignore
\unset gen_salt
\unset gen_now
\unset gen_n_households
