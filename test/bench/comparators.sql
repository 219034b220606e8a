-- test/bench/comparators.sql: our comparators against their peers on the same
-- pairs (bench_pairs from gen_names.sql), in one run, one backend, no
-- parallelism.  Each query is run :reps times and the fastest run is kept;
-- the time of a bare scan of the pairs is subtracted to give the time per call.

\if :{?reps}
\else
\set reps 3
\endif

SET max_parallel_workers_per_gather = 0;
SET jit = off;

-- bench_ms(query, reps): the timing helper of the benchmarks
\ir timing.sql

-- warm the cache, and make every extension's library loaded before timing
SELECT count(*) AS pairs, count(*) FILTER (WHERE same) AS same_person FROM bench_pairs;
SELECT cu_levenshtein('a', 'b'), levenshtein('a', 'b'), jarowinkler('a', 'b'), similarity('a', 'b'), dmetaphone('a');

CREATE TEMP TABLE bench_cases(ord int, ours text, peer text, ours_sql text, peer_sql text);
INSERT INTO bench_cases VALUES
 (1, 'cu_levenshtein', 'fuzzystrmatch levenshtein',
     'SELECT sum(cu_levenshtein(a, b)) FROM bench_pairs',
     'SELECT sum(levenshtein(a, b)) FROM bench_pairs'),
 (2, 'cu_levenshtein(a, b, 2)', 'fuzzystrmatch levenshtein_less_equal',
     'SELECT sum(cu_levenshtein(a, b, 2)) FROM bench_pairs',
     'SELECT sum(levenshtein_less_equal(a, b, 2)) FROM bench_pairs'),
 (3, 'cu_damerau_levenshtein', 'fuzzystrmatch levenshtein',
     'SELECT sum(cu_damerau_levenshtein(a, b)) FROM bench_pairs',
     'SELECT sum(levenshtein(a, b)) FROM bench_pairs'),
 (4, 'cu_jaro', 'pg_similarity jaro',
     'SELECT sum(cu_jaro(a, b)) FROM bench_pairs',
     'SELECT sum(jaro(a, b)) FROM bench_pairs'),
 (5, 'cu_jaro_winkler', 'pg_similarity jarowinkler',
     'SELECT sum(cu_jaro_winkler(a, b)) FROM bench_pairs',
     'SELECT sum(jarowinkler(a, b)) FROM bench_pairs'),
 (6, 'cu_double_metaphone (both codes)', 'fuzzystrmatch dmetaphone + dmetaphone_alt',
     'SELECT count(cu_double_metaphone(a)) FROM bench_pairs',
     'SELECT count(dmetaphone(a)) + count(dmetaphone_alt(a)) FROM bench_pairs'),
 (7, 'cu_name_similarity', 'pg_trgm similarity',
     'SELECT sum(cu_name_similarity(a, b)) FROM bench_pairs',
     'SELECT sum(similarity(a, b)) FROM bench_pairs');

CREATE TEMP TABLE bench_results AS
SELECT c.*, pg_temp.bench_ms('SELECT sum(octet_length(a) + octet_length(b)) FROM bench_pairs', :reps) AS scan_ms,
       pg_temp.bench_ms(ours_sql, :reps) AS ours_ms,
       pg_temp.bench_ms(peer_sql, :reps) AS peer_ms,
       (SELECT count(*) FROM bench_pairs) AS calls
FROM bench_cases c ORDER BY ord;

\pset footer off
\echo
\echo 'Time per call (ns), net of the scan of the pairs; ratio = peer / ours (above 1: ours is faster)'
SELECT ours AS "customer_unify", peer AS "peer",
       round((1e6 * (ours_ms - scan_ms) / calls)::numeric, 0) AS "ours ns/call",
       round((1e6 * (peer_ms - scan_ms) / calls)::numeric, 0) AS "peer ns/call",
       round(((peer_ms - scan_ms) / nullif(ours_ms - scan_ms, 0))::numeric, 2) AS "ratio"
FROM bench_results ORDER BY ord;

\echo 'Quality on the same pairs (same person or not), best threshold of each score:'
WITH scores AS (
	SELECT same, cu_name_similarity(a, b) AS ours, similarity(a, b) AS trgm, jarowinkler(a, b) AS jw_peer
	FROM bench_pairs WHERE id <= 200000
), thresholds AS (SELECT t / 100.0 AS t FROM generate_series(5, 99) AS t)
SELECT m.score,
       round(max(acc)::numeric, 4) AS "best accuracy",
       (array_agg(t ORDER BY acc DESC))[1]::numeric(3,2) AS "at threshold"
FROM thresholds
CROSS JOIN LATERAL (VALUES
	('cu_name_similarity', (SELECT avg(((ours >= t) = same)::int) FROM scores)),
	('pg_trgm similarity', (SELECT avg(((trgm >= t) = same)::int) FROM scores)),
	('pg_similarity jarowinkler', (SELECT avg(((jw_peer >= t) = same)::int) FROM scores))) AS m(score, acc)
GROUP BY m.score ORDER BY 2 DESC;
