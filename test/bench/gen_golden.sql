-- test/bench/gen_golden.sql: a seeded generator of linked customer records,
-- the input of golden records (golden.sql).
--
-- psql -v n=10000000 -v seed=0.29 -f gen_golden.sql creates
-- public.golden_input(customer_id, email, phone, city, at, trust, source,
-- attrs) with n rows over about n/10 customers: each customer has 1 to 19
-- records (10 on average) spread over four sources, each with its trust
-- (shop 0.9, callcenter 0.8, web 0.7, reviews 0.4), written at random times
-- over five years.  A customer holds one to three e-mails and one or two
-- phones, moves city now and then, and its records carry what silos carry:
-- NULLs, placeholders ('N/A', 'test@test.com', '0000000000', ''), malformed
-- e-mails, names in capitals or as initials.  attrs holds the same fields as
-- one JSON object per record, plus "_id" (the record), as cu_golden reads them.
-- Rows are stored in time order, as records accumulate in a silo, so a
-- customer's records are scattered over the table.  The same seed gives the
-- same rows.
--
-- Built in one pass: no per-row subquery, only arithmetic on the series and
-- array indexing, then one sort (a minute or two per ten million rows on two
-- cores).

\if :{?n}
\else
\set n 10000000
\endif
\if :{?seed}
\else
\set seed 0.29
\endif

SET client_min_messages = warning;
SET work_mem = '256MB';   -- for the final sort by time
SELECT setseed(:seed) \gset

