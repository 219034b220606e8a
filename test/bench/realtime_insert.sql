-- test/bench/realtime_insert.sql: one transaction of the real-time benchmark
-- (pgbench -f, run by realtime.sh): one INSERT of a new record into
-- public.shop_customers, a row of public.rt_bench_pool (realtime_pool.sql).
--
--   pgbench -n -M prepared -c C -D n=-1 -D nclients=C -D base=B -D pool=P -f realtime_insert.sql
--
-- n counts this client's transactions (pgbench variables live as long as the
-- client); the k-th insert of the run (k = n * C + client_id, distinct over
-- the clients) gets id B + k and row k mod P of the pool.  The row is read in
-- the INSERT itself (a primary-key lookup), so the transaction is the single
-- statement an application would send.
\set n :n + 1
\set k :n * :nclients + :client_id
\set id :base + :k
\set pk :k % :pool
INSERT INTO public.shop_customers (customer_no, prenom, nom, email, tel, date_naissance, cp, ville, adresse, truth)
SELECT :id::bigint, p.prenom, p.nom, p.email, p.tel, p.date_naissance, p.cp, p.ville, p.adresse, p.truth
FROM public.rt_bench_pool p WHERE p.k = :pk;
