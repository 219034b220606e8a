
-- ---------------------------------------------------------------------------
-- Resolution, step 4: cu_resolve scores the candidate pairs with the model,
-- clusters them into customers, and gives each customer a persistent id.
-- ---------------------------------------------------------------------------

CREATE SEQUENCE cu_customer_id_seq;
COMMENT ON SEQUENCE cu_customer_id_seq IS
'Customer ids: a smaller id is an older customer';

CREATE TABLE cu_identity_map (
	source            regclass NOT NULL,
	source_id         text NOT NULL,
	customer_id       bigint NOT NULL,
	match_probability float8,
	resolved_at       timestamptz NOT NULL,
	PRIMARY KEY (source, source_id)
);
CREATE INDEX cu_identity_map_customer ON cu_identity_map (customer_id);
COMMENT ON TABLE cu_identity_map IS
'Which customer each source record belongs to: source, the record''s id in it, the persistent customer_id, the probability of the record''s strongest link within its customer (NULL for a customer of one record) and when it was resolved';
COMMENT ON INDEX cu_identity_map_customer IS
'Finds the records of a customer';

CREATE TABLE cu_runs (
	run_id      bigserial PRIMARY KEY,
	started_at  timestamptz NOT NULL,
	finished_at timestamptz NOT NULL,
	stats       jsonb NOT NULL
);
COMMENT ON TABLE cu_runs IS
'One row per completed cu_resolve run, with its statistics (as returned) and the histogram of match weights';
COMMENT ON SEQUENCE cu_runs_run_id_seq IS
'Numbers the resolution runs';

CREATE TABLE cu_merge_log (
	log_id            bigserial PRIMARY KEY,
	run_id            bigint,
	logged_at         timestamptz NOT NULL DEFAULT now(),
	action            text NOT NULL CHECK (action IN ('merge', 'split', 'retire')),
	customer_id       bigint NOT NULL,
	other_customer_id bigint,
	records           int,
	detail            jsonb
);
COMMENT ON TABLE cu_merge_log IS
'Every change of identity: merge (other_customer_id was merged into customer_id, which survives), split (records of customer_id went to other_customer_id), retire (customer_id lost all its records)';
COMMENT ON SEQUENCE cu_merge_log_log_id_seq IS
'Numbers the identity changes';

SELECT pg_catalog.pg_extension_config_dump('cu_customer_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cu_identity_map', '');
SELECT pg_catalog.pg_extension_config_dump('cu_runs', '');
SELECT pg_catalog.pg_extension_config_dump('cu_runs_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cu_merge_log', '');
SELECT pg_catalog.pg_extension_config_dump('cu_merge_log_log_id_seq', '');

CREATE FUNCTION cu_link_components(edges regclass, link_weight float8)
	RETURNS TABLE (record_key bigint, component bigint, size int)
	AS 'MODULE_PATHNAME', 'cu_link_components'
	LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION cu_link_components(regclass, float8) IS
'Connected components of the pairs of an edge table (a bigint, b bigint, weight float8) whose weight reaches link_weight: each linked record, its component (smallest record key) and the component''s size';

CREATE FUNCTION cu_cluster(edges regclass, link_weight float8, cohesion float8)
	RETURNS TABLE (record_key bigint, cluster_key bigint, match_probability float8)
	AS 'MODULE_PATHNAME', 'cu_cluster'
	LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION cu_cluster(regclass, float8, float8) IS
'Clusters an edge table (a bigint, b bigint, weight float8): links (weight >= link_weight) merge groups strongest first, but only when the mean weight of all scored pairs across the two groups reaches cohesion, so a chain of weak links cannot join two different people; returns the records of clusters of two or more';

