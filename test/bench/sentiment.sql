-- test/bench/sentiment.sql: the sentiment benchmark, the throughput of cu_sentiment on short feedback texts
-- (public.feedback from gen_feedback.sql), in a database where customer_unify is installed, beside a
-- built-in peer that also reads every word: text search parsing, to_tsvector('french', text).
--
--   psql -v n=1000000 -f gen_feedback.sql && psql -v reps=3 -f sentiment.sql
--
-- Every query is timed as SELECT sum(...) FROM feedback, so that no result is sent to the client.  Each runs
-- serially (max_parallel_workers_per_gather = 0) and in parallel (2 workers, parallel costs set to zero so
-- that the planner takes the parallel plan); EXPLAIN tells whether that plan really splits the work (a
-- Partial aggregate in the workers).  The fastest of :reps runs is kept.  Texts per second per core is the
-- serial rate: one backend keeps one core busy.  Session settings: jit = off.  Prints one markdown table.

\if :{?reps}
\else
\set reps 1
\endif

SET client_min_messages = warning;
SET jit = off;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET bench.reps = :reps;

-- bench_ms(query, reps) and bench_partial(query): the timing helpers of the benchmarks
\ir timing.sql

CREATE TEMP TABLE bench_sentiment_cases(ord int, query text, ours boolean, sql text);
INSERT INTO bench_sentiment_cases VALUES
 (1, 'cu_sentiment(text) (language detected)', true,
     'SELECT sum(customer_unify.cu_sentiment(body)) FROM feedback'),
 (2, 'cu_sentiment(text, lang)', true,
     'SELECT sum(customer_unify.cu_sentiment(body, lang)) FROM feedback'),
 (3, 'cu_sentiment_detail(text, lang) (jsonb)', true,
     'SELECT sum((customer_unify.cu_sentiment_detail(body, lang) ->> ''score'')::float8) FROM feedback'),
 (4, 'peer: to_tsvector(''french'', text)', false,
     'SELECT sum(length(to_tsvector(''french'', body))) FROM feedback'),
 (5, 'baseline: length(text)', false,
     'SELECT sum(length(body)) FROM feedback');

CREATE TEMP TABLE bench_sentiment_runs(ord int, parallel boolean, ms float8, partial boolean);

