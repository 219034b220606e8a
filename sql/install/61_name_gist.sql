
-- The GiST operator class: leaves hold a name's key array, inner entries a
-- signature of the keys below them (siglen bytes).

CREATE TYPE cu_name_gist_key;

CREATE FUNCTION cu_name_gist_key_in(cstring) RETURNS cu_name_gist_key
	AS 'MODULE_PATHNAME', 'cu_name_gist_key_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_key_in(cstring) IS
'Input of cu_name_gist_key: always an error (the type exists only inside cu_name_gist_ops indexes)';

CREATE FUNCTION cu_name_gist_key_out(cu_name_gist_key) RETURNS cstring
	AS 'MODULE_PATHNAME', 'cu_name_gist_key_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_key_out(cu_name_gist_key) IS
'Output of cu_name_gist_key: a short description (number of keys, or signature size and bits set)';

CREATE TYPE cu_name_gist_key (
	INTERNALLENGTH = -1,
	INPUT = cu_name_gist_key_in,
	OUTPUT = cu_name_gist_key_out,
	ALIGNMENT = int4,
	STORAGE = plain
);
COMMENT ON TYPE cu_name_gist_key IS
'Storage of cu_name_gist_ops index entries: a sorted name key array at the leaves, a key signature above';

CREATE FUNCTION cu_name_gist_consistent(internal, text, smallint, oid, internal) RETURNS boolean
	AS 'MODULE_PATHNAME', 'cu_name_gist_consistent'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_consistent(internal, text, smallint, oid, internal) IS
'GiST support: exact match at leaves, upper bound of the score at inner entries';

CREATE FUNCTION cu_name_gist_distance(internal, text, smallint, oid, internal) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_name_gist_distance'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_distance(internal, text, smallint, oid, internal) IS
'GiST support: exact <~> distance at leaves, a lower bound at inner entries (nearest-name ordering)';

CREATE FUNCTION cu_name_gist_compress(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_gist_compress'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_compress(internal) IS
'GiST support: a name becomes its key array';

CREATE FUNCTION cu_name_gist_decompress(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_gist_decompress'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_decompress(internal) IS
'GiST support: detoasts an index entry';

CREATE FUNCTION cu_name_gist_penalty(internal, internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_gist_penalty'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_penalty(internal, internal, internal) IS
'GiST support: the signature bits an entry would add to a subtree';

CREATE FUNCTION cu_name_gist_picksplit(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_gist_picksplit'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_picksplit(internal, internal) IS
'GiST support: splits a page around its two most distant signatures';

CREATE FUNCTION cu_name_gist_union(internal, internal) RETURNS cu_name_gist_key
	AS 'MODULE_PATHNAME', 'cu_name_gist_union'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_union(internal, internal) IS
'GiST support: the signature of a set of entries';

CREATE FUNCTION cu_name_gist_same(cu_name_gist_key, cu_name_gist_key, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'cu_name_gist_same'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_same(cu_name_gist_key, cu_name_gist_key, internal) IS
'GiST support: are two entries equal';

CREATE FUNCTION cu_name_gist_options(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'cu_name_gist_options'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_gist_options(internal) IS
'GiST support: the siglen option (signature bytes, 1 to 2024, default 64)';

CREATE OPERATOR CLASS cu_name_gist_ops FOR TYPE text USING gist AS
	OPERATOR 1 %% (text, text),
	OPERATOR 2 <~> (text, text) FOR ORDER BY pg_catalog.float_ops,
	OPERATOR 3 %%> (text, cu_name_query),
	FUNCTION 1 cu_name_gist_consistent (internal, text, smallint, oid, internal),
	FUNCTION 2 cu_name_gist_union (internal, internal),
	FUNCTION 3 cu_name_gist_compress (internal),
	FUNCTION 4 cu_name_gist_decompress (internal),
	FUNCTION 5 cu_name_gist_penalty (internal, internal, internal),
	FUNCTION 6 cu_name_gist_picksplit (internal, internal),
	FUNCTION 7 cu_name_gist_same (cu_name_gist_key, cu_name_gist_key, internal),
	FUNCTION 8 cu_name_gist_distance (internal, text, smallint, oid, internal),
	FUNCTION 10 cu_name_gist_options (internal),
	STORAGE cu_name_gist_key;
COMMENT ON OPERATOR CLASS cu_name_gist_ops USING gist IS
'GiST index of name key signatures for text %% text, cu_name_match and ORDER BY name <~> ''query'': CREATE INDEX ON customers USING gist (name cu_name_gist_ops (siglen = 64))';
COMMENT ON OPERATOR FAMILY cu_name_gist_ops USING gist IS
'The operator family of cu_name_gist_ops';
