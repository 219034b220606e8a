-- Real-time resolution as rows arrive, the review queue, advisors' decisions
-- and splits, and batch runs honouring them.  Runs after resolve.sql, on its
-- two silos (silo.shop, silo.contacts) and trained model.
SET search_path = customer_unify, public;
SET client_min_messages = warning;
\set SHOW_CONTEXT never

UPDATE cu_model_levels SET locked = false;
SELECT cu_train() IS NOT NULL AS trained, (cu_resolve() ->> 'customers')::int > 0 AS resolved;
CREATE TEMP TABLE rt_before AS SELECT * FROM cu_identity_map;
CREATE TEMP TABLE rt_log_start AS SELECT coalesce(max(log_id), 0) AS log_id FROM cu_merge_log;
CREATE TEMP TABLE rt_max_id AS SELECT max(customer_id) AS id FROM cu_identity_map;

-- decisions are looked up pair by pair, in either order
SELECT cu_decision('silo.shop', '1', 'silo.contacts', 'C-1') IS NULL AS none_yet;

-- errors name the problem
SELECT cu_enable_realtime('resolve_people');
SELECT cu_enable_realtime(NULL);
SELECT cu_review(1, 'maybe');
SELECT cu_review(999999, 'same');
SELECT cu_split(999999, ARRAY['silo.shop'::regclass], ARRAY['1']);

SELECT cu_enable_realtime('silo.shop') ->> 'realtime' AS shop_realtime,
       cu_enable_realtime('silo.contacts') ->> 'realtime' AS contacts_realtime;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgname LIKE 'cu_realtime_%' AND NOT tgisinternal;

-- a new call-centre contact of a known shop customer (person 15 has no
-- contact yet) joins that customer at once, inside the INSERT
SELECT count(*) AS contacts_of_15 FROM silo.contacts WHERE contact_id = 'C-15';
INSERT INTO silo.contacts
SELECT 'C-15', upper(family) || ' ' || given, NULL, '+336' || phone8, born, postcode FROM resolve_people WHERE pid = 15;
SELECT c.customer_id = s.customer_id AS joined_shop_customer, c.match_probability >= 0.9 AS linked
FROM cu_identity_map c, cu_identity_map s
WHERE c.source = 'silo.contacts'::regclass AND c.source_id = 'C-15'
  AND s.source = 'silo.shop'::regclass AND s.source_id = '15';

-- a new person gets a new customer id
INSERT INTO silo.shop VALUES (1001, 'Zéphyrin', 'Quillebeuf', 'zephyrin.q@exemple.fr', NULL, '02/02/1980', '29200');
SELECT customer_id > (SELECT id FROM rt_max_id) AS new_id, match_probability IS NULL AS alone
FROM cu_identity_map WHERE source = 'silo.shop'::regclass AND source_id = '1001';
-- a second record of him, with only his phone, stays apart (a common enough
-- name, another date of birth): two customers
INSERT INTO silo.contacts VALUES ('C-1001', 'QUILLEBEUF Zephyrin', NULL, '+33298111222', '1980-03-03', '29200');
SELECT count(DISTINCT customer_id) AS customers FROM cu_identity_map
WHERE (source, source_id) IN (('silo.shop'::regclass, '1001'), ('silo.contacts'::regclass, 'C-1001'));
-- a third record with his e-mail and his phone links both: they merge, the
-- older id survives, the merge is logged
CREATE TEMP TABLE rt_two AS
SELECT min(customer_id) AS older, max(customer_id) AS newer FROM cu_identity_map
WHERE (source, source_id) IN (('silo.shop'::regclass, '1001'), ('silo.contacts'::regclass, 'C-1001'));
INSERT INTO silo.contacts VALUES ('C-1002', 'Zéphyrin Quillebeuf', 'ZEPHYRIN.Q@exemple.fr', '02 98 11 12 22', NULL, '29200');
SELECT count(DISTINCT m.customer_id) AS customers, min(m.customer_id) = (SELECT older FROM rt_two) AS older_id_survives
FROM cu_identity_map m
WHERE (source, source_id) IN (('silo.shop'::regclass, '1001'), ('silo.contacts'::regclass, 'C-1001'),
                              ('silo.contacts'::regclass, 'C-1002'));
