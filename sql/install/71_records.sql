
-- ---------------------------------------------------------------------------
-- Resolution, step 2: the records of every source, normalised once into one
-- table that blocking and comparison read.
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_parse_date(text) RETURNS date
	AS 'MODULE_PATHNAME', 'cu_parse_date'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_parse_date(text) IS
'The date written in a text (YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, DD.MM.YYYY, DD-MM-YYYY), or NULL when it is not a valid date: never an error';

CREATE TABLE cu_records (
	record_key  bigserial CONSTRAINT cu_records_pkey PRIMARY KEY,
	source_id   int NOT NULL CONSTRAINT cu_records_source_id_fkey REFERENCES cu_sources ON DELETE CASCADE,
	record_id   text NOT NULL,
	given_name  text,
	surname     text,
	full_name   text,
	email       text,
	phone       text,
	birth_date  date,
	address     text,
	postcode    text,
	city        text,
	country     text,
	gender      text,
	national_id text,
	extra       jsonb NOT NULL DEFAULT '{}',
	CONSTRAINT cu_records_source_id_record_id_key UNIQUE (source_id, record_id)
);
COMMENT ON TABLE cu_records IS
'The records of all sources in normalised form (names through cu_normalize_name, e-mails and phones canonical, dates parsed, custom attributes in extra); derived data, rebuilt by cu_load_records';
COMMENT ON SEQUENCE cu_records_record_key_seq IS
'Numbers the staged records';

-- The SQL expression that normalises a column for an attribute.
CREATE FUNCTION cu_attribute_expression(attribute text, comparator text, col text, col_type regtype, phone_region text)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT CASE
		WHEN attribute = 'email' THEN format('@extschema@.cu_normalize_email(%s::text)', col)
		WHEN attribute = 'phone' THEN format('@extschema@.cu_normalize_phone(%s::text, %L)', col, phone_region)
		WHEN attribute IN ('postcode', 'national_id') THEN format('nullif(replace(@extschema@.cu_fold(%s::text), '' '', ''''), '''')', col)
		WHEN comparator = 'name' THEN format('nullif(@extschema@.cu_normalize_name(%s::text), '''')', col)
		WHEN comparator = 'text' THEN format('nullif(@extschema@.cu_fold(%s::text), '''')', col)
		WHEN comparator = 'date' AND col_type IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype)
			THEN format('%s::date', col)
		WHEN comparator = 'date' THEN format('@extschema@.cu_parse_date(%s::text)', col)
		WHEN comparator = 'number' THEN format('%s::numeric', col)
		ELSE format('nullif(btrim(%s::text), '''')', col)
	END
$$;
COMMENT ON FUNCTION cu_attribute_expression(text, text, text, regtype, text) IS
'The SQL expression cu_load_records uses to normalise a column for an attribute (internal)';

-- The text of an attribute in a cu_records row "r": its column, or its key in
-- extra for a custom attribute.
CREATE FUNCTION cu_record_value_expression(attribute text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT CASE WHEN attribute IN ('given_name', 'surname', 'full_name', 'email', 'phone', 'address',
	                               'postcode', 'city', 'country', 'gender', 'national_id')
	            THEN format('r.%I::text', attribute)
	            ELSE format('r.extra ->> %L', attribute) END
$$;
COMMENT ON FUNCTION cu_record_value_expression(text) IS
'The SQL expression of an attribute''s value, as text, in a cu_records row aliased r: its column or its key in extra (internal: term frequencies in cu_train and cu_forget)';

-- The SELECT that reads one source as rows of cu_records (without
-- record_key): every attribute normalised, the whole name made from its parts
-- where the source keeps them apart, custom attributes in extra.
CREATE FUNCTION cu_source_query(source_id int, from_clause text DEFAULT NULL) RETURNS text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	src         record;
	attr        record;
	exprs       jsonb := '{}';
	extras      text[] := ARRAY[]::text[];
	fixed       text[] := ARRAY['given_name', 'surname', 'full_name', 'email', 'phone', 'birth_date',
	                            'address', 'postcode', 'city', 'country', 'gender', 'national_id'];
	cols        text[];
BEGIN
	SELECT * INTO src FROM @extschema@.cu_sources s WHERE s.source_id = cu_source_query.source_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'source % is not registered', source_id USING ERRCODE = 'undefined_object';
	END IF;
	FOR attr IN
		SELECT a.attribute, a.comparator, a.column_name, t.atttypid::regtype AS col_type
		FROM @extschema@.cu_source_attributes a
		LEFT JOIN pg_attribute t ON t.attrelid = src.source AND t.attname = a.column_name AND NOT t.attisdropped
		WHERE a.source_id = src.source_id ORDER BY a.attribute
	LOOP
		IF attr.col_type IS NULL THEN
			RAISE EXCEPTION 'source % has no column "%" for attribute "%" any more', src.source, attr.column_name, attr.attribute
				USING ERRCODE = 'undefined_column', HINT = 'Register the source again (cu_remove_source, cu_add_source).';
		END IF;
		IF attr.attribute = ANY (fixed) THEN
			exprs := exprs || jsonb_build_object(attr.attribute,
				@extschema@.cu_attribute_expression(attr.attribute, attr.comparator,
					format('%I', attr.column_name), attr.col_type, src.phone_region));
		ELSE
			extras := extras || format('%L, %s', attr.attribute,
				@extschema@.cu_attribute_expression(attr.attribute, attr.comparator,
					format('%I', attr.column_name), attr.col_type, src.phone_region));
		END IF;
	END LOOP;
	-- a whole name for every record that has its parts, so that sources with
	-- first and last names apart compare with those that keep one name
	IF NOT exprs ? 'full_name' AND (exprs ? 'given_name' OR exprs ? 'surname') THEN
		exprs := exprs || jsonb_build_object('full_name', format('nullif(concat_ws(%L, %s, %s), %L)', ' ',
			coalesce(exprs ->> 'given_name', 'NULL'), coalesce(exprs ->> 'surname', 'NULL'), ''));
	END IF;
	cols := ARRAY[src.source_id::text, format('%I::text', src.id_column)];
	cols := cols || ARRAY(SELECT coalesce(exprs ->> f, CASE f WHEN 'birth_date' THEN 'NULL::date' ELSE 'NULL::text' END)
	                      FROM unnest(fixed) WITH ORDINALITY AS u(f, i) ORDER BY i);
	cols := cols || CASE WHEN cardinality(extras) > 0
		THEN format('jsonb_strip_nulls(jsonb_build_object(%s))', array_to_string(extras, ', '))
		ELSE '''{}''::jsonb' END;
	RETURN format('SELECT %s FROM %s', array_to_string(cols, ', '), coalesce(from_clause, src.source::text));
END
$$;
COMMENT ON FUNCTION cu_source_query(int, text) IS
'The SELECT reading a registered source as cu_records rows (all columns but record_key), normalising each attribute; from_clause replaces the source table (real-time staging reads the trigger''s row) (internal)';

CREATE FUNCTION cu_load_records() RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	src         record;
	n           bigint;
	stats       jsonb := '{}';
	bulk        boolean := false;
BEGIN
	-- a bulk load: the indexes are built and the foreign key checked once at
	-- the end rather than row by row (half the time on a million records),
	-- unless a query of this session is reading cu_records
	BEGIN
		TRUNCATE @extschema@.cu_records;
		ALTER TABLE @extschema@.cu_records DROP CONSTRAINT cu_records_pkey,
			DROP CONSTRAINT cu_records_source_id_record_id_key, DROP CONSTRAINT cu_records_source_id_fkey;
		-- (and the search indexes)
		DROP INDEX IF EXISTS @extschema@.cu_records_keys, @extschema@.cu_records_name;
		bulk := true;
	EXCEPTION WHEN object_in_use THEN
		DELETE FROM @extschema@.cu_records;
	END;
	-- (never the records of forgotten customers, left masked in their source)
	FOR src IN SELECT * FROM @extschema@.cu_sources ORDER BY source_id LOOP
		EXECUTE 'INSERT INTO @extschema@.cu_records (source_id, record_id, given_name, surname, full_name, email, phone,
			birth_date, address, postcode, city, country, gender, national_id, extra) SELECT q.* FROM ('
			|| @extschema@.cu_source_query(src.source_id)
			|| ') AS q (source_id, record_id, given_name, surname, full_name, email, phone, birth_date, address,
			          postcode, city, country, gender, national_id, extra)
			   WHERE NOT EXISTS (SELECT 1 FROM @extschema@.cu_forgotten f
			                     WHERE f.source_id = q.source_id AND f.record_id = q.record_id)';
		GET DIAGNOSTICS n = ROW_COUNT;
		stats := stats || jsonb_build_object(src.source::text, n);
	END LOOP;
	IF bulk THEN
		ALTER TABLE @extschema@.cu_records ADD CONSTRAINT cu_records_pkey PRIMARY KEY (record_key),
			ADD CONSTRAINT cu_records_source_id_record_id_key UNIQUE (source_id, record_id),
			ADD CONSTRAINT cu_records_source_id_fkey FOREIGN KEY (source_id) REFERENCES @extschema@.cu_sources ON DELETE CASCADE;
		PERFORM @extschema@.cu_create_keys_index();
	END IF;
	ANALYZE @extschema@.cu_records;
	RETURN jsonb_build_object('records', (SELECT count(*) FROM @extschema@.cu_records), 'by_source', stats);
