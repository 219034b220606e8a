
-- ---------------------------------------------------------------------------
-- Names: token-aware similarity of person names
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_name_similarity(text, text) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_name_similarity'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_name_similarity(text, text) IS
'Similarity of two person names in [0, 1], insensitive to word order, accents, case, initials (J. / Jean) and nicknames (Bob / Robert); 0 when either has no word';
