-- test/bench/search.sql: index-backed fuzzy name search, ours against pg_trgm,
-- on bench_customers / bench_searches (gen_customers.sql), in one run.
-- For each system: build its index alone (timed), then run every search once,
-- timing each on the server, and check whether the customer searched for is
-- among the first 10 results (recall@10; a homonym of the customer counts,
-- since no search by name alone can tell two people of the same name apart).

SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET maintenance_work_mem = '512MB';

CREATE TEMP TABLE search_systems(ord int, system text, opclass text, query text);
INSERT INTO search_systems VALUES
 (1, 'customer_unify GIN: %% then cu_name_similarity', 'cu_name_gin_ops',
     'SELECT array_agg(id) FROM (SELECT id FROM bench_customers WHERE name %% $1
                                 ORDER BY cu_name_similarity(name, $1) DESC, id LIMIT 10) s'),
 (2, 'pg_trgm GIN: % then similarity', 'gin_trgm_ops',
     'SELECT array_agg(id) FROM (SELECT id FROM bench_customers WHERE name % $1 ORDER BY similarity(name, $1) DESC, id LIMIT 10) s'),
 (3, 'customer_unify GiST: 1000 by <~>, then cu_name_similarity', 'cu_name_gist_ops',
     'SELECT array_agg(id) FROM (SELECT id FROM (SELECT id, name FROM bench_customers ORDER BY name <~> $1 LIMIT 1000) k
                                 ORDER BY cu_name_similarity(name, $1) DESC, id LIMIT 10) s'),
 (4, 'pg_trgm GiST: ORDER BY <->', 'gist_trgm_ops',
     'SELECT array_agg(id) FROM (SELECT id FROM bench_customers ORDER BY name <-> $1 LIMIT 10) s');

CREATE TEMP TABLE search_builds(system text, build_s float8, size_mb float8);
CREATE TEMP TABLE search_results(system text, qid int, ms float8, hit boolean);

-- build one system's index, run every search, drop the index
CREATE FUNCTION pg_temp.run_system(sys search_systems) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	s record;
	ids int[];
	method text := CASE WHEN sys.opclass LIKE '%gin%' THEN 'gin' ELSE 'gist' END;
BEGIN
	t0 := clock_timestamp();
	EXECUTE format('CREATE INDEX bench_search_idx ON bench_customers USING %s (name %s)', method, sys.opclass);
	INSERT INTO search_builds VALUES (sys.system, extract(epoch FROM clock_timestamp() - t0),
		pg_relation_size('bench_search_idx') / 1048576.0);
	ANALYZE bench_customers;
	-- warm up
	FOR s IN SELECT * FROM bench_searches ORDER BY qid LIMIT 50 LOOP
		EXECUTE sys.query INTO ids USING s.query;
	END LOOP;
	FOR s IN SELECT * FROM bench_searches ORDER BY qid LOOP
		t0 := clock_timestamp();
		EXECUTE sys.query INTO ids USING s.query;
		INSERT INTO search_results VALUES (sys.system, s.qid,
			extract(epoch FROM clock_timestamp() - t0) * 1000,
			-- found: the customer, or a homonym (a name alone cannot tell them apart)
			EXISTS (SELECT 1 FROM bench_customers c, bench_customers t
			        WHERE c.id = ANY (coalesce(ids, '{}')) AND t.id = s.truth AND c.name = t.name));
	END LOOP;
	EXECUTE 'DROP INDEX bench_search_idx';
END $$;

SELECT count(*) AS customers, count(DISTINCT name) AS distinct_names FROM bench_customers;
SELECT count(*) AS searches FROM bench_searches;
SELECT pg_temp.run_system(s) FROM search_systems s ORDER BY ord;

\pset footer off
\echo
\echo 'Name search on one million customers (thresholds: customer_unify.name_threshold and pg_trgm.similarity_threshold at their defaults, 0.3)'
SELECT y.system, round(b.size_mb::numeric, 1) AS "index MB", round(b.build_s::numeric, 1) AS "build s",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms))::numeric, 2) AS "median ms",
       round((percentile_cont(0.99) WITHIN GROUP (ORDER BY r.ms))::numeric, 2) AS "p99 ms",
       round(100.0 * avg(r.hit::int), 1) AS "recall@10 %"
FROM search_systems y JOIN search_builds b USING (system) JOIN search_results r USING (system)
GROUP BY y.ord, y.system, b.size_mb, b.build_s ORDER BY y.ord;

\echo 'Recall@10 (%) of the searches that carry each kind of noise (each search carries two)'
SELECT k.kind AS noise, count(DISTINCT r.qid) AS searches,
       round(100.0 * avg(r.hit::int) FILTER (WHERE r.system LIKE 'customer_unify GIN%'), 1) AS "ours GIN",
       round(100.0 * avg(r.hit::int) FILTER (WHERE r.system LIKE 'pg_trgm GIN%'), 1) AS "pg_trgm GIN",
       round(100.0 * avg(r.hit::int) FILTER (WHERE r.system LIKE 'customer_unify GiST%'), 1) AS "ours GiST",
       round(100.0 * avg(r.hit::int) FILTER (WHERE r.system LIKE 'pg_trgm GiST%'), 1) AS "pg_trgm GiST"
FROM search_results r JOIN bench_searches s USING (qid)
CROSS JOIN LATERAL unnest(string_to_array(s.noise, ' + ')) AS k(kind)
GROUP BY k.kind ORDER BY k.kind;
