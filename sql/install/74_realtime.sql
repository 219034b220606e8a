
-- ---------------------------------------------------------------------------
-- Resolution, step 5: real time and people.  Triggers resolve each row of a
-- source as it is written, in the writing transaction; pairs the model is
-- unsure of wait in a review queue; the decisions of advisors (same person,
-- different people, this customer must be split) are kept apart from the
-- model and honoured by every later run, batch or real time.
-- ---------------------------------------------------------------------------

CREATE TABLE cu_realtime (
	source_id   int PRIMARY KEY REFERENCES cu_sources ON DELETE CASCADE,
	stage_sql   text NOT NULL,
	enabled_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cu_realtime IS
'The sources resolved in real time, with the statement that normalises a row of theirs (internal; cu_enable_realtime, cu_disable_realtime)';

CREATE TABLE cu_decisions (
	decision_id bigserial PRIMARY KEY,
	source_a    regclass NOT NULL,
	id_a        text NOT NULL,
	source_b    regclass NOT NULL,
	id_b        text NOT NULL,
	decision    text NOT NULL CHECK (decision IN ('same', 'different')),
	decided_by  text NOT NULL DEFAULT current_user,
	decided_at  timestamptz NOT NULL DEFAULT now(),
	origin      text NOT NULL,
	CHECK ((source_a::oid, id_a) < (source_b::oid, id_b)),
	UNIQUE (source_a, id_a, source_b, id_b)
);
CREATE INDEX cu_decisions_b ON cu_decisions (source_b, id_b);
COMMENT ON TABLE cu_decisions IS
'Decisions of people about pairs of records: same (must link) or different (cannot link), each pair once (the smaller record first), with who decided, when, and how (review, split); no model run changes them';
COMMENT ON INDEX cu_decisions_b IS
'Finds the decisions about a record when it is the second of its pair';
COMMENT ON SEQUENCE cu_decisions_decision_id_seq IS
'Numbers the decisions';

CREATE TABLE cu_review_queue (
	pair_id     bigserial PRIMARY KEY,
	source_a    regclass NOT NULL,
	id_a        text NOT NULL,
	source_b    regclass NOT NULL,
	id_b        text NOT NULL,
	probability float8 NOT NULL,
	explanation jsonb NOT NULL,
	status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'same', 'different')),
	queued_at   timestamptz NOT NULL DEFAULT now(),
	decided_by  text,
	decided_at  timestamptz,
	CHECK ((source_a::oid, id_a) < (source_b::oid, id_b)),
	UNIQUE (source_a, id_a, source_b, id_b)
);
CREATE INDEX cu_review_queue_open ON cu_review_queue (probability DESC) WHERE status = 'open';
COMMENT ON TABLE cu_review_queue IS
'Pairs of records left in different customers with a match probability between customer_unify.review_threshold and the match threshold, with their explanation (as cu_explain_records gives it), waiting for cu_review';
COMMENT ON INDEX cu_review_queue_open IS
'The open pairs, most probable first';
COMMENT ON SEQUENCE cu_review_queue_pair_id_seq IS
'Numbers the pairs to review';

SELECT pg_catalog.pg_extension_config_dump('cu_realtime', '');
SELECT pg_catalog.pg_extension_config_dump('cu_decisions', '');
SELECT pg_catalog.pg_extension_config_dump('cu_decisions_decision_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cu_review_queue', '');
SELECT pg_catalog.pg_extension_config_dump('cu_review_queue_pair_id_seq', '');

-- The decision about two records, if any.
CREATE FUNCTION cu_decision(source_a regclass, id_a text, source_b regclass, id_b text) RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT d.decision FROM @extschema@.cu_decisions d
	WHERE d.source_a = cu_decision.source_a AND d.id_a = cu_decision.id_a
	  AND d.source_b = cu_decision.source_b AND d.id_b = cu_decision.id_b
	UNION ALL
	SELECT d.decision FROM @extschema@.cu_decisions d
	WHERE d.source_a = cu_decision.source_b AND d.id_a = cu_decision.id_b
	  AND d.source_b = cu_decision.source_a AND d.id_b = cu_decision.id_a
