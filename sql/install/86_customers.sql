
-- ---------------------------------------------------------------------------
-- The customer, for the people who serve him: the card an advisor reads at a
-- glance (cu_customer_card), one row per customer for BI tools
-- (cu_customer_360), and the look-up application code uses to find the
-- customer behind a contact detail (cu_find_customer).
-- ---------------------------------------------------------------------------

CREATE INDEX cu_merge_log_other ON cu_merge_log (other_customer_id) WHERE action = 'merge';
COMMENT ON INDEX cu_merge_log_other IS
'Finds the customer an old customer id was merged into';
CREATE INDEX cu_review_queue_b ON cu_review_queue (source_b, id_b);
COMMENT ON INDEX cu_review_queue_b IS
'Finds the pairs to review of a record when it is the second of its pair';

-- The customer an id stands for now: itself while it has records, else the
-- customer it was merged into (followed through later merges).
CREATE FUNCTION cu_current_customer(customer_id bigint) RETURNS bigint
	LANGUAGE plpgsql STABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	id          bigint := customer_id;
	next_id     bigint;
BEGIN
	FOR hop IN 1..1000 LOOP
		IF EXISTS (SELECT 1 FROM @extschema@.cu_identity_map m WHERE m.customer_id = id) THEN
			RETURN id;
		END IF;
		SELECT l.customer_id INTO next_id FROM @extschema@.cu_merge_log l
		WHERE l.action = 'merge' AND l.other_customer_id = id ORDER BY l.log_id DESC LIMIT 1;
		IF next_id IS NULL OR next_id = id THEN
			RETURN NULL;
		END IF;
		id := next_id;
	END LOOP;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION cu_current_customer(bigint) IS
'The customer id that stands for a given one now: the id itself while it has records, else the survivor it was merged into (through every later merge); NULL for an unknown, retired or forgotten id';

-- The display name of a golden record.
CREATE FUNCTION cu_golden_name(golden jsonb) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT coalesce(nullif(concat_ws(' ', golden ->> 'given_name', golden ->> 'surname'), ''), golden ->> 'full_name')
$$;
COMMENT ON FUNCTION cu_golden_name(jsonb) IS
'The name to show for a golden record: its first and last names, else its whole name';

-- The half-life of moods, customer_unify.mood_half_life, as an interval.
CREATE FUNCTION cu_mood_half_life() RETURNS interval
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	-- (the setting exists once the library is loaded: a call of any of its functions loads it)
	PERFORM @extschema@.cu_mood_symbol(0);
	RETURN justify_hours(make_interval(secs => current_setting('customer_unify.mood_half_life')::float8 * 86400));
END
$$;
COMMENT ON FUNCTION cu_mood_half_life() IS
'The setting customer_unify.mood_half_life (days) as an interval: the half-life of cu_mood and of the card''s mood trend';

-- A mood's trend from its value then and now.
CREATE FUNCTION cu_mood_trend(before float8, now float8) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT CASE WHEN now IS NULL THEN NULL
	            WHEN before IS NULL THEN 'new'
	            WHEN now - before >= 0.15 THEN 'up'
	            WHEN now - before <= -0.15 THEN 'down'
	            ELSE 'steady' END
$$;
COMMENT ON FUNCTION cu_mood_trend(float8, float8) IS
'The trend of a mood: up or down when it moved by 0.15 or more, else steady; new without an earlier mood';

CREATE FUNCTION cu_customer_card(customer_id bigint, interactions int DEFAULT 5) RETURNS jsonb
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	cid         bigint := @extschema@.cu_current_customer(customer_id);
	golden      jsonb;
	card        jsonb;
	half_life   interval := @extschema@.cu_mood_half_life();
