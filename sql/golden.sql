-- Golden records: the survivorship aggregates, validity, trust with decay,
-- cu_golden with lineage, and the cu_golden_customers view.  Runs after
-- realtime.sql (its trained model).
SET search_path = customer_unify, public;
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- validity: empty, placeholders, one character repeated, malformed for a kind
SELECT v, cu_valid(v) AS as_text, cu_valid(v, 'email') AS as_email, cu_valid(v, 'phone') AS as_phone,
       cu_valid(v, 'name') AS as_name
FROM (VALUES ('jean@exemple.fr'), ('  N/A '), ('Inconnu'), ('test@test.com'), (''), ('xxxx'),
             ('0000000000'), ('06 12 34 56 78'), ('jean@exemple'), ('12'), ('Zoé'), ('42'), ('東京')) AS t(v);
SELECT cu_valid(NULL) IS NULL AS null_is_null, cu_valid('+44 20 7946 0958', 'phone:GB') AS gb_phone;
SELECT cu_valid('x', 'colour');
SELECT cu_valid('x', 'phone:ZZ');

-- one customer's e-mails from four silos, with placeholders and a malformed one
CREATE TEMP TABLE g (cid int, v text, at timestamptz, trust float8, src text);
INSERT INTO g VALUES
	(1, 'jean@exemple.fr',        '2024-01-01', 0.9, 'shop'),
	(1, 'N/A',                    '2025-01-01', 1.0, 'web'),
	(1, 'jean.dupont@exemple.fr', '2023-06-01', 0.5, 'chat'),
	(1, 'jean@exemple.fr',        '2022-01-01', 0.5, 'chat'),
	(1, NULL,                     '2026-01-01', 1.0, 'web'),
	(1, '',                       '2026-02-01', 1.0, 'web'),
	(1, 'jean@exemple',           '2025-06-01', 1.0, 'web'),
	(2, 'test@test.com',          '2025-01-01', 1.0, 'shop'),
	(2, 'inconnu',                '2025-02-01', 1.0, 'web'),
	(3, 'jean@exemple',           '2025-06-01', 1.0, 'web'),
	(4, 'b@exemple.fr',           '2025-01-01', 1.0, 'web'),
	(4, 'a@exemple.fr',           '2025-01-01', 1.0, 'shop'),
	(4, 'c@exemple.fr',           NULL,         NULL, 'chat');
SELECT cid,
       cu_most_recent(v, at) AS recent_text,
       cu_most_recent(v, at, 'email') AS recent_email,
       cu_oldest(v, at, 'email') AS oldest_email,
       cu_most_frequent(v, at, 'email') AS frequent_email,
       cu_most_trusted(v, trust, at, 'email') AS trusted_email,
       cu_longest(v, 'email') AS longest_email,
       cu_shortest(v) AS shortest_text
FROM g GROUP BY cid ORDER BY cid;
-- (1: the malformed 'jean@exemple' is the latest text but never the e-mail while a valid one exists;
--  2: placeholders only: nothing; 3: a malformed e-mail alone is all there is; 4: ties go to the smallest)

-- no result depends on the order of the rows
SELECT cid, cu_most_recent(v, at ORDER BY v) = cu_most_recent(v, at ORDER BY v DESC) AS recent_same,
       cu_most_frequent(v ORDER BY src) = cu_most_frequent(v ORDER BY src DESC) AS frequent_same,
       cu_most_trusted(v, trust ORDER BY at) = cu_most_trusted(v, trust ORDER BY at DESC) AS trusted_same
FROM g WHERE cid IN (1, 4) GROUP BY cid ORDER BY cid;

-- most frequent: ties go to the value seen last, then to the smallest
SELECT cu_most_frequent(v, at) AS by_recency, cu_most_frequent(v) AS by_value
FROM (VALUES ('Paris', '2020-01-01'::timestamptz), ('Lyon', '2024-01-01'), ('Paris', '2019-01-01'),
             ('Lyon', '2018-01-01'), ('Nantes', '2025-01-01')) AS t(v, at);

