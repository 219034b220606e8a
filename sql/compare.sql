-- Edit distances, Jaro and Jaro-Winkler.
SET search_path = customer_unify, public;

-- Levenshtein counts characters, not bytes
SELECT cu_levenshtein('Müller', 'Muller') AS muller,
       cu_levenshtein('kitten', 'sitting') AS kitten,
       cu_levenshtein('', 'abc') AS empty_left,
       cu_levenshtein('abc', '') AS empty_right,
       cu_levenshtein('', '') AS both_empty,
       cu_levenshtein('Дмитрий', 'Дмитрии') AS cyrillic,
       cu_levenshtein('王小明', '王晓明') AS han,
       cu_levenshtein('😀😃', '😃😀') AS emoji;

-- bounded form: the distance when within max, max + 1 otherwise
SELECT cu_levenshtein('kitten', 'sitting', 3) AS within,
       cu_levenshtein('kitten', 'sitting', 2) AS beyond,
       cu_levenshtein('kitten', 'sitting', 0) AS zero,
       cu_levenshtein('abc', 'abcdefgh', 2) AS length_gap,
       cu_levenshtein(repeat('a', 100), repeat('b', 100), 5) AS long_beyond,
       cu_levenshtein(repeat('a', 100) || 'x', repeat('a', 100) || 'y', 5) AS long_within;
SELECT cu_levenshtein('a', 'b', -1);

-- optimal string alignment: a transposition is one edit, but no substring is edited twice
SELECT cu_damerau_levenshtein('MARTHA', 'MARHTA') AS transposition,
       cu_levenshtein('MARTHA', 'MARHTA') AS levenshtein,
       cu_damerau_levenshtein('ca', 'abc') AS osa_not_true_damerau,
       cu_damerau_levenshtein('Dupont', 'Dupnot') AS dupont,
       cu_damerau_levenshtein('émile', 'méile') AS accented_swap,
       cu_damerau_levenshtein('', 'ab') AS empty,
       cu_damerau_levenshtein('abcdef', 'badcfe', 2) AS bounded_beyond,
       cu_damerau_levenshtein('abcdef', 'badcfe', 3) AS bounded_within;
SELECT cu_damerau_levenshtein('a', 'b', -3);

-- Jaro and Jaro-Winkler: the textbook values
SELECT round(cu_jaro('MARTHA', 'MARHTA')::numeric, 4) AS jaro_martha,
       round(cu_jaro_winkler('MARTHA', 'MARHTA')::numeric, 4) AS jw_martha,
       round(cu_jaro_winkler('DWAYNE', 'DUANE')::numeric, 4) AS jw_dwayne,
       round(cu_jaro_winkler('DIXON', 'DICKSONX')::numeric, 4) AS jw_dixon,
       round(cu_jaro_winkler('JELLYFISH', 'SMELLYFISH')::numeric, 4) AS jw_jellyfish,
       cu_jaro_winkler('abc', 'abc') AS identical,
       cu_jaro_winkler('abc', 'xyz') AS disjoint,
       cu_jaro('', '') AS both_empty,
       cu_jaro('', 'a') AS one_empty,
       cu_jaro_winkler('a', 'a') AS single;
SELECT round(cu_jaro_winkler('Müller', 'Mueller')::numeric, 4) AS jw_umlaut,
       round(cu_jaro_winkler('Шостакович', 'Шостаковичь')::numeric, 4) AS jw_cyrillic,
       cu_jaro_winkler('MARTHA', 'MARHTA') = cu_jaro_winkler('MARHTA', 'MARTHA') AS symmetric;

-- Cross-check against straightforward reference implementations in PL/pgSQL
-- on random strings over a small alphabet with accents: lengths 0 to 90, so
-- both the bit-parallel (shorter side <= 64) and the row-by-row paths run.
CREATE FUNCTION ref_edit(a text, b text, transpose boolean) RETURNS int
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  n int := char_length(a); m int := char_length(b);
  d int[]; i int; j int; cost int; w int := m + 1;
BEGIN
  d := array_fill(0, ARRAY[(n + 1) * (m + 1)]);
  FOR i IN 0..n LOOP d[i * w + 1] := i; END LOOP;
  FOR j IN 0..m LOOP d[j + 1] := j; END LOOP;
  FOR i IN 1..n LOOP
    FOR j IN 1..m LOOP
      cost := CASE WHEN substr(a, i, 1) = substr(b, j, 1) THEN 0 ELSE 1 END;
      d[i * w + j + 1] := least(d[(i - 1) * w + j + 1] + 1, d[i * w + j] + 1,
                                d[(i - 1) * w + j] + cost);
      IF transpose AND i > 1 AND j > 1 AND substr(a, i, 1) = substr(b, j - 1, 1)
         AND substr(a, i - 1, 1) = substr(b, j, 1) THEN
        d[i * w + j + 1] := least(d[i * w + j + 1], d[(i - 2) * w + j - 1] + 1);
      END IF;
    END LOOP;
  END LOOP;
  RETURN d[n * w + m + 1];
