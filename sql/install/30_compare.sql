
-- ---------------------------------------------------------------------------
-- Compare: string comparators on characters (not bytes), no length limit
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_levenshtein(text, text) RETURNS int
	AS 'MODULE_PATHNAME', 'cu_levenshtein'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_levenshtein(text, text) IS
'Levenshtein distance in characters (insertions, deletions, substitutions): cu_levenshtein(''Müller'', ''Muller'') = 1';

CREATE FUNCTION cu_levenshtein(text, text, max int) RETURNS int
	AS 'MODULE_PATHNAME', 'cu_levenshtein'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_levenshtein(text, text, int) IS
'Bounded Levenshtein distance: the distance when at most max, otherwise max + 1, computed only as far as needed';

CREATE FUNCTION cu_damerau_levenshtein(text, text) RETURNS int
	AS 'MODULE_PATHNAME', 'cu_damerau_levenshtein'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_damerau_levenshtein(text, text) IS
'Optimal string alignment distance (restricted Damerau-Levenshtein): Levenshtein plus transpositions of adjacent characters, no substring edited twice';

CREATE FUNCTION cu_damerau_levenshtein(text, text, max int) RETURNS int
	AS 'MODULE_PATHNAME', 'cu_damerau_levenshtein'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_damerau_levenshtein(text, text, int) IS
'Bounded optimal string alignment distance: the distance when at most max, otherwise max + 1';

CREATE FUNCTION cu_jaro(text, text) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_jaro'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_jaro(text, text) IS
'Jaro similarity in [0, 1] (1 for two empty strings, 0 when only one is empty)';

CREATE FUNCTION cu_jaro_winkler(text, text) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_jaro_winkler'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_jaro_winkler(text, text) IS
'Jaro-Winkler similarity in [0, 1]: Jaro boosted by the common prefix (up to 4 characters, scale 0.1) when Jaro exceeds 0.7: cu_jaro_winkler(''MARTHA'', ''MARHTA'') = 0.9611';
