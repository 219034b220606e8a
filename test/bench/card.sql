-- test/bench/card.sql: the customer benchmark, "a card for one customer among
-- a million answers in milliseconds", in a database where customer_unify and
-- pg_trgm are installed.
--
--   psql -v records=2500000 -v samples=1000 -v rounds=3 -f card.sql
--
-- (variables optional; defaults 2500000 records, about a million people, 1000
-- samples, 3 refresh rounds, card_seed 7).  Set-up, each step timed:
--   - the four CRM silos with the truth (gen_silos.sql, :records records) and
--     :records / 2 feedback texts (gen_feedback.sql);
--   - three interaction tables, seeded, over the past year (timestamps
--     relative to now()): purchases (0 to 4 per shop customer, with store and
--     amount), call_messages (0 to 3 per call-centre contact: call, e-mail or
--     chat, 85 % with a feedback text) and reviews (0 to 2 per review author,
--     a feedback text and a rating); their reference columns indexed;
--   - the silos registered as resolve.sql does, the interaction tables with
--     cu_add_interactions (feedback texts and languages for the messages),
--     cu_train(), cu_resolve(), cu_refresh_360(true);
--   - the peer: a plain copy of the staged whole names
--     (customer_unify.cu_records.full_name) with a pg_trgm GIN index;
--   - VACUUM ANALYZE and CHECKPOINT: the state autovacuum and the
--     checkpointer reach soon after, so that they do not run beside the
--     timings (and fresh statistics: cu_resolve leaves cu_identity_map with
--     those of before, or none).
-- Then every operation is timed on the server, clock_timestamp() around each
-- call in a PL/pgSQL loop (static SQL, so plans are cached as an application's
-- prepared statements would be; no network or psql in the figures), over
-- :samples samples drawn in a seeded random order (a hash of each key and
-- :card_seed), after 20 warm-up calls on other samples:
--   1. cu_customer_card(id) of random customers;
--   2. cu_find_customer(email => ...) with the e-mails of random records in upper case;
--   3. cu_find_customer(phone => ...) with the phones of random records as written;
--   4. cu_find_customer(name => ...) with the names of random records as written
--      (shop and web: first and last name; call centre and reviews: the whole name);
--   5. the peer on the same names: pg_trgm, WHERE full_name % q ORDER BY
--      similarity(full_name, q) DESC LIMIT 5, q = cu_normalize_name(name) (the
--      copied names are normalised, so the query is too, inside the timing);
--   6. and 7. SELECT * FROM cu_customer_360 WHERE email_key = cu_normalize_email(...)
--      (the e-mails of 2.) and WHERE customer_id = ... (the customers of 1.);
--   8. cu_refresh_360() (incremental) after 1,000 new messages (posted now, by
--      random call-centre contacts, inserted in a transaction of their own),
--      :rounds rounds, each refresh in its own transaction;
--   9. cu_forget(id) of 100 random customers, each in its own subtransaction
--      (one warm-up erasure first, untimed: the first drops the work tables).
-- Quality from the same run: for each look-up by e-mail, phone or name, whether
-- a record of the true person (gen_silos' truth) is among the 5 answers (ours:
-- the best matching record of each customer returned; pg_trgm: the records
-- returned), and whether a customer answered (ours) or the customer of a record
-- answered (pg_trgm) holds a record of the true person.  Prints markdown
-- tables: the set-up steps, the operations, the quality.  Settings: the server's (jit on); those the generators set are reset.

\if :{?records}
\else
\set records 2500000
\endif
\if :{?samples}
\else
\set samples 1000
\endif
\if :{?rounds}
\else
\set rounds 3
\endif
\if :{?card_seed}
\else
\set card_seed 7
\endif

SET client_min_messages = warning;
SET bench.card_seed = :card_seed;
SET bench.samples = :samples;

-- u(key, stream): a uniform draw in [0, 1), a pure function of (card_seed, stream, key)
CREATE FUNCTION pg_temp.card_u(k text, stream int) RETURNS float8 LANGUAGE sql STABLE AS $$
	SELECT ((hashtextextended(k, current_setting('bench.card_seed')::bigint * 1000 + stream) >> 11)
	        & 9007199254740991)::float8 / 9007199254740992