$$;
COMMENT ON FUNCTION cu_decision(regclass, text, regclass, text) IS
'The decision recorded about two records (same, different), or NULL';

-- Record a decision about two records (the later decision replaces an
-- earlier one about the same pair).
CREATE FUNCTION cu_record_decision(source_a regclass, id_a text, source_b regclass, id_b text,
                                   decision text, origin text) RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF (source_a::oid, id_a) = (source_b::oid, id_b) THEN
		RAISE EXCEPTION 'a decision needs two different records' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF (source_a::oid, id_a) > (source_b::oid, id_b) THEN
		SELECT source_b, id_b, source_a, id_a INTO source_a, id_a, source_b, id_b;
	END IF;
	INSERT INTO @extschema@.cu_decisions (source_a, id_a, source_b, id_b, decision, origin)
	VALUES (source_a, id_a, source_b, id_b, decision, origin)
	ON CONFLICT ON CONSTRAINT cu_decisions_source_a_id_a_source_b_id_b_key DO UPDATE
	SET decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
	    origin = excluded.origin;
END
$$;
COMMENT ON FUNCTION cu_record_decision(regclass, text, regclass, text, text, text) IS
'Records a decision about two records, replacing an earlier one about the same pair (internal: cu_review, cu_split)';

-- Queue a pair for review (the smaller record first), unless it is queued.
CREATE FUNCTION cu_queue_for_review(source_a regclass, id_a text, source_b regclass, id_b text,
                                    probability float8, explanation jsonb) RETURNS void
	LANGUAGE sql
	SET search_path = pg_catalog, pg_temp
	AS $$
	INSERT INTO @extschema@.cu_review_queue (source_a, id_a, source_b, id_b, probability, explanation)
	SELECT CASE WHEN o.a_first THEN source_a ELSE source_b END, CASE WHEN o.a_first THEN id_a ELSE id_b END,
	       CASE WHEN o.a_first THEN source_b ELSE source_a END, CASE WHEN o.a_first THEN id_b ELSE id_a END,
	       probability, explanation
	FROM (SELECT (source_a::oid, id_a) < (source_b::oid, id_b) AS a_first) o
	ON CONFLICT DO NOTHING
$$;
COMMENT ON FUNCTION cu_queue_for_review(regclass, text, regclass, text, float8, jsonb) IS
'Puts a pair of records in cu_review_queue, the smaller record first, unless it is there already (internal: cu_resolve and real time)';