-- warm the cache, and load the library and the lexicons (this backend's) before timing
SELECT count(*) AS bench_texts, round(avg(cardinality(string_to_array(body, ' '))), 1) AS bench_words,
       round(100.0 * count(*) FILTER (WHERE lang = 'fr') / count(*), 1) AS bench_fr
FROM feedback \gset
SELECT customer_unify.cu_sentiment('warm up') AS bench_warm \gset
SELECT coalesce(string_agg(lang || ' ' || n, ', ' ORDER BY lang), 'none') AS bench_lexicon
FROM (SELECT lang, count(*) AS n FROM customer_unify.cu_sentiment_lexicon GROUP BY lang) l \gset

DO $$
DECLARE
	c record; parallel boolean; ms float8;
	reps int := current_setting('bench.reps')::int;
BEGIN
	FOR c IN SELECT * FROM bench_sentiment_cases ORDER BY ord LOOP
		FOREACH parallel IN ARRAY ARRAY[false, true] LOOP
			PERFORM set_config('max_parallel_workers_per_gather', CASE WHEN parallel THEN '2' ELSE '0' END, true);
			ms := pg_temp.bench_ms(c.sql, reps);
			INSERT INTO bench_sentiment_runs VALUES (c.ord, parallel, ms, pg_temp.bench_partial(c.sql));
		END LOOP;
	END LOOP;
END $$;

CREATE TEMP TABLE bench_sentiment_results AS
SELECT c.ord, c.query, c.ours,
       max(r.ms) FILTER (WHERE NOT r.parallel) / 1000 AS serial_s,
       max(r.ms) FILTER (WHERE r.parallel) / 1000 AS parallel_s,
       bool_or(r.partial) FILTER (WHERE r.parallel) AS partial
FROM bench_sentiment_cases c JOIN bench_sentiment_runs r USING (ord)
GROUP BY c.ord, c.query, c.ours;

-- seconds with three significant digits or so; a dagger: no partial aggregation
CREATE FUNCTION pg_temp.secs(s float8, partial boolean DEFAULT true) RETURNS text LANGUAGE sql AS $$
	SELECT round(s::numeric, CASE WHEN s < 1 THEN 3 WHEN s < 10 THEN 2 ELSE 1 END)::text
	       || CASE WHEN partial THEN '' ELSE ' †' END
$$;
CREATE FUNCTION pg_temp.rate(texts bigint, s float8) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(to_char(texts / nullif(s, 0), 'FM999,999,999,990'), 'n/a')
$$;
CREATE FUNCTION pg_temp.times(a float8, b float8) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(round((a / nullif(b, 0))::numeric, 2)::text || 'x', 'n/a')
$$;

SELECT count(*) FILTER (WHERE NOT partial) > 0 AS bench_not_partial,
       string_agg(ord::text, ', ' ORDER BY ord) FILTER (WHERE NOT partial) AS bench_not_partial_list
FROM bench_sentiment_results \gset

\pset format unaligned
\pset tuples_only on
SELECT format(E'\nSentiment, SELECT sum(...) over %s feedback texts (%s%% French, the rest English; %s words on average);\n'
              'fastest of %s runs, serial and with 2 parallel workers; jit off; lexicon entries: %s',
              :bench_texts, :bench_fr, :bench_words, :reps, :'bench_lexicon');
\echo
SELECT '| query | texts | serial s | texts/s | texts/s per core | parallel s | parallel texts/s | speedup |' || E'\n'
       || '| --- |' || repeat(' ---: |', 7) || E'\n'
       || string_agg(format('| %s %s | %s | %s | %s | %s | %s | %s | %s |',
                            ord, query, :bench_texts,
                            pg_temp.secs(serial_s), pg_temp.rate(:bench_texts, serial_s),
                            pg_temp.rate(:bench_texts, serial_s),
                            pg_temp.secs(parallel_s, partial), pg_temp.rate(:bench_texts, parallel_s),
                            pg_temp.times(serial_s, parallel_s)),
                     E'\n' ORDER BY ord)
FROM bench_sentiment_results;
\echo
\echo 'target: >= 100,000 short texts/s per core'
SELECT format('%s (cu_sentiment, language detected and given: %s and %s texts/s per core)',
              CASE WHEN bool_and(:bench_texts / serial_s >= 100000) FILTER (WHERE ord IN (1, 2))
                   THEN 'met' ELSE 'missed' END,
              pg_temp.rate(:bench_texts, max(serial_s) FILTER (WHERE ord = 1)),
              pg_temp.rate(:bench_texts, max(serial_s) FILTER (WHERE ord = 2)))
FROM bench_sentiment_results;
\echo
\echo 'ours/peer, time against to_tsvector(''french'', text) (below 1: ours is faster), serial and parallel:'
SELECT string_agg(format('- %s: %s serial, %s parallel', o.query,
                         pg_temp.times(o.serial_s, p.serial_s), pg_temp.times(o.parallel_s, p.parallel_s)),
                  E'\n' ORDER BY o.ord)
FROM bench_sentiment_results o, bench_sentiment_results p
WHERE o.ours AND p.ord = 4;
\pset tuples_only off
\pset format aligned
\echo
\echo '(texts/s per core = the serial rate, one backend on one core; speedup = serial s / parallel s; the baseline'
\echo 'is a scan that only measures the text, the floor under every query)'
\if :bench_not_partial
\echo '† the parallel plan of query' :bench_not_partial_list 'has no Partial aggregate'
\endif