$$;
-- a seeded random order of keys
CREATE FUNCTION pg_temp.card_order(k text, stream int) RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT hashtextextended(k, current_setting('bench.card_seed')::bigint * 1000 + stream)
$$;

CREATE TEMP TABLE bench_card_setup(ord serial, step text, s float8, result text);
CREATE FUNCTION pg_temp.card_step(step text, t0 timestamptz, result text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench_card_setup(step, s, result) VALUES (step, extract(epoch FROM clock_timestamp() - t0), result)
$$;

-- forget earlier registrations of these tables, and of tables dropped since
\o /dev/null
SELECT customer_unify.cu_remove_interactions(i.source)
FROM customer_unify.cu_interaction_sources i
WHERE i.source IN (to_regclass('public.purchases'), to_regclass('public.call_messages'), to_regclass('public.reviews'))
   OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = i.source);
SELECT customer_unify.cu_remove_source(s.source)
FROM customer_unify.cu_sources s
WHERE s.source IN (to_regclass('public.shop_customers'), to_regclass('public.web_accounts'),
                   to_regclass('public.callcenter_contacts'), to_regclass('public.review_authors'))
   OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = s.source);
\o
DROP TABLE IF EXISTS public.purchases, public.call_messages, public.reviews, public.bench_trgm_names;

------------------------------------------------------------------------------
-- set-up: data

SELECT clock_timestamp() AS card_t \gset
\set n :records
\set seed 0.42
\ir gen_silos.sql
RESET max_parallel_workers_per_gather;
RESET jit;
RESET work_mem;
SELECT pg_temp.card_step('generate the four silos (gen_silos.sql)', :'card_t',
	format('%s records, %s persons',
	       (SELECT count(*) FROM public.truth), (SELECT count(*) FROM public.persons))) AS card_ignore \gset

SELECT clock_timestamp() AS card_t \gset
SELECT (:records / 2)::int AS n \gset
\set seed 0.37
\ir gen_feedback.sql
SELECT count(*) AS card_feedback FROM public.feedback \gset
SELECT pg_temp.card_step('generate feedback texts (gen_feedback.sql)', :'card_t', format('%s texts', :card_feedback)) AS card_ignore \gset

SELECT clock_timestamp() AS card_t \gset
SET bench.feedback = :card_feedback;

CREATE TABLE public.purchases AS
SELECT (row_number() OVER (ORDER BY s.customer_no, k))::bigint AS ticket_no, s.customer_no,
       now() - make_interval(secs => 365 * 86400 * pg_temp.card_u(s.customer_no || '/' || k, 1)) AS bought_at,
       (ARRAY['Paris', 'Lyon', 'Marseille', 'Lille', 'Nantes', 'Rennes', 'Bordeaux', 'web'])
           [1 + floor(8 * pg_temp.card_u(s.customer_no || '/' || k, 2))::int] AS store,
       round((5 + 195 * pg_temp.card_u(s.customer_no || '/' || k, 3))::numeric, 2) AS amount
FROM public.shop_customers s
CROSS JOIN LATERAL generate_series(1, floor(5 * pg_temp.card_u(s.customer_no::text, 0))::int) AS k
ORDER BY 1;
ALTER TABLE public.purchases ADD PRIMARY KEY (ticket_no);
CREATE INDEX ON public.purchases (customer_no);

CREATE TABLE public.call_messages AS
WITH m AS (
	SELECT c.contact_id, k, c.contact_id || '/' || k AS key
	FROM public.callcenter_contacts c
	CROSS JOIN LATERAL generate_series(1, floor(4 * pg_temp.card_u(c.contact_id, 10))::int) AS k
)
SELECT (row_number() OVER (ORDER BY m.contact_id, m.k))::bigint AS message_id, m.contact_id,
       now() - make_interval(secs => 365 * 86400 * pg_temp.card_u(m.key, 11)) AS posted_at,
       (ARRAY['call', 'call', 'email', 'chat'])[1 + floor(4 * pg_temp.card_u(m.key, 12))::int] AS channel,
       f.lang, f.body
FROM m
LEFT JOIN public.feedback f
	ON pg_temp.card_u(m.key, 13) < 0.85
	AND f.id = 1 + floor(current_setting('bench.feedback')::int * pg_temp.card_u(m.key, 14))::int
