
-- ---------------------------------------------------------------------------
-- Resolution, step 1: sources.  A source is a user table (or view) of
-- customer records from one silo; registering it says which column is its
-- unique id and which columns hold which identity attributes.
-- ---------------------------------------------------------------------------

-- The attribute kinds known out of the box, and the comparators a custom
-- attribute may use.
CREATE TABLE cu_attribute_kinds (
	kind        text PRIMARY KEY,
	comparator  text NOT NULL CHECK (comparator IN ('exact', 'name', 'text', 'date', 'number')),
	description text NOT NULL
);
COMMENT ON TABLE cu_attribute_kinds IS
'Identity attribute kinds known to customer_unify, each with its comparator (exact, name, text, date, number); a custom attribute names a comparator instead';
INSERT INTO cu_attribute_kinds VALUES
	('given_name',  'name',   'first name(s): folded, nicknames and initials understood'),
	('surname',     'name',   'family name: folded, particles dropped, phonetic keys'),
	('full_name',   'name',   'whole name in any word order'),
	('email',       'exact',  'e-mail address, compared in canonical form (cu_normalize_email)'),
	('phone',       'exact',  'phone number, compared in E.164 form (cu_normalize_phone)'),
	('birth_date',  'date',   'date of birth: exact, off by a typo, day and month swapped'),
	('address',     'text',   'street address: folded text'),
	('postcode',    'exact',  'postal code'),
	('city',        'name',   'city name: folded, phonetic'),
	('country',     'exact',  'country code or name'),
	('gender',      'exact',  'gender as recorded'),
	('national_id', 'exact',  'a national identifier (rarely present in a CRM)');

