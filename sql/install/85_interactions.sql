
-- ---------------------------------------------------------------------------
-- Interactions: what customers did and said, across channels.  An
-- interaction source is a table of purchases, calls, orders, reviews or
-- chats whose rows point to a record of a registered source; through that
-- record's customer, every interaction reaches the right customer, whatever
-- silo it was written in.  A text column makes the rows feedback, scored by
-- cu_sentiment for the customer's mood.
-- ---------------------------------------------------------------------------

CREATE TABLE cu_interaction_sources (
	interaction_source_id serial PRIMARY KEY,
	source          regclass NOT NULL UNIQUE,
	record_source_id int NOT NULL REFERENCES cu_sources ON DELETE CASCADE,
	record_column   name NOT NULL,
	id_column       name NOT NULL,
	at_column       name NOT NULL,
	channel         text NOT NULL CHECK (channel <> ''),
	channel_column  name,
	text_column     name,
	lang_column     name,
	details         name[] NOT NULL DEFAULT '{}',
	forget          text NOT NULL DEFAULT 'erase' CHECK (forget IN ('erase', 'delete')),
	added_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cu_interaction_sources IS
'Registered interaction sources (cu_add_interactions): tables of purchases, calls, orders or messages whose rows point to a record of a registered source (record_column holds that record''s id), with their id, time, channel, optional feedback text and language, the columns a card shows, and what cu_forget does with the rows of a forgotten customer (erase: the text and details set to NULL; delete)';
COMMENT ON SEQUENCE cu_interaction_sources_interaction_source_id_seq IS
'Numbers the interaction sources';
SELECT pg_catalog.pg_extension_config_dump('cu_interaction_sources', '');
SELECT pg_catalog.pg_extension_config_dump('cu_interaction_sources_interaction_source_id_seq', '');

-- The type of a column of a relation, or NULL.
CREATE FUNCTION cu_column_type(rel regclass, col text) RETURNS regtype
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT a.atttypid::regtype FROM pg_attribute a
	WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped
$$;
COMMENT ON FUNCTION cu_column_type(regclass, text) IS
'The type of a column of a table or view, NULL when it has no such column (internal)';

CREATE FUNCTION cu_add_interactions(source regclass, records regclass, record_column text, at text,
                                    channel text, id text DEFAULT NULL, text_column text DEFAULT NULL,
                                    lang text DEFAULT NULL, channel_column text DEFAULT NULL,
                                    details text[] DEFAULT '{}', forget text DEFAULT 'erase')
	RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rel         record;
	rec_src     record;
	typ         regtype;
	id_col      text := id;
	col         text;
	n_rows      bigint;
	n_linked    bigint;
	indexed     boolean;
BEGIN
	SELECT c.relkind INTO rel FROM pg_class c WHERE c.oid = source;
	IF rel.relkind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
		RAISE EXCEPTION 'interaction source % is not a table or a view', source USING ERRCODE = 'wrong_object_type';
	END IF;
	IF EXISTS (SELECT 1 FROM @extschema@.cu_interaction_sources i WHERE i.source = cu_add_interactions.source) THEN
		RAISE EXCEPTION 'interaction source % is already registered', source
			USING ERRCODE = 'duplicate_object', HINT = 'Remove it first with cu_remove_interactions.';
	END IF;
	SELECT * INTO rec_src FROM @extschema@.cu_sources s WHERE s.source = records;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'source % of the records is not registered', records
			USING ERRCODE = 'undefined_object', HINT = 'Register it first with cu_add_source.';
	END IF;
	IF channel IS NULL OR btrim(channel) = '' THEN
		RAISE EXCEPTION 'channel must name the channel of these interactions, such as ''shop'' or ''call'''
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF forget IS NULL OR forget NOT IN ('erase', 'delete') THEN
		RAISE EXCEPTION 'forget must be ''erase'' or ''delete'', got %', coalesce(quote_literal(forget), 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	-- the id: the given column, else the single-column primary key
	IF id_col IS NULL THEN
		SELECT a.attname INTO id_col FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
		WHERE x.indrelid = source AND x.indisprimary AND x.indnatts = 1;
		IF id_col IS NULL THEN
			RAISE EXCEPTION 'interaction source % has no single-column primary key', source
				USING ERRCODE = 'invalid_parameter_value', HINT = 'Name its id column: id => ''...''.';
		END IF;
	END IF;
	FOREACH col IN ARRAY ARRAY[id_col, record_column, at] || ARRAY(SELECT c FROM unnest(ARRAY[text_column, lang, channel_column]) c WHERE c IS NOT NULL)
	                      || coalesce(details, '{}') LOOP
		IF col IS NULL OR @extschema@.cu_column_type(source, col) IS NULL THEN
			RAISE EXCEPTION 'interaction source % has no column "%"', source, col USING ERRCODE = 'undefined_column';
		END IF;
	END LOOP;
	typ := @extschema@.cu_column_type(source, at);
	IF typ NOT IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) THEN
		RAISE EXCEPTION 'column "%" of % has type %, not a date or a timestamp', at, source, typ
			USING ERRCODE = 'datatype_mismatch';
	END IF;
	FOREACH col IN ARRAY ARRAY(SELECT c FROM unnest(ARRAY[text_column, lang, channel_column]) c WHERE c IS NOT NULL) LOOP
		IF (SELECT t.typcategory FROM pg_type t WHERE t.oid = @extschema@.cu_column_type(source, col)) <> 'S' THEN
			RAISE EXCEPTION 'column "%" of % has type %, not a text', col, source, @extschema@.cu_column_type(source, col)
				USING ERRCODE = 'datatype_mismatch';
		END IF;
	END LOOP;
	-- the reference to the record: the type of the record's id, so that it can be looked up
	IF format_type(@extschema@.cu_column_type(source, record_column), NULL)
	   IS DISTINCT FROM format_type(@extschema@.cu_column_type(records, rec_src.id_column), NULL) THEN
		RAISE EXCEPTION 'column "%" of % has type %, but the id "%" of % has type %', record_column, source,
			@extschema@.cu_column_type(source, record_column), rec_src.id_column, records,
			@extschema@.cu_column_type(records, rec_src.id_column)
			USING ERRCODE = 'datatype_mismatch', HINT = 'Register a view casting the column to the type of the id.';
	END IF;

	INSERT INTO @extschema@.cu_interaction_sources (source, record_source_id, record_column, id_column, at_column,
		channel, channel_column, text_column, lang_column, details, forget)
	VALUES (source, rec_src.source_id, record_column, id_col, at, btrim(channel), channel_column, text_column, lang,
	        coalesce(details, '{}'), forget);

	EXECUTE format('SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM %s r WHERE r.%I = i.%I)) FROM %s i',
	               records, rec_src.id_column, record_column, source) INTO n_rows, n_linked;
	-- a card reads one customer's interactions through an index on the reference
	indexed := rel.relkind <> 'r' OR EXISTS (SELECT 1 FROM pg_index x JOIN pg_attribute a
	                                         ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
	                                         WHERE x.indrelid = source AND a.attname = record_column);
	IF NOT indexed THEN
		RAISE NOTICE 'no index of % starts with column "%": a customer card will read the whole table', source, record_column
			USING HINT = format('CREATE INDEX ON %s (%I);', source, record_column);
	END IF;
	RETURN jsonb_build_object('source', source::text, 'records', records::text, 'channel', btrim(channel),
	                          'interactions', n_rows, 'linked', n_linked, 'feedback', text_column IS NOT NULL,
	                          'indexed', indexed);
END
$$;
COMMENT ON FUNCTION cu_add_interactions(regclass, regclass, text, text, text, text, text, text, text, text[], text) IS
'Registers a table of interactions (purchases, calls, orders, messages): records => the registered source its rows point to, record_column => the column holding that record''s id, at => its time, channel => its channel; optionally id (default: the primary key), text_column (feedback text, scored for the mood), lang, channel_column (a per-row channel), details (columns a card shows) and forget (erase or delete); returns how many rows point to a known record';

CREATE FUNCTION cu_remove_interactions(source regclass) RETURNS boolean
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	DELETE FROM @extschema@.cu_interaction_sources i WHERE i.source = cu_remove_interactions.source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'interaction source % is not registered', source USING ERRCODE = 'undefined_object';
	END IF;
	RETURN true;
END
$$;
COMMENT ON FUNCTION cu_remove_interactions(regclass) IS
'Unregisters an interaction source (its table is left untouched)';

-- The interactions of customers, from every interaction source.
CREATE FUNCTION cu_interactions(customers bigint[] DEFAULT NULL, since timestamptz DEFAULT NULL,
                                feedback_only boolean DEFAULT false)
	RETURNS TABLE (customer_id bigint, at timestamptz, channel text, source regclass, interaction_id text,
	               record_source regclass, record_id text, body text, lang text, sentiment float8, details jsonb)
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	q           text;
BEGIN
	SELECT string_agg(format(
		'SELECT m.customer_id, i.%1$I::timestamptz, %2$s, %3$s, i.%4$I::text, %5$s, m.source_id, %6$s, %7$s, %8$s, %9$s '
		'FROM @extschema@.cu_identity_map m JOIN %10$s i ON i.%11$I = m.source_id::%12$s '
		'WHERE m.source = %5$s%13$s%14$s%15$s',
		s.at_column,
		CASE WHEN s.channel_column IS NULL THEN format('%L::text', s.channel)
		     ELSE format('coalesce(nullif(i.%I::text, %L), %L)', s.channel_column, '', s.channel) END,
		s.source::oid || '::regclass',
		s.id_column,
		r.source::oid || '::regclass',
		CASE WHEN s.text_column IS NULL THEN 'NULL::text' ELSE format('i.%I::text', s.text_column) END,
		CASE WHEN s.lang_column IS NULL THEN 'NULL::text' ELSE format('i.%I::text', s.lang_column) END,
		CASE WHEN s.text_column IS NULL THEN 'NULL::float8'
		     WHEN s.lang_column IS NULL THEN format('@extschema@.cu_sentiment(i.%I::text)', s.text_column)
		     ELSE format('@extschema@.cu_sentiment(i.%I::text, CASE WHEN i.%I::text IN (''fr'', ''en'') THEN i.%I::text END)',
		                 s.text_column, s.lang_column, s.lang_column) END,
		CASE WHEN cardinality(s.details) = 0 THEN 'NULL::jsonb'
		     ELSE format('nullif(jsonb_strip_nulls(jsonb_build_object(%s)), ''{}'')',
		                 (SELECT string_agg(format('%L, i.%I', d, d), ', ' ORDER BY o)
		                  FROM unnest(s.details) WITH ORDINALITY AS u(d, o))) END,
		s.source,
		s.record_column,
		(SELECT format_type(t.atttypid, t.atttypmod) FROM pg_attribute t
		 WHERE t.attrelid = s.source AND t.attname = s.record_column AND NOT t.attisdropped),
		CASE WHEN customers IS NULL THEN '' ELSE ' AND m.customer_id = ANY ($1)' END,
		CASE WHEN since IS NULL THEN '' ELSE format(' AND i.%I >= $2', s.at_column) END,
		CASE WHEN s.text_column IS NULL OR NOT feedback_only THEN '' ELSE format(' AND i.%I IS NOT NULL', s.text_column) END),
		' UNION ALL ' ORDER BY s.interaction_source_id)
	INTO q
	FROM @extschema@.cu_interaction_sources s JOIN @extschema@.cu_sources r ON r.source_id = s.record_source_id
	WHERE NOT feedback_only OR s.text_column IS NOT NULL;
	IF q IS NOT NULL THEN
		RETURN QUERY EXECUTE q USING customers, since;
	END IF;
END
$$;
COMMENT ON FUNCTION cu_interactions(bigint[], timestamptz, boolean) IS
'The interactions of the given customers (all when NULL), since a time if given, from every interaction source: customer, time, channel, source and id of the interaction, the record it points to, its feedback text, language and sentiment score (cu_sentiment), and the detail columns; feedback_only keeps the rows with a feedback text';
