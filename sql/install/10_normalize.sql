
-- ---------------------------------------------------------------------------
-- Normalise: turning messy identity fields into comparable forms
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_fold(text) RETURNS text
	AS 'MODULE_PATHNAME', 'cu_fold'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_fold(text) IS
'ICU transliteration to lower-case Latin without diacritics, punctuation to spaces, spaces collapsed: cu_fold(''Frédérique  LE GOFF-Ñúñez'') = ''frederique le goff nunez''';

CREATE FUNCTION cu_normalize_name(text) RETURNS text
	AS 'MODULE_PATHNAME', 'cu_normalize_name'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_normalize_name(text) IS
'A folded person name without honorifics (M., Mme, Dr, Mr, Mrs), suffixes (Jr, III) and particles (de, le, van); compound names become separate tokens';

CREATE FUNCTION cu_normalize_email(text) RETURNS text
	AS 'MODULE_PATHNAME', 'cu_normalize_email'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_normalize_email(text) IS
'Canonical e-mail address (trimmed, lower case, Gmail dots and +tag sub-addresses removed), or NULL when the text is not an address';