-- most trusted: NULL trust counts least; equal trust goes to the latest
SELECT cu_most_trusted(v, trust) AS trusted, cu_most_trusted(v, trust, at) AS trusted_then_recent
FROM (VALUES ('A', 0.8, '2020-01-01'::timestamptz), ('B', 0.8, '2024-01-01'), ('C', NULL, '2025-01-01'),
             ('D', 0.3, '2026-01-01')) AS t(v, trust, at);

-- phones: placeholders and numbers that cannot be one never win
SELECT cu_most_recent(v, at, 'phone') AS phone, cu_most_frequent(v, at, 'phone') AS frequent_phone
FROM (VALUES ('0000000000', '2026-01-01'::timestamptz), ('12', '2025-12-01'), ('06 12 34 56 78', '2020-01-01'),
             ('+33 6 98 76 54 32', '2019-01-01'), ('06 12 34 56 78', '2018-01-01')) AS t(v, at);

-- most frequent checks the leading value, then the next: placeholders (three rows) and a
-- malformed e-mail (two rows) lose to the valid e-mail that one row holds
SELECT cu_most_frequent(v, at, 'email') AS frequent_email
FROM (VALUES ('N/A', '2026-01-01'::timestamptz), ('N/A', '2026-01-02'), ('n/a ', '2026-01-03'),
             ('jean@exemple', '2025-01-01'), ('jean@exemple', '2025-01-02'),
             ('jean@exemple.fr', '2020-01-01')) AS t(v, at);

-- a valid value wins over a later malformed one, whichever comes first
SELECT cu_most_recent(v, at, 'email') AS recent_email, cu_most_trusted(v, trust, at, 'email') AS trusted_email
FROM (VALUES ('jean@exemple', 1.0, '2025-01-01'::timestamptz), ('jean@exemple.fr', 0.5, '2020-01-01'),
             ('N/A', 1.0, '2026-01-01')) AS t(v, trust, at);
SELECT cu_most_recent(v, at, 'email') AS recent_email, cu_most_trusted(v, trust, at, 'email') AS trusted_email
FROM (VALUES ('N/A', 1.0, '2026-01-01'::timestamptz), ('jean@exemple.fr', 0.5, '2020-01-01'),
             ('jean@exemple', 1.0, '2025-01-01')) AS t(v, trust, at);

-- most frequent among many distinct values (found through a hash index past 16):
-- v7 held by three rows, the placeholder by ten, forty other values by one
SELECT cu_most_frequent(v, at) AS frequent, cu_most_frequent(v ORDER BY v DESC) AS frequent_reversed
FROM (SELECT 'v' || i AS v, timestamptz '2020-01-01' + i * interval '1 day' AS at FROM generate_series(1, 40) i
      UNION ALL SELECT 'v7', '2019-01-01' FROM generate_series(1, 2)
      UNION ALL SELECT 'N/A', '2026-01-01' FROM generate_series(1, 10)) AS t;

-- any type: the rule applies, validity is about strings only
SELECT cu_most_recent(n, at) AS recent_int, cu_oldest(d, at) AS oldest_date, cu_most_frequent(d) AS frequent_date
FROM (VALUES (1, '1980-05-01'::date, '2020-01-01'::timestamptz), (2, '1980-05-01', '2021-01-01'),
             (3, '1981-05-01', NULL)) AS t(n, d, at);
-- fixed-size types passed by reference (uuid, interval) and name, a fixed-size string
SELECT cu_most_frequent(u) AS frequent_uuid, cu_most_frequent(i) AS frequent_interval,
       cu_most_frequent(nm) AS frequent_name, cu_most_recent(nm, at) AS recent_name
FROM (VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, interval '1 day', 'x'::name, '2020-01-01'::timestamptz),
             ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '2 days', 'y', '2019-01-01'),
             ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '2 days', 'y', '2018-01-01')) AS t(u, i, nm, at);
