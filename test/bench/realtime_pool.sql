-- test/bench/realtime_pool.sql: the new records the real-time benchmark
-- inserts (realtime.sh), in a database holding the silos of gen_silos.sql.
--
--   psql -v pool=200000 -f realtime_pool.sql
--
-- (pool optional, default 200000; seed optional, default 0.42).  Drops and
-- creates public.rt_bench_pool(k, prenom, nom, email, tel, date_naissance,
-- cp, ville, adresse, truth): row k (0 .. pool - 1) is the k-th record the
-- pgbench script realtime_insert.sql inserts into public.shop_customers,
-- written as the shop's till writes its records:
--   60 % a new record of an existing person of public.persons, written
--        differently from that person's records: surname in capitals or
--        everything shouted without accents, given and family names swapped
--        (15 %), e-mail upper case or capitalised or missing, the number in
--        another format or missing, the birth date half the time;
--   40 % a brand-new person: a given name, a family name, a birth date and an
--        address drawn from different existing people (so homonyms of
--        customers occur, as they do), a fresh e-mail address and mobile;
--        truth is a person id above those of public.persons.
-- The same pool size and seed give the same rows.

\if :{?pool}
\else
\set pool 200000
\endif
\if :{?seed}
\else
\set seed 0.42
\endif

SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;

DROP TABLE IF EXISTS public.rt_bench_pool;

SELECT setseed(:seed) AS rt_ignore \gset
SELECT floor(random() * 1e12)::bigint AS rt_salt \gset
-- rnd(k, stream): a uniform draw in [0, 1), a pure function of (salt, stream, k)
SELECT format('CREATE FUNCTION pg_temp.rnd(k bigint, stream int) RETURNS float8 LANGUAGE sql IMMUTABLE AS %L',
	format('SELECT ((hashint8extended(k, %s + 7000 + stream) >> 11) & 9007199254740991)::float8 / 9007199254740992',
	       :rt_salt)) \gexec