-- Build the search indexes of cu_records: the blocking keys (real time's
-- candidate search, cu_find_customer's e-mail and phone look-up) and the names
-- (cu_find_customer's fuzzy name look-up).  Kept at all times; cu_load_records
-- drops them during a bulk load and builds them again at its end.
CREATE FUNCTION cu_create_keys_index() RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	-- (no pending list: a search must not read a growing list of recent entries)
	CREATE INDEX IF NOT EXISTS cu_records_keys ON @extschema@.cu_records USING gin
		(@extschema@.cu_blocking_hashes(full_name, email, phone, birth_date, postcode, city))
		WITH (fastupdate = off);
	COMMENT ON INDEX @extschema@.cu_records_keys IS
		'The blocking keys of the staged records: the candidate search of real-time resolution and of cu_find_customer';
	CREATE INDEX IF NOT EXISTS cu_records_name ON @extschema@.cu_records USING gin
		(full_name @extschema@.cu_name_gin_ops);
	COMMENT ON INDEX @extschema@.cu_records_name IS
		'The whole names of the staged records: the fuzzy name search of cu_find_customer';
END
$$;
COMMENT ON FUNCTION cu_create_keys_index() IS
'Creates the search indexes of cu_records if they are missing: cu_records_keys (blocking keys: real-time resolution, cu_find_customer) and cu_records_name (names: cu_find_customer) (internal: installation, cu_load_records)';
SELECT cu_create_keys_index();

-- Can the records of two customers be one person?  Not when a decision says
-- two of their records are different people.
CREATE FUNCTION cu_customers_compatible(customer_a bigint, customer_b bigint) RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT NOT EXISTS (
		SELECT 1
		FROM @extschema@.cu_identity_map x
		JOIN @extschema@.cu_decisions d
		  ON d.decision = 'different'
		 AND ((d.source_a = x.source AND d.id_a = x.source_id) OR (d.source_b = x.source AND d.id_b = x.source_id))
		JOIN @extschema@.cu_identity_map y
		  ON y.customer_id = customer_b
		 AND ((d.source_a = y.source AND d.id_a = y.source_id) OR (d.source_b = y.source AND d.id_b = y.source_id))
		WHERE x.customer_id = customer_a)
$$;
COMMENT ON FUNCTION cu_customers_compatible(bigint, bigint) IS
'False when a decision says a record of one customer and a record of the other are different people (internal)';

-- Merge customer other into customer survivor, logged.
CREATE FUNCTION cu_merge_customers(survivor bigint, other bigint, detail jsonb) RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	n           int;
BEGIN
	UPDATE @extschema@.cu_identity_map SET customer_id = survivor, resolved_at = now() WHERE customer_id = other;
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO @extschema@.cu_merge_log (action, customer_id, other_customer_id, records, detail)
	VALUES ('merge', survivor, other, n, detail);
END
$$;
COMMENT ON FUNCTION cu_merge_customers(bigint, bigint, jsonb) IS
'Moves every record of customer other to customer survivor and logs the merge (internal)';

-- Serialise the real-time resolution of records that may be one person: a
-- transaction-level advisory lock on each of 4096 stripes of blocking keys,
-- taken in ascending order.  Two records of one person share a key, so the
-- second waits for the first to commit and then sees it.  Under REPEATABLE
-- READ or SERIALIZABLE the snapshot cannot see it: a wait there is reported
-- as a serialization failure, for the application to retry.
CREATE FUNCTION cu_lock_keys(keys bigint[]) RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	stripe      int;
	waited      boolean := false;
BEGIN
	FOR stripe IN SELECT DISTINCT (k & 4095)::int FROM unnest(keys) AS k ORDER BY 1 LOOP
		IF NOT pg_try_advisory_xact_lock(1668641908, stripe) THEN
			waited := true;
			PERFORM pg_advisory_xact_lock(1668641908, stripe);
		END IF;
	END LOOP;
	IF waited AND current_setting('transaction_isolation') <> 'read committed' THEN
		RAISE EXCEPTION 'a concurrent transaction was resolving a record of the same person'
			USING ERRCODE = 'serialization_failure',
			      HINT = 'Retry the transaction; real-time resolution waits for it under READ COMMITTED.';
	END IF;
END
$$;
COMMENT ON FUNCTION cu_lock_keys(bigint[]) IS
'Takes the advisory locks (class 1668641908, one of 4096 stripes per blocking key) that serialise the real-time resolution of records sharing a key (internal)';

-- Hold customers (advisory locks of class 1668641909, in ascending order)
-- while their records change.
CREATE FUNCTION cu_lock_customers(ids bigint[]) RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	h           int;
BEGIN
	FOR h IN SELECT DISTINCT (i % 2147483647)::int FROM unnest(ids) AS i WHERE i IS NOT NULL ORDER BY 1 LOOP
		PERFORM pg_advisory_xact_lock(1668641909, h);
	END LOOP;
END
$$;
COMMENT ON FUNCTION cu_lock_customers(bigint[]) IS
'Takes the advisory locks (class 1668641909) that serialise changes to the given customers, in ascending order (internal)';

-- Take a record out of its customer; returns the customer id and whether the
-- customer is left without records (then retired, unless keep_empty).
CREATE FUNCTION cu_realtime_remove(src_id int, record_id text, keep_empty boolean,
                                   OUT customer_id bigint, OUT emptied boolean)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	src         regclass;
	rec         @extschema@.cu_records;
	held        bigint;
BEGIN
	SELECT s.source INTO src FROM @extschema@.cu_sources s WHERE s.source_id = src_id;
	SELECT * INTO rec FROM @extschema@.cu_records r WHERE r.source_id = src_id AND r.record_id = cu_realtime_remove.record_id;
	IF FOUND THEN
		PERFORM @extschema@.cu_lock_keys(@extschema@.cu_blocking_hashes(rec.full_name, rec.email, rec.phone,
			rec.birth_date, rec.postcode, rec.city));
		DELETE FROM @extschema@.cu_records r WHERE r.record_key = rec.record_key;
	END IF;
	-- hold its customer (again if a concurrent merge moved it meanwhile)
	LOOP
		SELECT m.customer_id INTO held FROM @extschema@.cu_identity_map m
		WHERE m.source = src AND m.source_id = cu_realtime_remove.record_id;
		BEGIN
			PERFORM @extschema@.cu_lock_customers(ARRAY[held]);
			EXIT WHEN NOT EXISTS (SELECT 1 FROM @extschema@.cu_identity_map m
			                      WHERE m.source = src AND m.source_id = cu_realtime_remove.record_id
			                        AND m.customer_id IS DISTINCT FROM held);
			RAISE EXCEPTION USING ERRCODE = 'assert_failure';	-- release, and again
		EXCEPTION WHEN assert_failure THEN
			NULL;
		END;
	END LOOP;
	DELETE FROM @extschema@.cu_identity_map m WHERE m.source = src AND m.source_id = cu_realtime_remove.record_id
	RETURNING m.customer_id INTO customer_id;
	DELETE FROM @extschema@.cu_review_queue q
	WHERE q.status = 'open' AND ((q.source_a = src AND q.id_a = cu_realtime_remove.record_id)
	                             OR (q.source_b = src AND q.id_b = cu_realtime_remove.record_id));
	emptied := customer_id IS NOT NULL
	           AND NOT EXISTS (SELECT 1 FROM @extschema@.cu_identity_map m WHERE m.customer_id = cu_realtime_remove.customer_id);
	IF emptied AND NOT keep_empty THEN
		INSERT INTO @extschema@.cu_merge_log (action, customer_id, records, detail)
		VALUES ('retire', customer_id, 1, jsonb_build_object('realtime', true, 'source', src, 'source_id', record_id));
	END IF;
END
$$;
COMMENT ON FUNCTION cu_realtime_remove(int, text, boolean) IS
'Takes a record out of cu_records and of its customer in real time; a customer left with no record is retired and logged unless keep_empty (internal)';

-- The trigger of a real-time source (src/realtime.c): saved plans stage the
-- row, search its candidates through cu_records_keys and score them in one
-- query; it joins the customer it links to, merges the customers it links
-- together (the older id surviving, unless a decision forbids), or gets a new
-- customer; doubtful pairs are queued for review.
CREATE FUNCTION cu_realtime_trigger() RETURNS trigger
	AS 'MODULE_PATHNAME', 'cu_realtime_trigger'
	LANGUAGE C;
COMMENT ON FUNCTION cu_realtime_trigger() IS
'The AFTER ROW trigger of a real-time source: INSERT resolves the new row, UPDATE re-resolves a row whose identity changed (an alone row keeps its id), DELETE takes it out of its customer (internal)';

-- Turn real-time resolution on for a source.
CREATE FUNCTION cu_enable_realtime(source regclass) RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	src         record;
	trig        text := 'cu_realtime_' || @extschema@.cu_realtime_suffix(source);
BEGIN
	SELECT * INTO src FROM @extschema@.cu_sources s WHERE s.source = cu_enable_realtime.source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'source % is not registered', source
			USING ERRCODE = 'undefined_object', HINT = 'Register it with cu_add_source.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.cu_model WHERE prior IS NOT NULL) THEN
		RAISE EXCEPTION 'the match model is not trained' USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'Run SELECT cu_train(); and SELECT cu_resolve(); first.';
	END IF;
	IF EXISTS (SELECT 1 FROM @extschema@.cu_records r WHERE r.source_id = src.source_id)
	   AND NOT EXISTS (SELECT 1 FROM @extschema@.cu_identity_map m WHERE m.source = src.source) THEN
		RAISE EXCEPTION 'source % has not been resolved yet', source USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'Run SELECT cu_resolve(); first: real time resolves new rows against the customers found.';
	END IF;
	-- the index of blocking keys the candidate search uses (dropped only by a failed bulk load)
	PERFORM @extschema@.cu_create_keys_index();
	INSERT INTO @extschema@.cu_realtime (source_id, stage_sql)
	VALUES (src.source_id, format('SELECT NULL::bigint, q.* FROM (%s) q',
	                              @extschema@.cu_source_query(src.source_id, format('(SELECT ($1::%s).*) AS src', src.source))))
	ON CONFLICT (source_id) DO UPDATE SET stage_sql = excluded.stage_sql, enabled_at = now();
	EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', trig, source);
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION @extschema@.cu_realtime_trigger()',
	               trig, source);
	RETURN jsonb_build_object('source', source, 'trigger', trig, 'realtime', true);
END
$$;
COMMENT ON FUNCTION cu_enable_realtime(regclass) IS
'Resolves every row written to a registered source at once, in the writing transaction (an AFTER ROW trigger): INSERT attaches the row to its customer or creates one, merging customers it links; UPDATE re-resolves; DELETE detaches (a customer left empty is retired); needs a trained model and a first cu_resolve';

-- Turn it off.
CREATE FUNCTION cu_disable_realtime(source regclass) RETURNS boolean
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	sid         int;
BEGIN
	SELECT s.source_id INTO sid FROM @extschema@.cu_sources s WHERE s.source = cu_disable_realtime.source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'source % is not registered', source USING ERRCODE = 'undefined_object';
	END IF;
	EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'cu_realtime_' || @extschema@.cu_realtime_suffix(source), source);
	DELETE FROM @extschema@.cu_realtime r WHERE r.source_id = sid;
	RETURN FOUND;