-- no row, or only NULLs: NULL
SELECT cu_most_recent(v, at) IS NULL AS none, cu_longest(v) IS NULL AS none_longest
FROM g WHERE cid = 99;
SELECT cu_most_frequent(NULL::text) IS NULL AS nulls_only;
-- non-Latin scripts and characters, not bytes, for lengths
SELECT cu_longest(v) AS longest, cu_shortest(v) AS shortest
FROM (VALUES ('東京都新宿区'), ('Zürich-Oerlikon'), ('ab')) AS t(v);

-- the user extends the placeholders
INSERT INTO cu_placeholders (value) VALUES ('Pas de mail');
SELECT cu_most_recent(v, at) AS recent
FROM (VALUES ('PAS DE MAIL', '2026-01-01'::timestamptz), ('marie@exemple.fr', '2020-01-01')) AS t(v, at);
DELETE FROM cu_placeholders WHERE NOT builtin;

-- the most complete row, the most recent among equals
CREATE TEMP TABLE addr (street text, postcode text, city text, at timestamptz);
INSERT INTO addr VALUES ('12 rue de la Gare', '35000', 'Rennes', '2020-01-01'),
                        ('3 place du Marché', NULL, 'Vannes', '2025-01-01'),
                        ('8 allée des Pins', '29000', 'inconnu', '2026-01-01'),
                        ('5 quai Duguay', '56100', 'Lorient', '2023-01-01');
SELECT (cu_most_complete(a, a.at)).street AS most_complete, (cu_most_complete(a)).street AS most_complete_no_time
FROM addr a;
SELECT cu_most_complete(street) FROM addr;

-- trust decays with age: halved every half-life, or linearly to zero
SELECT round(cu_trust(1, '2020-01-01', '1 year', '2021-01-01')::numeric, 3) AS one_half_life,
       round(cu_trust(0.8, '2020-01-01', '1 year', '2022-01-01')::numeric, 3) AS two_half_lives,
       cu_trust(0.8, '2030-01-01', '1 year', '2022-01-01') AS future_is_now,
       cu_trust_linear(1, '2020-01-01', '10 days', '2020-01-06') AS linear_half,
       cu_trust_linear(1, '2020-01-01', '10 days', '2021-01-01') AS linear_spent,
       cu_trust(1, now() - interval '1 year', '1 year') BETWEEN 0.49 AND 0.51 AS as_of_now;
-- an old value of a trusted source loses to a fresh one of a lesser source
SELECT cu_most_trusted(v, trust, at) AS without_decay,
       cu_most_trusted(v, cu_trust(trust, at, '180 days', '2026-01-01'), at) AS with_decay
FROM (VALUES ('old shop phone', 1.0, '2022-01-01'::timestamptz), ('fresh chat phone', 0.6, '2025-12-01')) AS t(v, trust, at);
SELECT cu_trust(1, '2020-01-01', '0 days');
SELECT cu_trust(1, 'infinity', '1 day', '2020-01-01');

-- errors
SELECT cu_most_complete(v) FROM g;
SELECT cu_most_trusted(v, 'NaN'::float8) FROM g;
SELECT cu_most_recent(v, at, 'colour') FROM g;

-- parallel plans give the serial result (forced on a small table)
CREATE TABLE gold_big AS
SELECT i % 500 AS cid, CASE WHEN i % 7 = 0 THEN 'N/A' ELSE 'v' || (i * 37 % 41) END AS v,
       timestamptz '2020-01-01' + (i * 7919 % 100000) * interval '1 minute' AS at, (i % 5) / 5.0 AS trust
FROM generate_series(1, 60000) AS i;
ANALYZE gold_big;
CREATE TEMP TABLE serial_result AS
SELECT cid, cu_most_recent(v, at) AS r, cu_oldest(v, at) AS o, cu_most_frequent(v, at) AS f,
       cu_most_trusted(v, trust, at) AS t, cu_longest(v) AS l, cu_shortest(v) AS s