ORDER BY 1;
ALTER TABLE public.call_messages ADD PRIMARY KEY (message_id);
CREATE INDEX ON public.call_messages (contact_id);

CREATE TABLE public.reviews AS
WITH m AS (
	SELECT a.author_id, k, a.author_id || '/' || k AS key
	FROM public.review_authors a
	CROSS JOIN LATERAL generate_series(1, floor(3 * pg_temp.card_u(a.author_id, 20))::int) AS k
)
SELECT (row_number() OVER (ORDER BY m.author_id, m.k))::bigint AS review_id, m.author_id,
       now() - make_interval(secs => 365 * 86400 * pg_temp.card_u(m.key, 21)) AS posted_at,
       f.lang, f.body, 1 + floor(5 * pg_temp.card_u(m.key, 22))::int AS rating
FROM m
JOIN public.feedback f ON f.id = 1 + floor(current_setting('bench.feedback')::int * pg_temp.card_u(m.key, 24))::int
ORDER BY 1;
ALTER TABLE public.reviews ADD PRIMARY KEY (review_id);
CREATE INDEX ON public.reviews (author_id);
VACUUM ANALYZE public.purchases, public.call_messages, public.reviews;
SELECT pg_temp.card_step('generate the interactions, index their references', :'card_t',
	format('%s purchases, %s call-centre messages (%s with a text), %s reviews',
	       (SELECT count(*) FROM public.purchases), (SELECT count(*) FROM public.call_messages),
	       (SELECT count(body) FROM public.call_messages), (SELECT count(*) FROM public.reviews))) AS card_ignore \gset

------------------------------------------------------------------------------
-- set-up: registration, training, resolution, the 360 table

SELECT clock_timestamp() AS card_t \gset
\o /dev/null
\ir register_silos.sql
\o
SELECT pg_temp.card_step('register the four silos (cu_add_source)', :'card_t', '4 sources') AS card_ignore \gset

SELECT clock_timestamp() AS card_t \gset
SELECT customer_unify.cu_add_interactions('public.purchases', 'public.shop_customers', 'customer_no', 'bought_at',
	'shop', details => ARRAY['store', 'amount']) AS card_r1 \gset
SELECT customer_unify.cu_add_interactions('public.call_messages', 'public.callcenter_contacts', 'contact_id',
	'posted_at', 'call', text_column => 'body', lang => 'lang', channel_column => 'channel') AS card_r2 \gset
SELECT customer_unify.cu_add_interactions('public.reviews', 'public.review_authors', 'author_id', 'posted_at',
	'review', text_column => 'body', lang => 'lang', details => ARRAY['rating']) AS card_r3 \gset
SELECT pg_temp.card_step('register the interaction tables (cu_add_interactions)', :'card_t',
	format('3 tables, %s of %s rows linked, all indexed: %s',
	       (:'card_r1'::jsonb ->> 'linked')::bigint + (:'card_r2'::jsonb ->> 'linked')::bigint
	       + (:'card_r3'::jsonb ->> 'linked')::bigint,
	       (:'card_r1'::jsonb ->> 'interactions')::bigint + (:'card_r2'::jsonb ->> 'interactions')::bigint
	       + (:'card_r3'::jsonb ->> 'interactions')::bigint,
	       (:'card_r1'::jsonb ->> 'indexed')::boolean AND (:'card_r2'::jsonb ->> 'indexed')::boolean
	       AND (:'card_r3'::jsonb ->> 'indexed')::boolean)) AS card_ignore \gset

SELECT clock_timestamp() AS card_t \gset
SELECT customer_unify.cu_train() AS card_train \gset
SELECT pg_temp.card_step('cu_train()', :'card_t', '') AS card_ignore \gset

SELECT clock_timestamp() AS card_t \gset
SELECT customer_unify.cu_resolve() AS card_resolve \gset
SELECT pg_temp.card_step('cu_resolve()', :'card_t',
	format('%s customers, %s candidate pairs',
	       (SELECT count(DISTINCT customer_id) FROM customer_unify.cu_identity_map),
	       coalesce(:'card_resolve'::jsonb ->> 'candidate_pairs', 'n/a'))) AS card_ignore \gset

