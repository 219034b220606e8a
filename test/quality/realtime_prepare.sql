-- test/quality/realtime_prepare.sql: for realtime_agreement.sh, run after resolve.sql (cu_train, cu_resolve
-- on the full sources) and the batch measure; prepares the real-time replay of the same rows.
--
--   1. keeps the batch assignment in rt_batch(source, source_id, customer_id);
--   2. empties the sources (TRUNCATE: no row trigger fires) and resolves them empty with cu_resolve(), which
--      empties cu_records and cu_identity_map; cu_train is not run again, and the model (version, m and u,
--      term frequencies) is checked unchanged;
--   3. enables real time on every source.
-- The shell script then inserts the rows of rt_feed back one by one, one transaction each.
--
-- Run:  psql -v ON_ERROR_STOP=1 -f realtime_prepare.sql

-- 1. the batch assignment
CREATE TABLE rt_batch AS SELECT source, source_id, customer_id FROM customer_unify.cu_identity_map;
ALTER TABLE rt_batch ADD PRIMARY KEY (source, source_id);

-- 2. empty sources, empty identity state, same model
CREATE VIEW rt_model AS
SELECT (SELECT version FROM customer_unify.cu_model) AS version,
       (SELECT md5(string_agg(format('%s|%s|%s|%s', attribute, level, m, u), ',' ORDER BY attribute, level))
        FROM customer_unify.cu_model_levels) AS levels,
       (SELECT md5(string_agg(format('%s|%s|%s', attribute, value, frequency), ',' ORDER BY attribute, value))
        FROM customer_unify.cu_model_tf) AS tf;
CREATE TABLE rt_model_before AS SELECT * FROM rt_model;
DO $$
DECLARE
	s           record;
BEGIN
	FOR s IN SELECT source FROM customer_unify.cu_sources ORDER BY source_id LOOP
		EXECUTE format('TRUNCATE %s', s.source);
	END LOOP;
END
$$;
SELECT customer_unify.cu_resolve() ->> 'records' AS records_after_emptying;
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM customer_unify.cu_identity_map) OR EXISTS (SELECT 1 FROM customer_unify.cu_records) THEN
		RAISE EXCEPTION 'the identity state is not empty after resolving empty sources';
	END IF;
	IF (SELECT (version, levels, tf) FROM rt_model_before) IS DISTINCT FROM (SELECT (version, levels, tf) FROM rt_model) THEN
		RAISE EXCEPTION 'the model changed while emptying the sources';
	END IF;
END
$$;

-- 3. real time on
SELECT customer_unify.cu_enable_realtime(source) ->> 'trigger' AS realtime_trigger
FROM customer_unify.cu_sources ORDER BY source_id;
