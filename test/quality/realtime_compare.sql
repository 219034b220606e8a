-- test/quality/realtime_compare.sql: for realtime_agreement.sh, after the real-time replay.  How far the
-- real-time partition of the records (customer_unify.cu_identity_map) agrees with the batch one (rt_batch,
-- kept by realtime_prepare.sql), over the records of q_truth, by group counting as measure.sql does (no self-join):
--   batch pairs = sum over batch customers of C(n,2), rt pairs likewise, common = sum over (batch customer,
--   real-time customer) cells of C(n,2); agreement P = common / rt pairs, R = common / batch pairs,
--   F1 = 2 common / (batch pairs + rt pairs): pairwise F1 of real time taking batch as the truth.
--   identical: the records whose customer holds exactly the same records in both (cell = both customers).
-- A record missing from an assignment counts as a customer of its own.  One row of output.
--
-- Run:  psql -v ON_ERROR_STOP=1 -At -F'|' -f realtime_compare.sql

WITH rec AS (
	SELECT coalesce(b.customer_id::text, 'unmapped ' || t.source::oid || ' ' || t.source_id) AS bc,
	       coalesce(r.customer_id::text, 'unmapped ' || t.source::oid || ' ' || t.source_id) AS rc,
	       b.customer_id IS NULL AS b_unmapped, r.customer_id IS NULL AS r_unmapped
	FROM q_truth t
	LEFT JOIN rt_batch b ON b.source = t.source AND b.source_id = t.source_id
	LEFT JOIN customer_unify.cu_identity_map r ON r.source = t.source AND r.source_id = t.source_id
), cell AS (
	SELECT bc, rc, count(*)::numeric AS n FROM rec GROUP BY bc, rc
), bcust AS (
	SELECT bc, sum(n) AS n FROM cell GROUP BY bc
), rcust AS (
	SELECT rc, sum(n) AS n FROM cell GROUP BY rc
), c AS (
	SELECT (SELECT count(*) FROM rec)                                 AS records,
	       (SELECT count(*) FROM rec WHERE b_unmapped)                AS b_unmapped,
	       (SELECT count(*) FROM rec WHERE r_unmapped)                AS r_unmapped,
	       (SELECT count(*) FROM bcust)                               AS b_customers,
	       (SELECT count(*) FROM rcust)                               AS r_customers,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM bcust)      AS b_pairs,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM rcust)      AS r_pairs,
	       (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM cell)       AS common,
	       (SELECT coalesce(sum(cell.n), 0) FROM cell JOIN bcust USING (bc) JOIN rcust USING (rc)
	        WHERE cell.n = bcust.n AND cell.n = rcust.n)              AS identical,
	       (SELECT count(*) FROM cell JOIN bcust USING (bc) JOIN rcust USING (rc)
	        WHERE cell.n = bcust.n AND cell.n = rcust.n AND cell.n > 1) AS identical_multi,
	       (SELECT count(*) FROM bcust WHERE n > 1)                   AS b_multi
)
SELECT records, b_customers, r_customers, b_pairs::bigint, r_pairs::bigint, common::bigint,
       (r_pairs - common)::bigint AS only_rt, (b_pairs - common)::bigint AS only_batch,
       coalesce(to_char(common / nullif(r_pairs, 0), 'FM0.0000'), 'n/a')           AS agree_p,
       coalesce(to_char(common / nullif(b_pairs, 0), 'FM0.0000'), 'n/a')           AS agree_r,
       coalesce(to_char(2 * common / nullif(b_pairs + r_pairs, 0), 'FM0.0000'), 'n/a') AS agree_f1,
       identical,
       coalesce(to_char(identical::numeric / nullif(records, 0), 'FM0.0000'), 'n/a') AS identical_share,
       identical_multi, b_multi, b_unmapped, r_unmapped
FROM c;