SELECT clock_timestamp() AS card_t \gset
SELECT customer_unify.cu_refresh_360(true) AS card_refresh \gset
SELECT pg_temp.card_step('cu_refresh_360(true)', :'card_t',
	format('%s customers', :'card_refresh'::jsonb ->> 'customers')) AS card_ignore \gset

-- the peer: the staged whole names, copied, with pg_trgm's GIN index
SELECT clock_timestamp() AS card_t \gset
CREATE TABLE public.bench_trgm_names AS
SELECT r.record_key, s.source, r.record_id, r.full_name
FROM customer_unify.cu_records r JOIN customer_unify.cu_sources s ON s.source_id = r.source_id
WHERE r.full_name IS NOT NULL;
CREATE INDEX bench_trgm_names_gin ON public.bench_trgm_names USING gin (full_name gin_trgm_ops);
VACUUM ANALYZE public.bench_trgm_names;
SELECT pg_temp.card_step('peer: copy the staged names, pg_trgm GIN index', :'card_t',
	format('%s names, index %s MB', (SELECT count(*) FROM public.bench_trgm_names),
	       round(pg_relation_size('public.bench_trgm_names_gin') / 1048576.0))) AS card_ignore \gset

-- the steady state autovacuum and the checkpointer reach some minutes later,
-- so that they do not run beside the timings on a small machine; and the
-- statistics (cu_resolve does not analyse cu_identity_map, whose old
-- statistics, or none, mislead the plans of the card: the index on (source,
-- source_id) read for one customer)
SELECT clock_timestamp() AS card_t \gset
VACUUM ANALYZE;
CHECKPOINT;
SELECT pg_temp.card_step('VACUUM ANALYZE, CHECKPOINT (the database)', :'card_t', '') AS card_ignore \gset

------------------------------------------------------------------------------
-- the samples

-- every record as written in its silo, with its true person
CREATE TEMP TABLE bench_card_recs AS
SELECT 'public.shop_customers'::regclass AS source, customer_no::text AS source_id, truth AS person_id,
       nullif(btrim(concat_ws(' ', prenom, nom)), '') AS name, email, tel AS phone
FROM public.shop_customers
UNION ALL
SELECT 'public.web_accounts'::regclass, account_id::text, truth,
       nullif(btrim(concat_ws(' ', first_name, last_name)), ''), email, NULL
FROM public.web_accounts
UNION ALL
SELECT 'public.callcenter_contacts'::regclass, contact_id, truth, full_name, email, phone FROM public.callcenter_contacts
UNION ALL
SELECT 'public.review_authors'::regclass, author_id, truth, display_name, email, NULL FROM public.review_authors;
CREATE INDEX ON bench_card_recs (source, source_id);
ANALYZE bench_card_recs;

-- kind: customer (an id), email, phone, name; i: 1..samples timed, then 20 for the warm-up
CREATE TEMP TABLE bench_card_samples(kind text, i int, customer_id bigint, query text, person_id bigint);
INSERT INTO bench_card_samples
SELECT 'customer', row_number() OVER (ORDER BY pg_temp.card_order(c.customer_id::text, 101)), c.customer_id, NULL, NULL
FROM (SELECT DISTINCT customer_id FROM customer_unify.cu_customer_summary) c
ORDER BY pg_temp.card_order(c.customer_id::text, 101) LIMIT :samples + 20;
INSERT INTO bench_card_samples
SELECT 'email', row_number() OVER (ORDER BY pg_temp.card_order(r.source::text || '/' || r.source_id, 102)),
       NULL, upper(r.email), r.person_id
FROM bench_card_recs r WHERE customer_unify.cu_normalize_email(r.email) IS NOT NULL
ORDER BY pg_temp.card_order(r.source::text || '/' || r.source_id, 102) LIMIT :samples + 20;
INSERT INTO bench_card_samples
SELECT 'phone', row_number() OVER (ORDER BY pg_temp.card_order(r.source::text || '/' || r.source_id, 103)),
       NULL, r.phone, r.person_id
FROM bench_card_recs r WHERE customer_unify.cu_normalize_phone(r.phone, 'FR') IS NOT NULL
ORDER BY pg_temp.card_order(r.source::text || '/' || r.source_id, 103) LIMIT :samples + 20;
INSERT INTO bench_card_samples
SELECT 'name', row_number() OVER (ORDER BY pg_temp.card_order(r.source::text || '/' || r.source_id, 104)),
       NULL, r.name, r.person_id
