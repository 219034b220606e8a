-- Resolution: sources, training, clustering, persistent customer ids,
-- explanations, and the errors of each step.
SET search_path = customer_unify, public;
-- the NOTICEs of each phase carry timings; errors show without their context
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- start with no source (the sources test left some): nothing to train or resolve
SELECT count(cu_remove_source(source)) >= 0 AS cleared FROM cu_sources;
SELECT cu_train();
SELECT cu_resolve();

-- Two silos of a seeded population: 300 people in the shop; two in three of
-- them also in the call centre, written differently (upper case, surname
-- first, typos, phone in international form, day and month swapped, missing
-- e-mails).  People i and i + 120 share first name and surname: homonyms.
CREATE TABLE resolve_people AS
SELECT i AS pid,
       (ARRAY['Jean', 'Marie', 'Pierre', 'Anne', 'Luc', 'Sophie', 'Paul', 'Claire', 'Louis', 'Julie',
              'Hugo', 'Emma', 'Léa', 'Chloé', 'Théo', 'Zoé', 'Noël', 'Inès', 'Jérôme', 'Hélène',
              'Robert', 'Margaret', 'William', 'Elizabeth', 'James', 'Sarah', 'John', 'Mary', 'David', 'Laura',
              'François', 'Céline', 'Benoît', 'Gaëlle', 'Joseph', 'Agathe', 'Michel', 'Nathalie', 'René', 'Amélie'])[1 + (i * 7) % 40] AS given,
       (ARRAY['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
              'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
              'Morel', 'Girard', 'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
              'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
              'Dupuis', 'Chevalier', 'Gauthier', 'Perrin', 'Morin', 'Rousseau', 'Blanc', 'Guerin', 'Muller', 'Henry',
              'Roussel', 'Nicolas', 'Perret', 'Mathieu', 'Clement', 'Gaillard', 'Brunet', 'Schmitt', 'Meyer', 'Colin'])[1 + (i * 13) % 60] AS family,
       date '1945-01-01' + (i * 7919) % 20000 AS born,
       lpad(((i * 104729) % 100000000)::text, 8, '0') AS phone8,
       lpad((75001 + (i * 31) % 900)::text, 5, '0') AS postcode
FROM generate_series(1, 300) AS i;

CREATE SCHEMA silo;
CREATE TABLE silo.shop AS
SELECT pid AS customer_no, given AS prenom, family AS nom,
       lower(translate(given || '.' || family, 'éèëçïô ', 'eeecio')) || pid || '@exemple.fr' AS mail,
       '06 ' || substr(phone8, 1, 2) || ' ' || substr(phone8, 3, 2) || ' ' || substr(phone8, 5, 2) || ' ' || substr(phone8, 7, 2) AS tel,
       to_char(born, 'DD/MM/YYYY') AS date_naissance, postcode AS cp
FROM resolve_people;
ALTER TABLE silo.shop ADD PRIMARY KEY (customer_no);

CREATE TABLE silo.contacts AS
SELECT 'C-' || pid AS contact_id,
       upper(CASE WHEN pid % 5 = 0 THEN overlay(family PLACING substr(family, 3, 1) || substr(family, 2, 1) FROM 2 FOR 2)
                  ELSE family END) || ' ' || given AS full_name,
       CASE WHEN pid % 7 = 0 THEN NULL
            ELSE upper(translate(given || '.' || family, 'éèëçïô ', 'eeecio')) || pid || '@EXEMPLE.FR' END AS email,
       '+336' || phone8 AS phone,
       CASE WHEN pid % 11 = 0 AND extract(day FROM born) <= 12
            THEN make_date(extract(year FROM born)::int, extract(day FROM born)::int, extract(month FROM born)::int)
            ELSE born END AS birth_date,
       postcode
FROM resolve_people WHERE pid % 3 <> 0;
ALTER TABLE silo.contacts ADD PRIMARY KEY (contact_id);

