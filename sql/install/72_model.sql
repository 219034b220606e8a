
-- ---------------------------------------------------------------------------
-- Resolution, step 3: the match model (Fellegi-Sunter).  Each attribute is
-- compared in levels; m and u are the probabilities of each level among
-- pairs of one person and pairs of two people; cu_train estimates them from
-- the data (no labels needed) and writes them here, where a user can read
-- them and override them (set locked to keep a value).
-- ---------------------------------------------------------------------------

CREATE TABLE cu_model (
	model_id    int PRIMARY KEY DEFAULT 1 CHECK (model_id = 1),
	version     bigint NOT NULL DEFAULT 1,
	prior       float8 CHECK (prior > 0 AND prior < 1),
	trained_at  timestamptz,
	summary     jsonb
);
COMMENT ON TABLE cu_model IS
'The match model (one row, written by cu_train): prior = probability that a candidate pair is one person; version changes with every change to a model table, so that backends reload the model';

CREATE TABLE cu_model_comparisons (
	attribute   text PRIMARY KEY,
	scheme      text NOT NULL CHECK (scheme IN ('name', 'text', 'email', 'phone', 'code', 'date', 'exact', 'number')),
	position    int NOT NULL,
	tf          boolean NOT NULL DEFAULT false,
	tf_mean     float8,
	tf_default  float8
);
COMMENT ON TABLE cu_model_comparisons IS
'The attributes the model compares, with their comparison scheme; tf = adjust exact agreements by how frequent the value is (tf_mean: mean frequency of an agreeing value, tf_default: frequency of an unseen value)';

CREATE TABLE cu_model_levels (
	attribute   text NOT NULL REFERENCES cu_model_comparisons ON DELETE CASCADE,
	level       int2 NOT NULL CHECK (level >= 0),
	label       text NOT NULL,
	m           float8 CHECK (m > 0 AND m <= 1),
	u           float8 CHECK (u > 0 AND u <= 1),
	u_random    float8,
	weight      float8 GENERATED ALWAYS AS (ln(m / u) / ln(2)) STORED,
	locked      boolean NOT NULL DEFAULT false,
	PRIMARY KEY (attribute, level)
);
COMMENT ON TABLE cu_model_levels IS
'm and u probabilities of each comparison level (m: among pairs of one person, u: among candidate pairs of different people, u_random: among random pairs), and the weight log2(m/u) in bits; a locked row keeps its m and u through cu_train';

CREATE TABLE cu_model_tf (
	attribute   text NOT NULL REFERENCES cu_model_comparisons ON DELETE CASCADE,
	value       text NOT NULL,
	frequency   float8 NOT NULL CHECK (frequency > 0 AND frequency <= 1),
	PRIMARY KEY (attribute, value)
);
COMMENT ON TABLE cu_model_tf IS
'Frequencies of the values seen more than once, per attribute, for the term-frequency adjustment (a shared rare surname weighs more than a shared common one)';

SELECT pg_catalog.pg_extension_config_dump('cu_model', '');
SELECT pg_catalog.pg_extension_config_dump('cu_model_comparisons', '');
SELECT pg_catalog.pg_extension_config_dump('cu_model_levels', '');
SELECT pg_catalog.pg_extension_config_dump('cu_model_tf', '');

-- Any change to the model tables gives the model a new version.
CREATE FUNCTION cu_model_changed() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF TG_TABLE_NAME = 'cu_model' THEN
		IF NEW.version = OLD.version THEN
			NEW.version := OLD.version + 1;
		END IF;
		RETURN NEW;
	END IF;
	INSERT INTO @extschema@.cu_model (model_id) VALUES (1)
	ON CONFLICT (model_id) DO UPDATE SET version = @extschema@.cu_model.version + 1;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION cu_model_changed() IS
'Trigger: a change to a model table bumps cu_model.version, so that every backend reloads the model (internal)';

CREATE TRIGGER cu_model_version BEFORE UPDATE ON cu_model
	FOR EACH ROW EXECUTE FUNCTION cu_model_changed();
CREATE TRIGGER cu_model_comparisons_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cu_model_comparisons
	FOR EACH STATEMENT EXECUTE FUNCTION cu_model_changed();
CREATE TRIGGER cu_model_levels_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cu_model_levels
	FOR EACH STATEMENT EXECUTE FUNCTION cu_model_changed();
CREATE TRIGGER cu_model_tf_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cu_model_tf
	FOR EACH STATEMENT EXECUTE FUNCTION cu_model_changed();

