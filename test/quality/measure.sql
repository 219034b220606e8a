-- test/quality/measure.sql: the quality of the clusters in customer_unify.cu_identity_map against the truth
-- in q_truth(source regclass, source_id text, truth text), for `make quality`.  Works on any database that
-- has both tables:  psql -v ON_ERROR_STOP=1 -f measure.sql
--
-- Over ALL pairs of the records in q_truth, by group counting (no self-join): a pair is predicted linked
-- when both records have the same customer_id, true when both have the same truth.
--   pred pairs = sum over customers of C(n,2), true pairs = sum over persons of C(n,2),
--   TP = sum over (customer, person) cells of C(n,2); P = TP/pred, R = TP/true, F1 = 2 TP/(pred + true).
-- B-cubed: per-record averages of |cluster ∩ person| / |cluster| (P) and / |person| (R), F1 of the two.
-- A record missing from the map counts as a customer of its own (and in "unmapped"); a record mapped
-- twice is an error.  Undefined ratios (no predicted pair, say) print as n/a.  One row of output.

DO $$
DECLARE
	dup bigint;
BEGIN
	SELECT count(*) INTO dup FROM (
		SELECT 1 FROM q_truth t JOIN customer_unify.cu_identity_map m ON m.source = t.source AND m.source_id = t.source_id
		GROUP BY t.source, t.source_id HAVING count(*) > 1) d;
	IF dup > 0 THEN
		RAISE EXCEPTION '% records have more than one row in cu_identity_map', dup;
	END IF;
END
$$;

WITH rec AS (
	SELECT t.truth,
	       coalesce(m.customer_id::text, 'unmapped ' || t.source::oid || ' ' || t.source_id) AS customer,
	       m.customer_id IS NULL AS unmapped
	FROM q_truth t
	LEFT JOIN customer_unify.cu_identity_map m ON m.source = t.source AND m.source_id = t.source_id
), cell AS (            -- (customer, person) cells
	SELECT customer, truth, count(*)::numeric AS n FROM rec GROUP BY customer, truth
), cust AS (
	SELECT customer, sum(n) AS n FROM cell GROUP BY customer
), pers AS (
	SELECT truth, sum(n) AS n FROM cell GROUP BY truth
), c AS (
	SELECT (SELECT count(*) FROM rec)                               AS records,
	       (SELECT count(*) FROM rec WHERE unmapped)                AS unmapped,
	       (SELECT count(*) FROM pers)                              AS persons,
	       (SELECT count(*) FROM cust)                              AS customers,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM pers)     AS true_pairs,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM cust)     AS pred_pairs,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM cell)     AS tp,
	       (SELECT sum(cell.n * cell.n / cust.n) FROM cell JOIN cust USING (customer)) AS b3_p_sum,
	       (SELECT sum(cell.n * cell.n / pers.n) FROM cell JOIN pers USING (truth))    AS b3_r_sum
), r AS (
	SELECT c.*,
	       CASE WHEN pred_pairs > 0 THEN tp / pred_pairs END                AS p,
	       CASE WHEN true_pairs > 0 THEN tp / true_pairs END                AS r,
	       CASE WHEN pred_pairs + true_pairs > 0 THEN 2 * tp / (pred_pairs + true_pairs) END AS f1,
	       CASE WHEN records > 0 THEN b3_p_sum / records END                AS b3_p,
	       CASE WHEN records > 0 THEN b3_r_sum / records END                AS b3_r
	FROM c
)
SELECT records, persons, customers, true_pairs::bigint AS true_pairs, pred_pairs::bigint AS pred_pairs,
       tp::bigint AS tp,
       coalesce(to_char(p, 'FM0.0000'), 'n/a')    AS p,
       coalesce(to_char(r, 'FM0.0000'), 'n/a')    AS r,
       coalesce(to_char(f1, 'FM0.0000'), 'n/a')   AS f1,
       coalesce(to_char(b3_p, 'FM0.0000'), 'n/a') AS b3_p,
       coalesce(to_char(b3_r, 'FM0.0000'), 'n/a') AS b3_r,
       coalesce(to_char(2 * b3_p * b3_r / nullif(b3_p + b3_r, 0), 'FM0.0000'), 'n/a') AS b3_f1,
       unmapped
FROM r;