END $$;

CREATE FUNCTION ref_jaro(a text, b text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  n int := char_length(a); m int := char_length(b);
  win int; af bool[]; bf bool[]; matches int := 0; t int := 0; i int; j int; k int := 1;
BEGIN
  IF n = 0 AND m = 0 THEN RETURN 1; END IF;
  IF n = 0 OR m = 0 THEN RETURN 0; END IF;
  win := greatest(greatest(n, m) / 2 - 1, 0);
  af := array_fill(false, ARRAY[n]); bf := array_fill(false, ARRAY[m]);
  FOR i IN 1..n LOOP
    FOR j IN greatest(1, i - win)..least(m, i + win) LOOP
      IF NOT bf[j] AND substr(a, i, 1) = substr(b, j, 1) THEN
        af[i] := true; bf[j] := true; matches := matches + 1; EXIT;
      END IF;
    END LOOP;
  END LOOP;
  IF matches = 0 THEN RETURN 0; END IF;
  FOR i IN 1..n LOOP
    IF af[i] THEN
      WHILE NOT bf[k] LOOP k := k + 1; END LOOP;
      IF substr(a, i, 1) <> substr(b, k, 1) THEN t := t + 1; END IF;
      k := k + 1;
    END IF;
  END LOOP;
  RETURN (matches::float8 / n + matches::float8 / m + (matches - t / 2.0) / matches) / 3;
END $$;

SELECT setseed(0.42);
CREATE TEMP TABLE pairs AS
SELECT id,
       (SELECT string_agg(substr('abcdeé ', 1 + floor(random() * 7)::int, 1), '')
          FROM generate_series(1, (random() * 90)::int + 0 * id)) AS a,
       (SELECT string_agg(substr('abcdeé ', 1 + floor(random() * 7)::int, 1), '')
          FROM generate_series(1, (random() * 90)::int + 0 * id)) AS b
FROM generate_series(1, 120) AS id;
UPDATE pairs SET a = coalesce(a, ''), b = coalesce(b, '');
-- near-duplicates too: b is a with a few random edits and swaps
INSERT INTO pairs
SELECT 1000 + id, a, overlay(overlay(a placing 'é' from 1 + (id % greatest(char_length(a), 1)) for 1)
                             placing reverse(substr(a, 3, 2)) from 3 for 2)
FROM pairs WHERE id <= 80;

SELECT count(*) AS pairs,
       count(*) FILTER (WHERE cu_levenshtein(a, b) <> lev) AS levenshtein_wrong,
       count(*) FILTER (WHERE cu_damerau_levenshtein(a, b) <> osa) AS osa_wrong,
       count(*) FILTER (WHERE cu_levenshtein(a, b, 7) <> least(lev, 8)) AS bounded_wrong,
       count(*) FILTER (WHERE cu_damerau_levenshtein(a, b, 7) <> least(osa, 8)) AS osa_bounded_wrong,
       count(*) FILTER (WHERE osa < lev) AS transpositions_used,
       count(*) FILTER (WHERE abs(cu_jaro(a, b) - ref_jaro(a, b)) > 1e-12) AS jaro_wrong,
       count(*) FILTER (WHERE least(char_length(a), char_length(b)) > 64) AS long_pairs
FROM (SELECT a, b, ref_edit(a, b, false) AS lev, ref_edit(a, b, true) AS osa FROM pairs) AS r;

-- long strings take the position-list path of Jaro: same answer as the reference
SELECT count(*) AS long_pairs,
       count(*) FILTER (WHERE abs(cu_jaro(a, b) - ref_jaro(a, b)) > 1e-12) AS jaro_wrong
FROM (SELECT repeat(a, 6) AS a, repeat(b, 5) || a AS b FROM pairs WHERE id BETWEEN 1 AND 12) AS long_pairs;

-- NULL in, NULL out
SELECT cu_levenshtein(NULL, 'a') IS NULL AS lev, cu_levenshtein('a', 'b', NULL) IS NULL AS lev_max,
       cu_damerau_levenshtein('a', NULL) IS NULL AS osa, cu_jaro(NULL, NULL) IS NULL AS jaro,
       cu_jaro_winkler('a', NULL) IS NULL AS jw;
