
-- ---------------------------------------------------------------------------
-- Phonetic keys: names that sound alike share a key
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_double_metaphone(text, max_length int DEFAULT 4) RETURNS text[]
	AS 'MODULE_PATHNAME', 'cu_double_metaphone'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_double_metaphone(text, int) IS
'Double Metaphone codes {primary, alternate} of the folded text, each at most max_length (1 to 64, default 4) letters';

CREATE FUNCTION cu_phonetic_fr(text) RETURNS text
	AS 'MODULE_PATHNAME', 'cu_phonetic_fr'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_phonetic_fr(text) IS
'French phonetic code of each word of the folded text: Dupont/Dupond, Lefebvre/Lefèvre/Lefeuvre, Renault/Renaud share a code';