FROM bench_card_recs r WHERE nullif(customer_unify.cu_normalize_name(r.name), '') IS NOT NULL
ORDER BY pg_temp.card_order(r.source::text || '/' || r.source_id, 104) LIMIT :samples + 20;
-- the customers to forget: others than those of the card (101 = one for the warm-up)
INSERT INTO bench_card_samples
SELECT 'forget', row_number() OVER (ORDER BY pg_temp.card_order(c.customer_id::text, 105)), c.customer_id, NULL, NULL
FROM (SELECT DISTINCT customer_id FROM customer_unify.cu_customer_summary) c
WHERE c.customer_id NOT IN (SELECT customer_id FROM bench_card_samples WHERE kind = 'customer')
ORDER BY pg_temp.card_order(c.customer_id::text, 105) LIMIT 101;

-- op: the operation (numbered as in the header); ms; answer: whether it found
-- something; srcs, ids: the records returned by a look-up; custs: the
-- customers returned by ours
CREATE TEMP TABLE bench_card_runs(op int, i int, ms float8, answer boolean, srcs regclass[], ids text[],
                                  person_id bigint, info jsonb, custs bigint[]);

-- the figures of the set-up, before the timings add messages and forget customers
SELECT count(*) AS card_customers FROM customer_unify.cu_customer_summary \gset
SELECT count(*) AS card_records FROM bench_card_recs \gset
SELECT (SELECT count(*) FROM public.purchases) + (SELECT count(*) FROM public.call_messages)
       + (SELECT count(*) FROM public.reviews) AS card_interactions \gset

------------------------------------------------------------------------------
-- the timed read-only operations, 1 to 7

CREATE FUNCTION pg_temp.card_lookups() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	n int := current_setting('bench.samples')::int;
	s record;
	t0 timestamptz;
	ms float8;
	card jsonb;
	srcs regclass[];
	custs bigint[];
	ids text[];
	q text;
	rows360 customer_unify.cu_customer_360[];
	timed boolean;