-- Attribute names refused at registration: the model never needs them, and
-- privacy rules forbid processing them without a reason.
CREATE TABLE cu_sensitive_attributes (
	pattern text PRIMARY KEY,
	builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE cu_sensitive_attributes IS
'Regular expressions (case-insensitive) of attribute and column names that cu_add_source refuses (political, religious, health, sexual orientation, ethnicity data) unless allow_sensitive is true; add your own rows, builtin marks the shipped ones';
INSERT INTO cu_sensitive_attributes (pattern, builtin)
SELECT p, true FROM unnest(ARRAY['relig', 'politi', 'health', 'sante', 'santé', 'medical', 'disease',
	'maladie', 'handicap', 'disab', 'sexual', 'orientation', 'ethni', '^race', 'union_member', 'syndic']) AS p;

CREATE TABLE cu_sources (
	source_id   serial PRIMARY KEY,
	source      regclass NOT NULL UNIQUE,
	id_column   name NOT NULL,
	trust       float8 NOT NULL DEFAULT 1.0 CHECK (trust > 0 AND trust <= 1),
	phone_region text NOT NULL DEFAULT 'FR',
	updated_at_column name,
	forget      text NOT NULL DEFAULT 'mask' CHECK (forget IN ('mask', 'delete')),
	added_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cu_sources IS
'Registered sources: one row per silo table or view, with its unique id column, the trust placed in it (used by golden records), the region its phone numbers are written in, the column telling when a row was last updated (golden records'' recency), if any, and what cu_forget does with the rows of a forgotten customer (mask: its attribute columns cleared by cu_forget_rules; delete: the rows deleted)';

CREATE TABLE cu_source_attributes (
	source_id   int NOT NULL REFERENCES cu_sources ON DELETE CASCADE,
	attribute   text NOT NULL,
	column_name name NOT NULL,
	comparator  text NOT NULL CHECK (comparator IN ('exact', 'name', 'text', 'date', 'number')),
	PRIMARY KEY (source_id, attribute)
);
COMMENT ON TABLE cu_source_attributes IS
'Which column of each source holds which identity attribute, and the comparator used for it';

COMMENT ON SEQUENCE cu_sources_source_id_seq IS
'Numbers the registered sources';

SELECT pg_catalog.pg_extension_config_dump('cu_sources', '');
SELECT pg_catalog.pg_extension_config_dump('cu_sources_source_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cu_source_attributes', '');
SELECT pg_catalog.pg_extension_config_dump('cu_sensitive_attributes', 'WHERE NOT builtin');

-- Type families a comparator accepts.
CREATE FUNCTION cu_comparator_accepts(comparator text, typ regtype) RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT CASE comparator
		WHEN 'exact' THEN true
		WHEN 'name' THEN t.typcategory = 'S'
		WHEN 'text' THEN t.typcategory = 'S'
		WHEN 'date' THEN typ IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) OR t.typcategory = 'S'
		WHEN 'number' THEN t.typcategory = 'N'
		ELSE false
	END
	FROM pg_type t WHERE t.oid = typ
$$;
COMMENT ON FUNCTION cu_comparator_accepts(text, regtype) IS
'Whether a column of this type can be compared with this comparator (names and texts: string types; dates: date, timestamp or a string; numbers: numeric types; exact: any type)';

CREATE FUNCTION cu_add_source(source regclass, id text, columns jsonb,
                              trust float8 DEFAULT 1.0, allow_sensitive boolean DEFAULT false,
                              phone_region text DEFAULT 'FR', updated_at text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rel         record;
	id_type     regtype;
	sid         int;
	attr        record;
	col         text;
	comp        text;
	col_type    regtype;
	n_rows      bigint;
	n_distinct  bigint;
	n_null_ids  bigint;
	summary     jsonb := '{}';
BEGIN
	SELECT c.relkind, c.relname INTO rel FROM pg_class c WHERE c.oid = source;
	IF rel.relkind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
		RAISE EXCEPTION 'source % is not a table or a view', source USING ERRCODE = 'wrong_object_type';
	END IF;
	IF EXISTS (SELECT 1 FROM @extschema@.cu_sources s WHERE s.source = cu_add_source.source) THEN
		RAISE EXCEPTION 'source % is already registered', source
			USING ERRCODE = 'duplicate_object', HINT = 'Remove it first with cu_remove_source.';
	END IF;
	IF columns IS NULL OR jsonb_typeof(columns) <> 'object' OR columns = '{}' THEN
		RAISE EXCEPTION 'columns must be a JSON object mapping attributes to columns, such as {"surname": "nom"}'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF trust IS NULL OR NOT (trust > 0 AND trust <= 1) THEN
		RAISE EXCEPTION 'trust must be in (0, 1], got %', trust USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- an unsupported phone region is an error naming it
	PERFORM @extschema@.cu_normalize_phone('0', phone_region);

	-- the id column: it exists, and its values are unique and not null
	SELECT a.atttypid::regtype INTO id_type
	FROM pg_attribute a WHERE a.attrelid = source AND a.attname = id AND a.attnum > 0 AND NOT a.attisdropped;
	IF id_type IS NULL THEN
		RAISE EXCEPTION 'source % has no column "%" for its id', source, id USING ERRCODE = 'undefined_column';
	END IF;
	EXECUTE format('SELECT count(*), count(DISTINCT %1$I), count(*) FILTER (WHERE %1$I IS NULL) FROM %2$s', id, source)
		INTO n_rows, n_distinct, n_null_ids;
	IF n_null_ids > 0 OR n_distinct <> n_rows - n_null_ids THEN
		RAISE EXCEPTION 'the id column "%" of source % is not a unique id: % rows, % distinct ids, % null ids',
			id, source, n_rows, n_distinct, n_null_ids
			USING ERRCODE = 'unique_violation', HINT = 'Register a column (or a view computing one) whose values are unique and not null.';
	END IF;

	-- the column of the last update: a date or a time
	IF updated_at IS NOT NULL THEN
		SELECT a.atttypid::regtype INTO col_type
		FROM pg_attribute a WHERE a.attrelid = source AND a.attname = updated_at AND a.attnum > 0 AND NOT a.attisdropped;
		IF col_type IS NULL THEN
			RAISE EXCEPTION 'source % has no column "%" for its update time', source, updated_at
				USING ERRCODE = 'undefined_column';
		END IF;
		IF col_type NOT IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) THEN
			RAISE EXCEPTION 'column "%" of source % has type %, not a date or a timestamp', updated_at, source, col_type
				USING ERRCODE = 'datatype_mismatch';
		END IF;
	END IF;

	INSERT INTO @extschema@.cu_sources (source, id_column, trust, phone_region, updated_at_column)
	VALUES (source, id, trust, upper(phone_region), updated_at) RETURNING source_id INTO sid;

	FOR attr IN SELECT key, value FROM jsonb_each(columns) LOOP
		IF attr.key !~ '^[a-z][a-z0-9_]*$' THEN
			RAISE EXCEPTION 'attribute name "%" must be lower-case letters, digits and underscores', attr.key
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF NOT allow_sensitive AND EXISTS (SELECT 1 FROM @extschema@.cu_sensitive_attributes s
		                                   WHERE attr.key ~* s.pattern OR (attr.value #>> '{}') ~* s.pattern
		                                      OR (attr.value ->> 'column') ~* s.pattern) THEN
			RAISE EXCEPTION 'attribute "%" looks like sensitive data, which customer_unify never needs', attr.key
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'Leave it out, or pass allow_sensitive => true if you have a lawful reason to match on it.';
		END IF;
		IF jsonb_typeof(attr.value) = 'string' THEN
			-- a known kind: {"surname": "nom"}
			col := attr.value #>> '{}';
			SELECT k.comparator INTO comp FROM @extschema@.cu_attribute_kinds k WHERE k.kind = attr.key;
			IF comp IS NULL THEN
				RAISE EXCEPTION 'unknown attribute kind "%"', attr.key
					USING ERRCODE = 'invalid_parameter_value',
					      HINT = 'Known kinds: ' || (SELECT string_agg(kind, ', ' ORDER BY kind) FROM @extschema@.cu_attribute_kinds)
					             || '. For another attribute, give {"column": ..., "comparator": "exact|name|text|date|number"}.';
			END IF;
		ELSIF jsonb_typeof(attr.value) = 'object' THEN
			-- a custom attribute: {"loyalty_no": {"column": "fidelite", "comparator": "exact"}}
			col := attr.value ->> 'column';
			comp := attr.value ->> 'comparator';
			IF col IS NULL OR comp IS NULL OR comp NOT IN ('exact', 'name', 'text', 'date', 'number') THEN
				RAISE EXCEPTION 'attribute "%" needs {"column": ..., "comparator": "exact|name|text|date|number"}', attr.key
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
		ELSE
			RAISE EXCEPTION 'attribute "%" must map to a column name or to {"column": ..., "comparator": ...}', attr.key
				USING ERRCODE = 'invalid_parameter_value';
		END IF;

		SELECT a.atttypid::regtype INTO col_type
		FROM pg_attribute a WHERE a.attrelid = source AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
		IF col_type IS NULL THEN
			RAISE EXCEPTION 'source % has no column "%" for attribute "%"', source, col, attr.key
				USING ERRCODE = 'undefined_column';
		END IF;
		IF NOT @extschema@.cu_comparator_accepts(comp, col_type) THEN
			RAISE EXCEPTION 'column "%" of source % has type %, which the % comparator of attribute "%" cannot compare',
				col, source, col_type, comp, attr.key USING ERRCODE = 'datatype_mismatch';
		END IF;
		INSERT INTO @extschema@.cu_source_attributes VALUES (sid, attr.key, col, comp);
		-- how filled the attribute is, for the user to see at once
		EXECUTE format('SELECT count(%I) FROM %s', col, source) INTO n_distinct;
		summary := summary || jsonb_build_object(attr.key, jsonb_build_object('column', col, 'comparator', comp,
			'filled', n_distinct));
	END LOOP;

	RETURN jsonb_build_object('source_id', sid, 'source', source::text, 'id', id, 'records', n_rows,
	                          'trust', trust, 'phone_region', upper(phone_region), 'updated_at', updated_at,
	                          'attributes', summary);
END
$$;
COMMENT ON FUNCTION cu_add_source(regclass, text, jsonb, float8, boolean, text, text) IS
'Registers a silo table or view as a source: its unique id column, which columns hold which attributes and optionally which tells when a row was updated, e.g. cu_add_source(''shop.customers'', id => ''customer_no'', columns => ''{"given_name": "prenom", "surname": "nom"}''); returns a summary with how filled each attribute is';

CREATE FUNCTION cu_remove_source(source regclass) RETURNS boolean
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	DELETE FROM @extschema@.cu_sources s WHERE s.source = cu_remove_source.source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'source % is not registered', source USING ERRCODE = 'undefined_object';
	END IF;
	RETURN true;
END
$$;
COMMENT ON FUNCTION cu_remove_source(regclass) IS
'Unregisters a source (its table is left untouched)';
