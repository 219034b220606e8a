-- test/bench/timing.sql: timing helpers shared by the benchmark scripts
-- (included with \ir by comparators.sql, golden.sql and sentiment.sql); temporary functions.

-- fastest of reps runs of a query, in milliseconds
CREATE FUNCTION pg_temp.bench_ms(query text, reps int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz; best float8 := 'Infinity'; i int;
BEGIN
	FOR i IN 1..reps LOOP
		t0 := clock_timestamp();
		EXECUTE query;
		best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
	END LOOP;
	RETURN best;
END $$;

-- whether the plan of a query, under the current settings, has a partial aggregate
CREATE FUNCTION pg_temp.bench_partial(query text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		IF line LIKE '%Partial%Aggregate%' THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END $$;