END
$$;
COMMENT ON FUNCTION cu_disable_realtime(regclass) IS
'Stops real-time resolution of a source (drops its trigger); the next cu_resolve takes its new rows in';

-- A stable suffix for a source's trigger name.
CREATE FUNCTION cu_realtime_suffix(source regclass) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT source::oid::text $$;
COMMENT ON FUNCTION cu_realtime_suffix(regclass) IS
'The suffix of the name of a real-time trigger: the source''s oid (internal)';

-- A person's decision on a queued pair.
CREATE FUNCTION cu_review(pair_id bigint, decision text) RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	q           record;
	ca          bigint;
	cb          bigint;
	result      jsonb;
BEGIN
	IF decision IS NULL OR decision NOT IN ('same', 'different') THEN
		RAISE EXCEPTION 'decision must be ''same'' or ''different'', got %', coalesce(quote_literal(decision), 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO q FROM @extschema@.cu_review_queue r WHERE r.pair_id = cu_review.pair_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no pair % in the review queue', pair_id USING ERRCODE = 'no_data_found';
	END IF;
	-- the customers may move under a concurrent run: hold them
	LOCK TABLE @extschema@.cu_identity_map IN SHARE ROW EXCLUSIVE MODE;
	SELECT m.customer_id INTO ca FROM @extschema@.cu_identity_map m WHERE m.source = q.source_a AND m.source_id = q.id_a;
	SELECT m.customer_id INTO cb FROM @extschema@.cu_identity_map m WHERE m.source = q.source_b AND m.source_id = q.id_b;
	IF ca IS NULL OR cb IS NULL THEN
		RAISE EXCEPTION 'a record of pair % is no longer in the identity map', pair_id
			USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'It was deleted from its source since it was queued.';
	END IF;
	PERFORM @extschema@.cu_record_decision(q.source_a, q.id_a, q.source_b, q.id_b, decision, 'review');
	UPDATE @extschema@.cu_review_queue r SET status = decision, decided_by = current_user, decided_at = now()
	WHERE r.pair_id = cu_review.pair_id;
	result := jsonb_build_object('pair_id', pair_id, 'decision', decision);
	IF decision = 'same' AND ca <> cb THEN
		IF NOT @extschema@.cu_customers_compatible(least(ca, cb), greatest(ca, cb)) THEN
			RAISE EXCEPTION 'customers % and % hold records already declared different people', least(ca, cb), greatest(ca, cb)
				USING ERRCODE = 'check_violation', HINT = 'Review the earlier decisions in cu_decisions.';
		END IF;
		PERFORM @extschema@.cu_merge_customers(least(ca, cb), greatest(ca, cb),
			jsonb_build_object('review', pair_id, 'by', current_user));
		result := result || jsonb_build_object('customer_id', least(ca, cb), 'merged', greatest(ca, cb));
	ELSIF decision = 'different' AND ca = cb THEN
		-- one customer holding both: the second record leaves it
		result := result || jsonb_build_object('customer_id', ca,
			'split_into', @extschema@.cu_split(ca, ARRAY[q.source_b], ARRAY[q.id_b]));
	ELSE
		result := result || jsonb_build_object('customer_id', ca, 'other_customer_id', cb);
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION cu_review(bigint, text) IS
'Records a person''s decision on a queued pair: same links the two records (merging their customers, the older id surviving), different records a cannot-link constraint (splitting the second record out when both are in one customer); every later run, batch or real time, honours it';

-- Detach records from a customer into a new one.
CREATE FUNCTION cu_split(customer_id bigint, sources regclass[], ids text[]) RETURNS bigint
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	new_id      bigint;
	n           int;
	moving      int;
BEGIN
	IF cardinality(sources) IS DISTINCT FROM cardinality(ids) OR cardinality(ids) = 0 THEN
		RAISE EXCEPTION 'sources and ids must be two non-empty arrays of the same length'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	LOCK TABLE @extschema@.cu_identity_map IN SHARE ROW EXCLUSIVE MODE;
	SELECT count(*) INTO n FROM @extschema@.cu_identity_map m WHERE m.customer_id = cu_split.customer_id;
	IF n = 0 THEN
		RAISE EXCEPTION 'customer % does not exist', customer_id USING ERRCODE = 'no_data_found';
	END IF;
	SELECT count(*) INTO moving
	FROM @extschema@.cu_identity_map m JOIN unnest(sources, ids) AS x(source, id) ON m.source = x.source AND m.source_id = x.id
	WHERE m.customer_id = cu_split.customer_id;
	IF moving <> cardinality(ids) THEN
		RAISE EXCEPTION 'not every record given belongs to customer %', customer_id
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF moving = n THEN
		RAISE EXCEPTION 'splitting every record of customer % leaves nothing to split from', customer_id
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	new_id := nextval('@extschema@.cu_customer_id_seq');
	-- the records leaving and those staying are different people from now on
	PERFORM @extschema@.cu_record_decision(x.source, x.id, m.source, m.source_id, 'different', 'split')
	FROM unnest(sources, ids) AS x(source, id)
	JOIN @extschema@.cu_identity_map m ON m.customer_id = cu_split.customer_id
	WHERE NOT EXISTS (SELECT 1 FROM unnest(sources, ids) AS y(source, id) WHERE y.source = m.source AND y.id = m.source_id);
	UPDATE @extschema@.cu_identity_map m SET customer_id = new_id, match_probability = NULL, resolved_at = now()
	FROM unnest(sources, ids) AS x(source, id)
	WHERE m.source = x.source AND m.source_id = x.id;
	INSERT INTO @extschema@.cu_merge_log (action, customer_id, other_customer_id, records, detail)
	VALUES ('split', customer_id, new_id, moving, jsonb_build_object('by', current_user));
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION cu_split(bigint, regclass[], text[]) IS
'Detaches the given records (sources[i], ids[i]) from a customer into a new customer, records that they and the records staying are different people, logs the split; returns the new customer id';
