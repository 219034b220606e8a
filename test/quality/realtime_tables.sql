-- test/quality/realtime_tables.sql: for realtime_agreement.sh, run after load_febrl.sql / load_fake.sql and
-- before resolve.sql.  Real-time resolution is an AFTER ROW trigger, which a view cannot have, and the loaders
-- register views (febrl3_v, fake_1000_v...): each registered view is swapped for a table holding the same rows
-- (febrl3_rt, fake_1000_rt...), registered with the same id column, attributes, comparators, trust and phone
-- region (read back from cu_sources and cu_source_attributes), and q_truth follows.  The batch run and the
-- real-time replay then resolve the same registered tables.
--
-- Also fixes the replay order in rt_feed(ord, source, source_id, row): every row of every source, shuffled
-- by md5 of source name and id (deterministic, the sources interleaved).  With -v rows=N (N > 0) only the
-- first N rows of that order are kept, in the sources, q_truth and rt_feed: batch and real time then both
-- resolve that subset.
--
-- Run:  psql -v ON_ERROR_STOP=1 [-v rows=N] -f realtime_tables.sql

\if :{?rows}
\else
\set rows 0
\endif
SELECT set_config('rt.rows', :'rows'::int::text, false) IS NOT NULL AS rows_set \gset

CREATE TABLE rt_swapped (view regclass PRIMARY KEY, tbl regclass NOT NULL UNIQUE);

DO $$
DECLARE
	s           record;
	tbl         text;
	cols        jsonb;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM customer_unify.cu_sources) THEN
		RAISE EXCEPTION 'no source is registered: run the loaders first';
	END IF;
	FOR s IN
		SELECT cs.source, cs.source_id, cs.id_column, cs.trust, cs.phone_region, c.relname, c.relnamespace::regnamespace AS nsp
		FROM customer_unify.cu_sources cs JOIN pg_class c ON c.oid = cs.source
		WHERE c.relkind = 'v' ORDER BY cs.source_id
	LOOP
		tbl := format('%I.%I', s.nsp, regexp_replace(s.relname, '_v$', '') || '_rt');
		-- the registration, as cu_add_source takes it: a known kind with its own comparator by its column name,
		-- anything else as {"column": ..., "comparator": ...}
		SELECT jsonb_object_agg(a.attribute,
		           CASE WHEN k.comparator = a.comparator THEN to_jsonb(a.column_name::text)
		                ELSE jsonb_build_object('column', a.column_name, 'comparator', a.comparator) END)
		INTO cols
		FROM customer_unify.cu_source_attributes a
		LEFT JOIN customer_unify.cu_attribute_kinds k ON k.kind = a.attribute
		WHERE a.source_id = s.source_id;
		EXECUTE format('CREATE TABLE %s AS SELECT * FROM %s', tbl, s.source);
		EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (%I)', tbl, s.id_column);
		PERFORM customer_unify.cu_remove_source(s.source);
		-- the attributes were accepted once already: allow_sensitive does not change them
		PERFORM customer_unify.cu_add_source(tbl::regclass, s.id_column, cols, s.trust, true, s.phone_region);
		UPDATE q_truth SET source = tbl::regclass WHERE source = s.source;
		INSERT INTO rt_swapped VALUES (s.source, tbl::regclass);
	END LOOP;
	IF EXISTS (SELECT 1 FROM customer_unify.cu_sources cs JOIN pg_class c ON c.oid = cs.source WHERE c.relkind <> 'r') THEN
		RAISE EXCEPTION 'a registered source is not a plain table: real time cannot be measured on it';
	END IF;
	IF EXISTS (SELECT 1 FROM q_truth t WHERE NOT EXISTS (SELECT 1 FROM customer_unify.cu_sources cs WHERE cs.source = t.source)) THEN
		RAISE EXCEPTION 'q_truth names a source that is not registered';
	END IF;
END
$$;

-- every row to replay, in a fixed shuffled order
CREATE TABLE rt_feed (ord int PRIMARY KEY, source regclass NOT NULL, source_id text NOT NULL, row jsonb NOT NULL);
DO $$
DECLARE
	s           record;
BEGIN
	CREATE TEMP TABLE rt_feed_all (source regclass, source_id text, row jsonb);
	FOR s IN SELECT source, id_column FROM customer_unify.cu_sources ORDER BY source_id LOOP
		EXECUTE format('INSERT INTO rt_feed_all SELECT %L::regclass, t.%I::text, to_jsonb(t) FROM %s t',
		               s.source, s.id_column, s.source);
	END LOOP;
	INSERT INTO rt_feed
	SELECT row_number() OVER (ORDER BY md5(source::text || ' ' || source_id), source::text, source_id), source, source_id, row
	FROM rt_feed_all;
	DROP TABLE rt_feed_all;
END
$$;

-- a subset, when asked
DO $$
DECLARE
	keep        int := current_setting('rt.rows')::int;
	s           record;
BEGIN
	IF keep > 0 THEN
		FOR s IN SELECT source, id_column FROM customer_unify.cu_sources ORDER BY source_id LOOP
			EXECUTE format('DELETE FROM %s t WHERE t.%I::text IN (SELECT f.source_id FROM rt_feed f WHERE f.source = %L::regclass AND f.ord > %s)',
			               s.source, s.id_column, s.source, keep);
		END LOOP;
		DELETE FROM q_truth t USING rt_feed f WHERE f.source = t.source AND f.source_id = t.source_id AND f.ord > keep;
		DELETE FROM rt_feed WHERE ord > keep;
	END IF;
END
$$;

SELECT w.view AS loaded_as, w.tbl AS registered, s.id_column, (SELECT count(*) FROM rt_feed f WHERE f.source = w.tbl) AS rows
FROM rt_swapped w JOIN customer_unify.cu_sources s ON s.source = w.tbl ORDER BY s.source_id;
