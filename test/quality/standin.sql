-- test/quality/standin.sql: a stand-in for the customer_unify resolution API, to check the harness itself
-- (loading and measure.sql) without the extension.  run_quality.sh uses it instead of CREATE EXTENSION when
-- QUALITY_STANDIN is set; its cu_resolve clusters the records from q_truth, by the mode:
--   truth       customer = truth id             (expect P = R = F1 = 1)
--   singletons  every record its own customer   (expect P n/a, R = 0, F1 = 0)
--   one         one customer for all records    (expect R = 1)
--   noisy       two persons merged per customer, one record in ten alone (P and R below 1)
-- Run in an empty database:  psql -v ON_ERROR_STOP=1 -v mode=truth -f standin.sql

\if :{?mode}
\else
\set mode truth
\endif

CREATE SCHEMA customer_unify;
CREATE TABLE customer_unify.standin_mode AS SELECT :'mode'::text AS mode;
CREATE TABLE customer_unify.standin_sources (source regclass PRIMARY KEY, id text NOT NULL, columns jsonb NOT NULL);
CREATE TABLE customer_unify.cu_identity_map (
	source            regclass NOT NULL,
	source_id         text NOT NULL,
	customer_id       bigint NOT NULL,
	match_probability float8,
	resolved_at       timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (source, source_id)
);

CREATE FUNCTION customer_unify.cu_add_source(source regclass, id text, columns jsonb, trust float8 DEFAULT 1,
                                             allow_sensitive boolean DEFAULT false, phone_region text DEFAULT 'FR')
	RETURNS jsonb LANGUAGE sql AS $$
	INSERT INTO customer_unify.standin_sources VALUES (source, id, columns);
	SELECT jsonb_build_object('source', source::text, 'id', id, 'attributes', columns, 'standin', true);
$$;

CREATE FUNCTION customer_unify.cu_train() RETURNS jsonb LANGUAGE sql AS $$
	SELECT '{"standin": true}'::jsonb;
$$;

CREATE FUNCTION customer_unify.cu_resolve() RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	m text := (SELECT mode FROM customer_unify.standin_mode);
BEGIN
	IF m NOT IN ('truth', 'singletons', 'one', 'noisy') THEN
		RAISE EXCEPTION 'unknown stand-in mode "%": truth, singletons, one or noisy', m;
	END IF;
	DELETE FROM customer_unify.cu_identity_map;
	INSERT INTO customer_unify.cu_identity_map (source, source_id, customer_id, match_probability)
	SELECT t.source, t.source_id,
	       CASE m
	           WHEN 'truth' THEN dense_rank() OVER (ORDER BY t.truth)
	           WHEN 'singletons' THEN row_number() OVER (ORDER BY t.source, t.source_id)
	           WHEN 'one' THEN 1
	           WHEN 'noisy' THEN CASE WHEN abs(hashtext(t.source_id)) % 10 = 0
	                                  THEN -row_number() OVER (ORDER BY t.source, t.source_id)
	                                  ELSE dense_rank() OVER (ORDER BY t.truth) / 2 END
	       END, 1
	FROM public.q_truth t JOIN customer_unify.standin_sources s ON s.source = t.source;
	RETURN jsonb_build_object('records', (SELECT count(*) FROM customer_unify.cu_identity_map),
	                          'candidate_pairs', 0, 'links', 0, 'standin', m);
END
$$;
