-- Very long input: no length limit, linear memory, and a cancel is honoured.
SET search_path = customer_unify, public;

-- 1 MB strings through every function
SELECT length(cu_fold(repeat('Élodie-', 150000))) AS fold_latin,
       length(cu_fold(repeat('Дмитрий ', 130000))) AS fold_cyrillic,
       length(cu_normalize_name(repeat('de Dupont ', 100000))) AS name,
       cu_normalize_email(repeat('a', 1000000) || '@example.com') AS email,
       cu_normalize_phone(repeat('1', 1000000)) AS phone;
SELECT cu_levenshtein(repeat('abcdefghij', 100000), 'xbcdefghiy') AS lev_long_short,
       cu_levenshtein(repeat('ab', 500000), repeat('ab', 500000) || 'c') AS lev_long_equal_prefix,
       cu_levenshtein(repeat('ab', 500000), 'x' || repeat('ab', 500000), 3) AS lev_bounded,
       cu_damerau_levenshtein(repeat('ab', 500000), 'ba' || repeat('ab', 499999)) AS osa_long,
       round(cu_jaro_winkler(repeat('abcde', 200000), repeat('abcdf', 200000))::numeric, 4) AS jw_long,
       round(cu_name_similarity(repeat('jean ', 200000), repeat('jean ', 100000) || repeat('paul ', 100000))::numeric, 4) AS name_long,
       (cu_double_metaphone(repeat('Schmidt ', 130000)))[1] AS metaphone_long,
       length(cu_phonetic_fr(repeat('Dupont ', 150000))) AS phonetic_long;

-- quadratic work on two long, different strings answers to statement_timeout
SET statement_timeout = '300ms';
SELECT cu_levenshtein(repeat('abcdefghij', 30000), repeat('jihgfedcba', 30000));
SELECT cu_damerau_levenshtein(repeat('abcdefghij', 30000), repeat('jihgfedcba', 30000));
SELECT cu_levenshtein(repeat('abcdefghij', 30000), repeat('jihgfedcba', 30000), 100000);
RESET statement_timeout;
