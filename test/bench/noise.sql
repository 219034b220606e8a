-- test/bench/noise.sql: the noise the benchmark generators put on names
-- (included by gen_names.sql and gen_customers.sql with \ir).

-- drop accents and shout, as a till printing in capitals would
CREATE FUNCTION pg_temp.shout(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT upper(translate(s, 'àâäáçéèêëíîïñóôöúùûüÿÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ', 'aaaaceeeeiiinooouuuuyAAAEEEEIIOOUUUC'))
$$;
-- one keyboard typo at a random position: substitution, deletion, insertion or transposition
CREATE FUNCTION pg_temp.typo(s text, r1 float8, r2 float8) RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN char_length(s) < 4 THEN s || 'e'
		WHEN r2 < 0.25 THEN overlay(s placing substr('aeioulnrst', 1 + (r1 * 10)::int % 10, 1) from 2 + (r1 * (char_length(s) - 2))::int for 1)
		WHEN r2 < 0.5 THEN overlay(s placing '' from 2 + (r1 * (char_length(s) - 2))::int for 1)
		WHEN r2 < 0.75 THEN overlay(s placing substr('aeioulnrst', 1 + (r1 * 10)::int % 10, 1) from 2 + (r1 * (char_length(s) - 2))::int for 0)
		ELSE overlay(s placing reverse(substr(s, 2 + (r1 * (char_length(s) - 3))::int, 2)) from 2 + (r1 * (char_length(s) - 3))::int for 2)
	END
$$;
-- written as heard: the spellings French and English speakers confuse
CREATE FUNCTION pg_temp.phonetic(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
	       regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(s),
		'ph', 'f', 'g'), 'th', 't', 'g'), 'eau', 'o', 'g'), 'au', 'o', 'g'), '(ault|aud|aut)$', 'o'),
		'([^aeiou])t$', '\1d'), 'c([aou])', 'k\1', 'g'), 'qu', 'k', 'g'), 'y', 'i', 'g'),
		'([lmnst])\1', '\1', 'g'), '(ier|ez)$', 'ié')
$$;
