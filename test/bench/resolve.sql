-- test/bench/resolve.sql: the resolution benchmark, on the four CRM silos of
-- gen_silos.sql, in a database where customer_unify is installed.
--
--   psql -v n=1000000 -f gen_silos.sql && psql -f resolve.sql
--
-- Registers the silos as sources, times cu_train() and cu_resolve(), then
-- measures the customers found against the truth, over all pairs of records:
--   predicted pairs = sum over customers of C(n, 2),
--   true pairs      = sum over persons of C(n, 2),
--   true positives  = sum over (customer, person) of C(n, 2),
--   P = TP / predicted, R = TP / true, F1 their harmonic mean.
-- A record missing from cu_identity_map counts as a customer of its own.
-- Prints one markdown table; comparisons/s is candidate pairs per second of
-- cu_resolve().

SET client_min_messages = warning;

-- forget earlier registrations of these silos, and of tables dropped since
-- (gen_silos.sql drops and creates the silos)
\o /dev/null
SELECT customer_unify.cu_remove_source(s.source)
FROM customer_unify.cu_sources s
WHERE s.source IN ('public.shop_customers'::regclass, 'public.web_accounts'::regclass,
                   'public.callcenter_contacts'::regclass, 'public.review_authors'::regclass)
   OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = s.source);

\ir register_silos.sql
\o

-- the timed part
SELECT clock_timestamp() AS bench_t0 \gset
SELECT customer_unify.cu_train() AS bench_train \gset
SELECT clock_timestamp() AS bench_t1 \gset
SELECT customer_unify.cu_resolve() AS bench_resolve \gset
SELECT clock_timestamp() AS bench_t2 \gset

-- every record with its true person and the customer found (NULL: not in the map)
CREATE TEMP TABLE bench_assign AS
SELECT t.person_id, m.customer_id
FROM public.truth t
LEFT JOIN customer_unify.cu_identity_map m ON m.source = t.source AND m.source_id = t.source_id;

CREATE TEMP TABLE bench_metrics AS
WITH by_customer AS (
	SELECT count(*) AS n FROM bench_assign WHERE customer_id IS NOT NULL GROUP BY customer_id
), by_person AS (
	SELECT count(*) AS n FROM bench_assign GROUP BY person_id
), by_both AS (
	SELECT count(*) AS n FROM bench_assign WHERE customer_id IS NOT NULL GROUP BY customer_id, person_id
), counts AS (
	SELECT (SELECT count(*) FROM bench_assign) AS records,
	       (SELECT count(*) FROM by_person) AS persons,
	       (SELECT count(*) FROM by_customer) + (SELECT count(*) FROM bench_assign WHERE customer_id IS NULL) AS customers,
	       (SELECT count(*) FROM bench_assign WHERE customer_id IS NULL) AS unmapped,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM by_customer) AS predicted_pairs,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM by_person) AS true_pairs,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM by_both) AS tp_pairs
), rates AS (
	SELECT c.*, tp_pairs / nullif(predicted_pairs, 0) AS p, tp_pairs / nullif(true_pairs, 0) AS r,
	       extract(epoch FROM :'bench_t1'::timestamptz - :'bench_t0'::timestamptz) AS train_s,
	       extract(epoch FROM :'bench_t2'::timestamptz - :'bench_t1'::timestamptz) AS resolve_s,
	       (:'bench_resolve'::jsonb ->> 'candidate_pairs')::bigint AS candidate_pairs
	FROM counts c
)
SELECT r.*, train_s + resolve_s AS total_s, 2 * p * r / nullif(p + r, 0) AS f1 FROM rates r;

SELECT unmapped > 0 AS bench_some_unmapped, unmapped AS bench_unmapped FROM bench_metrics \gset

\echo
\echo 'Resolution of the four silos; pairwise precision, recall and F1 over all pairs of records, against the truth'
\pset format unaligned
\pset tuples_only on
SELECT '| records | persons | train s | resolve s | total s | records/s | candidate pairs | comparisons/s | customers '
       || '| pairwise P | R | F1 |' || E'\n'
       || '|' || repeat(' ---: |', 12) || E'\n'
       || format('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |',
                 records, persons,
                 round(train_s, 2), round(resolve_s, 2), round(total_s, 2),
                 coalesce(round(records / nullif(total_s, 0))::text, 'n/a'),
                 coalesce(candidate_pairs::text, 'n/a'),
                 coalesce(round(candidate_pairs / nullif(resolve_s, 0))::text, 'n/a'),
                 customers,
                 coalesce(round(p, 4)::text, 'n/a'), coalesce(round(r, 4)::text, 'n/a'),
                 coalesce(round(f1, 4)::text, 'n/a'))
FROM bench_metrics;
\pset tuples_only off
\pset format aligned
\if :bench_some_unmapped
\echo :bench_unmapped 'records are missing from cu_identity_map (each counted as a customer of its own)'
\endif
