
-- ---------------------------------------------------------------------------
-- The right to be forgotten.  cu_forget erases a customer everywhere in one
-- transaction: the rows of every registered source are masked or deleted,
-- feedback texts erased or deleted, and every derived table (staged records,
-- identity map, review queue, decisions, term frequencies, the 360 table)
-- cleaned; an audit entry without personal data remains.  Masked rows are
-- listed in cu_forgotten so that no later run stages them again.
-- ---------------------------------------------------------------------------

CREATE TABLE cu_forget_rules (
	kind        text PRIMARY KEY,
	action      text NOT NULL CHECK (action IN ('null', 'mask', 'keep')),
	builtin     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE cu_forget_rules IS
'What cu_forget does to a masked source''s column of each attribute kind: null (set to NULL), mask (set to ''(forgotten)'', NULL for a column that is not a text) or keep; a custom attribute without a row is set to NULL; change the rows or add your own';
INSERT INTO cu_forget_rules (kind, action, builtin) VALUES
	('given_name', 'mask', true), ('surname', 'mask', true), ('full_name', 'mask', true),
	('email', 'null', true), ('phone', 'null', true), ('birth_date', 'null', true), ('address', 'null', true),
	('postcode', 'null', true), ('national_id', 'null', true), ('gender', 'null', true),
	('city', 'keep', true), ('country', 'keep', true);

CREATE TABLE cu_forget_log (
	forget_id    bigserial PRIMARY KEY,
	forgotten_at timestamptz NOT NULL DEFAULT now(),
	forgotten_by name NOT NULL DEFAULT current_user,
	customer_id  bigint NOT NULL,
	records      int NOT NULL,
	interactions int NOT NULL,
	actions      jsonb NOT NULL,
	reference    text
);
CREATE INDEX cu_forget_log_customer ON cu_forget_log (customer_id);
COMMENT ON TABLE cu_forget_log IS
'The audit of cu_forget, without personal data: when, by whom, which customer id (an id that no longer leads anywhere), how many records and interactions, what was done in each table, and the request''s reference as given';
COMMENT ON INDEX cu_forget_log_customer IS
'Finds whether a customer id was forgotten';
COMMENT ON SEQUENCE cu_forget_log_forget_id_seq IS
'Numbers the erasures';

CREATE TABLE cu_forgotten (
	source_id   int NOT NULL REFERENCES cu_sources ON DELETE CASCADE,
	record_id   text NOT NULL,
	forget_id   bigint NOT NULL REFERENCES cu_forget_log,
	PRIMARY KEY (source_id, record_id)
);
COMMENT ON TABLE cu_forgotten IS
'The masked source rows of forgotten customers: cu_load_records never stages them and real time never resolves them again';

SELECT pg_catalog.pg_extension_config_dump('cu_forget_rules', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('cu_forget_log', '');
SELECT pg_catalog.pg_extension_config_dump('cu_forget_log_forget_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cu_forgotten', '');

CREATE FUNCTION cu_set_forget(source regclass, action text) RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	n_src       int;
	n_int       int;
BEGIN
	IF action IS NULL OR action NOT IN ('mask', 'erase', 'delete') THEN
		RAISE EXCEPTION 'action must be mask or delete (a source), erase or delete (an interaction source), got %',
			coalesce(quote_literal(action), 'NULL') USING ERRCODE = 'invalid_parameter_value';
	END IF;
	UPDATE @extschema@.cu_sources s SET forget = action
	WHERE s.source = cu_set_forget.source AND action IN ('mask', 'delete');
	GET DIAGNOSTICS n_src = ROW_COUNT;
	UPDATE @extschema@.cu_interaction_sources i SET forget = action
	WHERE i.source = cu_set_forget.source AND action IN ('erase', 'delete');
	GET DIAGNOSTICS n_int = ROW_COUNT;
	IF n_src + n_int = 0 THEN
		IF EXISTS (SELECT 1 FROM @extschema@.cu_sources s WHERE s.source = cu_set_forget.source)
		   OR EXISTS (SELECT 1 FROM @extschema@.cu_interaction_sources i WHERE i.source = cu_set_forget.source) THEN
			RAISE EXCEPTION 'action % does not apply to %: mask or delete for a source, erase or delete for an interaction source',
				action, source USING ERRCODE = 'invalid_parameter_value';
		END IF;
		RAISE EXCEPTION '% is neither a registered source nor an interaction source', source
			USING ERRCODE = 'undefined_object';
	END IF;
	RETURN jsonb_build_object('source', source::text, 'as_source', n_src > 0, 'as_interactions', n_int > 0,
	                          'action', action);
END
$$;
COMMENT ON FUNCTION cu_set_forget(regclass, text) IS
'Chooses what cu_forget does with a table''s rows of a forgotten customer: mask (default) or delete for a registered source, erase (default: the text set to NULL) or delete for an interaction source';

-- The value a masked column gets.
CREATE FUNCTION cu_forget_expression(rel regclass, col name, action text) RETURNS text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	att         record;
BEGIN
	SELECT a.attnotnull, t.typcategory = 'S' AS is_text INTO att
	FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
	WHERE a.attrelid = rel AND a.attname = col AND NOT a.attisdropped;
	IF action = 'mask' AND att.is_text OR action = 'null' AND att.attnotnull AND att.is_text THEN
		RETURN format('%I = %L', col, '(forgotten)');
	ELSIF att.attnotnull THEN
		RAISE EXCEPTION 'cannot clear column "%" of %: it is NOT NULL and not a text', col, rel
			USING ERRCODE = 'not_null_violation',
			      HINT = format('Delete the rows instead: SELECT cu_set_forget(%L, ''delete''); or keep this kind (cu_forget_rules).', rel);
	END IF;
	RETURN format('%I = NULL', col);
END
$$;
COMMENT ON FUNCTION cu_forget_expression(regclass, name, text) IS
'The SET clause cu_forget uses to clear a column: ''(forgotten)'' for a masked text (or a NOT NULL text), NULL otherwise; an error names a NOT NULL column that cannot be cleared (internal)';

CREATE FUNCTION cu_forget(customer_id bigint, reference text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	cid         bigint;
	fid         bigint;
	src         record;
	isrc        record;
	comp        record;
	ids         text[];
	sets        text;
	n           bigint;
	n_records   int := 0;
	n_inter     int := 0;
	done        jsonb := '{}';
BEGIN
	IF customer_id IS NULL THEN
		RAISE EXCEPTION 'customer_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- one erasure at a time for a customer; real time waits
	PERFORM @extschema@.cu_lock_customers(ARRAY[customer_id]);
	cid := @extschema@.cu_current_customer(customer_id);
	IF cid IS NULL THEN
		IF EXISTS (SELECT 1 FROM @extschema@.cu_forget_log l WHERE l.customer_id = cu_forget.customer_id) THEN
			RAISE EXCEPTION 'customer % was forgotten already (cu_forget_log)', customer_id USING ERRCODE = 'no_data_found';
		END IF;
		RAISE EXCEPTION 'customer % does not exist', customer_id USING ERRCODE = 'no_data_found';
	END IF;
	IF cid <> customer_id THEN
		PERFORM @extschema@.cu_lock_customers(ARRAY[cid]);
	END IF;

	INSERT INTO @extschema@.cu_forget_log (customer_id, records, interactions, actions, reference)
	VALUES (cid, 0, 0, '{}', reference) RETURNING forget_id INTO fid;

	CREATE TEMP TABLE cu_forget_records ON COMMIT DROP AS
	SELECT m.source, m.source_id AS record_id, s.source_id, s.forget, s.id_column
	FROM @extschema@.cu_identity_map m JOIN @extschema@.cu_sources s ON s.source = m.source
	WHERE m.customer_id = cid;
	SELECT count(*) INTO n_records FROM cu_forget_records;
	INSERT INTO @extschema@.cu_forgotten (source_id, record_id, forget_id)
	SELECT f.source_id, f.record_id, fid FROM cu_forget_records f WHERE f.forget = 'mask'
	ON CONFLICT DO NOTHING;

	-- 1. term frequencies of the model: the values only this customer bore.
	-- A value's count at training is its frequency over tf_default (one
	-- over the values counted); less this customer's records, under two, and
	-- the value is no longer shared (read before real time, deleting rows
	-- below, takes the staged records away)
	FOR comp IN SELECT c.attribute FROM @extschema@.cu_model_comparisons c WHERE c.tf AND c.tf_default > 0 LOOP
		EXECUTE format(
			'DELETE FROM @extschema@.cu_model_tf t
			 USING (SELECT %1$s AS v, count(*) AS n FROM @extschema@.cu_records r
			        JOIN cu_forget_records f ON f.source_id = r.source_id AND f.record_id = r.record_id
			        GROUP BY 1) x, @extschema@.cu_model_comparisons c
			 WHERE t.attribute = $1 AND c.attribute = $1 AND t.value = x.v
			   AND round(t.frequency / c.tf_default) - x.n < 2',
			@extschema@.cu_record_value_expression(comp.attribute))
		USING comp.attribute;
	END LOOP;

	-- 2. the interactions of its records: texts erased, or rows deleted
	FOR isrc IN
		SELECT i.*, r.source AS record_source
		FROM @extschema@.cu_interaction_sources i JOIN @extschema@.cu_sources r ON r.source_id = i.record_source_id
		ORDER BY i.interaction_source_id
	LOOP
		SELECT array_agg(f.record_id) INTO ids FROM cu_forget_records f WHERE f.source = isrc.record_source;
		CONTINUE WHEN ids IS NULL;
		IF isrc.forget = 'delete' THEN
			EXECUTE format('DELETE FROM %s WHERE %I = ANY ($1::%s[])', isrc.source, isrc.record_column,
			               format_type(@extschema@.cu_column_type(isrc.source, isrc.record_column), NULL)) USING ids;
		ELSIF isrc.text_column IS NOT NULL THEN
			EXECUTE format('UPDATE %s SET %s WHERE %I = ANY ($1::%s[])', isrc.source,
			               @extschema@.cu_forget_expression(isrc.source, isrc.text_column, 'null'), isrc.record_column,
			               format_type(@extschema@.cu_column_type(isrc.source, isrc.record_column), NULL)) USING ids;
		ELSE
			CONTINUE;
		END IF;
		GET DIAGNOSTICS n = ROW_COUNT;
		n_inter := n_inter + n;
		done := done || jsonb_build_object(isrc.source::text,
			jsonb_build_object(CASE isrc.forget WHEN 'delete' THEN 'deleted' ELSE 'erased' END, n));
	END LOOP;

	-- 3. the records in their sources: masked, or deleted
	FOR src IN SELECT DISTINCT f.source, f.source_id, f.forget, f.id_column FROM cu_forget_records f ORDER BY f.source_id LOOP
		SELECT array_agg(f.record_id) INTO ids FROM cu_forget_records f WHERE f.source_id = src.source_id;
		IF src.forget = 'delete' THEN
			EXECUTE format('DELETE FROM %s WHERE %I = ANY ($1::%s[])', src.source, src.id_column,
			               format_type(@extschema@.cu_column_type(src.source, src.id_column), NULL)) USING ids;
		ELSE
			SELECT string_agg(@extschema@.cu_forget_expression(src.source, a.column_name, coalesce(r.action, 'null')), ', '
			                  ORDER BY a.attribute)
			INTO sets
			FROM @extschema@.cu_source_attributes a LEFT JOIN @extschema@.cu_forget_rules r ON r.kind = a.attribute
			WHERE a.source_id = src.source_id AND coalesce(r.action, 'null') <> 'keep';
			IF sets IS NULL THEN
				n := 0;
				done := done || jsonb_build_object(src.source::text, jsonb_build_object('masked', 0));
				CONTINUE;
			END IF;
			EXECUTE format('UPDATE %s SET %s WHERE %I = ANY ($1::%s[])', src.source, sets, src.id_column,
			               format_type(@extschema@.cu_column_type(src.source, src.id_column), NULL)) USING ids;
		END IF;
		GET DIAGNOSTICS n = ROW_COUNT;
		done := done || jsonb_build_object(src.source::text,
			coalesce(done -> src.source::text, '{}')
			|| jsonb_build_object(CASE src.forget WHEN 'delete' THEN 'deleted' ELSE 'masked' END, n));
	END LOOP;

	-- 4. the staged records, the identity map, pairs and decisions, the 360 row
	DELETE FROM @extschema@.cu_records r USING cu_forget_records f
	WHERE r.source_id = f.source_id AND r.record_id = f.record_id;
	DELETE FROM @extschema@.cu_identity_map m USING cu_forget_records f
	WHERE m.source = f.source AND m.source_id = f.record_id;
	DELETE FROM @extschema@.cu_review_queue q USING cu_forget_records f
	WHERE (q.source_a = f.source AND q.id_a = f.record_id) OR (q.source_b = f.source AND q.id_b = f.record_id);
	DELETE FROM @extschema@.cu_decisions d USING cu_forget_records f
	WHERE (d.source_a = f.source AND d.id_a = f.record_id) OR (d.source_b = f.source AND d.id_b = f.record_id);
	UPDATE @extschema@.cu_merge_log l SET detail = NULL
	WHERE (l.customer_id = cid OR l.other_customer_id = cid) AND l.detail IS NOT NULL;
	DELETE FROM @extschema@.cu_customer_summary s WHERE s.customer_id = cid;
	-- (the work tables of the last run hold copies of the records)
	PERFORM @extschema@.cu_drop_work_tables();
	INSERT INTO @extschema@.cu_merge_log (action, customer_id, records, detail)
	VALUES ('retire', cid, n_records, jsonb_build_object('forget_id', fid));

	UPDATE @extschema@.cu_forget_log l SET records = n_records, interactions = n_inter, actions = done
	WHERE l.forget_id = fid;
	DROP TABLE cu_forget_records;
	RETURN jsonb_build_object('forget_id', fid, 'customer_id', cid, 'records', n_records, 'interactions', n_inter,
	                          'actions', done);
END
$$;
COMMENT ON FUNCTION cu_forget(bigint, text) IS
'Forgets a customer everywhere, in one transaction: the rows of every registered source masked (by cu_forget_rules) or deleted, the feedback texts of its interactions erased or deleted (cu_set_forget), and every derived table cleaned (staged records, identity map, review queue, decisions, merge log details, term frequencies of values only it bore, the 360 row, the work tables); masked rows are never staged again; leaves an entry without personal data in cu_forget_log (reference: your request''s reference, not personal data) and returns it';