CREATE FUNCTION cu_resolve(threshold float8 DEFAULT NULL, max_block_size int DEFAULT NULL,
                           cohesion float8 DEFAULT NULL, review_threshold float8 DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	t0          timestamptz := clock_timestamp();
	t           timestamptz;
	run         bigint;
	loaded      jsonb;
	cand        jsonb;
	nrec        bigint;
	link_w      float8;
	cohesion_w  float8;
	review_w    float8;
	ndecided    bigint;
	nqueued     bigint;
	ncompared   bigint;
	ncompleted  bigint;
	nlinks      bigint;
	ncust       bigint;
	nmulti      bigint;
	nnew        bigint;
	nmerge      bigint;
	nsplit      bigint;
	nretire     bigint;
	hist        jsonb;
	phases      jsonb := '{}';
	result      jsonb;
BEGIN
	PERFORM @extschema@.cu_report_progress('cu_resolve 1/5 normalising');
	threshold := coalesce(threshold, current_setting('customer_unify.match_threshold')::float8);
	max_block_size := coalesce(max_block_size, current_setting('customer_unify.max_block_size')::int);
	cohesion := coalesce(cohesion, 0.5);
	review_threshold := coalesce(review_threshold, current_setting('customer_unify.review_threshold')::float8);
	IF NOT (threshold > 0 AND threshold < 1) THEN
		RAISE EXCEPTION 'threshold must be a probability strictly between 0 and 1, got %', threshold
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT (cohesion > 0 AND cohesion < 1) THEN
		RAISE EXCEPTION 'cohesion must be a probability strictly between 0 and 1, got %', cohesion
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT (review_threshold > 0 AND review_threshold <= threshold) THEN
		RAISE EXCEPTION 'review_threshold must be a probability above 0 and at most the threshold %, got %',
			threshold, review_threshold USING ERRCODE = 'invalid_parameter_value';
	END IF;
	link_w := ln(threshold / (1 - threshold)) / ln(2);
	review_w := ln(review_threshold / (1 - review_threshold)) / ln(2);
	cohesion_w := ln(cohesion / (1 - cohesion)) / ln(2);
	-- one run at a time, and no source or model change under it
	LOCK TABLE @extschema@.cu_sources IN SHARE ROW EXCLUSIVE MODE;
	LOCK TABLE @extschema@.cu_identity_map IN SHARE ROW EXCLUSIVE MODE;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.cu_sources) THEN
		RAISE EXCEPTION 'no source is registered' USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'Register your customer tables with cu_add_source, then run cu_train.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.cu_model WHERE prior IS NOT NULL) THEN
		RAISE EXCEPTION 'the match model is not trained' USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'Run SELECT cu_train(); first.';
	END IF;
	IF EXISTS (SELECT 1 FROM @extschema@.cu_source_attributes a
	           WHERE NOT EXISTS (SELECT 1 FROM @extschema@.cu_model_comparisons c WHERE c.attribute = a.attribute)) THEN
		RAISE EXCEPTION 'the model does not know attribute(s) %',
			(SELECT string_agg(DISTINCT a.attribute, ', ') FROM @extschema@.cu_source_attributes a
			 WHERE NOT EXISTS (SELECT 1 FROM @extschema@.cu_model_comparisons c WHERE c.attribute = a.attribute))
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Sources changed since the model was trained: run SELECT cu_train(); again.';
	END IF;

	loaded := @extschema@.cu_load_records();
	nrec := (loaded ->> 'records')::bigint;
	phases := phases || jsonb_build_object('normalising', round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3));
	RAISE NOTICE 'cu_resolve: normalising: % records (% s)', nrec, phases -> 'normalising';

	-- blocking
	PERFORM @extschema@.cu_report_progress(format('cu_resolve 2/5 blocking %s records', nrec));
	t := clock_timestamp();
	cand := @extschema@.cu_candidate_pairs(max_block_size);
	phases := phases || jsonb_build_object('blocking', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
	RAISE NOTICE 'cu_resolve: blocking: % candidate pairs (% s)', cand -> 'candidate_pairs', phases -> 'blocking';

	-- scoring
	PERFORM @extschema@.cu_report_progress(format('cu_resolve 3/5 scoring %s candidate pairs', cand -> 'candidate_pairs'));
	t := clock_timestamp();
	CREATE UNLOGGED TABLE @extschema@.cu_run_scores AS
	SELECT p.a, p.b, @extschema@.cu_match_weight(ra, rb) AS weight
	FROM @extschema@.cu_run_pairs p
	JOIN @extschema@.cu_records ra ON ra.record_key = p.a
	JOIN @extschema@.cu_records rb ON rb.record_key = p.b;
	GET DIAGNOSTICS ncompared = ROW_COUNT;
	DROP TABLE @extschema@.cu_run_pairs;
	SELECT count(*) INTO nlinks FROM @extschema@.cu_run_scores WHERE weight >= link_w;
	phases := phases || jsonb_build_object('scoring', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
	RAISE NOTICE 'cu_resolve: scoring: % pairs, % links at probability >= % (% s)', ncompared, nlinks, threshold,
		phases -> 'scoring';

	-- clustering: people's decisions first (a pair declared the same person
	-- is linked whatever its score, a pair declared different never joins);
	-- then every pair inside a small linked group is scored, so that the
	-- cohesion test sees all the evidence, then the groups are formed
	PERFORM @extschema@.cu_report_progress(format('cu_resolve 4/5 clustering %s links', nlinks));
	t := clock_timestamp();
	CREATE TEMP TABLE cu_run_decided ON COMMIT DROP AS
	SELECT least(ra.record_key, rb.record_key) AS a, greatest(ra.record_key, rb.record_key) AS b,
	       CASE d.decision WHEN 'same' THEN 1e6 ELSE '-Infinity'::float8 END AS weight
	FROM @extschema@.cu_decisions d
	JOIN @extschema@.cu_sources sa ON sa.source = d.source_a
	JOIN @extschema@.cu_records ra ON ra.source_id = sa.source_id AND ra.record_id = d.id_a
	JOIN @extschema@.cu_sources sb ON sb.source = d.source_b
	JOIN @extschema@.cu_records rb ON rb.source_id = sb.source_id AND rb.record_id = d.id_b;
	GET DIAGNOSTICS ndecided = ROW_COUNT;
	IF ndecided > 0 THEN
		DELETE FROM @extschema@.cu_run_scores s USING cu_run_decided d WHERE s.a = d.a AND s.b = d.b;
		INSERT INTO @extschema@.cu_run_scores (a, b, weight) SELECT a, b, weight FROM cu_run_decided;
	END IF;
	CREATE UNLOGGED TABLE @extschema@.cu_run_components AS
	SELECT * FROM @extschema@.cu_link_components('@extschema@.cu_run_scores', link_w);
	INSERT INTO @extschema@.cu_run_scores (a, b, weight)
	SELECT x.a, x.b, @extschema@.cu_match_weight(ra, rb)
	FROM (SELECT c1.record_key AS a, c2.record_key AS b
	      FROM @extschema@.cu_run_components c1
	      JOIN @extschema@.cu_run_components c2 ON c2.component = c1.component AND c1.record_key < c2.record_key
	      WHERE c1.size BETWEEN 3 AND 50
	      EXCEPT
	      SELECT s.a, s.b FROM @extschema@.cu_run_scores s
	      WHERE s.a IN (SELECT c.record_key FROM @extschema@.cu_run_components c WHERE c.size BETWEEN 3 AND 50)) x
	JOIN @extschema@.cu_records ra ON ra.record_key = x.a
	JOIN @extschema@.cu_records rb ON rb.record_key = x.b;
	GET DIAGNOSTICS ncompleted = ROW_COUNT;
	CREATE UNLOGGED TABLE @extschema@.cu_run_clusters AS
	SELECT * FROM @extschema@.cu_cluster('@extschema@.cu_run_scores', link_w, cohesion_w);
	-- doubtful pairs left in different customers wait for a person (the
	-- records of a pair may have moved since an earlier run queued it)
	SELECT count(*) INTO nqueued FROM @extschema@.cu_review_queue;
	PERFORM @extschema@.cu_queue_for_review(sa.source, ra.record_id, sb.source, rb.record_id,
	                                        1 / (1 + 2 ^ (-s.weight)), @extschema@.cu_explain_records(ra, rb))
	FROM @extschema@.cu_run_scores s
	JOIN @extschema@.cu_records ra ON ra.record_key = s.a
	JOIN @extschema@.cu_sources sa ON sa.source_id = ra.source_id
	JOIN @extschema@.cu_records rb ON rb.record_key = s.b
	JOIN @extschema@.cu_sources sb ON sb.source_id = rb.source_id
	LEFT JOIN @extschema@.cu_run_clusters ca ON ca.record_key = s.a
	LEFT JOIN @extschema@.cu_run_clusters cb ON cb.record_key = s.b
	WHERE s.weight >= review_w AND s.weight < link_w
	  AND coalesce(ca.cluster_key, s.a) <> coalesce(cb.cluster_key, s.b)
	  AND NOT EXISTS (SELECT 1 FROM cu_run_decided d WHERE d.a = s.a AND d.b = s.b);
	nqueued := (SELECT count(*) FROM @extschema@.cu_review_queue) - nqueued;
	-- the histogram of match weights (one bin per bit, from -40 to +60)
	SELECT jsonb_build_object('min', -40, 'width', 1, 'threshold', threshold, 'threshold_weight', link_w,
	                          'counts', jsonb_agg(coalesce(h.n, 0) ORDER BY g.i))
	INTO hist
	FROM generate_series(0, 99) AS g(i)
	LEFT JOIN (SELECT least(greatest(floor(s.weight), -40), 59)::int + 40 AS bin, count(*) AS n
	           FROM @extschema@.cu_run_scores s
	           WHERE NOT EXISTS (SELECT 1 FROM cu_run_decided d WHERE d.a = s.a AND d.b = s.b)
	           GROUP BY 1) h ON h.bin = g.i;
	DROP TABLE @extschema@.cu_run_scores, @extschema@.cu_run_components, cu_run_decided;
	phases := phases || jsonb_build_object('clustering', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
	RAISE NOTICE 'cu_resolve: clustering: % pairs inside linked groups completed, % records in customers of 2 or more (% s)',
		ncompleted, (SELECT count(*) FROM @extschema@.cu_run_clusters), phases -> 'clustering';

	-- persistent ids: each old customer id goes to the new customer holding
	-- most of its records; a customer holding several old ids keeps the oldest
	PERFORM @extschema@.cu_report_progress('cu_resolve 5/5 writing the identity map');
	t := clock_timestamp();
	INSERT INTO @extschema@.cu_runs (started_at, finished_at, stats) VALUES (t0, t0, '{}') RETURNING run_id INTO run;
	CREATE TEMP TABLE cu_run_assign ON COMMIT DROP AS
	SELECT r.record_key, s.source, r.record_id AS source_id,
	       coalesce(c.cluster_key, r.record_key) AS cluster_key, c.match_probability, m.customer_id AS old_id
	FROM @extschema@.cu_records r
	JOIN @extschema@.cu_sources s ON s.source_id = r.source_id
	LEFT JOIN @extschema@.cu_run_clusters c ON c.record_key = r.record_key
	LEFT JOIN @extschema@.cu_identity_map m ON m.source = s.source AND m.source_id = r.record_id;
	DROP TABLE @extschema@.cu_run_clusters;
	CREATE TEMP TABLE cu_run_overlap ON COMMIT DROP AS
	SELECT cluster_key, old_id, count(*) AS n FROM cu_run_assign WHERE old_id IS NOT NULL GROUP BY 1, 2;
	CREATE TEMP TABLE cu_run_preferred ON COMMIT DROP AS
	SELECT DISTINCT ON (old_id) old_id, cluster_key, n FROM cu_run_overlap ORDER BY old_id, n DESC, cluster_key;
	CREATE TEMP TABLE cu_run_ids ON COMMIT DROP AS
	SELECT k.cluster_key, w.old_id,
	       CASE WHEN w.old_id IS NULL THEN nextval('@extschema@.cu_customer_id_seq') ELSE w.old_id END AS customer_id
	FROM (SELECT DISTINCT cluster_key FROM cu_run_assign ORDER BY cluster_key) k
	LEFT JOIN (SELECT DISTINCT ON (cluster_key) cluster_key, old_id FROM cu_run_preferred ORDER BY cluster_key, old_id) w
	  ON w.cluster_key = k.cluster_key
	ORDER BY k.cluster_key;
	-- the log: merges (an old id whose records joined an older customer),
	-- splits (records that left their customer), retirements (ids left with
	-- no record)
	INSERT INTO @extschema@.cu_merge_log (run_id, action, customer_id, other_customer_id, records)
	SELECT run, 'merge', i.customer_id, p.old_id, p.n
	FROM cu_run_preferred p JOIN cu_run_ids i ON i.cluster_key = p.cluster_key
	WHERE i.customer_id <> p.old_id;
	GET DIAGNOSTICS nmerge = ROW_COUNT;
	INSERT INTO @extschema@.cu_merge_log (run_id, action, customer_id, other_customer_id, records)
	SELECT run, 'split', o.old_id, i.customer_id, o.n
	FROM cu_run_overlap o
	JOIN cu_run_preferred p ON p.old_id = o.old_id AND p.cluster_key <> o.cluster_key
	JOIN cu_run_ids i ON i.cluster_key = o.cluster_key;
	GET DIAGNOSTICS nsplit = ROW_COUNT;
	INSERT INTO @extschema@.cu_merge_log (run_id, action, customer_id, records)
	SELECT run, 'retire', m.customer_id, count(*)
	FROM @extschema@.cu_identity_map m
	WHERE NOT EXISTS (SELECT 1 FROM cu_run_overlap o WHERE o.old_id = m.customer_id)
	GROUP BY m.customer_id;
	GET DIAGNOSTICS nretire = ROW_COUNT;
	SELECT count(*), count(*) FILTER (WHERE old_id IS NULL) INTO ncust, nnew FROM cu_run_ids;
	SELECT count(*) INTO nmulti FROM (SELECT 1 FROM cu_run_assign GROUP BY cluster_key HAVING count(*) > 1) x;

	DELETE FROM @extschema@.cu_identity_map;
	INSERT INTO @extschema@.cu_identity_map (source, source_id, customer_id, match_probability, resolved_at)
	SELECT a.source, a.source_id, i.customer_id, a.match_probability, now()
	FROM cu_run_assign a JOIN cu_run_ids i ON i.cluster_key = a.cluster_key;
	DROP TABLE cu_run_assign, cu_run_overlap, cu_run_preferred, cu_run_ids;
	phases := phases || jsonb_build_object('writing', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
	RAISE NOTICE 'cu_resolve: writing: % customers (% new, % merges, % splits) (% s)', ncust, nnew, nmerge, nsplit,
		phases -> 'writing';

	result := jsonb_build_object(
		'run_id', run, 'records', nrec, 'by_source', loaded -> 'by_source',
		'candidate_pairs', cand -> 'candidate_pairs', 'pairs_by_rule', cand -> 'pairs_by_rule',
		'oversized_blocks', cand -> 'oversized_blocks',
		'comparisons', ncompared + ncompleted, 'links', nlinks, 'threshold', threshold,
		'decisions', ndecided, 'queued_for_review', nqueued,
		'customers', ncust, 'customers_with_several_records', nmulti,
		'new_customers', nnew, 'merges', nmerge, 'splits', nsplit, 'retired', nretire,
		'seconds', round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3), 'phases', phases);
	UPDATE @extschema@.cu_runs SET finished_at = clock_timestamp(),
		stats = result || jsonb_build_object('weight_histogram', hist)
	WHERE run_id = run;
	-- fresh statistics, so that a card or a look-up finds one customer's
	-- records through the index on customer_id from the first call
	ANALYZE @extschema@.cu_identity_map;
	PERFORM @extschema@.cu_report_progress('cu_resolve done');
	RETURN result;
END
$$;
COMMENT ON FUNCTION cu_resolve(float8, int, float8, float8) IS
'Resolves every registered source into customers: normalising, blocking, scoring with the trained model, clustering (two groups merge when their strongest pair reaches threshold and the mean log-odds of all their scored pairs reaches cohesion, by default 0.5: even odds), and writing cu_identity_map with persistent customer ids (merges and splits logged in cu_merge_log), all in the caller''s transaction; people''s decisions (cu_decisions) override the model, and pairs left apart with a probability from review_threshold (default customer_unify.review_threshold) go to cu_review_queue; returns statistics';

CREATE FUNCTION cu_explain(source_a regclass, id_a text, source_b regclass, id_b text) RETURNS jsonb
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	ra          @extschema@.cu_records;
	rb          @extschema@.cu_records;
	ex          jsonb;
	threshold   float8;
	ca          bigint;
	cb          bigint;
BEGIN
	IF source_a IS NULL OR id_a IS NULL OR source_b IS NULL OR id_b IS NULL THEN
		RETURN NULL;
	END IF;
	ra := @extschema@.cu_stage_record(source_a, id_a);
	rb := @extschema@.cu_stage_record(source_b, id_b);
	ex := @extschema@.cu_explain_records(ra, rb);
	-- (the module is loaded now, and with it the setting)
	threshold := current_setting('customer_unify.match_threshold')::float8;
	SELECT m.customer_id INTO ca FROM @extschema@.cu_identity_map m WHERE m.source = source_a AND m.source_id = id_a;
	SELECT m.customer_id INTO cb FROM @extschema@.cu_identity_map m WHERE m.source = source_b AND m.source_id = id_b;
	RETURN jsonb_build_object('source_a', source_a::text, 'id_a', id_a, 'source_b', source_b::text, 'id_b', id_b)
		|| ex
		|| jsonb_build_object('threshold', threshold, 'linked', (ex ->> 'probability')::float8 >= threshold,
		                      'customer_a', ca, 'customer_b', cb, 'same_customer', ca = cb);
END
$$;
COMMENT ON FUNCTION cu_explain(regclass, text, regclass, text) IS
'Why two source records are (or are not) one person: each attribute''s values, comparison level, m, u and weight in bits, the prior, the final probability, whether that links them at the current threshold, and their customers';