BEGIN
	IF interactions IS NULL OR interactions < 0 OR interactions > 1000 THEN
		RAISE EXCEPTION 'interactions must be between 0 and 1000, got %', coalesce(interactions::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF cid IS NULL THEN
		RETURN NULL;
	END IF;
	golden := @extschema@.cu_golden_customer(cid);

	WITH recs AS (
		SELECT m.source, m.source_id, m.match_probability, r.email, r.phone
		FROM @extschema@.cu_identity_map m
		JOIN @extschema@.cu_sources s ON s.source = m.source
		LEFT JOIN @extschema@.cu_records r ON r.source_id = s.source_id AND r.record_id = m.source_id
		WHERE m.customer_id = cid
	), acts AS MATERIALIZED (
		SELECT * FROM @extschema@.cu_interactions(ARRAY[cid])
	), feedback AS (
		SELECT * FROM acts WHERE sentiment IS NOT NULL
	), mood AS (
		SELECT (SELECT @extschema@.cu_mood(f.sentiment, f.at, half_life) FROM feedback f) AS now,
		       (SELECT @extschema@.cu_mood(f.sentiment, f.at, half_life) FROM feedback f WHERE f.at <= now() - half_life) AS before,
		       (SELECT count(*) FROM feedback) AS n,
		       (SELECT max(f.at) FROM feedback f) AS latest
	)
	SELECT jsonb_strip_nulls(jsonb_build_object(
		'id', cid,
		'asked', CASE WHEN cid <> customer_id THEN customer_id END,
		'name', @extschema@.cu_golden_name(golden),
		'identity', golden - '_lineage',
		'lineage', golden -> '_lineage',
		'records', (SELECT count(*) FROM recs),
		'silos', (SELECT jsonb_object_agg(x.source, x.ids)
		          FROM (SELECT r.source::text AS source, jsonb_agg(r.source_id ORDER BY r.source_id) AS ids
		                FROM recs r GROUP BY r.source::text) x),
		'email', (SELECT jsonb_agg(x.email ORDER BY x.n DESC, x.email)
		          FROM (SELECT r.email, count(*) AS n FROM recs r WHERE r.email IS NOT NULL GROUP BY r.email) x),
		'phone', (SELECT jsonb_agg(x.phone ORDER BY x.n DESC, x.phone)
		          FROM (SELECT r.phone, count(*) AS n FROM recs r WHERE r.phone IS NOT NULL GROUP BY r.phone) x),
		'mood', (SELECT jsonb_build_object('score', round(m.now::numeric, 2), 'symbol', @extschema@.cu_mood_symbol(m.now),
		                                   'trend', @extschema@.cu_mood_trend(m.before, m.now),
		                                   'before', round(m.before::numeric, 2), 'feedback', m.n, 'latest', m.latest)
		         FROM mood m WHERE m.n > 0),
		'complaint', (SELECT jsonb_build_object('at', f.at, 'channel', f.channel, 'source', f.source::text,
		                                        'id', f.interaction_id, 'score', round(f.sentiment::numeric, 2),
		                                        'text', f.body)
		              FROM feedback f WHERE f.sentiment <= -0.15 ORDER BY f.at DESC, f.interaction_id LIMIT 1),
		'contacts', (SELECT jsonb_build_object('count', count(*), 'first', min(a.at), 'last', max(a.at),
		                                       'channels', (SELECT jsonb_object_agg(c.channel, c.n)
		                                                    FROM (SELECT a2.channel, count(*) AS n FROM acts a2
		                                                          GROUP BY a2.channel) c))
		             FROM acts a HAVING count(*) > 0),
		'last', (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
		                    'at', l.at, 'channel', l.channel, 'source', l.source::text, 'id', l.interaction_id,
		                    'text', CASE WHEN length(l.body) > 200 THEN left(l.body, 199) || '…' ELSE l.body END,
		                    'cut', CASE WHEN length(l.body) > 200 THEN true END,
		                    'score', round(l.sentiment::numeric, 2), 'symbol', @extschema@.cu_mood_symbol(l.sentiment),
		                    'details', l.details)) ORDER BY l.at DESC, l.interaction_id)
		         FROM (SELECT * FROM acts a ORDER BY a.at DESC, a.interaction_id LIMIT interactions) l),
		'review', (SELECT jsonb_agg(jsonb_build_object('pair', q.pair_id, 'p', round(q.probability::numeric, 3),
		                                               'record', q.mine, 'other', q.other,
		                                               'other_customer', q.other_customer) ORDER BY q.probability DESC, q.pair_id)
		           FROM (SELECT q.pair_id, q.probability, q.source_a::text || '/' || q.id_a AS mine,
		                        q.source_b::text || '/' || q.id_b AS other, o.customer_id AS other_customer
		                 FROM recs r JOIN @extschema@.cu_review_queue q ON q.source_a = r.source AND q.id_a = r.source_id
		                 LEFT JOIN @extschema@.cu_identity_map o ON o.source = q.source_b AND o.source_id = q.id_b
		                 WHERE q.status = 'open'
		                 UNION
		                 SELECT q.pair_id, q.probability, q.source_b::text || '/' || q.id_b,
		                        q.source_a::text || '/' || q.id_a, o.customer_id
		                 FROM recs r JOIN @extschema@.cu_review_queue q ON q.source_b = r.source AND q.id_b = r.source_id
		                 LEFT JOIN @extschema@.cu_identity_map o ON o.source = q.source_a AND o.source_id = q.id_a
		                 WHERE q.status = 'open') q)
	)) INTO card;
	RETURN card;