SELECT l.action, l.customer_id = t.older AS survivor, l.other_customer_id = t.newer AS merged, l.records,
       l.detail ->> 'realtime' AS realtime
FROM cu_merge_log l, rt_two t WHERE l.log_id > (SELECT log_id FROM rt_log_start) ORDER BY l.log_id;

-- an UPDATE that changes no identity attribute does nothing; one that does
-- re-resolves the row (here: he was alone, he stays alone with his id)
INSERT INTO silo.shop VALUES (1003, 'Ursule', 'Vandenbroucke', 'ursule.v@exemple.fr', NULL, '05/05/1955', '59000');
CREATE TEMP TABLE rt_ursule AS SELECT customer_id FROM cu_identity_map WHERE source = 'silo.shop'::regclass AND source_id = '1003';
UPDATE silo.shop SET cp = cp WHERE customer_no = 1003;
UPDATE silo.shop SET mail = 'u.vandenbroucke@exemple.fr' WHERE customer_no = 1003;
SELECT r.email, m.customer_id = (SELECT customer_id FROM rt_ursule) AS kept_id
FROM cu_records r JOIN cu_identity_map m ON m.source = 'silo.shop'::regclass AND m.source_id = r.record_id
WHERE r.record_id = '1003' AND r.source_id = (SELECT source_id FROM cu_sources WHERE source = 'silo.shop'::regclass);
-- a DELETE takes the row out; a customer left with no record is retired
DELETE FROM silo.shop WHERE customer_no = 1003;
SELECT count(*) AS rows_left FROM cu_identity_map WHERE source = 'silo.shop'::regclass AND source_id = '1003';
SELECT action, records FROM cu_merge_log WHERE customer_id = (SELECT customer_id FROM rt_ursule);
SELECT count(*) AS staged_left FROM cu_records WHERE record_id = '1003';

-- nothing half-done: a rolled-back INSERT leaves no trace
BEGIN;
INSERT INTO silo.shop VALUES (1004, 'Anatole', 'Brisepierre', NULL, NULL, '01/01/1960', '35000');
ROLLBACK;
SELECT count(*) AS after_rollback FROM cu_identity_map WHERE source_id = '1004';

-- a failing resolution fails the whole statement, with the error: here the
-- model is gone (in a transaction rolled back after)
BEGIN;
DELETE FROM cu_model;
SAVEPOINT before_insert;
INSERT INTO silo.shop VALUES (1007, 'Firmin', 'Lagadec', NULL, NULL, '07/07/1977', '29000'),
                             (1008, 'Gilda', 'Lagadec', NULL, NULL, '08/08/1978', '29000');
ROLLBACK TO SAVEPOINT before_insert;
SELECT (SELECT count(*) FROM silo.shop WHERE customer_no IN (1007, 1008)) AS rows_kept,
       (SELECT count(*) FROM cu_records WHERE record_id IN ('1007', '1008')) AS staged,
       (SELECT count(*) FROM cu_identity_map WHERE source_id IN ('1007', '1008')) AS mapped;
ROLLBACK;

-- doubtful pairs wait in the review queue, with their explanation; here the
-- review band is widened to catch the homonyms (people i and i + 120)
SET customer_unify.review_threshold = 1e-12;
INSERT INTO silo.contacts
SELECT 'C-' || pid, upper(family) || ' ' || given, NULL, NULL, NULL, postcode FROM resolve_people WHERE pid = 6;
SELECT count(*) > 0 AS queued,
       bool_and(probability >= 1e-12 AND probability < 0.9) AS in_band,
       bool_and(explanation ? 'attributes' AND explanation ? 'probability') AS explained,
       bool_and(status = 'open') AS open
FROM cu_review_queue WHERE (source_b = 'silo.contacts'::regclass AND id_b = 'C-6')
                        OR (source_a = 'silo.contacts'::regclass AND id_a = 'C-6');
RESET customer_unify.review_threshold;