BEGIN
	-- 1. cards (the 20 warm-up samples first, untimed)
	FOR s IN SELECT * FROM bench_card_samples WHERE kind = 'customer' ORDER BY i > n DESC, i LOOP
		timed := s.i <= n;
		t0 := clock_timestamp();
		card := customer_unify.cu_customer_card(s.customer_id);
		ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
		IF timed THEN
			INSERT INTO bench_card_runs(op, i, ms, answer, info)
			VALUES (1, s.i, ms, card IS NOT NULL,
			        jsonb_build_object('records', card -> 'records', 'contacts', card #> '{contacts,count}'));
		END IF;
	END LOOP;
	-- 2., 3., 4. by e-mail, by phone, by name: one kind after the other
	FOR s IN SELECT b.*, CASE b.kind WHEN 'email' THEN 2 WHEN 'phone' THEN 3 ELSE 4 END AS op
	         FROM bench_card_samples b WHERE b.kind IN ('email', 'phone', 'name')
	         ORDER BY op, b.i > n DESC, b.i LOOP
		t0 := clock_timestamp();
		SELECT array_agg(f.source), array_agg(f.record_id), array_agg(f.customer_id) INTO srcs, ids, custs
		FROM customer_unify.cu_find_customer(email => CASE WHEN s.op = 2 THEN s.query END,
		                                     phone => CASE WHEN s.op = 3 THEN s.query END,
		                                     name => CASE WHEN s.op = 4 THEN s.query END) f;
		ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
		IF s.i <= n THEN
			INSERT INTO bench_card_runs(op, i, ms, answer, srcs, ids, person_id, custs)
			VALUES (s.op, s.i, ms, ids IS NOT NULL, srcs, ids, s.person_id, custs);
		END IF;
	END LOOP;
	-- 5. the peer, by name: pg_trgm
	FOR s IN SELECT * FROM bench_card_samples WHERE kind = 'name' ORDER BY i > n DESC, i LOOP
		t0 := clock_timestamp();
		q := customer_unify.cu_normalize_name(s.query);
		SELECT array_agg(x.source), array_agg(x.record_id) INTO srcs, ids
		FROM (SELECT t.source, t.record_id FROM public.bench_trgm_names t
		      WHERE t.full_name % q ORDER BY similarity(t.full_name, q) DESC, t.record_key LIMIT 5) x;
		ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
		IF s.i <= n THEN
			INSERT INTO bench_card_runs(op, i, ms, answer, srcs, ids, person_id)
			VALUES (5, s.i, ms, ids IS NOT NULL, srcs, ids, s.person_id);
		END IF;
	END LOOP;
	-- 6. the 360 row by e-mail (the e-mails of 2.)
	FOR s IN SELECT * FROM bench_card_samples WHERE kind = 'email' ORDER BY i > n DESC, i LOOP
		t0 := clock_timestamp();
		SELECT array_agg(c) INTO rows360 FROM customer_unify.cu_customer_360 c
		WHERE c.email_key = customer_unify.cu_normalize_email(s.query);
		ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
		IF s.i <= n THEN
			INSERT INTO bench_card_runs(op, i, ms, answer) VALUES (6, s.i, ms, rows360 IS NOT NULL);
		END IF;
	END LOOP;
	-- 7. the 360 row by id (the customers of 1.)
	FOR s IN SELECT * FROM bench_card_samples WHERE kind = 'customer' ORDER BY i > n DESC, i LOOP
		t0 := clock_timestamp();
		SELECT array_agg(c) INTO rows360 FROM customer_unify.cu_customer_360 c WHERE c.customer_id = s.customer_id;
		ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
		IF s.i <= n THEN
			INSERT INTO bench_card_runs(op, i, ms, answer) VALUES (7, s.i, ms, rows360 IS NOT NULL);
		END IF;
	END LOOP;
END $$;

SELECT pg_temp.card_lookups() AS card_ignore \gset

-- whether a look-up found the true person, judged before the erasures change
-- the identity map: a record it returned is the true person's (hit), or a
-- customer it returned (ours), or the customer of a record it returned
-- (pg_trgm), holds a record of the true person (customer_hit)
CREATE TEMP TABLE bench_card_hits AS
SELECT r.op, r.i, r.answer,
       EXISTS (SELECT 1 FROM unnest(r.srcs, r.ids) u(source, source_id)
               JOIN bench_card_recs t ON t.source = u.source AND t.source_id = u.source_id
               WHERE t.person_id = r.person_id) AS hit,
       EXISTS (SELECT 1
               FROM (SELECT unnest(r.custs) AS customer_id
                     UNION
                     SELECT m.customer_id FROM unnest(r.srcs, r.ids) u(source, source_id)
                     JOIN customer_unify.cu_identity_map m ON m.source = u.source AND m.source_id = u.source_id
                     WHERE r.custs IS NULL) c
               JOIN customer_unify.cu_identity_map m ON m.customer_id = c.customer_id
               JOIN bench_card_recs t ON t.source = m.source AND t.source_id = m.source_id
               WHERE t.person_id = r.person_id) AS customer_hit
FROM bench_card_runs r WHERE r.op IN (2, 3, 4, 5);

------------------------------------------------------------------------------
-- 8. incremental refresh after 1,000 new messages, :rounds rounds, each its own transaction

SELECT max(message_id) AS card_last_message FROM public.call_messages \gset
SET bench.last_message = :card_last_message;
CREATE TEMP TABLE bench_card_contacts AS
SELECT (row_number() OVER (ORDER BY contact_id))::int AS k, contact_id FROM public.callcenter_contacts;
ALTER TABLE bench_card_contacts ADD PRIMARY KEY (k);
ANALYZE bench_card_contacts;
-- 1,000 messages posted now by random call-centre contacts (one transaction), then the refresh (another)
CREATE FUNCTION pg_temp.card_new_messages(round int) RETURNS void LANGUAGE sql AS $$
	INSERT INTO public.call_messages (message_id, contact_id, posted_at, channel, lang, body)
	SELECT current_setting('bench.last_message')::bigint + (round - 1) * 1000 + g, c.contact_id, clock_timestamp(),
	       'chat', f.lang, f.body
	FROM generate_series(1, 1000) g
	JOIN bench_card_contacts c
		ON c.k = 1 + floor((SELECT count(*) FROM bench_card_contacts) * pg_temp.card_u('refresh/' || round || '/' || g, 201))::int
	JOIN public.feedback f
		ON f.id = 1 + floor(current_setting('bench.feedback')::int * pg_temp.card_u('refresh/' || round || '/' || g, 202))::int
$$;
CREATE FUNCTION pg_temp.card_refresh_round(round int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	r jsonb;
BEGIN
	t0 := clock_timestamp();
	r := customer_unify.cu_refresh_360();
	INSERT INTO bench_card_runs(op, i, ms, answer, info)
	VALUES (8, round, extract(epoch FROM clock_timestamp() - t0) * 1000, true, r);
END $$;
\o /dev/null
SELECT format('SELECT pg_temp.card_new_messages(%s)', k), format('SELECT pg_temp.card_refresh_round(%s)', k)
FROM generate_series(1, :rounds) k \gexec
\o

------------------------------------------------------------------------------
-- 9. cu_forget of 100 random customers, each in its own subtransaction

CREATE FUNCTION pg_temp.card_forget() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	s record;
	t0 timestamptz;
	ms float8;
	r jsonb;
BEGIN
	FOR s IN SELECT * FROM bench_card_samples WHERE kind = 'forget' ORDER BY i > 100 DESC, i LOOP
		BEGIN
			t0 := clock_timestamp();
			r := customer_unify.cu_forget(s.customer_id, 'bench');
			ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
		EXCEPTION WHEN others THEN
			ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
			r := jsonb_build_object('error', SQLERRM);
		END;
		IF s.i <= 100 THEN
			INSERT INTO bench_card_runs(op, i, ms, answer, info) VALUES (9, s.i, ms, NOT r ? 'error', r);
		END IF;
	END LOOP;
END $$;
SELECT pg_temp.card_forget() AS card_ignore \gset

------------------------------------------------------------------------------
-- the tables

CREATE TEMP TABLE bench_card_ops(op int, operation text);
INSERT INTO bench_card_ops VALUES
 (1, 'cu_customer_card(id)'),
 (2, 'cu_find_customer(email => upper-case e-mail)'),
 (3, 'cu_find_customer(phone => phone as written)'),
 (4, 'cu_find_customer(name => name as written)'),
 (5, 'peer: pg_trgm, full_name % q ORDER BY similarity LIMIT 5'),
 (6, 'cu_customer_360 WHERE email_key = cu_normalize_email(...)'),
 (7, 'cu_customer_360 WHERE customer_id = ...'),
 (8, 'cu_refresh_360() after 1,000 new messages'),
 (9, 'cu_forget(id)');

CREATE TEMP TABLE bench_card_stats AS
SELECT o.op, o.operation, count(r.ms) AS samples,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms) AS median,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY r.ms) AS p99,
       max(r.ms) AS max,
       avg(r.answer::int) AS answered
FROM bench_card_ops o LEFT JOIN bench_card_runs r USING (op)
GROUP BY o.op, o.operation;

-- milliseconds to about three significant digits; a ratio as "1.23x"
CREATE FUNCTION pg_temp.card_ms(ms float8) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(round(ms::numeric, CASE WHEN ms < 1 THEN 3 WHEN ms < 100 THEN 2 ELSE 1 END)::text, 'n/a')
$$;
CREATE FUNCTION pg_temp.card_times(a float8, b float8) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(round((a / nullif(b, 0))::numeric, 2)::text || 'x', 'n/a')
$$;
CREATE FUNCTION pg_temp.card_pct(x float8) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(round((100 * x)::numeric, 1)::text, 'n/a')
$$;

\pset format unaligned
\pset tuples_only on
\echo
SELECT format('Set-up, %s records over four silos, %s interactions', :card_records, :card_interactions);
\echo
SELECT '| step | s | result |' || E'\n' || '| --- | ---: | --- |' || E'\n'
       || string_agg(format('| %s | %s | %s |', step, round(s::numeric, 1), result), E'\n' ORDER BY ord)
FROM bench_card_setup;
\echo
SELECT format('The customer among %s customers (%s records, %s interactions): server-side time of each call '
              '(clock_timestamp() in a PL/pgSQL loop), random samples in a seeded order, after 20 warm-up calls; '
              'vs peer = ours / pg_trgm (below 1: ours is faster)', :card_customers, :card_records, :card_interactions);
\echo
SELECT '| operation | samples | median ms | p99 ms | vs peer |' || E'\n'
       || '| --- | ---: | ---: | ---: | --- |' || E'\n'
       || string_agg(format('| %s %s | %s | %s | %s | %s |', s.op, s.operation, s.samples,
                            pg_temp.card_ms(s.median), pg_temp.card_ms(s.p99),
                            CASE WHEN s.op = 4 THEN format('%s median, %s p99', pg_temp.card_times(s.median, p.median),
                                                           pg_temp.card_times(s.p99, p.p99))
                                 WHEN s.op = 5 THEN 'peer'
                                 ELSE '' END),
                     E'\n' ORDER BY s.op)
FROM bench_card_stats s, bench_card_stats p WHERE p.op = 5;
\echo
SELECT format('target: a card among %s customers in milliseconds (read here: p99 under 10 ms): %s (median %s ms, p99 %s ms)',
              :card_customers, CASE WHEN p99 < 10 THEN 'met' ELSE 'missed' END,
              pg_temp.card_ms(median), pg_temp.card_ms(p99))
FROM bench_card_stats WHERE op = 1;
\echo
\echo 'Quality of the look-ups, same run: the true person (gen_silos'' truth) among the 5 answers; record: a record returned'
\echo 'is the true person''s (ours: the best matching record of each customer returned; pg_trgm: the records returned);'
\echo 'customer: a customer returned (ours) or the customer of a record returned (pg_trgm) holds a record of the true'
\echo 'person (a customer merged with a namesake shows only one of their records, a miss by record, a hit by customer)'
\echo
SELECT '| look-up | samples | answered % | true person in top 5 %, by record | by customer |' || E'\n'
       || '| --- | ---: | ---: | ---: | ---: |' || E'\n'
       || string_agg(format('| %s %s | %s | %s | %s | %s |', op, operation, n, pg_temp.card_pct(answered),
                            pg_temp.card_pct(hit), pg_temp.card_pct(customer_hit)), E'\n' ORDER BY op)
FROM (SELECT o.op, o.operation, count(*) AS n, avg(h.answer::int) AS answered, avg(h.hit::int) AS hit,
             avg(h.customer_hit::int) AS customer_hit
      FROM bench_card_hits h JOIN bench_card_ops o USING (op) GROUP BY o.op, o.operation) q;
\echo
SELECT format('Other figures: cards of %s customers held %s records and %s interactions on average (a card always '
              'lists the 5 latest); the 360 row by e-mail was found for %s %% of the e-mails (the golden e-mail is one '
              'of the customer''s), by id for %s %%; slowest card %s ms, slowest name look-up %s ms (pg_trgm %s ms)',
              (SELECT count(*) FROM bench_card_runs WHERE op = 1),
              (SELECT round(avg((info ->> 'records')::numeric), 2) FROM bench_card_runs WHERE op = 1),
              (SELECT round(avg(coalesce((info ->> 'contacts')::numeric, 0)), 2) FROM bench_card_runs WHERE op = 1),
              (SELECT pg_temp.card_pct(answered) FROM bench_card_stats WHERE op = 6),
              (SELECT pg_temp.card_pct(answered) FROM bench_card_stats WHERE op = 7),
              (SELECT pg_temp.card_ms(max) FROM bench_card_stats WHERE op = 1),
              (SELECT pg_temp.card_ms(max) FROM bench_card_stats WHERE op = 4),
              (SELECT pg_temp.card_ms(max) FROM bench_card_stats WHERE op = 5));
SELECT format('Refresh rounds (customers recomputed each): %s',
              string_agg(format('%s ms, %s changed', pg_temp.card_ms(ms), info ->> 'changed'), '; ' ORDER BY i))
FROM bench_card_runs WHERE op = 8;
SELECT format('Erasures: %s of %s done, %s records and %s interactions in all%s',
              count(*) FILTER (WHERE answer), count(*),
              sum((info ->> 'records')::int), sum((info ->> 'interactions')::int),
              coalesce('; errors: ' || string_agg(DISTINCT info ->> 'error', '; '), ''))
FROM bench_card_runs WHERE op = 9;
\pset tuples_only off
\pset format aligned
