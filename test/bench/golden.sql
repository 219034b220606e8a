-- test/bench/golden.sql: the golden-records benchmark, our survivorship
-- aggregates against the plain SQL idioms that answer the same question, on
-- public.golden_input (gen_golden.sql), in a database where customer_unify is
-- installed.
--
--   psql -v n=10000000 -f gen_golden.sql && psql -v reps=3 -f golden.sql
--
-- Every query groups by customer_id and is timed as
--   SELECT count(q.v) FROM (<query>) q
-- so that no result is sent to the client; count(q.v) rather than count(*),
-- since the planner drops an output column nobody reads, and with it the
-- aggregate under test.  Each query runs serially (max_parallel_workers_per_gather
-- = 0) and in parallel (2 workers, parallel costs set to zero so that the
-- planner takes the parallel plan whenever it has one); EXPLAIN tells whether
-- that plan really splits the aggregation (a Partial aggregate in the
-- workers, combined in the leader).  The fastest of :reps runs is kept.
-- Session settings: work_mem = 256MB, jit = off.  Prints one markdown table.

\if :{?reps}
\else
\set reps 1
\endif

SET client_min_messages = warning;
SET jit = off;
SET work_mem = '256MB';
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET bench.reps = :reps;

-- bench_ms(query, reps) and bench_partial(query): the timing helpers of the benchmarks
\ir timing.sql