END
$$;
COMMENT ON FUNCTION cu_load_records() IS
'Rebuilds cu_records from every registered source, normalising each attribute once (records of forgotten customers left out); returns the counts loaded per source';

-- One record of a source, normalised as cu_load_records would stage it, read
-- from the source now (used by cu_explain).
CREATE FUNCTION cu_stage_record(source regclass, id text) RETURNS cu_records
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	src         record;
	rec         @extschema@.cu_records;
	id_type     regtype;
BEGIN
	SELECT * INTO src FROM @extschema@.cu_sources s WHERE s.source = cu_stage_record.source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'source % is not registered', source
			USING ERRCODE = 'undefined_object', HINT = 'Register it with cu_add_source.';
	END IF;
	SELECT a.atttypid::regtype INTO id_type FROM pg_attribute a
	WHERE a.attrelid = src.source AND a.attname = src.id_column AND NOT a.attisdropped;
	BEGIN
		EXECUTE format('SELECT NULL::bigint, q.* FROM (%s WHERE %I = $1::%s) q',
		               @extschema@.cu_source_query(src.source_id), src.id_column, id_type)
			INTO rec USING id;
	EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format OR numeric_value_out_of_range THEN
		rec := NULL;
	END;
	IF rec.record_id IS NULL THEN
		RAISE EXCEPTION 'source % has no record with id "%"', source, id USING ERRCODE = 'no_data_found';
	END IF;
	RETURN rec;
END
$$;
COMMENT ON FUNCTION cu_stage_record(regclass, text) IS
'One record of a registered source, read now and normalised as cu_load_records stages it; an error names a missing source or id';