END
$$;
COMMENT ON FUNCTION cu_customer_card(bigint, int) IS
'The card of a customer for an advisor, as JSON with short stable keys: id (asked: the id given, when it was merged into id), name, identity (golden record), lineage, records, silos, email, phone, mood (score, symbol, trend, before, feedback, latest), complaint (latest negative feedback), contacts (count, first, last, channels), last (the latest interactions, 5 by default), review (open pairs to review); NULL for an unknown or forgotten customer';

-- ---------------------------------------------------------------------------
-- cu_customer_360: one row per customer, kept in a table (cu_customer_summary)
-- so that BI tools filter it through indexes; cu_refresh_360 brings it up to
-- date, with only the customers changed since the last refresh by default.
-- ---------------------------------------------------------------------------

CREATE TABLE cu_customer_summary (
	customer_id   bigint PRIMARY KEY,
	name          text,
	given_name    text,
	surname       text,
	email         text,
	phone         text,
	email_key     text,
	phone_key     text,
	address       text,
	postcode      text,
	city          text,
	country       text,
	records       int NOT NULL,
	silos         int NOT NULL,
	sources       text[] NOT NULL,
	mood          float8,
	mood_symbol   text,
	mood_trend    text,
	feedback      int NOT NULL DEFAULT 0,
	negative_at   timestamptz,
	last_contact  timestamptz,
	last_channel  text,
	contacts      int NOT NULL DEFAULT 0,
	open_reviews  int NOT NULL DEFAULT 0,
	golden        jsonb NOT NULL,
	refreshed_at  timestamptz NOT NULL
);
CREATE INDEX cu_customer_summary_email ON cu_customer_summary (email_key);
CREATE INDEX cu_customer_summary_phone ON cu_customer_summary (phone_key);
CREATE INDEX cu_customer_summary_mood ON cu_customer_summary (mood) WHERE mood IS NOT NULL;
COMMENT ON TABLE cu_customer_summary IS
'The rows of cu_customer_360, kept by cu_refresh_360 (derived data)';
COMMENT ON INDEX cu_customer_summary_email IS
'Filters cu_customer_360 by e-mail: WHERE email_key = cu_normalize_email(...)';
COMMENT ON INDEX cu_customer_summary_phone IS
'Filters cu_customer_360 by phone: WHERE phone_key = cu_normalize_phone(..., region)';
COMMENT ON INDEX cu_customer_summary_mood IS
'Finds the unhappiest (or happiest) customers: ORDER BY mood';

CREATE TABLE cu_customer_360_state (
	singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	refreshed_at  timestamptz NOT NULL,
	full_at       timestamptz NOT NULL
);
COMMENT ON TABLE cu_customer_360_state IS
'When cu_customer_360 was last refreshed, and last refreshed in full (one row)';

CREATE VIEW cu_customer_360 AS
SELECT customer_id, name, given_name, surname, email, phone, email_key, phone_key, address, postcode, city, country,
       records, silos, sources, mood, mood_symbol, mood_trend, feedback, negative_at, last_contact, last_channel,
       contacts, open_reviews, golden, refreshed_at