FROM gold_big GROUP BY cid;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT cid, cu_most_recent(v, at) FROM gold_big GROUP BY cid;
SELECT count(*) AS differing_customers
FROM (SELECT cid, cu_most_recent(v, at) AS r, cu_oldest(v, at) AS o, cu_most_frequent(v, at) AS f,
             cu_most_trusted(v, trust, at) AS t, cu_longest(v) AS l, cu_shortest(v) AS s
      FROM gold_big GROUP BY cid) p
FULL JOIN serial_result s USING (cid)
WHERE (p.r, p.o, p.f, p.t, p.l, p.s) IS DISTINCT FROM (s.r, s.o, s.f, s.t, s.l, s.s);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
DROP TABLE gold_big;

-- cu_golden: whole records merged field by field, with lineage
CREATE TEMP TABLE recs (cid int, attrs jsonb, src text, at timestamptz);
INSERT INTO recs VALUES
	(1, '{"_id": "S-1", "given_name": "Jean-Pierre", "surname": "Dupont", "email": "jp.dupont@exemple.fr",
	      "phone": "06 12 34 56 78", "address": "12 rue de la Gare", "postcode": "35000", "city": "Rennes"}',
	 'shop', '2021-03-01'),
	(1, '{"_id": "W-9", "given_name": "JP", "surname": "DUPONT", "email": "jp.dupont@exemple.fr",
	      "phone": "0000000000", "address": "3 place du Marché", "postcode": null, "city": "Vannes"}',
	 'web', '2025-05-01'),
	(1, '{"_id": "C-4", "given_name": "Jean-Pierre", "surname": "Dupont", "email": "test@test.com",
	      "phone": "+33 6 98 76 54 32", "loyalty": 1200}',
	 'callcenter', '2024-01-01');
