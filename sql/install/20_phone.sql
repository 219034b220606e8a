
CREATE FUNCTION cu_normalize_phone(phone text, region text DEFAULT 'FR') RETURNS text
	AS 'MODULE_PATHNAME', 'cu_normalize_phone'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cu_normalize_phone(text, text) IS
'Phone number in E.164 form (+33612345678), read in the numbering plan of region (ISO 3166 code, default FR) when written in national form; NULL when it cannot be a number there';