FROM cu_customer_summary;
COMMENT ON VIEW cu_customer_360 IS
'One row per customer for BI tools, as of its last cu_refresh_360: golden identity (name, e-mail, phone, address), email_key and phone_key (canonical, indexed), records and silos (how many, which sources), mood (score, symbol, trend), feedback count, latest negative feedback, last contact and its channel, interaction count, open review pairs, and the golden record with its lineage';

-- The summary rows of some customers (all when NULL), computed now.
CREATE FUNCTION cu_customer_rows(customers bigint[] DEFAULT NULL) RETURNS SETOF cu_customer_summary
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
	WITH g AS (
		SELECT r.customer_id, count(*)::int AS records, count(DISTINCT r.source)::int AS silos,
		       array_agg(DISTINCT r.source ORDER BY r.source) AS sources,
		       @extschema@.cu_golden(r.attrs, r.source, r.at, (SELECT @extschema@.cu_golden_rules())) AS golden
		FROM @extschema@.cu_golden_rows(customers => customers) r
		GROUP BY r.customer_id
	), acts AS MATERIALIZED (
		SELECT * FROM @extschema@.cu_interactions(customers)
	), a AS (
		SELECT x.customer_id,
		       @extschema@.cu_mood(x.sentiment, x.at, h.half_life) FILTER (WHERE x.sentiment IS NOT NULL) AS mood,
		       @extschema@.cu_mood(x.sentiment, x.at, h.half_life)
		           FILTER (WHERE x.sentiment IS NOT NULL AND x.at <= now() - h.half_life) AS before,
		       count(x.sentiment)::int AS feedback,
		       max(x.at) FILTER (WHERE x.sentiment <= -0.15) AS negative_at,
		       max(x.at) AS last_contact,
		       (array_agg(x.channel ORDER BY x.at DESC, x.interaction_id DESC))[1] AS last_channel,
		       count(*)::int AS contacts
		FROM acts x
		CROSS JOIN (SELECT @extschema@.cu_mood_half_life() AS half_life) h
		GROUP BY x.customer_id
	), q AS (
		-- (from the customers' records, through the indexes of both ends of a pair)
		SELECT x.customer_id, count(DISTINCT x.pair_id)::int AS open_reviews
		FROM (SELECT m.customer_id, p.pair_id
		      FROM g JOIN @extschema@.cu_identity_map m ON m.customer_id = g.customer_id
		      JOIN @extschema@.cu_review_queue p ON p.source_a = m.source AND p.id_a = m.source_id
		      WHERE p.status = 'open'
		      UNION ALL
		      SELECT m.customer_id, p.pair_id
		      FROM g JOIN @extschema@.cu_identity_map m ON m.customer_id = g.customer_id
		      JOIN @extschema@.cu_review_queue p ON p.source_b = m.source AND p.id_b = m.source_id
		      WHERE p.status = 'open') x
		GROUP BY x.customer_id
	)
	SELECT g.customer_id, @extschema@.cu_golden_name(g.golden), g.golden ->> 'given_name', g.golden ->> 'surname',
	       g.golden ->> 'email', g.golden ->> 'phone', re.email, rp.phone,
	       g.golden ->> 'address', g.golden ->> 'postcode', g.golden ->> 'city', g.golden ->> 'country',
	       g.records, g.silos, g.sources,
	       a.mood, CASE WHEN a.mood IS NOT NULL THEN @extschema@.cu_mood_symbol(a.mood) END,
	       @extschema@.cu_mood_trend(a.before, a.mood), coalesce(a.feedback, 0), a.negative_at,
	       a.last_contact, a.last_channel, coalesce(a.contacts, 0), coalesce(q.open_reviews, 0),
	       g.golden, now()
	FROM g
	LEFT JOIN a ON a.customer_id = g.customer_id
	LEFT JOIN q ON q.customer_id = g.customer_id
	-- the canonical forms of the golden e-mail and phone: those of the records they came from
	LEFT JOIN @extschema@.cu_sources se ON se.source::text = g.golden #>> '{_lineage,email,source}'
	LEFT JOIN @extschema@.cu_records re ON re.source_id = se.source_id AND re.record_id = g.golden #>> '{_lineage,email,record_id}'
	LEFT JOIN @extschema@.cu_sources sp ON sp.source::text = g.golden #>> '{_lineage,phone,source}'
	LEFT JOIN @extschema@.cu_records rp ON rp.source_id = sp.source_id AND rp.record_id = g.golden #>> '{_lineage,phone,record_id}'
$$;
COMMENT ON FUNCTION cu_customer_rows(bigint[]) IS
'The cu_customer_360 rows of the given customers (all when NULL), computed now (internal: cu_refresh_360)';

CREATE FUNCTION cu_refresh_360(full_refresh boolean DEFAULT false) RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	state       record;
	started     timestamptz := clock_timestamp();
	changed     bigint[];
	n_removed   bigint;
	n_rows      bigint;
BEGIN
	-- one refresh at a time; readers go on reading the previous rows
	PERFORM pg_advisory_xact_lock(1668641910);
	SELECT * INTO state FROM @extschema@.cu_customer_360_state;
	IF full_refresh OR state IS NULL THEN
		DELETE FROM @extschema@.cu_customer_summary;
		INSERT INTO @extschema@.cu_customer_summary SELECT * FROM @extschema@.cu_customer_rows(NULL);
		GET DIAGNOSTICS n_rows = ROW_COUNT;
		INSERT INTO @extschema@.cu_customer_360_state VALUES (true, now(), now())
		ON CONFLICT (singleton) DO UPDATE SET refreshed_at = now(), full_at = now();
		ANALYZE @extschema@.cu_customer_summary;
		RETURN jsonb_build_object('full', true, 'customers', n_rows,
		                          'ms', round(extract(epoch FROM clock_timestamp() - started)::numeric * 1000, 1));
	END IF;

	-- the customers changed since: records resolved or moved, merges, splits,
	-- retirements (a customer left without records is logged), new
	-- interactions, review pairs queued or decided
	SELECT array_agg(DISTINCT c) INTO changed FROM (
		SELECT m.customer_id FROM @extschema@.cu_identity_map m WHERE m.resolved_at >= state.refreshed_at
		UNION ALL
		SELECT unnest(ARRAY[l.customer_id, l.other_customer_id]) FROM @extschema@.cu_merge_log l
		WHERE l.logged_at >= state.refreshed_at
		UNION ALL
		SELECT i.customer_id FROM @extschema@.cu_interactions(NULL, state.refreshed_at) i
		UNION ALL
		SELECT m.customer_id FROM @extschema@.cu_review_queue p
		JOIN @extschema@.cu_identity_map m ON (m.source = p.source_a AND m.source_id = p.id_a)
		                                   OR (m.source = p.source_b AND m.source_id = p.id_b)
		WHERE p.queued_at >= state.refreshed_at OR p.decided_at >= state.refreshed_at
	) x(c) WHERE c IS NOT NULL;
	changed := coalesce(changed, '{}');
	DELETE FROM @extschema@.cu_customer_summary s WHERE s.customer_id = ANY (changed);
	GET DIAGNOSTICS n_removed = ROW_COUNT;
	INSERT INTO @extschema@.cu_customer_summary SELECT * FROM @extschema@.cu_customer_rows(changed);
	GET DIAGNOSTICS n_rows = ROW_COUNT;
	UPDATE @extschema@.cu_customer_360_state SET refreshed_at = now();
	RETURN jsonb_build_object('full', false, 'changed', cardinality(changed), 'customers', n_rows,
	                          'removed', greatest(n_removed - n_rows, 0),
	                          'ms', round(extract(epoch FROM clock_timestamp() - started)::numeric * 1000, 1));
END
$$;
COMMENT ON FUNCTION cu_refresh_360(boolean) IS
'Brings cu_customer_360 up to date: only the customers changed since the last refresh (records resolved, merges, splits, new interactions, review pairs), or every customer with full_refresh => true (after cu_resolve, or when sources changed without real time); returns what it did';

-- ---------------------------------------------------------------------------
-- cu_find_customer: the customer behind a contact detail.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_find_customer(email text DEFAULT NULL, phone text DEFAULT NULL, name text DEFAULT NULL,
                                 phone_region text DEFAULT 'FR', max_results int DEFAULT 5,
                                 min_probability float8 DEFAULT 0.01)
	RETURNS TABLE (customer_id bigint, probability float8, customer_name text, source regclass, record_id text, matched text[])
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	probe       @extschema@.cu_records;
	hashes      bigint[];
BEGIN
	IF max_results IS NULL OR max_results < 1 OR max_results > 1000 THEN
		RAISE EXCEPTION 'max_results must be between 1 and 1000, got %', coalesce(max_results::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF min_probability IS NULL OR min_probability < 0 OR min_probability > 1 THEN
		RAISE EXCEPTION 'min_probability must be between 0 and 1, got %', coalesce(min_probability::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM @extschema@.cu_model WHERE prior IS NOT NULL) THEN
		RAISE EXCEPTION 'the match model is not trained' USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'Run SELECT cu_train(); and SELECT cu_resolve(); first.';
	END IF;
	probe.source_id := 0;
	probe.record_id := '';
	probe.email := @extschema@.cu_normalize_email(email);
	probe.phone := @extschema@.cu_normalize_phone(phone, phone_region);
	probe.full_name := nullif(@extschema@.cu_normalize_name(name), '');
	probe.extra := '{}';
	IF probe.email IS NULL AND probe.phone IS NULL AND probe.full_name IS NULL THEN
		RAISE EXCEPTION 'give an e-mail, a phone or a name to look for (the ones given are empty or not valid)'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	hashes := @extschema@.cu_blocking_hashes(probe.full_name, probe.email, probe.phone, NULL, NULL, NULL);

	RETURN QUERY
	WITH cand AS (
		-- through the index of blocking keys: same e-mail, mailbox, phone, or name keys
		SELECT r.* FROM @extschema@.cu_records r
		WHERE @extschema@.cu_blocking_hashes(r.full_name, r.email, r.phone, r.birth_date, r.postcode, r.city) && hashes
		UNION
		-- through the index of names: nicknames, initials, word order
		SELECT r.* FROM @extschema@.cu_records r
		WHERE probe.full_name IS NOT NULL
		  AND r.full_name OPERATOR(@extschema@.%%>) ROW(probe.full_name, 0.6)::@extschema@.cu_name_query
	), scored AS (
		SELECT m.customer_id, @extschema@.cu_match_probability(probe, c) AS p, s.source, c.record_id,
		       array_remove(ARRAY[CASE WHEN c.email = probe.email THEN 'email' END,
		                          CASE WHEN c.phone = probe.phone THEN 'phone' END,
		                          CASE WHEN probe.full_name IS NOT NULL AND c.full_name IS NOT NULL
		                                    AND @extschema@.cu_name_similarity(c.full_name, probe.full_name) >= 0.8
		                               THEN 'name' END], NULL) AS matched
		FROM cand c
		JOIN @extschema@.cu_sources s ON s.source_id = c.source_id
		JOIN @extschema@.cu_identity_map m ON m.source = s.source AND m.source_id = c.record_id
	), best AS (
		SELECT DISTINCT ON (x.customer_id) x.* FROM scored x
		WHERE x.p >= min_probability
		ORDER BY x.customer_id, x.p DESC, cardinality(x.matched) DESC, x.record_id
	)
	SELECT b.customer_id, b.p, coalesce(cs.name, (SELECT c.full_name FROM cand c JOIN @extschema@.cu_sources s2
	                                              ON s2.source_id = c.source_id
	                                              WHERE s2.source = b.source AND c.record_id = b.record_id)),
	       b.source, b.record_id, b.matched
	FROM best b LEFT JOIN @extschema@.cu_customer_summary cs ON cs.customer_id = b.customer_id
	ORDER BY b.p DESC, cardinality(b.matched) DESC, b.customer_id
	LIMIT max_results;
END
$$;
COMMENT ON FUNCTION cu_find_customer(text, text, text, text, int, float8) IS
'The customers behind a contact detail: e-mail, phone (written in phone_region) and/or name, most probable first, found through the indexes of cu_records and scored by the trained model: customer_id, probability, customer_name (golden, else as staged), the best matching record, and which details matched exactly (email, phone, name)';