-- the truth, for measuring
CREATE TABLE resolve_truth AS
SELECT 'silo.shop'::regclass AS source, customer_no::text AS source_id, customer_no AS pid FROM silo.shop
UNION ALL
SELECT 'silo.contacts'::regclass, contact_id, substr(contact_id, 3)::int FROM silo.contacts;

SELECT cu_add_source('silo.shop', id => 'customer_no',
       columns => '{"given_name": "prenom", "surname": "nom", "email": "mail", "phone": "tel",
                    "birth_date": "date_naissance", "postcode": "cp"}') ->> 'records' AS shop_records;
SELECT cu_add_source('silo.contacts', id => 'contact_id',
       columns => '{"full_name": "full_name", "email": "email", "phone": "phone", "birth_date": "birth_date",
                    "postcode": "postcode"}') ->> 'records' AS cc_records;

-- resolving needs a trained model
SELECT cu_resolve();

-- training: no labels; the summary says what was learnt from what
SELECT t ->> 'records' AS records, t -> 'attributes' AS attributes, (t ->> 'candidate_pairs')::int > 200 AS enough_pairs,
       (t -> 'pairs_by_rule' ->> 'email')::int > 0 AS email_rule, (t -> 'pairs_by_rule' ->> 'names')::int > 0 AS names_rule,
       t ->> 'converged' AS converged, (t ->> 'candidate_prior')::float8 BETWEEN 0.05 AND 0.95 AS sane_candidate_prior,
       (t ->> 'expected_matches')::int BETWEEN 190 AND 210 AS expected_matches_near_200
FROM (SELECT cu_train() AS t) x;

-- the model: every level of every compared attribute has m and u; agreement
-- weighs for a match, disagreement against
SELECT attribute, scheme, count(*) AS levels, bool_and(m > 0 AND u > 0) AS estimated,
       (array_agg(weight ORDER BY level))[1] > 0 AS exact_for,
       (array_agg(weight ORDER BY level DESC))[1] < 0 AS different_against
FROM cu_model_levels JOIN cu_model_comparisons USING (attribute)
GROUP BY attribute, scheme, position ORDER BY position, attribute;
SELECT attribute, tf, tf_mean > 0 AS has_mean FROM cu_model_comparisons ORDER BY position, attribute;
SELECT count(*) > 0 AS frequent_surnames_counted FROM cu_model_tf WHERE attribute = 'surname' AND value = 'martin';

-- resolving: the statistics, and the quality against the truth
SELECT r ->> 'records' AS records, (r ->> 'candidate_pairs')::int >= (r ->> 'links')::int AS links_among_pairs,
       r ->> 'customers' AS customers, r ->> 'new_customers' AS new_customers,
       r ->> 'merges' AS merges, r ->> 'splits' AS splits, r ? 'phases' AS phases, r ? 'seconds' AS seconds
FROM (SELECT cu_resolve() AS r) x;
CREATE VIEW resolve_quality AS
WITH m AS (SELECT t.pid, i.customer_id FROM resolve_truth t JOIN cu_identity_map i USING (source, source_id)),
     pred AS (SELECT sum(n * (n - 1) / 2) AS n FROM (SELECT count(*) AS n FROM m GROUP BY customer_id) x),
     tru AS (SELECT sum(n * (n - 1) / 2) AS n FROM (SELECT count(*) AS n FROM m GROUP BY pid) x),
     tp AS (SELECT sum(n * (n - 1) / 2) AS n FROM (SELECT count(*) AS n FROM m GROUP BY pid, customer_id) x)
SELECT tru.n AS true_pairs, pred.n AS predicted_pairs, tp.n AS correct_pairs,
       round(tp.n / pred.n, 3) AS precision, round(tp.n / tru.n, 3) AS recall