CREATE FUNCTION cu_scheme_levels(scheme text) RETURNS text[]
	AS 'MODULE_PATHNAME', 'cu_scheme_levels'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_scheme_levels(text) IS
'The levels of a comparison scheme (name, text, email, phone, code, date, exact, number), best first, e.g. cu_scheme_levels(''phone'')';

CREATE FUNCTION cu_compare_records(a cu_records, b cu_records) RETURNS int2[]
	AS 'MODULE_PATHNAME', 'cu_compare_records'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_compare_records(cu_records, cu_records) IS
'The comparison level of each attribute of the model (in cu_model_comparisons order) for two staged records; -1 where a value is missing';

CREATE FUNCTION cu_match_weight(a cu_records, b cu_records) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_match_weight'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_match_weight(cu_records, cu_records) IS
'The match weight of two staged records in bits: log2 of the odds that they are one person (prior, plus log2(m/u) of each level, plus term-frequency adjustments)';

CREATE FUNCTION cu_match_probability(a cu_records, b cu_records) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_match_probability'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_match_probability(cu_records, cu_records) IS
'The probability that two staged records are one person, 1 / (1 + 2^-weight)';

CREATE FUNCTION cu_explain_records(a cu_records, b cu_records) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'cu_explain_records'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_explain_records(cu_records, cu_records) IS
'The comparison of two staged records field by field (values, level, label, m, u, weight, tf_adjustment), with prior, total weight and probability';

CREATE FUNCTION cu_estimate_model(gammas int2[], counts float8[], labels int2[], nlevels int2[],
                                  m float8[], u float8[], prior float8, u_strength float8, max_iterations int,
                                  fix_m boolean DEFAULT false)
	RETURNS jsonb
	AS 'MODULE_PATHNAME', 'cu_estimate_model'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_estimate_model(int2[], float8[], int2[], int2[], float8[], float8[], float8, float8, int, boolean) IS
'Expectation-maximisation of the prior and of m and u (u drawn towards its starting value by u_strength pseudo-pairs; Infinity fixes it) over distinct comparison patterns with their counts and labels (0 unknown, 1 match, 2 non-match), m fixed too with fix_m; returns {prior, m, u, iterations, converged, log_likelihood} (used by cu_train)';

CREATE FUNCTION cu_blocking_keys(full_name text, email text, phone text, birth_date date, postcode text, city text)
	RETURNS text[]
	AS 'MODULE_PATHNAME', 'cu_blocking_keys'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_blocking_keys(text, text, text, date, text, text) IS
'The blocking keys of a staged record as rule:value (rules email, mailbox, phone, names, birth_name, postcode_name, city_name, birth_postcode, birth_city, year_name): records sharing a key are compared';

CREATE FUNCTION cu_blocking_hashes(full_name text, email text, phone text, birth_date date, postcode text, city text)
	RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'cu_blocking_hashes'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_blocking_hashes(text, text, text, date, text, text) IS
'The blocking keys of cu_blocking_keys as 64-bit hashes, the rule''s number (position in cu_blocking_rules(), from 0) in the top six bits: what the blocking joins compare';

CREATE FUNCTION cu_block_pairs(keys regclass, admitted regclass)
	RETURNS TABLE (a bigint, b bigint, rules int)
	AS 'MODULE_PATHNAME', 'cu_block_pairs'
	LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION cu_block_pairs(regclass, regclass) IS
'The candidate pairs (a < b) of records sharing a blocking key of keys(record_key, h) whose block is admitted in admitted(h, admitted), each pair once with the bitmask of the rules of every key the two share (internal, used by cu_candidate_pairs)';

CREATE FUNCTION cu_report_progress(message text) RETURNS void
	AS 'MODULE_PATHNAME', 'cu_report_progress'
	LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION cu_report_progress(text) IS
'Shows a progress message of a long run in this backend''s pg_stat_activity.query, where the view cu_progress reads it';

CREATE VIEW cu_progress AS
SELECT a.pid, a.usename, a.datname,
       substring(a.query FROM '^customer_unify progress: ([^\n]*)') AS progress,
       clock_timestamp() - a.query_start AS running_for
FROM pg_catalog.pg_stat_activity a
WHERE a.state = 'active' AND a.query LIKE 'customer_unify progress: %';
COMMENT ON VIEW cu_progress IS
'Running cu_train and cu_resolve calls of every session, with their current phase and counts: SELECT * FROM cu_progress from another session';