-- accents dropped, upper case: a till printing in capitals
CREATE FUNCTION pg_temp.shout(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT upper(translate(s, 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝ',
	                          'aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY'))
$$;
-- a name as it goes into an e-mail address
CREATE FUNCTION pg_temp.mailword(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(lower(translate(s, 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿ', 'aaaaaaceeeeiiiinooooouuuuyy')),
	                      '[^a-z0-9-]+', '', 'g')
$$;
-- an E.164 number as an advisor types it: 06 12 34 56 78, +33612345678,
-- 0612345678, 06.12.34.56.78 (British numbers: +44 7700 123456 or as is)
CREATE FUNCTION pg_temp.phone_format(e164 text, fmt int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN e164 IS NULL THEN NULL
		WHEN e164 LIKE '+33%' THEN CASE fmt
			WHEN 0 THEN regexp_replace('0' || substr(e164, 4), '(\d\d)(?!$)', '\1 ', 'g')
			WHEN 1 THEN e164
			WHEN 2 THEN '0' || substr(e164, 4)
			ELSE regexp_replace('0' || substr(e164, 4), '(\d\d)(?!$)', '\1.', 'g')
			END
		WHEN fmt % 2 = 0 THEN '+44 ' || substr(e164, 4, 4) || ' ' || substr(e164, 8)
		ELSE e164
	END
$$;

-- the existing people, numbered 1 .. rt_persons
CREATE TEMP TABLE rt_person AS
SELECT row_number() OVER (ORDER BY person_id) AS i, p.* FROM public.persons p;
ALTER TABLE rt_person ADD PRIMARY KEY (i);
ANALYZE rt_person;
SELECT count(*) AS rt_persons, max(person_id) AS rt_max_person FROM rt_person \gset

CREATE TABLE public.rt_bench_pool AS
WITH k AS (
	SELECT k, pg_temp.rnd(k, 1) < 0.60 AS known,
	       1 + floor(pg_temp.rnd(k, 2) * :rt_persons)::bigint AS i_person,
	       1 + floor(pg_temp.rnd(k, 3) * :rt_persons)::bigint AS i_given,
	       1 + floor(pg_temp.rnd(k, 4) * :rt_persons)::bigint AS i_family,
	       1 + floor(pg_temp.rnd(k, 5) * :rt_persons)::bigint AS i_birth,
	       1 + floor(pg_temp.rnd(k, 6) * :rt_persons)::bigint AS i_place
	FROM generate_series(0, :pool - 1) AS k
), who AS (
	-- the person: an existing one, or a new one made of parts of others
	SELECT k.k, k.known,
	       CASE WHEN k.known THEN p.person_id ELSE :rt_max_person + 1 + k.k END AS person_id,
	       CASE WHEN k.known THEN p.given ELSE g.given END AS given,
	       CASE WHEN k.known THEN p.family ELSE f.family END AS family,
	       CASE WHEN k.known THEN p.email
	            ELSE pg_temp.mailword(g.given) || (ARRAY['.', '', '_'])[1 + floor(pg_temp.rnd(k.k, 7) * 3)::int]
	                 || pg_temp.mailword(f.family)
	                 || CASE WHEN pg_temp.rnd(k.k, 8) < 0.4 THEN (1 + floor(pg_temp.rnd(k.k, 9) * 99))::int::text ELSE '' END
	                 || '@' || (ARRAY['gmail.com', 'orange.fr', 'free.fr', 'hotmail.fr', 'yahoo.fr', 'laposte.net',
	                                  'sfr.fr', 'outlook.fr'])[1 + floor(pg_temp.rnd(k.k, 10) * 8)::int] END AS email,
	       CASE WHEN k.known THEN p.phone
	            ELSE (ARRAY['+336', '+337'])[1 + floor(pg_temp.rnd(k.k, 11) * 2)::int]
	                 || lpad(floor(pg_temp.rnd(k.k, 12) * 1e8)::bigint::text, 8, '0') END AS phone,
	       CASE WHEN k.known THEN p.birth_date ELSE b.birth_date END AS birth_date,
	       CASE WHEN k.known THEN p.address ELSE a.address END AS address,
	       CASE WHEN k.known THEN p.postcode ELSE a.postcode END AS postcode,
	       CASE WHEN k.known THEN p.city ELSE a.city END AS city
	FROM k
	JOIN rt_person p ON p.i = k.i_person
	JOIN rt_person g ON g.i = k.i_given
	JOIN rt_person f ON f.i = k.i_family
	JOIN rt_person b ON b.i = k.i_birth
	JOIN rt_person a ON a.i = k.i_place
), w AS (
	-- how the till writes it
	SELECT who.*,
	       pg_temp.rnd(k, 20) AS r_case,
	       pg_temp.rnd(k, 21) < 0.15 AS swapped
	FROM who
), n AS (
	SELECT w.*,
	       CASE WHEN swapped THEN family ELSE given END AS g1,
	       CASE WHEN swapped THEN given ELSE family END AS f1
	FROM w
)
SELECT k,
       CASE WHEN r_case < 0.25 THEN pg_temp.shout(g1) ELSE g1 END AS prenom,
       CASE WHEN r_case < 0.25 THEN pg_temp.shout(f1) WHEN r_case < 0.65 THEN upper(f1) ELSE f1 END AS nom,
       CASE WHEN pg_temp.rnd(k, 22) < 0.30 THEN NULL
            WHEN pg_temp.rnd(k, 22) < 0.50 THEN upper(email)
            WHEN pg_temp.rnd(k, 22) < 0.60 THEN initcap(email)
            ELSE email END AS email,
       CASE WHEN pg_temp.rnd(k, 23) < 0.20 THEN NULL
            ELSE pg_temp.phone_format(phone, floor(pg_temp.rnd(k, 24) * 4)::int) END AS tel,
       CASE WHEN pg_temp.rnd(k, 25) < 0.50 THEN to_char(birth_date, 'DD/MM/YYYY') END AS date_naissance,
       CASE WHEN pg_temp.rnd(k, 26) < 0.05 THEN NULL ELSE postcode END AS cp,
       CASE WHEN pg_temp.rnd(k, 26) < 0.04 THEN NULL WHEN pg_temp.rnd(k, 27) < 0.3 THEN upper(city) ELSE city END AS ville,
       CASE WHEN pg_temp.rnd(k, 26) < 0.12 THEN NULL WHEN pg_temp.rnd(k, 27) < 0.3 THEN upper(address) ELSE address END AS adresse,
       person_id AS truth
FROM n
ORDER BY k;
ALTER TABLE public.rt_bench_pool ADD PRIMARY KEY (k);
VACUUM ANALYZE public.rt_bench_pool;