FROM pred, tru, tp;
SELECT *, precision >= 0.95 AND recall >= 0.95 AS good FROM resolve_quality;
-- homonyms (same names, other birth date, e-mail and phone) stay apart
SELECT count(*) AS homonyms_merged
FROM resolve_truth a JOIN resolve_truth b ON b.pid = a.pid + 120 AND a.source = 'silo.shop'::regclass AND b.source = a.source
JOIN cu_identity_map ia ON ia.source = a.source AND ia.source_id = a.source_id
JOIN cu_identity_map ib ON ib.source = b.source AND ib.source_id = b.source_id
WHERE ia.customer_id = ib.customer_id;
SELECT count(*) AS records, count(DISTINCT customer_id) AS customers,
       count(*) FILTER (WHERE match_probability IS NULL) AS alone,
       bool_and(match_probability IS NULL OR match_probability >= 0.9) AS linked_above_threshold
FROM cu_identity_map;

-- explanations: why the shop's customer 5 is call-centre contact C-5
-- (surname with a typo there), and why homonyms 5 and 125 are not one person
SELECT e ->> 'linked' AS linked, e ->> 'same_customer' AS same_customer, (e ->> 'probability')::float8 > 0.99 AS sure,
       e ->> 'names_swapped' AS swapped
FROM (SELECT cu_explain('silo.shop', '5', 'silo.contacts', 'C-5') AS e) x;
SELECT a.attribute, a.value_a, a.value_b, a.level, a.label, sign(a.weight) AS evidence
FROM jsonb_to_recordset(cu_explain('silo.shop', '5', 'silo.contacts', 'C-5') -> 'attributes')
     AS a(attribute text, value_a text, value_b text, level int, label text, weight float8);
SELECT e ->> 'linked' AS linked, e ->> 'same_customer' AS same_customer, (e ->> 'probability')::float8 < 0.01 AS surely_not
FROM (SELECT cu_explain('silo.shop', '5', 'silo.shop', '125') AS e) x;
SELECT xml_is_well_formed_document(cu_explain_svg('silo.shop', '5', 'silo.contacts', 'C-5')) AS explain_svg,
       xml_is_well_formed_document(cu_weights_svg()) AS weights_svg;
-- errors name the problem
SELECT cu_explain('silo.shop', '5', 'silo.contacts', 'C-99999');
SELECT cu_explain('silo.shop', 'abc', 'silo.contacts', 'C-5');
SELECT cu_explain('resolve_people', '1', 'silo.contacts', 'C-5');
SELECT cu_explain(NULL, '1', 'silo.contacts', 'C-5') IS NULL AS null_gives_null;
SELECT cu_resolve(threshold => 1.5);
SELECT cu_resolve(max_block_size => 1);
SELECT cu_weights_svg(123456);

-- persistent ids: a second run changes nothing
CREATE TABLE resolve_map1 AS SELECT * FROM cu_identity_map;
SELECT r ->> 'new_customers' AS new_customers, r ->> 'merges' AS merges, r ->> 'splits' AS splits
FROM (SELECT cu_resolve() AS r) x;
SELECT count(*) AS ids_changed FROM resolve_map1 JOIN cu_identity_map m USING (source, source_id)
WHERE m.customer_id <> resolve_map1.customer_id;

-- a new record of a known person joins that person's customer
INSERT INTO silo.contacts VALUES ('C-3', 'DUBOIS Jean', NULL, '+3306' || (SELECT phone8 FROM resolve_people WHERE pid = 3), NULL, NULL);
UPDATE silo.contacts SET full_name = (SELECT upper(family) || ' ' || given FROM resolve_people WHERE pid = 3),
       phone = (SELECT '+336' || phone8 FROM resolve_people WHERE pid = 3),
       birth_date = (SELECT born FROM resolve_people WHERE pid = 3) WHERE contact_id = 'C-3';
INSERT INTO resolve_truth VALUES ('silo.contacts', 'C-3', 3);
SELECT r ->> 'new_customers' AS new_customers, r ->> 'merges' AS merges, r ->> 'splits' AS splits
FROM (SELECT cu_resolve() AS r) x;
SELECT m.customer_id = resolve_map1.customer_id AS joined_known_customer
FROM cu_identity_map m, resolve_map1
WHERE m.source = 'silo.contacts'::regclass AND m.source_id = 'C-3'
  AND resolve_map1.source = 'silo.shop'::regclass AND resolve_map1.source_id = '3';