DROP TABLE IF EXISTS public.golden_input;
CREATE TABLE public.golden_input AS
WITH lists AS (
	SELECT ARRAY['Jean', 'Jean-Pierre', 'Pierre', 'Marie', 'Anne', 'Françoise', 'Élodie', 'Hélène', 'Philippe',
	             'Thomas', 'Nicolas', 'Catherine', 'Isabelle', 'Sébastien', 'Stéphane', 'Céline', 'Jérôme',
	             'Mathieu', 'Guillaume', 'Christophe', 'Aurélie', 'Laurent', 'Benoît', 'Gaëlle', 'Anaïs', 'Zoé',
	             'Chloé', 'Léa', 'Théo', 'Lucas', 'Hugo', 'Manon', 'Camille', 'Robert', 'William', 'Margaret',
	             'Elizabeth', 'James', 'John', 'Michael', 'David', 'Sarah', 'Daniel', 'Emily', 'Olivia']::text[] AS given,
	       ARRAY['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
	             'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
	             'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Legrand',
	             'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Perrin', 'Morin',
	             'Clément', 'Gauthier', 'Dumont', 'Fontaine', 'Chevalier', 'Nguyen', 'Le Goff', 'Smith',
	             'Johnson', 'Williams', 'Brown', 'Taylor', 'Wilson', 'Schneider', 'Schäfer']::text[] AS surname,
	       ARRAY['Paris', 'Marseille', 'Lyon', 'Toulouse', 'Nice', 'Nantes', 'Montpellier', 'Strasbourg',
	             'Bordeaux', 'Lille', 'Rennes', 'Reims', 'Saint-Étienne', 'Toulon', 'Le Havre', 'Grenoble',
	             'Dijon', 'Angers', 'Nîmes', 'Clermont-Ferrand', 'Brest', 'Tours', 'Limoges', 'Amiens']::text[] AS city,
	       ARRAY['gmail.com', 'orange.fr', 'free.fr', 'hotmail.fr', 'yahoo.fr', 'laposte.net', 'sfr.fr',
	             'outlook.com', 'wanadoo.fr', 'icloud.com']::text[] AS domain,
	       -- what silos write when they have nothing (placeholders) or garble (malformed)
	       ARRAY['N/A', 'test@test.com', '', 'inconnu', 'jean.dupont@gmail', 'x']::text[] AS bad_email,
	       ARRAY['0000000000', 'N/A', '', '0600000000', '12', 'ne répond pas']::text[] AS bad_phone,
	       ARRAY['N/A', '', '-', 'inconnu']::text[] AS bad_city
), customers AS (
	-- one row per customer: its identity and how many records it has (1..19)
	-- (a CTE with random() is materialised, so each customer draws once)
	SELECT c, 1 + floor(random() * 19)::int AS records,
	       l.given[1 + floor(random() * cardinality(l.given))::int] AS given,
	       l.surname[1 + floor(random() * cardinality(l.surname))::int] AS surname,
	       1 + floor(random() * cardinality(l.city))::int AS city1,
	       1 + floor(random() * cardinality(l.city))::int AS city2,
	       1 + floor(random() * cardinality(l.domain))::int AS dom1,
	       1 + floor(random() * cardinality(l.domain))::int AS dom2,
	       1 + floor(random() * 3)::int AS emails,          -- distinct e-mails: 1..3
	       1 + floor(random() * 2)::int AS phones,          -- distinct phones: 1..2
	       10000000 + floor(random() * 89999999)::bigint AS phone1,
	       10000000 + floor(random() * 89999999)::bigint AS phone2,
	       timestamptz '2020-01-01 00:00+00' + random() * interval '1826 days' AS moved_at
	FROM lists l, generate_series(1, ceil(:n / 10.0)::bigint + 100) AS c
), records AS (
	-- one row per record: the customer's row and the index of the record
	SELECT cu.*, generate_series(1, cu.records) AS k,
	       translate(lower(cu.given || '.' || replace(cu.surname, ' ', '')),
	                 'éèêëàâäîïôöûüçñ', 'eeeeaaaiioouucn') AS slug
	FROM customers cu
	ORDER BY cu.c
	LIMIT :n
), draws AS (
	SELECT r.*, random() AS r_email, random() AS r_phone, random() AS r_city, random() AS r_name,
	       random() AS r_source, random() AS r_pick, random() AS r_pick2,
	       timestamptz '2020-01-01 00:00+00' + random() * interval '1826 days' AS at
	FROM records r
), valued AS (
	SELECT d.c, d.k, d.at, d.given, d.surname,
	       CASE
		       WHEN d.r_email < 0.10 THEN NULL
		       WHEN d.r_email < 0.16 THEN l.bad_email[1 + floor(d.r_pick * cardinality(l.bad_email))::int]
		       ELSE CASE 1 + floor(d.r_pick * d.emails)::int
			       WHEN 1 THEN d.slug || '@' || l.domain[d.dom1]
			       WHEN 2 THEN left(d.slug, 1) || substr(d.slug, strpos(d.slug, '.') + 1) || (d.c % 100)
			                   || '@' || l.domain[d.dom2]
			       ELSE d.slug || '@' || 'entreprise-' || (d.c % 997) || '.fr'
		       END
	       END AS email,
	       CASE
		       WHEN d.r_phone < 0.15 THEN NULL
		       WHEN d.r_phone < 0.21 THEN l.bad_phone[1 + floor(d.r_pick2 * cardinality(l.bad_phone))::int]
		       ELSE CASE WHEN d.phones = 1 OR d.r_pick2 < 0.6 THEN '06' || d.phone1 ELSE '07' || d.phone2 END
	       END AS phone,
	       CASE
		       WHEN d.r_city < 0.08 THEN NULL
		       WHEN d.r_city < 0.11 THEN l.bad_city[1 + floor((d.r_city - 0.08) / 0.03 * cardinality(l.bad_city))::int]
		       WHEN d.at < d.moved_at THEN l.city[d.city1]
		       ELSE l.city[d.city2]
	       END AS city,
	       CASE WHEN d.r_source < 0.30 THEN 'shop' WHEN d.r_source < 0.65 THEN 'web'
	            WHEN d.r_source < 0.85 THEN 'callcenter' ELSE 'reviews' END AS source,
	       d.r_name
	FROM draws d, lists l
)
SELECT v.c AS customer_id, v.email, v.phone, v.city, v.at,
       CASE v.source WHEN 'shop' THEN 0.9 WHEN 'web' THEN 0.7 WHEN 'callcenter' THEN 0.8 ELSE 0.4 END::float8 AS trust,
       v.source,
       jsonb_build_object('_id', (v.c * 20 + v.k)::text, 'email', v.email, 'phone', v.phone, 'city', v.city,
                          'given_name', CASE WHEN v.r_name < 0.05 THEN NULL
                                             WHEN v.r_name < 0.12 THEN upper(v.given)
                                             WHEN v.r_name < 0.17 THEN left(v.given, 1) || '.'
                                             ELSE v.given END,
                          'surname', CASE WHEN v.r_name < 0.05 THEN NULL
                                          WHEN v.r_name < 0.20 THEN upper(v.surname)
                                          ELSE v.surname END) AS attrs
FROM valued v
ORDER BY v.at;   -- as written over time: a customer's records lie all over the table

VACUUM ANALYZE public.golden_input;