-- the queries: each returns one row per customer with the value in column v
CREATE TEMP TABLE bench_golden_cases(ord int, query text, plain_sql text, ours_sql text);
INSERT INTO bench_golden_cases VALUES
 (1, 'most recent e-mail',
     'SELECT customer_id, (array_agg(email ORDER BY at DESC) FILTER (WHERE email IS NOT NULL))[1] AS v
      FROM golden_input GROUP BY customer_id',
     'SELECT customer_id, customer_unify.cu_most_recent(email, at) AS v
      FROM golden_input GROUP BY customer_id'),
 (2, 'most frequent e-mail',
     'SELECT customer_id, mode() WITHIN GROUP (ORDER BY email) FILTER (WHERE email IS NOT NULL) AS v
      FROM golden_input GROUP BY customer_id',
     'SELECT customer_id, customer_unify.cu_most_frequent(email, at) AS v
      FROM golden_input GROUP BY customer_id'),
 (3, 'most trusted phone',
     'SELECT customer_id, (array_agg(phone ORDER BY trust DESC, at DESC) FILTER (WHERE phone IS NOT NULL))[1] AS v
      FROM golden_input GROUP BY customer_id',
     'SELECT customer_id, customer_unify.cu_most_trusted(phone, trust, at) AS v
      FROM golden_input GROUP BY customer_id'),
 (4, 'golden record (5 fields)',
     'SELECT customer_id, jsonb_build_object(
          ''email'', (array_agg(email ORDER BY at DESC) FILTER (WHERE email IS NOT NULL))[1],
          ''phone'', (array_agg(phone ORDER BY at DESC) FILTER (WHERE phone IS NOT NULL))[1],
          ''city'', (array_agg(city ORDER BY at DESC) FILTER (WHERE city IS NOT NULL))[1],
          ''given_name'', (array_agg(attrs ->> ''given_name'' ORDER BY at DESC)
                             FILTER (WHERE attrs ->> ''given_name'' IS NOT NULL))[1],
          ''surname'', (array_agg(attrs ->> ''surname'' ORDER BY at DESC)
                          FILTER (WHERE attrs ->> ''surname'' IS NOT NULL))[1]) AS v
      FROM golden_input GROUP BY customer_id',
     'SELECT customer_id, customer_unify.cu_golden(attrs, source, at) AS v
      FROM golden_input GROUP BY customer_id');

CREATE TEMP TABLE bench_golden_runs(ord int, impl text, parallel boolean, ms float8, partial boolean);

-- warm the cache (the table is larger than shared_buffers: this fills the
-- OS cache), and load the library before timing
SELECT count(*) AS bench_rows, count(DISTINCT customer_id) AS bench_customers FROM golden_input \gset
SELECT customer_unify.cu_most_recent(x, now()) AS bench_warm FROM (VALUES ('a')) AS t(x) \gset

-- for each query: serially, then in parallel; the plain idiom, then ours
DO $$
DECLARE
	c record; impl text; parallel boolean; q text; ms float8;
	reps int := current_setting('bench.reps')::int;
BEGIN
	FOR c IN SELECT * FROM bench_golden_cases ORDER BY ord LOOP
		FOREACH parallel IN ARRAY ARRAY[false, true] LOOP
			PERFORM set_config('max_parallel_workers_per_gather', CASE WHEN parallel THEN '2' ELSE '0' END, true);
			FOREACH impl IN ARRAY ARRAY['plain', 'ours'] LOOP
				q := format('SELECT count(q.v) FROM (%s) q', CASE impl WHEN 'plain' THEN c.plain_sql ELSE c.ours_sql END);
				ms := pg_temp.bench_ms(q, reps);
				INSERT INTO bench_golden_runs VALUES (c.ord, impl, parallel, ms, pg_temp.bench_partial(q));
			END LOOP;
		END LOOP;
	END LOOP;
END $$;

CREATE TEMP TABLE bench_golden_results AS
SELECT c.ord, c.query,
       max(r.ms) FILTER (WHERE r.impl = 'plain' AND NOT r.parallel) / 1000 AS plain_serial_s,
       max(r.ms) FILTER (WHERE r.impl = 'ours' AND NOT r.parallel) / 1000 AS ours_serial_s,
       max(r.ms) FILTER (WHERE r.impl = 'plain' AND r.parallel) / 1000 AS plain_parallel_s,
       max(r.ms) FILTER (WHERE r.impl = 'ours' AND r.parallel) / 1000 AS ours_parallel_s,
       bool_or(r.partial) FILTER (WHERE r.impl = 'plain' AND r.parallel) AS plain_partial,
       bool_or(r.partial) FILTER (WHERE r.impl = 'ours' AND r.parallel) AS ours_partial
FROM bench_golden_cases c JOIN bench_golden_runs r USING (ord)
GROUP BY c.ord, c.query;

-- seconds to about three significant digits, a dagger when the plan has no partial aggregate;
-- a ratio as "1.23x"
CREATE FUNCTION pg_temp.secs(s float8, partial boolean DEFAULT true) RETURNS text LANGUAGE sql AS $$
	SELECT round(s::numeric, CASE WHEN s < 1 THEN 3 WHEN s < 10 THEN 2 ELSE 1 END)::text
	       || CASE WHEN partial THEN '' ELSE ' †' END
$$;
CREATE FUNCTION pg_temp.times(a float8, b float8) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(round((a / nullif(b, 0))::numeric, 2)::text || 'x', 'n/a')
$$;

SELECT count(*) FILTER (WHERE NOT plain_partial) > 0 AS bench_plain_not_partial,
       count(*) FILTER (WHERE NOT ours_partial) > 0 AS bench_ours_not_partial,
       string_agg(ord::text, ', ' ORDER BY ord) FILTER (WHERE NOT ours_partial) AS bench_ours_not_partial_list
FROM bench_golden_results \gset

\echo
\echo 'Golden records, GROUP BY customer_id: our survivorship aggregates against the plain SQL idiom;'
\echo 'fastest of' :reps 'runs, serial and with 2 parallel workers; work_mem = 256MB, jit off'
\pset format unaligned
\pset tuples_only on
SELECT '| query | rows | customers | plain serial s | ours serial s | plain parallel s | ours parallel s '
       || '| ours vs plain (serial) | ours parallel speedup |' || E'\n'
       || '| --- |' || repeat(' ---: |', 8) || E'\n'
       || string_agg(format('| %s %s | %s | %s | %s | %s | %s | %s | %s | %s |',
                            ord, query, :bench_rows, :bench_customers,
                            pg_temp.secs(plain_serial_s), pg_temp.secs(ours_serial_s),
                            pg_temp.secs(plain_parallel_s, plain_partial), pg_temp.secs(ours_parallel_s, ours_partial),
                            pg_temp.times(plain_serial_s, ours_serial_s), pg_temp.times(ours_serial_s, ours_parallel_s)),
                     E'\n' ORDER BY ord)
FROM bench_golden_results;
\pset tuples_only off
\pset format aligned
\echo
\echo 'target: ours faster than the plain idiom; a parallel speedup'
\echo '(ours vs plain = plain serial s / ours serial s, above 1: ours is faster; speedup = ours serial s / ours parallel s)'
\echo
\echo 'Queries, each GROUP BY customer_id on golden_input, plain idiom against ours:'
\echo '1. (array_agg(email ORDER BY at DESC) FILTER (WHERE email IS NOT NULL))[1]  against  cu_most_recent(email, at)'
\echo '2. mode() WITHIN GROUP (ORDER BY email) FILTER (WHERE email IS NOT NULL)  against  cu_most_frequent(email, at)'
\echo '3. (array_agg(phone ORDER BY trust DESC, at DESC) FILTER (WHERE phone IS NOT NULL))[1]  against  cu_most_trusted(phone, trust, at)'
\echo '4. jsonb_build_object of the most recent non-NULL email, phone, city, given_name, surname (as in 1)  against  cu_golden(attrs, source, at)'
\echo 'Not the same work: the plain idiom only skips NULLs, so a placeholder (''N/A'', ''test@test.com'', ''0000000000'','
\echo ''''') can win; our aggregates also reject placeholders and empty values.  cu_golden moreover applies the default'
\echo 'rule of each field''s kind (most frequent e-mail and names, most trusted phone, most recent city), ranks malformed'
\echo 'e-mails and phones last, and records the lineage of every field.'
\if :bench_plain_not_partial
\echo '† the parallel plan has no Partial aggregate: PostgreSQL 15 cannot split an aggregate with ORDER BY or'
\echo '  WITHIN GROUP (array_agg(... ORDER BY ...), mode()) between workers; they only scan (and sort) in parallel.'
\endif
\if :bench_ours_not_partial
\echo 'note: the parallel plan of ours has no Partial aggregate for query' :bench_ours_not_partial_list '(expected one)'
\endif