SELECT count(*) AS ids_changed FROM resolve_map1 JOIN cu_identity_map m USING (source, source_id)
WHERE m.customer_id <> resolve_map1.customer_id;

-- a merge keeps the older id: as if C-10 had been a customer of its own
UPDATE cu_identity_map SET customer_id = nextval('cu_customer_id_seq')
WHERE source = 'silo.contacts'::regclass AND source_id = 'C-10';
-- a split keeps the id of the larger part: as if customer 21 (one record)
-- had been merged into customer 20 (two records)
UPDATE cu_identity_map SET customer_id = (SELECT customer_id FROM resolve_map1 WHERE source = 'silo.shop'::regclass AND source_id = '20')
WHERE source = 'silo.shop'::regclass AND source_id = '21';
-- and a record deleted from its source retires its customer
DELETE FROM silo.shop WHERE customer_no = 297;
DELETE FROM resolve_truth WHERE source = 'silo.shop'::regclass AND source_id = '297';
TRUNCATE cu_merge_log;
SELECT r ->> 'new_customers' AS new_customers, r ->> 'merges' AS merges, r ->> 'splits' AS splits, r ->> 'retired' AS retired
FROM (SELECT cu_resolve() AS r) x;
SELECT l.action,
       l.customer_id = (SELECT customer_id FROM resolve_map1 WHERE source = 'silo.shop'::regclass AND source_id = CASE l.action WHEN 'merge' THEN '10' WHEN 'split' THEN '20' ELSE '297' END) AS expected_customer,
       l.other_customer_id > (SELECT max(customer_id) FROM resolve_map1) AS other_is_newer, l.records
FROM cu_merge_log l ORDER BY l.action;
SELECT count(*) AS ids_changed FROM resolve_map1 JOIN cu_identity_map m USING (source, source_id)
WHERE m.customer_id <> resolve_map1.customer_id;
SELECT m.source_id, m.customer_id > (SELECT max(customer_id) FROM resolve_map1) AS new_id
FROM cu_identity_map m WHERE m.source = 'silo.shop'::regclass AND m.source_id = '21';

-- the user's overrides: a locked level keeps its values through training
UPDATE cu_model_levels SET m = 0.5, u = 0.5, locked = true WHERE attribute = 'postcode' AND level = 2;
SELECT cu_train() IS NOT NULL AS trained;
SELECT m, u, weight, locked FROM cu_model_levels WHERE attribute = 'postcode' AND level = 2;

-- a postcode names its town: a city equal beside an equal postcode is not
-- counted again (label says so, weight 0); beside another postcode it counts
BEGIN;
INSERT INTO cu_model_comparisons (attribute, scheme, position) VALUES ('city', 'text', 9);
INSERT INTO cu_model_levels (attribute, level, label, m, u)
SELECT 'city', l.i - 1, l.label, CASE WHEN l.i = 1 THEN 0.8 ELSE 0.05 END, CASE WHEN l.i = 1 THEN 0.01 ELSE 0.2475 END
FROM unnest(cu_scheme_levels('text')) WITH ORDINALITY AS l(label, i);
CREATE TEMP TABLE resolve_places AS
SELECT ROW(1, 1, 'a', 'jean', 'dupont', NULL, NULL, NULL, NULL, NULL, '75001', 'paris', NULL, NULL, NULL, '{}')::cu_records AS a,
       ROW(2, 1, 'b', 'jean', 'dupont', NULL, NULL, NULL, NULL, NULL, '75001', 'paris', NULL, NULL, NULL, '{}')::cu_records AS same_postcode,
       ROW(3, 1, 'c', 'jean', 'dupont', NULL, NULL, NULL, NULL, NULL, '75019', 'paris', NULL, NULL, NULL, '{}')::cu_records AS other_postcode;
