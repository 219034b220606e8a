
-- ---------------------------------------------------------------------------
-- Fuzzy name search with an index: cu_name_score, its operators, and the
-- GIN operator class (the GiST one follows)
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_name_score(text, text) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_name_score'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_score(text, text) IS
'Indexable similarity of two names in [0, 1]: the weighted share of their keys (word trigrams, French and English phonetic codes, initials, nicknames)';

CREATE FUNCTION cu_name_distance(text, text) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_name_distance'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_distance(text, text) IS
'1 - cu_name_score: the function of the <~> operator';

-- STABLE: reads the setting customer_unify.name_threshold
CREATE FUNCTION cu_name_matches(text, text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cu_name_matches'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_matches(text, text) IS
'True when the names share a key and cu_name_score reaches customer_unify.name_threshold: the function of the %% operator';

CREATE TYPE cu_name_query AS (name text, threshold float8);
COMMENT ON TYPE cu_name_query IS
'A name to search for with its own threshold: the right operand of %%>, which cu_name_match becomes in an index condition';

CREATE FUNCTION cu_name_matches_query(text, cu_name_query) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cu_name_matches_query'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_matches_query(text, cu_name_query) IS
'True when the name matches the query at the query''s own threshold: the function of the %%> operator';

CREATE FUNCTION cu_name_match_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_match_support'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_match_support(internal) IS
'Planner support of cu_name_match: turns cu_name_match(column, query, threshold) into an index condition column %%> (query, threshold)';

CREATE FUNCTION cu_name_match(text, text, threshold float8) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cu_name_match'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	SUPPORT cu_name_match_support;
COMMENT ON FUNCTION cu_name_match(text, text, float8) IS
'The %% test with the threshold as an argument (for distributed engines, which do not ship settings): the names share a key and cu_name_score >= threshold; uses a cu_name_gin_ops or cu_name_gist_ops index';

CREATE OPERATOR %% (
	LEFTARG = text, RIGHTARG = text, PROCEDURE = cu_name_matches,
	COMMUTATOR = %%, RESTRICT = matchingsel, JOIN = matchingjoinsel
);
COMMENT ON OPERATOR %% (text, text) IS
'Fuzzy name match: cu_name_score reaches customer_unify.name_threshold (indexable with cu_name_gin_ops and cu_name_gist_ops)';

CREATE OPERATOR <~> (
	LEFTARG = text, RIGHTARG = text, PROCEDURE = cu_name_distance,
	COMMUTATOR = <~>
);
COMMENT ON OPERATOR <~> (text, text) IS
'Name distance 1 - cu_name_score, for ORDER BY name <~> ''query'' LIMIT k (indexable with cu_name_gist_ops)';

CREATE OPERATOR %%> (
	LEFTARG = text, RIGHTARG = cu_name_query, PROCEDURE = cu_name_matches_query,
	RESTRICT = matchingsel, JOIN = matchingjoinsel
);
COMMENT ON OPERATOR %%> (text, cu_name_query) IS
'Fuzzy name match at the query''s own threshold: what cu_name_match(column, query, threshold) becomes in an index condition';

CREATE FUNCTION cu_name_gin_extract_value(text, internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_gin_extract_value'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gin_extract_value(text, internal, internal) IS
'GIN support: the keys of an indexed name';

CREATE FUNCTION cu_name_gin_extract_query(text, internal, int2, internal, internal, internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_gin_extract_query'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gin_extract_query(text, internal, int2, internal, internal, internal, internal) IS
'GIN support: the keys of a query name, with its threshold';

CREATE FUNCTION cu_name_gin_consistent(internal, int2, text, int4, internal, internal, internal, internal) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cu_name_gin_consistent'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gin_consistent(internal, int2, text, int4, internal, internal, internal, internal) IS
'GIN support: can a name holding these query keys reach the threshold (upper bound, rechecked)';

CREATE FUNCTION cu_name_gin_triconsistent(internal, int2, text, int4, internal, internal, internal) RETURNS "char"
	AS 'MODULE_PATHNAME', 'cu_name_gin_triconsistent'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gin_triconsistent(internal, int2, text, int4, internal, internal, internal) IS
'GIN support: the ternary form of cu_name_gin_consistent';

CREATE OPERATOR CLASS cu_name_gin_ops FOR TYPE text USING gin AS
	OPERATOR 1 %% (text, text),
	OPERATOR 3 %%> (text, cu_name_query),
	FUNCTION 1 btint4cmp (int4, int4),
	FUNCTION 2 cu_name_gin_extract_value (text, internal, internal),
	FUNCTION 3 cu_name_gin_extract_query (text, internal, int2, internal, internal, internal, internal),
	FUNCTION 4 cu_name_gin_consistent (internal, int2, text, int4, internal, internal, internal, internal),
	FUNCTION 6 cu_name_gin_triconsistent (internal, int2, text, int4, internal, internal, internal),
	STORAGE int4;
COMMENT ON OPERATOR CLASS cu_name_gin_ops USING gin IS
'GIN index of name keys for text %% text and cu_name_match: CREATE INDEX ON customers USING gin (name cu_name_gin_ops)';

CREATE FUNCTION cu_name_keys(text) RETURNS int4[]
	AS 'MODULE_PATHNAME', 'cu_name_keys'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_keys(text) IS
'The keys of a name as the name indexes store them (sorted): two names match through the keys they share';
COMMENT ON OPERATOR FAMILY cu_name_gin_ops USING gin IS
'The operator family of cu_name_gin_ops';
