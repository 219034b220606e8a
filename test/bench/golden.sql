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
-- Ours runs twice: with the plan the planner chooses (hash aggregation: our
-- aggregates are hashable) and with enable_hashagg = off (sort, then
-- aggregate group by group: the plan the plain idioms always get, since an
-- aggregate with ORDER BY cannot be hashed, and the plan cu_golden_customers
-- gets because of its count(DISTINCT)).  At a million groups, hashing is the
-- slower of the two on most machines, for any aggregate: the benchmark
-- times count(*) both ways to show it.
-- Session settings: work_mem = 256MB, jit = off, parallel_leader_participation = off.  Prints two markdown tables.

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
-- the leader only gathers and combines: with two workers on two cores, a
-- leader that also aggregates is a third process on two cores, and its share
-- holds back the combining that every partial state waits for (the same for
-- the plain idioms and ours)
SET parallel_leader_participation = off;
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

INSERT INTO bench_golden_cases VALUES
 (0, 'count(*) alone',
     'SELECT customer_id, count(*) AS v FROM golden_input GROUP BY customer_id',
     'SELECT customer_id, count(*) AS v FROM golden_input GROUP BY customer_id');

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
			FOREACH impl IN ARRAY ARRAY['plain', 'ours', 'sorted'] LOOP
				CONTINUE WHEN c.ord = 0 AND impl = 'ours';
				-- count(*): the planner's hashing as 'plain', sorting as 'sorted'
				PERFORM set_config('enable_hashagg', CASE WHEN impl = 'sorted' THEN 'off' ELSE 'on' END, true);
				q := format('SELECT count(q.v) FROM (%s) q', CASE impl WHEN 'plain' THEN c.plain_sql ELSE c.ours_sql END);
				ms := pg_temp.bench_ms(q, reps);
				INSERT INTO bench_golden_runs VALUES (c.ord, impl, parallel, ms, pg_temp.bench_partial(q));
			END LOOP;
			PERFORM set_config('enable_hashagg', 'on', true);
		END LOOP;
	END LOOP;
END $$;

CREATE TEMP TABLE bench_golden_results AS
SELECT c.ord, c.query,
       max(r.ms) FILTER (WHERE r.impl = 'plain' AND NOT r.parallel) / 1000 AS plain_serial_s,
       max(r.ms) FILTER (WHERE r.impl = 'ours' AND NOT r.parallel) / 1000 AS ours_serial_s,
       max(r.ms) FILTER (WHERE r.impl = 'plain' AND r.parallel) / 1000 AS plain_parallel_s,
       max(r.ms) FILTER (WHERE r.impl = 'ours' AND r.parallel) / 1000 AS ours_parallel_s,
       max(r.ms) FILTER (WHERE r.impl = 'sorted' AND NOT r.parallel) / 1000 AS sorted_serial_s,
       max(r.ms) FILTER (WHERE r.impl = 'sorted' AND r.parallel) / 1000 AS sorted_parallel_s,
       bool_or(r.partial) FILTER (WHERE r.impl = 'plain' AND r.parallel) AS plain_partial,
       bool_or(r.partial) FILTER (WHERE r.impl = 'ours' AND r.parallel) AS ours_partial,
       bool_or(r.partial) FILTER (WHERE r.impl = 'sorted' AND r.parallel) AS sorted_partial
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
       count(*) FILTER (WHERE NOT ours_partial OR NOT sorted_partial) > 0 AS bench_ours_not_partial,
       string_agg(ord::text, ', ' ORDER BY ord) FILTER (WHERE NOT ours_partial OR NOT sorted_partial)
           AS bench_ours_not_partial_list
FROM bench_golden_results WHERE ord > 0 \gset
SELECT pg_temp.secs(plain_serial_s) AS bench_count_hashed, pg_temp.secs(sorted_serial_s) AS bench_count_sorted,
       pg_temp.secs(plain_parallel_s) AS bench_count_hashed_par, pg_temp.secs(sorted_parallel_s) AS bench_count_sorted_par
FROM bench_golden_results WHERE ord = 0 \gset

\echo
\echo 'Golden records, GROUP BY customer_id: our survivorship aggregates against the plain SQL idiom;'
\echo 'fastest of' :reps 'runs, serial and with 2 parallel workers; work_mem = 256MB, jit off, leader not aggregating;' :bench_rows 'rows,' :bench_customers 'customers'
\pset format unaligned
\pset tuples_only on
SELECT string_agg(t.title || E'\n'
                  || '| query | plain serial s | ours serial s | plain parallel s | ours parallel s '
                  || '| ours vs plain, serial | ours vs plain, parallel | ours parallel speedup |' || E'\n'
                  || '| --- |' || repeat(' ---: |', 7) || E'\n' || t.body, E'\n\n' ORDER BY t.variant)
FROM (SELECT v.variant, v.title,
             string_agg(format('| %s %s | %s | %s | %s | %s | %s | %s | %s |',
                               r.ord, r.query,
                               pg_temp.secs(r.plain_serial_s), pg_temp.secs(v.serial_s),
                               pg_temp.secs(r.plain_parallel_s, r.plain_partial), pg_temp.secs(v.parallel_s, v.partial),
                               pg_temp.times(r.plain_serial_s, v.serial_s), pg_temp.times(r.plain_parallel_s, v.parallel_s),
                               pg_temp.times(v.serial_s, v.parallel_s)),
                        E'\n' ORDER BY r.ord) AS body
      FROM bench_golden_results r
      CROSS JOIN LATERAL (VALUES
          (1, E'\nPlans as the planner chooses them (ours: hashed, except cu_golden, whose larger state the planner sorts at a million customers; the plain idiom cannot be hashed: sorted)',
           r.ours_serial_s, r.ours_parallel_s, r.ours_partial),
          (2, 'With enable_hashagg = off (ours sorted then aggregated group by group, as the plain idiom)',
           r.sorted_serial_s, r.sorted_parallel_s, r.sorted_partial)) AS v(variant, title, serial_s, parallel_s, partial)
      WHERE r.ord > 0
      GROUP BY v.variant, v.title) t;
\pset tuples_only off
\pset format aligned
\echo
\echo 'count(*) GROUP BY customer_id alone, serial: hashed' :bench_count_hashed 's, sorted' :bench_count_sorted 's;'
\echo '  with 2 workers: hashed' :bench_count_hashed_par 's, sorted' :bench_count_sorted_par 's'
\echo 'target: ours faster than the plain idiom; a parallel speedup'
\echo '(ours vs plain = plain s / ours s, above 1: ours is faster; speedup = ours serial s / ours parallel s)'
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
