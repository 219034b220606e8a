
-- ---------------------------------------------------------------------------
-- Golden records: survivorship.  Once records are linked, each customer gets
-- one best value per attribute, chosen by a rule (the most recent, the most
-- frequent, the most trusted source, ...) among the valid values: NULL,
-- empty values and placeholders never win, a malformed e-mail or phone only
-- when nothing better exists.  Every aggregate has an internal state with
-- combine, serialize and deserialize functions: parallel safe, and blind to
-- the order rows arrive in (ties are broken by the value).
-- ---------------------------------------------------------------------------

CREATE TABLE cu_placeholders (
	value   text PRIMARY KEY,
	builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE cu_placeholders IS
'Values that stand for no value (''N/A'', ''inconnu'', ''test@test.com'', ...): compared trimmed and in lower case, they never win a survivorship rule; add your own rows, builtin marks the shipped ones';
INSERT INTO cu_placeholders (value, builtin)
SELECT v, true FROM unnest(ARRAY[
	'n/a', 'na', 'n.a.', 'n.a', 'nan', 'none', 'null', 'nil', 'unknown', 'not known', 'not available',
	'not applicable', 'tbd', 'todo', 'test', 'testing', 'dummy', 'sample', 'example', 'xxx', 'no name',
	'noname', 'anonymous', 'anonyme', 'inconnu', 'inconnue', 'non renseigné', 'non renseigne', 'nr', 'néant',
	'neant', 'aucun', 'aucune', 'vide', 'sans', 'nc', 'n.c.', 'non communiqué', 'non communique', '?', '-',
	'.', '0', 'test@test.com', 'test@test.fr', 'test@example.com', 'a@a.com', 'a@a.fr', 'x@x.com',
	'noreply@noreply.com', 'no-reply@no-reply.com', 'email@email.com', 'mail@mail.com', 'nomail@nomail.com',
	'pas@demail.fr', 'aucun@aucun.fr', 'inconnu@inconnu.fr', '0000000000', '0123456789', '1234567890',
	'+33000000000', '+33600000000', '0600000000', '0100000000', '1970-01-01', '1900-01-01', '01/01/1900',
	'01/01/1970']) AS v;
SELECT pg_catalog.pg_extension_config_dump('cu_placeholders', 'WHERE NOT builtin');

-- Validity of one value.
CREATE FUNCTION cu_valid(value text, kind text DEFAULT 'text') RETURNS boolean
	AS 'MODULE_PATHNAME', 'cu_valid'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_valid(text, text) IS
'Whether a value is worth keeping for an attribute of a kind (text, name, email, phone or phone:XX): not empty, not one character repeated, not a placeholder of cu_placeholders, and for e-mails and phones accepted by cu_normalize_email or cu_normalize_phone';

-- Trust that decays with age.
CREATE FUNCTION cu_trust(base float8, at timestamptz, half_life interval) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_trust'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_trust(float8, timestamptz, interval) IS
'Trust of a value written at a time: base halved for every half_life of age, as of the start of the transaction';
CREATE FUNCTION cu_trust(base float8, at timestamptz, half_life interval, as_of timestamptz) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_trust'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_trust(float8, timestamptz, interval, timestamptz) IS
'Trust of a value written at a time: base halved for every half_life of age, as of as_of (the immutable twin)';
CREATE FUNCTION cu_trust_linear(base float8, at timestamptz, lifetime interval) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_trust_linear'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_trust_linear(float8, timestamptz, interval) IS
'Trust of a value written at a time: base falling in a straight line to zero over lifetime, as of the start of the transaction';
CREATE FUNCTION cu_trust_linear(base float8, at timestamptz, lifetime interval, as_of timestamptz) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_trust_linear'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_trust_linear(float8, timestamptz, interval, timestamptz) IS
'Trust of a value written at a time: base falling in a straight line to zero over lifetime, as of as_of (the immutable twin)';

-- The support functions shared by the "best value" aggregates.  Each
-- aggregate's SSPACE is its state's size in a hash table, as measured over a
-- million customers (EXPLAIN ANALYZE's memory, less count(*)'s): 144 bytes for
-- a best value, 432 for cu_most_frequent, 1.8 kB for cu_golden over five fields.
CREATE FUNCTION cu_pick_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_combine(internal, internal) IS
'Combine function of the survivorship aggregates: the better of two partial states (internal)';
CREATE FUNCTION cu_pick_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cu_pick_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_serialize(internal) IS
'Serialize function of the survivorship aggregates (internal)';
CREATE FUNCTION cu_pick_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_deserialize(bytea, internal) IS
'Deserialize function of the survivorship aggregates (internal)';

-- cu_most_recent(value, at [, kind])
CREATE FUNCTION cu_pick_recent_step(internal, anyelement, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_recent_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_recent_step(internal, anyelement, timestamptz, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_recent_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_final(internal, anyelement, timestamptz) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_pick_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_final(internal, anyelement, timestamptz, text) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_pick_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_recent_step(internal, anyelement, timestamptz) IS 'Transition function of cu_most_recent (internal)';
COMMENT ON FUNCTION cu_pick_recent_step(internal, anyelement, timestamptz, text) IS 'Transition function of cu_most_recent with a kind (internal)';
COMMENT ON FUNCTION cu_pick_final(internal, anyelement, timestamptz) IS 'Final function of the survivorship aggregates: the winning value (internal)';
COMMENT ON FUNCTION cu_pick_final(internal, anyelement, timestamptz, text) IS 'Final function of the survivorship aggregates: the winning value (internal)';
CREATE AGGREGATE cu_most_recent(value anyelement, at timestamptz) (
	SFUNC = cu_pick_recent_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_recent(anyelement, timestamptz) IS
'The valid value written last (a value without a time comes after any dated one; ties: the smallest value)';
CREATE AGGREGATE cu_most_recent(value anyelement, at timestamptz, kind text) (
	SFUNC = cu_pick_recent_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_recent(anyelement, timestamptz, text) IS
'The valid value of a kind (text, name, email, phone, phone:XX) written last; a malformed one only when no valid one exists';

-- cu_oldest(value, at [, kind])
CREATE FUNCTION cu_pick_oldest_step(internal, anyelement, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_oldest_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_oldest_step(internal, anyelement, timestamptz, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_oldest_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_oldest_step(internal, anyelement, timestamptz) IS 'Transition function of cu_oldest (internal)';
COMMENT ON FUNCTION cu_pick_oldest_step(internal, anyelement, timestamptz, text) IS 'Transition function of cu_oldest with a kind (internal)';
CREATE AGGREGATE cu_oldest(value anyelement, at timestamptz) (
	SFUNC = cu_pick_oldest_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_oldest(anyelement, timestamptz) IS
'The valid value written first (dated values before undated ones; ties: the smallest value)';
CREATE AGGREGATE cu_oldest(value anyelement, at timestamptz, kind text) (
	SFUNC = cu_pick_oldest_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_oldest(anyelement, timestamptz, text) IS
'The valid value of a kind written first';

-- cu_most_trusted(value, trust [, at [, kind]])
CREATE FUNCTION cu_pick_trusted_step(internal, anyelement, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_trusted_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_trusted_step(internal, anyelement, float8, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_trusted_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_trusted_step(internal, anyelement, float8, timestamptz, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_trusted_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_final(internal, anyelement, float8) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_pick_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_final(internal, anyelement, float8, timestamptz) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_pick_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_final(internal, anyelement, float8, timestamptz, text) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_pick_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_trusted_step(internal, anyelement, float8) IS 'Transition function of cu_most_trusted (internal)';
COMMENT ON FUNCTION cu_pick_trusted_step(internal, anyelement, float8, timestamptz) IS 'Transition function of cu_most_trusted with times (internal)';
COMMENT ON FUNCTION cu_pick_trusted_step(internal, anyelement, float8, timestamptz, text) IS 'Transition function of cu_most_trusted with times and a kind (internal)';
COMMENT ON FUNCTION cu_pick_final(internal, anyelement, float8) IS 'Final function of the survivorship aggregates: the winning value (internal)';
COMMENT ON FUNCTION cu_pick_final(internal, anyelement, float8, timestamptz) IS 'Final function of the survivorship aggregates: the winning value (internal)';
COMMENT ON FUNCTION cu_pick_final(internal, anyelement, float8, timestamptz, text) IS 'Final function of the survivorship aggregates: the winning value (internal)';
CREATE AGGREGATE cu_most_trusted(value anyelement, trust float8) (
	SFUNC = cu_pick_trusted_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_trusted(anyelement, float8) IS
'The valid value of the highest trust (a NULL trust is the lowest; ties: the smallest value)';
CREATE AGGREGATE cu_most_trusted(value anyelement, trust float8, at timestamptz) (
	SFUNC = cu_pick_trusted_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_trusted(anyelement, float8, timestamptz) IS
'The valid value of the highest trust, the most recent among equally trusted ones (pass cu_trust(...) to make trust decay with age)';
CREATE AGGREGATE cu_most_trusted(value anyelement, trust float8, at timestamptz, kind text) (
	SFUNC = cu_pick_trusted_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_trusted(anyelement, float8, timestamptz, text) IS
'The valid value of a kind of the highest trust, the most recent among equally trusted ones';

-- cu_longest(value [, kind]), cu_shortest(value [, kind])
CREATE FUNCTION cu_pick_longest_step(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_longest_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_longest_step(internal, text, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_longest_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_shortest_step(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_shortest_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_shortest_step(internal, text, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_shortest_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_text_final(internal) RETURNS text
	AS 'MODULE_PATHNAME', 'cu_pick_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_longest_step(internal, text) IS 'Transition function of cu_longest (internal)';
COMMENT ON FUNCTION cu_pick_longest_step(internal, text, text) IS 'Transition function of cu_longest with a kind (internal)';
COMMENT ON FUNCTION cu_pick_shortest_step(internal, text) IS 'Transition function of cu_shortest (internal)';
COMMENT ON FUNCTION cu_pick_shortest_step(internal, text, text) IS 'Transition function of cu_shortest with a kind (internal)';
COMMENT ON FUNCTION cu_pick_text_final(internal) IS 'Final function of cu_longest and cu_shortest (internal)';
CREATE AGGREGATE cu_longest(value text) (
	SFUNC = cu_pick_longest_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_text_final,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_longest(text) IS
'The valid value of the most characters (ties: the smallest value)';
CREATE AGGREGATE cu_longest(value text, kind text) (
	SFUNC = cu_pick_longest_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_text_final,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_longest(text, text) IS
'The valid value of a kind of the most characters';
CREATE AGGREGATE cu_shortest(value text) (
	SFUNC = cu_pick_shortest_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_text_final,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_shortest(text) IS
'The valid value of the fewest characters (ties: the smallest value)';
CREATE AGGREGATE cu_shortest(value text, kind text) (
	SFUNC = cu_pick_shortest_step, STYPE = internal, SSPACE = 144, FINALFUNC = cu_pick_text_final,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_shortest(text, text) IS
'The valid value of a kind of the fewest characters';

-- cu_most_complete(row [, at])
CREATE FUNCTION cu_pick_complete_step(internal, anyelement) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_complete_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_complete_step(internal, anyelement, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_pick_complete_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_pick_final(internal, anyelement) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_pick_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_pick_complete_step(internal, anyelement) IS 'Transition function of cu_most_complete (internal)';
COMMENT ON FUNCTION cu_pick_complete_step(internal, anyelement, timestamptz) IS 'Transition function of cu_most_complete with times (internal)';
COMMENT ON FUNCTION cu_pick_final(internal, anyelement) IS 'Final function of the survivorship aggregates: the winning value (internal)';
CREATE AGGREGATE cu_most_complete(rec anyelement) (
	SFUNC = cu_pick_complete_step, STYPE = internal, SSPACE = 160, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_complete(anyelement) IS
'The row with the most filled fields (not NULL, not empty, not a placeholder); ties: the smallest row';
CREATE AGGREGATE cu_most_complete(rec anyelement, at timestamptz) (
	SFUNC = cu_pick_complete_step, STYPE = internal, SSPACE = 160, FINALFUNC = cu_pick_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_pick_combine, SERIALFUNC = cu_pick_serialize, DESERIALFUNC = cu_pick_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_complete(anyelement, timestamptz) IS
'The row with the most filled fields, the most recent among equally complete ones';

-- cu_most_frequent(value [, at [, kind]])
CREATE FUNCTION cu_frequent_step(internal, anyelement) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_frequent_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_frequent_step(internal, anyelement, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_frequent_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_frequent_step(internal, anyelement, timestamptz, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_frequent_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_frequent_final(internal, anyelement) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_frequent_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_frequent_final(internal, anyelement, timestamptz) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_frequent_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_frequent_final(internal, anyelement, timestamptz, text) RETURNS anyelement
	AS 'MODULE_PATHNAME', 'cu_frequent_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_frequent_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_frequent_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_frequent_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cu_frequent_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cu_frequent_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_frequent_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_frequent_step(internal, anyelement) IS 'Transition function of cu_most_frequent (internal)';
COMMENT ON FUNCTION cu_frequent_step(internal, anyelement, timestamptz) IS 'Transition function of cu_most_frequent with times (internal)';
COMMENT ON FUNCTION cu_frequent_step(internal, anyelement, timestamptz, text) IS 'Transition function of cu_most_frequent with times and a kind (internal)';
COMMENT ON FUNCTION cu_frequent_final(internal, anyelement) IS 'Final function of cu_most_frequent (internal)';
COMMENT ON FUNCTION cu_frequent_final(internal, anyelement, timestamptz) IS 'Final function of cu_most_frequent (internal)';
COMMENT ON FUNCTION cu_frequent_final(internal, anyelement, timestamptz, text) IS 'Final function of cu_most_frequent (internal)';
COMMENT ON FUNCTION cu_frequent_combine(internal, internal) IS 'Combine function of cu_most_frequent: the counts of both states (internal)';
COMMENT ON FUNCTION cu_frequent_serialize(internal) IS 'Serialize function of cu_most_frequent (internal)';
COMMENT ON FUNCTION cu_frequent_deserialize(bytea, internal) IS 'Deserialize function of cu_most_frequent (internal)';
CREATE AGGREGATE cu_most_frequent(value anyelement) (
	SFUNC = cu_frequent_step, STYPE = internal, SSPACE = 432, FINALFUNC = cu_frequent_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_frequent_combine, SERIALFUNC = cu_frequent_serialize, DESERIALFUNC = cu_frequent_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_frequent(anyelement) IS
'The valid value held by the most rows (equal values: equal as stored); ties: the smallest value';
CREATE AGGREGATE cu_most_frequent(value anyelement, at timestamptz) (
	SFUNC = cu_frequent_step, STYPE = internal, SSPACE = 432, FINALFUNC = cu_frequent_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_frequent_combine, SERIALFUNC = cu_frequent_serialize, DESERIALFUNC = cu_frequent_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_frequent(anyelement, timestamptz) IS
'The valid value held by the most rows; ties: the value seen most recently, then the smallest value';
CREATE AGGREGATE cu_most_frequent(value anyelement, at timestamptz, kind text) (
	SFUNC = cu_frequent_step, STYPE = internal, SSPACE = 432, FINALFUNC = cu_frequent_final, FINALFUNC_EXTRA,
	COMBINEFUNC = cu_frequent_combine, SERIALFUNC = cu_frequent_serialize, DESERIALFUNC = cu_frequent_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_most_frequent(anyelement, timestamptz, text) IS
'The valid value of a kind held by the most rows; ties: the most recent, then the smallest value';

-- cu_golden(attrs, source, at [, rules]): whole records merged field by field.
CREATE FUNCTION cu_golden_step(internal, jsonb, text, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_golden_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_golden_step(internal, jsonb, text, timestamptz, jsonb) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_golden_step' LANGUAGE C STABLE PARALLEL SAFE;  -- trust decays with the transaction's time
CREATE FUNCTION cu_golden_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_golden_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_golden_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'cu_golden_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cu_golden_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_golden_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cu_golden_final(internal) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'cu_golden_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_golden_step(internal, jsonb, text, timestamptz) IS 'Transition function of cu_golden (internal)';
COMMENT ON FUNCTION cu_golden_step(internal, jsonb, text, timestamptz, jsonb) IS 'Transition function of cu_golden with rules (internal)';
COMMENT ON FUNCTION cu_golden_combine(internal, internal) IS 'Combine function of cu_golden (internal)';
COMMENT ON FUNCTION cu_golden_serialize(internal) IS 'Serialize function of cu_golden (internal)';
COMMENT ON FUNCTION cu_golden_deserialize(bytea, internal) IS 'Deserialize function of cu_golden (internal)';
COMMENT ON FUNCTION cu_golden_final(internal) IS 'Final function of cu_golden: the winners and their lineage (internal)';
CREATE AGGREGATE cu_golden(attrs jsonb, source text, at timestamptz) (
	SFUNC = cu_golden_step, STYPE = internal, SSPACE = 1792, FINALFUNC = cu_golden_final,
	COMBINEFUNC = cu_golden_combine, SERIALFUNC = cu_golden_serialize, DESERIALFUNC = cu_golden_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_golden(jsonb, text, timestamptz) IS
'The golden record of the records aggregated (attributes as JSON objects, their source and time), field by field with the default rule of each field''s kind, with "_lineage": for each field the source, record ("_id" of the attributes), time and rule that made it win';
CREATE AGGREGATE cu_golden(attrs jsonb, source text, at timestamptz, rules jsonb) (
	SFUNC = cu_golden_step, STYPE = internal, SSPACE = 1792, FINALFUNC = cu_golden_final,
	COMBINEFUNC = cu_golden_combine, SERIALFUNC = cu_golden_serialize, DESERIALFUNC = cu_golden_deserialize,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_golden(jsonb, text, timestamptz, jsonb) IS
'The golden record with rules: {"field": "rule" or {"rule": ..., "kind": ...}, "_trust": {"source": trust}, "_half_life": "365 days", "_groups": [["address", "postcode", "city"]]}';

-- The records of every registered source, as cu_golden reads them.  The
-- record is found by its id in the source's own type, so that the source's
-- index on its id serves the look-up of one customer.
CREATE FUNCTION cu_golden_rows(customer bigint DEFAULT NULL, customers bigint[] DEFAULT NULL)
	RETURNS TABLE (customer_id bigint, attrs jsonb, source text, at timestamptz)
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	q           text;
	wanted      bigint[] := CASE WHEN customer IS NOT NULL THEN ARRAY[customer] || coalesce(customers, '{}')
	                             ELSE customers END;
BEGIN
	SELECT string_agg(format(
		'SELECT m.customer_id, jsonb_build_object(''_id'', src.%1$I::text%2$s), %3$L::text, %4$s '
		'FROM %5$s src JOIN @extschema@.cu_identity_map m ON m.source = %6$s AND src.%1$I = m.source_id::%7$s%8$s',
		s.id_column,
		(SELECT coalesce(string_agg(format(', %L, src.%I', a.attribute, a.column_name), '' ORDER BY a.attribute), '')
		 FROM @extschema@.cu_source_attributes a WHERE a.source_id = s.source_id),
		s.source::text,
		CASE WHEN s.updated_at_column IS NULL THEN 'NULL::timestamptz'
		     ELSE format('src.%I::timestamptz', s.updated_at_column) END,
		s.source, s.source::oid || '::regclass',
		(SELECT format_type(t.atttypid, t.atttypmod) FROM pg_attribute t
		 WHERE t.attrelid = s.source AND t.attname = s.id_column AND NOT t.attisdropped),
		CASE WHEN wanted IS NULL THEN '' ELSE ' WHERE m.customer_id = ANY ($1)' END), ' UNION ALL ')
	INTO q FROM @extschema@.cu_sources s;
	IF q IS NOT NULL THEN
		RETURN QUERY EXECUTE q USING wanted;
	END IF;
END
$$;
COMMENT ON FUNCTION cu_golden_rows(bigint, bigint[]) IS
'Every record of the registered sources with its customer (or those of one customer, or of an array of customers): attributes as registered, in their original form, plus "_id"; the source; the time of its updated_at column if registered';

-- The default rules, with the trust of each source.
CREATE FUNCTION cu_golden_rules() RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT jsonb_build_object('_trust', coalesce(jsonb_object_agg(s.source::text, s.trust), '{}'))
	FROM @extschema@.cu_sources s
$$;
COMMENT ON FUNCTION cu_golden_rules() IS
'The rules cu_golden_customers applies: the default rule of each field''s kind, and the trust of each registered source (cu_add_source''s trust)';

-- The golden record of one customer.
CREATE FUNCTION cu_golden_customer(customer_id bigint) RETURNS jsonb
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT @extschema@.cu_golden(r.attrs, r.source, r.at, (SELECT @extschema@.cu_golden_rules()))
	FROM @extschema@.cu_golden_rows(customer_id) r
$$;
COMMENT ON FUNCTION cu_golden_customer(bigint) IS
'The golden record of one customer, with lineage, by the default rules and the sources'' trust';

CREATE VIEW cu_golden_customers AS
SELECT g.customer_id, g.records, g.sources,
       g.golden ->> 'given_name' AS given_name,
       g.golden ->> 'surname' AS surname,
       g.golden ->> 'full_name' AS full_name,
       g.golden ->> 'email' AS email,
       g.golden ->> 'phone' AS phone,
       g.golden ->> 'birth_date' AS birth_date,
       g.golden ->> 'address' AS address,
       g.golden ->> 'postcode' AS postcode,
       g.golden ->> 'city' AS city,
       g.golden ->> 'country' AS country,
       g.last_updated,
       g.golden
FROM (SELECT r.customer_id, count(*) AS records, count(DISTINCT r.source) AS sources, max(r.at) AS last_updated,
             cu_golden(r.attrs, r.source, r.at, (SELECT cu_golden_rules())) AS golden
      FROM cu_golden_rows() r
      GROUP BY r.customer_id) g;
COMMENT ON VIEW cu_golden_customers IS
'One row per customer for BI tools: the golden value of each known attribute (default rules, sources'' trust), the number of records and sources, the latest update, and the whole golden record with its lineage';