SELECT c.attribute, c.level, c.label, c.weight
FROM resolve_places p, jsonb_to_recordset(cu_explain_records(p.a, p.same_postcode) -> 'attributes')
     AS c(attribute text, level int, label text, weight float8)
WHERE c.attribute IN ('postcode', 'city');
SELECT c.attribute, c.level, c.label, round(c.weight::numeric, 2) AS weight
FROM resolve_places p, jsonb_to_recordset(cu_explain_records(p.a, p.other_postcode) -> 'attributes')
     AS c(attribute text, level int, label text, weight float8)
WHERE c.attribute IN ('postcode', 'city');
-- the totals differ by the postcode's evidence and the second city's weight only
SELECT round((cu_match_weight(p.a, p.same_postcode) - cu_match_weight(p.a, p.other_postcode))::numeric, 6) =
       round((SELECT sum(c.weight + c.tf_adjustment) FILTER (WHERE c.attribute = 'postcode')
              FROM jsonb_to_recordset(cu_explain_records(p.a, p.same_postcode) -> 'attributes')
                   AS c(attribute text, weight float8, tf_adjustment float8))::numeric
             - (SELECT sum(c.weight + c.tf_adjustment)
                FROM jsonb_to_recordset(cu_explain_records(p.a, p.other_postcode) -> 'attributes')
                     AS c(attribute text, weight float8, tf_adjustment float8)
                WHERE c.attribute IN ('postcode', 'city'))::numeric, 6) AS city_counted_once
FROM resolve_places p;
ROLLBACK;

-- a failed run leaves the identity map as it was
CREATE TABLE resolve_map2 AS SELECT * FROM cu_identity_map;
CREATE FUNCTION resolve_fail_after() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM customer_unify.cu_resolve();
	RAISE EXCEPTION 'cancelled';
END $$;
SELECT resolve_fail_after();
SELECT (SELECT count(*) FROM resolve_map2) AS before, (SELECT count(*) FROM cu_identity_map) AS after,
       (SELECT count(*) FROM (SELECT * FROM resolve_map2 EXCEPT SELECT * FROM cu_identity_map) x) AS differences,
       to_regclass('customer_unify.cu_run_scores') IS NULL AS no_work_tables_left;

-- clustering: a chain of weak links does not glue two resolve_people together
CREATE TABLE resolve_edges (a bigint, b bigint, weight float8);
INSERT INTO resolve_edges VALUES
	(1, 2, 10), (2, 3, 10), (1, 3, -30),   -- 1-2 and 2-3 linked, but 1 and 3 clearly differ
	(4, 5, 8), (5, 6, 7), (4, 6, -1),      -- a true trio with one doubtful pair
	(7, 8, 2), (9, 10, '-Infinity');       -- below the threshold; declared different
SELECT * FROM cu_link_components('resolve_edges', 3.17) ORDER BY record_key;
SELECT record_key, cluster_key, round(match_probability::numeric, 4) AS p
FROM cu_cluster('resolve_edges', 3.17, 0) ORDER BY record_key;
SELECT * FROM cu_cluster('resolve_people', 3.17, 0);
SELECT * FROM cu_cluster('resolve_edges', 'NaN', 0);

-- the training primitive, checked on a hand-made mixture: 90 pairs agreeing
-- on both attributes, 900 disagreeing on both, 10 mixed
SELECT round((e ->> 'prior')::numeric, 2) AS prior, e ->> 'converged' AS converged,
       round((e -> 'm' -> 0 ->> 0)::numeric, 2) AS m_agree, round((e -> 'u' -> 0 ->> 0)::numeric, 2) AS u_agree
FROM (SELECT cu_estimate_model('{{0,0},{1,1},{0,1},{1,0}}', '{90,900,5,5}', '{0,0,0,0}', '{2,2}',
                               '{0.9,0.1,0.9,0.1}', '{0.1,0.9,0.1,0.9}', 0.5, 0, 2000) AS e) x;
