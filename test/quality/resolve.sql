-- test/quality/resolve.sql: runs cu_train then cu_resolve for `make quality`, timing each with
-- clock_timestamp(); keeps seconds and the returned JSON in the table q_run (step 'train', 'resolve').
--
-- Run after the load_*.sql files:  psql -v ON_ERROR_STOP=1 -f resolve.sql

CREATE TABLE q_run (step text PRIMARY KEY, seconds float8, result jsonb);

SELECT clock_timestamp() AS t0 \gset
INSERT INTO q_run (step, result) SELECT 'train', customer_unify.cu_train();
UPDATE q_run SET seconds = extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) WHERE step = 'train';

SELECT clock_timestamp() AS t0 \gset
INSERT INTO q_run (step, result) SELECT 'resolve', customer_unify.cu_resolve();
UPDATE q_run SET seconds = extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) WHERE step = 'resolve';

SELECT step, round(seconds::numeric, 3) AS seconds, result FROM q_run ORDER BY step DESC;
