
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
	record_key  bigserial PRIMARY KEY,
	source_id   int NOT NULL REFERENCES cu_sources ON DELETE CASCADE,
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
	UNIQUE (source_id, record_id)
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

CREATE FUNCTION cu_load_records() RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	src         record;
	attr        record;
	cols        text[];
	exprs       text[];
	extras      text[];
	n           bigint;
	stats       jsonb := '{}';
	fixed       text[] := ARRAY['given_name', 'surname', 'full_name', 'email', 'phone', 'birth_date',
	                            'address', 'postcode', 'city', 'country', 'gender', 'national_id'];
BEGIN
	DELETE FROM @extschema@.cu_records;
	FOR src IN SELECT * FROM @extschema@.cu_sources ORDER BY source_id LOOP
		cols := ARRAY['source_id', 'record_id'];
		exprs := ARRAY[src.source_id::text, format('%I::text', src.id_column)];
		extras := ARRAY[]::text[];
		FOR attr IN
			SELECT a.attribute, a.comparator, a.column_name, t.atttypid::regtype AS col_type
			FROM @extschema@.cu_source_attributes a
			JOIN pg_attribute t ON t.attrelid = src.source AND t.attname = a.column_name AND NOT t.attisdropped
			WHERE a.source_id = src.source_id ORDER BY a.attribute
		LOOP
			IF attr.attribute = ANY (fixed) THEN
				cols := cols || attr.attribute;
				exprs := exprs || @extschema@.cu_attribute_expression(attr.attribute, attr.comparator,
					format('%I', attr.column_name), attr.col_type, src.phone_region);
			ELSE
				extras := extras || format('%L, %s', attr.attribute,
					@extschema@.cu_attribute_expression(attr.attribute, attr.comparator,
						format('%I', attr.column_name), attr.col_type, src.phone_region));
			END IF;
		END LOOP;
		IF cardinality(extras) > 0 THEN
			cols := cols || 'extra'::text;
			exprs := exprs || format('jsonb_strip_nulls(jsonb_build_object(%s))', array_to_string(extras, ', '));
		END IF;
		EXECUTE format('INSERT INTO @extschema@.cu_records (%s) SELECT %s FROM %s',
		               array_to_string(cols, ', '), array_to_string(exprs, ', '), src.source);
		GET DIAGNOSTICS n = ROW_COUNT;
		stats := stats || jsonb_build_object(src.source::text, n);
	END LOOP;
	-- a whole name for every record that has its parts, so that sources with
	-- first and last names apart compare with those that keep one name
	UPDATE @extschema@.cu_records
	SET full_name = nullif(concat_ws(' ', given_name, surname), '')
	WHERE full_name IS NULL AND (given_name IS NOT NULL OR surname IS NOT NULL);
	RETURN jsonb_build_object('records', (SELECT count(*) FROM @extschema@.cu_records), 'by_source', stats);
END
$$;
COMMENT ON FUNCTION cu_load_records() IS
'Rebuilds cu_records from every registered source, normalising each attribute once; returns the counts loaded per source';