-- The rules of the blocking keys, numbered for the pair bitmask.
CREATE FUNCTION cu_blocking_rules() RETURNS text[]
	AS 'MODULE_PATHNAME', 'cu_blocking_rules'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_blocking_rules() IS
'The blocking rules, in the order of the bits of cu_run_pairs.rules (internal)';

-- Work tables of a run (unlogged, in the extension's schema so that parallel
-- workers can read them; created and dropped inside the run's transaction).
CREATE FUNCTION cu_drop_work_tables() RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['cu_run_keys', 'cu_run_blocks', 'cu_run_admitted', 'cu_run_pairs', 'cu_run_scores', 'cu_run_components', 'cu_run_clusters'] LOOP
		IF to_regclass('@extschema@.' || t) IS NOT NULL THEN
			EXECUTE format('DROP TABLE @extschema@.%I', t);
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION cu_drop_work_tables() IS
'Drops the work tables of cu_train and cu_resolve if a failed run left them (internal)';

-- The attributes that every rule of a rules bitmask joins on.
CREATE FUNCTION cu_rules_attributes(rules int) RETURNS text[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	WITH rule (name, attributes) AS (VALUES
		('email', ARRAY['email']),
		('mailbox', ARRAY['email']),
		('phone', ARRAY['phone']),
		('names', ARRAY['given_name', 'surname', 'full_name']),
		('birth_name', ARRAY['birth_date', 'given_name', 'surname', 'full_name']),
		('postcode_name', ARRAY['postcode', 'given_name', 'surname', 'full_name']),
		('city_name', ARRAY['city', 'given_name', 'surname', 'full_name']),
		('birth_postcode', ARRAY['birth_date', 'postcode']),
		('birth_city', ARRAY['birth_date', 'city']),
		('year_name', ARRAY['birth_date', 'given_name', 'surname', 'full_name'])),
	-- a rule's bit is its position in cu_blocking_rules(), from 0
	fired AS (SELECT r.attributes FROM rule r
	          WHERE rules & (1 << (array_position(@extschema@.cu_blocking_rules(), r.name) - 1)) <> 0)
	SELECT coalesce(array_agg(a ORDER BY a), '{}')
	FROM (SELECT a FROM fired, unnest(attributes) AS a
	      GROUP BY a HAVING count(*) = (SELECT count(*) FROM fired)) shared
$$;
COMMENT ON FUNCTION cu_rules_attributes(int) IS
'The attributes shared by all the blocking rules of a cu_run_pairs.rules bitmask, which training leaves out of the pair''s pattern (internal)';

-- Candidate pairs: the staged records joined on their blocking keys, in the
-- work table cu_run_pairs(a, b, rules); returns how many pairs each rule gave
-- and the blocks left out for being larger than max_block_size.  With
-- key_sample = k > 1, only one block in k (chosen by its hash) is kept: whole
-- blocks, so the pairs found are a fair sample of all candidates for
-- training, in a k-th of the time.
CREATE FUNCTION cu_candidate_pairs(max_block_size int, pairs_per_record int DEFAULT 2, key_sample int DEFAULT 1)
	RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	by_rule     jsonb;
	oversized   jsonb;
	n           bigint;
BEGIN
	IF max_block_size IS NULL OR max_block_size < 2 THEN
		RAISE EXCEPTION 'max_block_size must be at least 2, got %', max_block_size USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF key_sample IS NULL OR key_sample < 1 THEN
		RAISE EXCEPTION 'key_sample must be at least 1, got %', key_sample USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- work tables left by a run of this transaction that failed under a savepoint
	PERFORM @extschema@.cu_drop_work_tables();
	CREATE UNLOGGED TABLE @extschema@.cu_run_keys AS
		SELECT r.record_key, k.h
		FROM @extschema@.cu_records r,
		     unnest(@extschema@.cu_blocking_hashes(r.full_name, r.email, r.phone, r.birth_date, r.postcode, r.city)) AS k(h)
		WHERE key_sample = 1 OR (k.h & 1073741823) % key_sample = 0;
	ANALYZE @extschema@.cu_run_keys;
	-- the size of every block of two records or more
	CREATE UNLOGGED TABLE @extschema@.cu_run_blocks AS
		SELECT h, count(*) AS size FROM @extschema@.cu_run_keys GROUP BY h HAVING count(*) > 1;
	ANALYZE @extschema@.cu_run_blocks;
	-- Blocks too large to compare all their pairs are left to the other
	-- rules: those of more than max_block_size records, and, rule by rule,
	-- the largest blocks beyond a budget of pairs_per_record pairs per record
	-- (a rule on a frequent value would otherwise compare millions of pairs
	-- that it cannot tell apart).
	CREATE UNLOGGED TABLE @extschema@.cu_run_admitted AS
	SELECT b.h, b.size,
	       b.size <= max_block_size
	       AND sum(b.size * (b.size - 1) / 2) OVER (PARTITION BY b.h >> 58 ORDER BY b.size, b.h)
	           <= pairs_per_record::bigint * (SELECT count(*) FROM @extschema@.cu_records) / key_sample AS admitted
	FROM @extschema@.cu_run_blocks b;
	SELECT coalesce(jsonb_object_agg((@extschema@.cu_blocking_rules())[rule + 1],
	                                 jsonb_build_object('blocks', blocks, 'records', records)), '{}')
	INTO oversized
	FROM (SELECT (b.h >> 58)::int AS rule, count(*) AS blocks, sum(b.size) AS records
	      FROM @extschema@.cu_run_admitted b WHERE NOT b.admitted GROUP BY 1) o;
	CREATE UNLOGGED TABLE @extschema@.cu_run_pairs AS
	SELECT p.a, p.b, p.rules
	FROM @extschema@.cu_block_pairs('@extschema@.cu_run_keys', '@extschema@.cu_run_admitted') p;
	ANALYZE @extschema@.cu_run_pairs;
	SELECT count(*) INTO n FROM @extschema@.cu_run_pairs;
	WITH masks AS (SELECT rules, count(*) AS n FROM @extschema@.cu_run_pairs GROUP BY rules)
	SELECT jsonb_object_agg(r.rule, (SELECT coalesce(sum(m.n), 0) FROM masks m WHERE m.rules & (1 << (r.i - 1)::int) <> 0))
	INTO by_rule
	FROM unnest(@extschema@.cu_blocking_rules()) WITH ORDINALITY AS r(rule, i);
	DROP TABLE @extschema@.cu_run_keys, @extschema@.cu_run_blocks, @extschema@.cu_run_admitted;
	RETURN jsonb_build_object('candidate_pairs', n, 'pairs_by_rule', by_rule, 'oversized_blocks', oversized);
END
$$;
COMMENT ON FUNCTION cu_candidate_pairs(int, int, int) IS
'Builds the work table cu_run_pairs of candidate pairs from the blocking keys of cu_records, skipping blocks of more than max_block_size records and, per rule, the largest blocks beyond pairs_per_record pairs per record, keeping one block in key_sample; returns the pairs per rule (internal)';

-- The starting m probabilities of a scheme's levels: most pairs of one person
-- agree, a few are near misses.
CREATE FUNCTION cu_scheme_start_m(scheme text) RETURNS float8[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$
	SELECT CASE scheme
		WHEN 'name' THEN ARRAY[0.85, 0.07, 0.04, 0.02, 0.02]
		WHEN 'text' THEN ARRAY[0.80, 0.08, 0.05, 0.03, 0.04]
		WHEN 'email' THEN ARRAY[0.85, 0.06, 0.04, 0.05]
		WHEN 'phone' THEN ARRAY[0.85, 0.07, 0.08]
		WHEN 'code' THEN ARRAY[0.88, 0.07, 0.05]
		WHEN 'date' THEN ARRAY[0.85, 0.08, 0.03, 0.04]
		WHEN 'exact' THEN ARRAY[0.9, 0.1]
		WHEN 'number' THEN ARRAY[0.85, 0.1, 0.05]
	END::float8[]
$$;
COMMENT ON FUNCTION cu_scheme_start_m(text) IS
'Starting m probabilities of a scheme''s levels for expectation-maximisation (internal)';

CREATE FUNCTION cu_train(labels regclass DEFAULT NULL, max_block_size int DEFAULT NULL,
                         u_strength float8 DEFAULT 'Infinity', random_pairs int DEFAULT 200000,
                         max_iterations int DEFAULT 200, training_pairs int DEFAULT 1000000)
	RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	t0          timestamptz := clock_timestamp();
	t           timestamptz;
	loaded      jsonb;
	cand        jsonb;
	nrec        bigint;
	attrs       text[];
	comp        record;
	est         jsonb;
	nlevels     int2[];
	m0          float8[];
	u0          float8[];
	prior0      float8;
	prior       float8;
	sample_mod  bigint;
	key_sample  int;
	found_pairs bigint;
	strong_pairs bigint;
	training_rules int;
	training_total bigint;
	sample_scale float8;
	npatterns   bigint;
	nlabelled   bigint := 0;
	sampled     bigint;
	result      jsonb;
	phases      jsonb := '{}';
BEGIN
	PERFORM @extschema@.cu_report_progress('cu_train 1/5 loading records');
	max_block_size := coalesce(max_block_size, current_setting('customer_unify.max_block_size')::int);
	IF training_pairs IS NULL OR training_pairs < 1000 THEN
		RAISE EXCEPTION 'training_pairs must be at least 1000, got %', training_pairs USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF random_pairs IS NULL OR random_pairs < 1000 THEN
		RAISE EXCEPTION 'random_pairs must be at least 1000, got %', random_pairs USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- one run at a time, and no source changes under it
	LOCK TABLE @extschema@.cu_sources IN SHARE ROW EXCLUSIVE MODE;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.cu_sources) THEN
		RAISE EXCEPTION 'no source is registered' USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'Register your customer tables with cu_add_source first.';
	END IF;
	IF labels IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM pg_attribute a WHERE a.attrelid = labels AND a.attname = 'is_match' AND NOT a.attisdropped) THEN
		RAISE EXCEPTION 'labels table % must have columns source_a regclass, id_a text, source_b regclass, id_b text, is_match boolean', labels
			USING ERRCODE = 'undefined_column';
	END IF;

	loaded := @extschema@.cu_load_records();
	nrec := (loaded ->> 'records')::bigint;
	t := clock_timestamp();
	phases := phases || jsonb_build_object('loading', round(extract(epoch FROM t - t0)::numeric, 3));
	RAISE NOTICE 'cu_train: % records loaded (% s)', nrec, round(extract(epoch FROM t - t0)::numeric, 1);
	IF nrec < 2 THEN
		RAISE EXCEPTION 'the sources hold % record(s): training needs at least 2', nrec
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;

	-- the comparisons: every attribute some source has (the whole name only
	-- when a source keeps it whole)
	SELECT array_agg(DISTINCT a.attribute ORDER BY a.attribute) INTO attrs FROM @extschema@.cu_source_attributes a;
	DELETE FROM @extschema@.cu_model_comparisons c WHERE NOT c.attribute = ANY (attrs);
	INSERT INTO @extschema@.cu_model_comparisons (attribute, scheme, position, tf)
	SELECT x.attribute, x.scheme, x.position, x.scheme NOT IN ('date', 'number')
	FROM (
		SELECT a.attribute,
		       CASE WHEN a.attribute = 'email' THEN 'email'
		            WHEN a.attribute = 'phone' THEN 'phone'
		            WHEN a.attribute IN ('postcode', 'national_id') THEN 'code'
		            WHEN a.attribute = 'birth_date' THEN 'date'
		            ELSE min(a.comparator) END AS scheme,
		       coalesce(array_position(ARRAY['given_name', 'surname', 'full_name', 'birth_date', 'email', 'phone',
		                                     'address', 'postcode', 'city', 'country', 'gender', 'national_id'],
		                               a.attribute), 100) AS position
		FROM @extschema@.cu_source_attributes a GROUP BY a.attribute) x
	ON CONFLICT (attribute) DO UPDATE SET scheme = excluded.scheme, position = excluded.position;
	-- levels: one row per level of each scheme, keeping locked values
	DELETE FROM @extschema@.cu_model_levels l USING @extschema@.cu_model_comparisons c
	WHERE l.attribute = c.attribute AND (l.level >= cardinality(@extschema@.cu_scheme_levels(c.scheme))
	      OR l.label <> (@extschema@.cu_scheme_levels(c.scheme))[l.level + 1]);
	INSERT INTO @extschema@.cu_model_levels (attribute, level, label)
	SELECT c.attribute, l.i - 1, l.label
	FROM @extschema@.cu_model_comparisons c, unnest(@extschema@.cu_scheme_levels(c.scheme)) WITH ORDINALITY AS l(label, i)
	ON CONFLICT DO NOTHING;

	-- term frequencies of the values of each attribute
	PERFORM @extschema@.cu_report_progress('cu_train 2/5 counting value frequencies');
	DELETE FROM @extschema@.cu_model_tf;
	FOR comp IN SELECT c.attribute FROM @extschema@.cu_model_comparisons c WHERE c.tf LOOP
		EXECUTE format($q$
			WITH v AS (SELECT %s AS value FROM @extschema@.cu_records r),
			     f AS (SELECT value, count(*)::float8 AS n FROM v WHERE value IS NOT NULL GROUP BY value),
			     t AS (SELECT sum(n) AS total FROM f),
			     ins AS (INSERT INTO @extschema@.cu_model_tf (attribute, value, frequency)
			             SELECT %L, f.value, f.n / t.total FROM f, t WHERE f.n > 1)
			UPDATE @extschema@.cu_model_comparisons c
			SET tf_mean = s.s3 / nullif(s.s2, 0), tf_default = 1.0 / nullif(s.total, 0)
			FROM (SELECT sum((f.n / t.total) ^ 3) AS s3, sum((f.n / t.total) ^ 2) AS s2, max(t.total) AS total
			      FROM f, t) s
			WHERE c.attribute = %L$q$,
			@extschema@.cu_record_value_expression(comp.attribute),
			comp.attribute, comp.attribute);
	END LOOP;

	-- candidate pairs
	-- (blocking finds about ten pairs per record: beyond what training
	-- compares, only a sample of the blocks is formed)
	PERFORM @extschema@.cu_report_progress(format('cu_train 3/5 blocking %s records', nrec));
	t := clock_timestamp();
	key_sample := greatest(1, floor(nrec * 10.0 / training_pairs))::int;
	cand := @extschema@.cu_candidate_pairs(max_block_size, key_sample => key_sample);
	found_pairs := (cand ->> 'candidate_pairs')::bigint;
	-- (counts of a sample are scaled up to estimates of the whole)
	cand := cand || jsonb_build_object('candidate_pairs', found_pairs * key_sample,
		'pairs_by_rule', (SELECT jsonb_object_agg(r.key, r.value::bigint * key_sample)
		                  FROM jsonb_each_text(cand -> 'pairs_by_rule') r));
	phases := phases || jsonb_build_object('blocking', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
	RAISE NOTICE 'cu_train: % candidate pairs (% s)', cand -> 'candidate_pairs',
		round(extract(epoch FROM clock_timestamp() - t)::numeric, 1);

	-- u from random pairs (a fixed pseudo-random sample, so training is repeatable)
	PERFORM @extschema@.cu_report_progress(format('cu_train 4/5 comparing %s random pairs and %s candidate pairs',
		random_pairs, cand -> 'candidate_pairs'));
	t := clock_timestamp();
	CREATE TEMP TABLE cu_train_random ON COMMIT DROP AS
	WITH keys AS (SELECT row_number() OVER (ORDER BY record_key) AS i, record_key FROM @extschema@.cu_records),
	     draws AS (SELECT 1 + (abs(hashint8(2 * g)::bigint) % nrec) AS i, 1 + (abs(hashint8(2 * g + 1)::bigint) % nrec) AS j
	               FROM generate_series(1, random_pairs::bigint) AS g)
	SELECT @extschema@.cu_compare_records(ra, rb) AS gamma
	FROM draws d
	JOIN keys ka ON ka.i = d.i JOIN keys kb ON kb.i = d.j
	JOIN @extschema@.cu_records ra ON ra.record_key = ka.record_key
	JOIN @extschema@.cu_records rb ON rb.record_key = kb.record_key
	WHERE d.i <> d.j;
	GET DIAGNOSTICS sampled = ROW_COUNT;
	UPDATE @extschema@.cu_model_levels l
	SET u_random = (s.n + 0.5) / (s.total + 0.5 * s.nlev)
	FROM (
		SELECT c.attribute, lv.i - 1 AS level,
		       count(*) FILTER (WHERE r.gamma[c.pos] = lv.i - 1) AS n,
		       count(*) FILTER (WHERE r.gamma[c.pos] >= 0) AS total,
		       cardinality(@extschema@.cu_scheme_levels(c.scheme)) AS nlev
		FROM (SELECT cc.*, row_number() OVER (ORDER BY cc.position, cc.attribute) AS pos
		      FROM @extschema@.cu_model_comparisons cc) c
		CROSS JOIN LATERAL unnest(@extschema@.cu_scheme_levels(c.scheme)) WITH ORDINALITY AS lv(label, i)
		CROSS JOIN cu_train_random r
		GROUP BY c.attribute, lv.i, c.scheme) s
	WHERE l.attribute = s.attribute AND l.level = s.level;

	-- the comparison patterns of the candidate pairs (or of a sample of them),
	-- and of labelled pairs
	-- Pairs found by a rule on an identifier (e-mail, phone, date of birth)
	-- train the model, when there are enough of them: pairs found by names
	-- and places alone are mostly homonyms and neighbours, and a mixture fit
	-- on them learns "same name in the same area" instead of "same person".
	SELECT coalesce(sum(n) FILTER (WHERE rules & 407 <> 0), 0) INTO strong_pairs
	FROM (SELECT rules, count(*) AS n FROM @extschema@.cu_run_pairs GROUP BY rules) m;
	training_rules := CASE WHEN strong_pairs >= 1000 THEN 407 ELSE -1 END;
	training_total := (cand ->> 'candidate_pairs')::bigint;
	sample_mod := greatest(1, ceil(found_pairs::float8 / training_pairs))::bigint;
	sample_scale := sample_mod * key_sample;
	-- A pair found by blocking rules agrees on what every one of those rules
	-- joins on, whether or not it is one person: those attributes tell
	-- nothing about it, and are left out of its pattern (as if missing).
	-- Homonyms found by the name rules are then told apart by the rest.
	CREATE TEMP TABLE cu_train_patterns (gamma int2[], label int2, n float8, strong boolean) ON COMMIT DROP;
	INSERT INTO cu_train_patterns
	SELECT array_agg(CASE WHEN c.attribute = ANY (@extschema@.cu_rules_attributes(g.rules)) THEN -1
	                      ELSE g.gamma[c.pos] END ORDER BY c.pos)::int2[],
	       0, g.n, g.rules & training_rules <> 0
	FROM (SELECT @extschema@.cu_compare_records(ra, rb) AS gamma, p.rules, count(*) * sample_scale AS n
	      FROM @extschema@.cu_run_pairs p
	      JOIN @extschema@.cu_records ra ON ra.record_key = p.a
	      JOIN @extschema@.cu_records rb ON rb.record_key = p.b
	      -- a fixed pseudo-random sample of at most training_pairs pairs
	      WHERE sample_mod = 1 OR abs(hashint8(p.a * 1000003 + p.b)::bigint) % sample_mod = 0
	      GROUP BY 1, 2) g
	CROSS JOIN (SELECT cc.attribute, row_number() OVER (ORDER BY cc.position, cc.attribute) AS pos
	            FROM @extschema@.cu_model_comparisons cc) c
	GROUP BY g.gamma, g.rules, g.n;
	IF labels IS NOT NULL THEN
		EXECUTE format($q$
			INSERT INTO cu_train_patterns
			SELECT @extschema@.cu_compare_records(ra, rb), CASE WHEN l.is_match THEN 1 ELSE 2 END, count(*), true
			FROM %s l
			JOIN @extschema@.cu_sources sa ON sa.source = l.source_a
			JOIN @extschema@.cu_records ra ON ra.source_id = sa.source_id AND ra.record_id = l.id_a::text
			JOIN @extschema@.cu_sources sb ON sb.source = l.source_b
			JOIN @extschema@.cu_records rb ON rb.source_id = sb.source_id AND rb.record_id = l.id_b::text
			WHERE l.is_match IS NOT NULL
			GROUP BY 1, 2$q$, labels);
		SELECT coalesce(sum(n), 0) INTO nlabelled FROM cu_train_patterns WHERE label > 0;
	END IF;
	SELECT count(*) INTO npatterns FROM cu_train_patterns;
	phases := phases || jsonb_build_object('comparing', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
	RAISE NOTICE 'cu_train: % random pairs and % candidate pairs compared, % distinct patterns (% s)',
		sampled, cand -> 'candidate_pairs', npatterns, round(extract(epoch FROM clock_timestamp() - t)::numeric, 1);

	-- expectation-maximisation, starting from u of random pairs
	PERFORM @extschema@.cu_report_progress(format('cu_train 5/5 estimating over %s patterns', npatterns));
	t := clock_timestamp();
	SELECT array_agg(cardinality(@extschema@.cu_scheme_levels(c.scheme))::int2 ORDER BY c.position, c.attribute)
	INTO nlevels FROM @extschema@.cu_model_comparisons c;
	SELECT array_agg(coalesce(CASE WHEN l.locked THEN l.m END, (@extschema@.cu_scheme_start_m(c.scheme))[l.level + 1])
	                 ORDER BY c.position, c.attribute, l.level),
	       array_agg(coalesce(CASE WHEN l.locked THEN l.u END, l.u_random, 0.5) ORDER BY c.position, c.attribute, l.level)
	INTO m0, u0
	FROM @extschema@.cu_model_comparisons c JOIN @extschema@.cu_model_levels l ON l.attribute = c.attribute;
	-- a starting prior: about one candidate pair in ten is one person
	prior0 := 0.1;
	IF npatterns = 0 THEN
		RAISE EXCEPTION 'no candidate pairs: the records share no blocking key'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Register attributes that duplicates share (names, e-mail, phone, date of birth, postcode), or raise max_block_size.';
	END IF;
	-- m from the pairs found by identifier rules; then, m and u fixed, the
	-- prior from all the candidate pairs
	SELECT @extschema@.cu_estimate_model(array_agg(p.gamma ORDER BY p.gamma, p.label), array_agg(p.n ORDER BY p.gamma, p.label),
	                                     array_agg(p.label ORDER BY p.gamma, p.label), nlevels, m0, u0, prior0,
	                                     u_strength, max_iterations)
	INTO est FROM cu_train_patterns p WHERE p.strong;
	SELECT array_agg(x.v::float8 ORDER BY c.c, x.l) INTO m0
	FROM jsonb_array_elements(est -> 'm') WITH ORDINALITY AS c(levels, c),
	     jsonb_array_elements_text(c.levels) WITH ORDINALITY AS x(v, l);
	SELECT est || jsonb_build_object('prior', e -> 'prior')
	INTO est
	FROM (SELECT @extschema@.cu_estimate_model(array_agg(p.gamma ORDER BY p.gamma, p.label), array_agg(p.n ORDER BY p.gamma, p.label),
	                                     array_agg(p.label ORDER BY p.gamma, p.label), nlevels, m0, u0, (est ->> 'prior')::float8,
	                                     u_strength, max_iterations, true) AS e
	      FROM cu_train_patterns p) x;

	UPDATE @extschema@.cu_model_levels l
	SET m = (est -> 'm' -> (c.pos - 1)::int ->> l.level)::float8,
	    u = (est -> 'u' -> (c.pos - 1)::int ->> l.level)::float8
	FROM (SELECT cc.attribute, row_number() OVER (ORDER BY cc.position, cc.attribute) AS pos
	      FROM @extschema@.cu_model_comparisons cc) c
	WHERE l.attribute = c.attribute AND NOT l.locked;
	result := jsonb_build_object(
		'records', nrec, 'by_source', loaded -> 'by_source',
		'attributes', (SELECT jsonb_agg(c.attribute ORDER BY c.position, c.attribute) FROM @extschema@.cu_model_comparisons c),
		'candidate_pairs', cand -> 'candidate_pairs', 'pairs_by_rule', cand -> 'pairs_by_rule',
		'oversized_blocks', cand -> 'oversized_blocks',
		'random_pairs', sampled, 'labelled_pairs', nlabelled, 'patterns', npatterns,
		'training_pairs', round(found_pairs::numeric / sample_mod), 'block_sample', key_sample,
		'prior', est -> 'prior', 'iterations', est -> 'iterations', 'converged', est -> 'converged',
		'expected_matches', round(((est ->> 'prior')::float8 * training_total::float8)::numeric),
		'seconds', round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3),
		'phases', phases || jsonb_build_object('estimating', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3)));
	-- the prior of any two records (what scoring needs), from the matches
	-- expected among the candidate pairs (blocking is meant to miss none)
	prior := greatest(least((est ->> 'prior')::float8 * training_total::float8
	                        / (nrec::float8 * (nrec - 1) / 2), 0.5), 1e-12);
	result := result || jsonb_build_object('prior', prior, 'candidate_prior', est -> 'prior');
	INSERT INTO @extschema@.cu_model (model_id, prior, trained_at, summary)
	VALUES (1, prior, now(), result)
	ON CONFLICT (model_id) DO UPDATE SET prior = excluded.prior, trained_at = excluded.trained_at,
		summary = excluded.summary, version = @extschema@.cu_model.version + 1;
	DROP TABLE @extschema@.cu_run_pairs, cu_train_random, cu_train_patterns;
	RAISE NOTICE 'cu_train: % matches expected among the candidate pairs, % iterations (% s in all)',
		result -> 'expected_matches', est -> 'iterations',
		result -> 'seconds';
	PERFORM @extschema@.cu_report_progress('cu_train done');
	RETURN result;
END
$$;
COMMENT ON FUNCTION cu_train(regclass, int, float8, int, int, int) IS
'Estimates the match model from the registered sources, without labels: blocking, u from random pairs, then m, u (drawn towards the random-pair u by u_strength pseudo-pairs) and the prior by expectation-maximisation over the candidate pairs, value frequencies; labels (a table source_a, id_a, source_b, id_b, is_match) improve it; returns a summary';