-- 'same' links the pair: the two customers merge, the older id survives
CREATE TEMP TABLE rt_pair AS
SELECT q.pair_id, ma.customer_id AS ca, mb.customer_id AS cb
FROM cu_review_queue q
JOIN cu_identity_map ma ON ma.source = q.source_a AND ma.source_id = q.id_a
JOIN cu_identity_map mb ON mb.source = q.source_b AND mb.source_id = q.id_b
WHERE q.status = 'open' AND ma.customer_id <> mb.customer_id
  AND ((q.source_b = 'silo.contacts'::regclass AND q.id_b = 'C-6') OR (q.source_a = 'silo.contacts'::regclass AND q.id_a = 'C-6'))
ORDER BY q.probability DESC, q.pair_id LIMIT 1;
SELECT (r ->> 'decision') AS decision, (r ->> 'customer_id')::bigint = least(p.ca, p.cb) AS older_survives,
       (r ->> 'merged')::bigint = greatest(p.ca, p.cb) AS newer_merged
FROM rt_pair p, LATERAL cu_review(p.pair_id, 'same') AS r;
SELECT q.status, q.decided_by = current_user AS by_me, d.decision, d.origin
FROM rt_pair p JOIN cu_review_queue q USING (pair_id)
JOIN cu_decisions d ON (d.source_a, d.id_a, d.source_b, d.id_b) = (q.source_a, q.id_a, q.source_b, q.id_b);
SELECT cu_review((SELECT pair_id FROM rt_pair), 'different') ->> 'split_into' IS NOT NULL AS changed_mind_splits;

-- cu_split detaches records into a new customer, records that they are not
-- the others, and logs it
CREATE TEMP TABLE rt_split AS
SELECT customer_id FROM cu_identity_map WHERE source = 'silo.contacts'::regclass AND source_id = 'C-1002';
SELECT cu_split((SELECT customer_id FROM rt_split), ARRAY['silo.contacts'::regclass], ARRAY['C-1001'])
       > (SELECT customer_id FROM rt_split) AS new_customer;
SELECT count(DISTINCT customer_id) AS customers FROM cu_identity_map
WHERE (source, source_id) IN (('silo.shop'::regclass, '1001'), ('silo.contacts'::regclass, 'C-1001'),
                              ('silo.contacts'::regclass, 'C-1002'));
SELECT decision, origin, count(*) FROM cu_decisions WHERE origin = 'split' GROUP BY 1, 2;
SELECT cu_decision('silo.contacts', 'C-1001', 'silo.shop', '1001') AS either_order,
       cu_decision('silo.shop', '1001', 'silo.contacts', 'C-1001') AS this_order,
       cu_decision('silo.shop', '1001', 'silo.contacts', 'C-1005') IS NULL AS other_pair_undecided;
SELECT action, records FROM cu_merge_log WHERE action = 'split' AND customer_id = (SELECT customer_id FROM rt_split);
SELECT cu_split((SELECT customer_id FROM rt_split), ARRAY['silo.contacts'::regclass], ARRAY['C-15']);
SELECT cu_split((SELECT customer_id FROM rt_split), ARRAY['silo.contacts'::regclass, 'silo.shop'], ARRAY['C-1002', '1001']);
SELECT cu_split((SELECT customer_id FROM rt_split), ARRAY['silo.contacts'::regclass], ARRAY['C-1002', '1001']);

-- a later real-time row respects the decisions: a fourth record of him with
-- his e-mail and phone may not glue the split record back
INSERT INTO silo.contacts VALUES ('C-1005', 'Zephyrin Quillebeuf', 'zephyrin.q@exemple.fr', '+33298111222', NULL, '29200');
SELECT count(DISTINCT customer_id) AS customers,
       count(DISTINCT customer_id) FILTER (WHERE source_id IN ('C-1001')) AS split_record_customers
FROM cu_identity_map
WHERE (source, source_id) IN (('silo.shop'::regclass, '1001'), ('silo.contacts'::regclass, 'C-1001'),
                              ('silo.contacts'::regclass, 'C-1002'), ('silo.contacts'::regclass, 'C-1005'));