SELECT cu_estimate_model('{{0,0}}', '{1}', '{0}', '{2,2}', '{0.9,0.1}', '{0.1,0.9,0.1,0.9}', 0.5, 0, 100);
SELECT cu_estimate_model('{{0,5}}', '{1}', '{0}', '{2,2}', '{0.9,0.1,0.9,0.1}', '{0.1,0.9,0.1,0.9}', 0.5, 0, 100);
SELECT cu_estimate_model('{{0,0}}', '{1}', '{0}', '{2,2}', '{0.9,0.1,0.9,0.1}', '{0.1,0.9,0.1,0.9}', 1.5, 0, 100);
SELECT cu_scheme_levels('phone');
SELECT cu_scheme_levels('colour');
SELECT cu_blocking_keys('jean pierre dupont', 'jp.dupont@free.fr', '+33612345678', '1970-03-02', '75011', 'paris');
SELECT cu_blocking_keys(NULL, NULL, NULL, NULL, NULL, NULL);

-- pairs from blocks: each pair once, with every rule whose key the two share;
-- a key given twice counts once, a block not admitted gives nothing
CREATE TABLE resolve_keys (record_key bigint, h bigint);
INSERT INTO resolve_keys VALUES
	(1, (0::bigint << 58) | 11), (2, (0::bigint << 58) | 11),                       -- rule 0, block A
	(1, (2::bigint << 58) | 22), (2, (2::bigint << 58) | 22), (3, (2::bigint << 58) | 22),
	(3, (2::bigint << 58) | 22),                                                     -- rule 2, block B
	(4, (5::bigint << 58) | 33), (5, (5::bigint << 58) | 33);                       -- rule 5, block C
CREATE TABLE resolve_admitted (h bigint, admitted boolean);
INSERT INTO resolve_admitted VALUES ((0::bigint << 58) | 11, true), ((2::bigint << 58) | 22, true),
	((5::bigint << 58) | 33, false);
SELECT * FROM cu_block_pairs('resolve_keys', 'resolve_admitted') ORDER BY a, b;
DROP TABLE resolve_keys, resolve_admitted;
-- on the regression records, the same pairs as the SQL self-join of the keys
CREATE TABLE resolve_keys AS
SELECT r.record_key, k.h FROM cu_records r,
       unnest(cu_blocking_hashes(r.full_name, r.email, r.phone, r.birth_date, r.postcode, r.city)) AS k(h);
CREATE TABLE resolve_admitted AS
SELECT h, count(*) <= 50 AS admitted FROM resolve_keys GROUP BY h HAVING count(*) > 1;
CREATE TABLE resolve_sql_pairs AS
WITH blocks AS (SELECT k.* FROM resolve_keys k JOIN resolve_admitted b ON b.h = k.h AND b.admitted)
SELECT x.record_key AS a, y.record_key AS b, bit_or(1 << (x.h >> 58)::int) AS rules
FROM blocks x JOIN blocks y ON y.h = x.h AND x.record_key < y.record_key GROUP BY 1, 2;
SELECT (SELECT count(*) FROM resolve_sql_pairs) AS pairs,
       (SELECT count(*) FROM (SELECT * FROM resolve_sql_pairs
                              EXCEPT SELECT * FROM cu_block_pairs('resolve_keys', 'resolve_admitted')) x) AS missing,
       (SELECT count(*) FROM (SELECT * FROM cu_block_pairs('resolve_keys', 'resolve_admitted')
                              EXCEPT SELECT * FROM resolve_sql_pairs) x) AS extra;
SELECT count(*) FROM cu_block_pairs('resolve_keys', 0);
DROP TABLE resolve_keys, resolve_admitted, resolve_sql_pairs;

-- a run left in progress can be watched from another session (none here)
SELECT count(*) AS running FROM cu_progress;

RESET client_min_messages;