SELECT jsonb_pretty(cu_golden(attrs, src, at)) FROM recs;
-- rules override the defaults; trust per source; a field group of one's own
SELECT jsonb_pretty(cu_golden(attrs, src, at,
	'{"phone": "most_recent", "surname": {"rule": "longest", "kind": "name"},
	  "_trust": {"shop": 1.0, "web": 0.2, "callcenter": 0.9},
	  "_groups": [["city", "address"]]}')) FROM recs;
-- trust that decays: the shop's 2021 phone loses to the call centre's 2024 one
SELECT cu_golden(attrs, src, at, '{"_trust": {"shop": 1.0, "callcenter": 0.8}, "_half_life": "365 days"}') ->> 'phone' AS decayed,
       cu_golden(attrs, src, at, '{"_trust": {"shop": 1.0, "callcenter": 0.8}}') ->> 'phone' AS not_decayed
FROM recs;
-- order-insensitive
SELECT cu_golden(attrs, src, at ORDER BY at) = cu_golden(attrs, src, at ORDER BY at DESC) AS same_either_way FROM recs;
SELECT cu_golden(attrs, src, at) IS NULL AS no_records FROM recs WHERE cid = 2;
SELECT cu_golden(attrs, src, at, '{"email": "best"}') FROM recs;
SELECT cu_golden(attrs, src, at, '{"_groups": "address"}') FROM recs;
SELECT cu_golden('[1, 2]'::jsonb, 'x', now());
-- ties between equal values: the source, then the record id, in any order
CREATE TEMP TABLE tie (attrs jsonb, src text, at timestamptz);
INSERT INTO tie VALUES
	('{"_id": 7, "surname": "Martin", "city": "Lyon"}', 'web', '2024-01-01'),
	('{"_id": 3, "surname": "Martin", "city": "Lyon"}', 'web', '2024-01-01'),
	('{"_id": 5, "surname": "Martin", "city": "Lyon"}', 'shop', '2023-01-01');
SELECT cu_golden(attrs, src, at ORDER BY attrs ->> '_id') #> '{_lineage,surname}' AS frequent_surname,
       cu_golden(attrs, src, at ORDER BY attrs ->> '_id') #> '{_lineage,city,record_id}' AS recent_city,
       cu_golden(attrs, src, at, '{"surname": "longest"}' ORDER BY attrs ->> '_id') #> '{_lineage,surname,record_id}' AS longest_surname,
       cu_golden(attrs, src, at ORDER BY attrs ->> '_id') = cu_golden(attrs, src, at ORDER BY attrs ->> '_id' DESC) AS same_either_way
FROM tie;
-- the rules are those of the whole customer: they cannot change from record to record
SELECT cu_golden(attrs, src, at, CASE WHEN src = 'web' THEN '{"surname": "longest"}'::jsonb END) FROM tie;
-- numbers, booleans, arrays and objects are values too (most recent by default)
SELECT cu_golden(attrs, src, at) - '_lineage' AS merged
FROM (VALUES ('{"_id": "a", "loyalty": 1200, "tags": ["vip"], "optin": true}'::jsonb, 'shop', '2024-01-01'::timestamptz),
             ('{"_id": "b", "loyalty": 80.5, "tags": {"x": 1}, "optin": false}', 'web', '2025-01-01')) AS r(attrs, src, at);
-- many distinct values of a field (found through a hash past a few): the one most records hold
SELECT g ->> 'email' AS email, g #>> '{_lineage,email,records}' AS records, g #>> '{_lineage,email,record_id}' AS latest
FROM (SELECT cu_golden(jsonb_build_object('_id', i, 'email', CASE WHEN i % 5 = 0 THEN 'often@exemple.fr'
                                                                  ELSE 'user' || i || '@exemple.fr' END),
                       'web', '2024-01-01'::timestamptz + i * interval '1 day') AS g
      FROM generate_series(1, 200) AS i) s;

-- the golden customers of the registered sources
CREATE SCHEMA gold;
CREATE TABLE gold.shop (no int PRIMARY KEY, prenom text, nom text, mail text, tel text, ville text, maj timestamptz);
CREATE TABLE gold.chat (handle text PRIMARY KEY, pseudo text, mail text, tel text, seen date);
INSERT INTO gold.shop VALUES (1, 'Noémie', 'Le Gall', 'noemie.legall@exemple.fr', '06 11 22 33 44', 'Brest', '2020-01-01'),
                             (2, 'Yann', 'Kervella', 'N/A', '02 98 00 11 22', 'Quimper', '2024-01-01');
INSERT INTO gold.chat VALUES ('noemie29', 'Noémie Le Gall', 'noemie.legall@exemple.fr', '07 55 66 77 88', '2025-06-01');
SELECT cu_add_source('gold.shop', id => 'no', updated_at => 'maj', trust => 0.9,
	columns => '{"given_name": "prenom", "surname": "nom", "email": "mail", "phone": "tel", "city": "ville"}') ->> 'updated_at' AS shop_time;
SELECT cu_add_source('gold.chat', id => 'handle', updated_at => 'seen', trust => 0.5,
	columns => '{"full_name": "pseudo", "email": "mail", "phone": "tel"}') ->> 'updated_at' AS chat_time;
CREATE TABLE gold.web (login text PRIMARY KEY, mail text, created text);
SELECT cu_add_source('gold.web', id => 'login', updated_at => 'nope', columns => '{"email": "mail"}');
SELECT cu_add_source('gold.web', id => 'login', updated_at => 'created', columns => '{"email": "mail"}');
-- (records of one person, mapped as a run would)
INSERT INTO cu_identity_map (source, source_id, customer_id, resolved_at)
VALUES ('gold.shop', '1', 900001, now()), ('gold.chat', 'noemie29', 900001, now()), ('gold.shop', '2', 900002, now());
SELECT customer_id, records, sources, given_name, surname, full_name, email, phone, city, last_updated,
       golden #>> '{_lineage,phone,source}' AS phone_from
FROM cu_golden_customers WHERE customer_id IN (900001, 900002) ORDER BY customer_id;
SELECT cu_golden_customer(900001) = (SELECT golden FROM cu_golden_customers WHERE customer_id = 900001) AS same_as_view;
DELETE FROM cu_identity_map WHERE customer_id IN (900001, 900002);
SELECT cu_remove_source('gold.shop'), cu_remove_source('gold.chat');
DROP SCHEMA gold CASCADE;

RESET client_min_messages;