SELECT (SELECT customer_id FROM cu_identity_map WHERE source = 'silo.contacts'::regclass AND source_id = 'C-1001')
       <> (SELECT customer_id FROM cu_identity_map WHERE source = 'silo.contacts'::regclass AND source_id = 'C-1005')
       AS split_record_kept_apart;

-- and so does a batch run: decided pairs keep their decision, whatever the model
SELECT (cu_resolve() ->> 'decisions')::int > 0 AS decisions_used;
SELECT (SELECT customer_id FROM cu_identity_map WHERE source = 'silo.contacts'::regclass AND source_id = 'C-1001')
       <> (SELECT customer_id FROM cu_identity_map WHERE source = 'silo.shop'::regclass AND source_id = '1001')
       AS split_kept_by_batch;
SELECT count(*) AS different_pairs_joined
FROM cu_decisions d
JOIN cu_identity_map a ON a.source = d.source_a AND a.source_id = d.id_a
JOIN cu_identity_map b ON b.source = d.source_b AND b.source_id = d.id_b
WHERE d.decision = 'different' AND a.customer_id = b.customer_id;
SELECT count(*) AS same_pairs_apart
FROM cu_decisions d
JOIN cu_identity_map a ON a.source = d.source_a AND a.source_id = d.id_a
JOIN cu_identity_map b ON b.source = d.source_b AND b.source_id = d.id_b
WHERE d.decision = 'same' AND a.customer_id <> b.customer_id;
-- real time still works after a batch run rebuilt the staged records
INSERT INTO silo.contacts
SELECT 'C-18', upper(family) || ' ' || given, NULL, '+336' || phone8, born, postcode FROM resolve_people WHERE pid = 18;
SELECT c.customer_id = s.customer_id AS joined_after_batch
FROM cu_identity_map c, cu_identity_map s
WHERE c.source = 'silo.contacts'::regclass AND c.source_id = 'C-18'
  AND s.source = 'silo.shop'::regclass AND s.source_id = '18';

-- the trigger resolves names in the catalog and the extension only: a
-- hostile search_path shadowing nextval and now changes nothing
CREATE SCHEMA rt_evil;
CREATE FUNCTION rt_evil.nextval(regclass) RETURNS bigint LANGUAGE sql AS 'SELECT -1::bigint';
CREATE FUNCTION rt_evil.now() RETURNS timestamptz LANGUAGE sql AS $$SELECT '2000-01-01'::timestamptz$$;
SET search_path = rt_evil, pg_catalog, customer_unify, public;
INSERT INTO silo.shop VALUES (1009, 'Séraphine', 'Kerbrat', NULL, NULL, '09/09/1969', '29100');
SELECT customer_id > 0 AS real_id, resolved_at > '2001-01-01' AS real_time
FROM cu_identity_map WHERE source = 'silo.shop'::regclass AND source_id = '1009';
SET search_path = customer_unify, public;
DROP SCHEMA rt_evil CASCADE;

-- the trigger function is for AFTER ROW triggers only
CREATE TABLE rt_misuse (id int);
CREATE TRIGGER rt_misuse BEFORE INSERT ON rt_misuse FOR EACH ROW EXECUTE FUNCTION cu_realtime_trigger();
INSERT INTO rt_misuse VALUES (1);
DROP TABLE rt_misuse;

-- turned off, rows are no longer resolved on the fly (the next batch run
-- does); the index of blocking keys stays, for cu_find_customer
SELECT cu_disable_realtime('silo.shop') AS shop_off, cu_disable_realtime('silo.contacts') AS contacts_off;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgname LIKE 'cu_realtime_%' AND NOT tgisinternal;
SELECT to_regclass('customer_unify.cu_records_keys') IS NOT NULL AS index_kept;
INSERT INTO silo.shop VALUES (1006, 'Octave', 'Pellerin', NULL, NULL, '06/06/1966', '44000');
SELECT count(*) AS resolved_while_off FROM cu_identity_map WHERE source_id = '1006';

RESET client_min_messages;
