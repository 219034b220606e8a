-- Fuzzy name search: cu_name_score, its operators, the GIN operator class,
-- exactness of index scans, and plans.
SET search_path = customer_unify, public;

-- the score: order, case and accents do not matter; typos, sound-alike
-- spellings, initials and nicknames keep a share of the keys
SELECT a, b, round(cu_name_score(a, b)::numeric, 3) AS score,
       round((a <~> b)::numeric, 3) AS distance, a %% b AS matches
FROM (VALUES
  ('Jean-Pierre Dupont', 'DUPONT jean pierre'),
  ('Jean Dupont', 'Jean Dupond'),
  ('Jean Dupont', 'Jean Dupnot'),
  ('Jean-Pierre Dupont', 'jp dupond'),
  ('Philippe Lefebvre', 'Filipe Lefèvre'),
  ('Bob Smith', 'Robert Smith'),
  ('Frédérique Le Goff', 'frederique goff'),
  ('Дмитрий Шостакович', 'Dmitrij Sostakovic'),
  ('Jean Dupont', 'Marc Lavoine'),
  ('Jean Dupont', ''),
  ('!!!', '!!!'),
  ('', '')
) AS t(a, b);

-- symmetric, in [0, 1], 1 on itself when it has keys
SELECT count(*) FILTER (WHERE cu_name_score(a, b) <> cu_name_score(b, a)) AS asymmetric,
       count(*) FILTER (WHERE cu_name_score(a, b) NOT BETWEEN 0 AND 1) AS out_of_range,
       count(*) FILTER (WHERE cu_name_score(a, a) <> 1) AS not_one_on_itself
FROM (VALUES ('Jean Dupont', 'Dupont Jean-Pierre'), ('J Dupont', 'Jean Dupont'),
             ('jp dupond', 'jean pierre dupont'), ('Bob Smith', 'Robert Smith'),
             ('王小明', 'Wang Xiaoming'), ('a b c d', 'd c b a e f')) AS t(a, b);

-- the keys: bounded for very long names, none without letters
SELECT cardinality(cu_name_keys('Jean Dupont')) AS short_name,
       cardinality(cu_name_keys(repeat('Jean-Pierre Dupont ', 60000))) AS one_mb_name,
       cardinality(cu_name_keys(repeat('abcdefghij', 100000))) AS one_mb_word,
       cardinality(cu_name_keys('!!! ...')) AS no_letters,
       cu_name_keys('Dupont Jean') = cu_name_keys('jean DUPONT') AS order_free;

-- the threshold: a setting for %%, an argument for cu_name_match
SHOW customer_unify.name_threshold;
SELECT 'Jean Dupont' %% 'Jean Dupnot' AS at_default,
       cu_name_match('Jean Dupont', 'Jean Dupnot', 0.9) AS at_090,
       cu_name_match('Jean Dupont', 'Marc Lavoine', 0) AS nothing_shared_at_0,
       cu_name_match('Jean Dupont', 'Jean Dupont', 1) AS identical_at_1;
SET customer_unify.name_threshold = 0.9;
SELECT 'Jean Dupont' %% 'Jean Dupnot' AS at_090;
RESET customer_unify.name_threshold;
SET customer_unify.name_threshold = 1.5;
SET customer_unify.name_threshold = -0.1;
SELECT cu_name_match('a', 'b', 1.5);
SELECT cu_name_match('a', 'b', 'NaN');
SELECT cu_name_match(NULL, 'b', 0.5) IS NULL AS null_gives_null, ('a' %% NULL) IS NULL AS op_null;

-- a few thousand generated names, with noise (seeded)
SELECT setseed(0.31);
CREATE TABLE people (id int PRIMARY KEY, name text, last_name text, first_name text);
INSERT INTO people
SELECT g, CASE g % 5
            WHEN 0 THEN upper(l) || ' ' || f
            WHEN 1 THEN f || ' ' || l
            WHEN 2 THEN translate(f || ' ' || l, 'éèëêïîçôö', 'eeeeiicoo')
            WHEN 3 THEN left(f, 1) || '. ' || l
            ELSE f || ' ' || overlay(l placing 'x' from 1 + g % char_length(l) for 1) END,
       l, f
FROM (SELECT g,
             (ARRAY['Jean', 'Jean-Pierre', 'Marie', 'Françoise', 'Philippe', 'Robert', 'Bob', 'William',
                    'Élodie', 'Catherine', 'Katherine', 'José', 'Zoé', 'Anne-Sophie', 'Dmitri'])[1 + floor(random() * 15)::int] AS f,
             (ARRAY['Dupont', 'Dupond', 'Lefèvre', 'Lefebvre', 'Martin', 'Mercier', 'Gauthier', 'Gautier',
                    'Smith', 'Le Goff', 'Renault', 'Renaud', 'Müller', 'Álvarez', 'Nguyen', 'Shostakovich',
                    'Fontaine', 'Bernard', 'Bertrand', 'Petit'])[1 + floor(random() * 20)::int] AS l
      FROM generate_series(1, 3000) AS g) AS gen;
INSERT INTO people VALUES (3001, '', '', ''), (3002, '!!!', '', ''), (3003, NULL, NULL, NULL),
  (3004, 'Дмитрий Шостакович', 'Шостакович', 'Дмитрий'), (3005, repeat('Jean Dupont ', 20000), 'Dupont', 'Jean');
CREATE INDEX people_name_gin ON people USING gin (name cu_name_gin_ops);
ANALYZE people;

-- the ids a query returns, with the index forced on or off
CREATE FUNCTION pg_temp.ids(query text, use_index boolean) RETURNS int[] LANGUAGE plpgsql AS $$
DECLARE
  result int[];
BEGIN
  PERFORM set_config('enable_seqscan', CASE WHEN use_index THEN 'off' ELSE 'on' END, true);
  PERFORM set_config('enable_indexscan', CASE WHEN use_index THEN 'on' ELSE 'off' END, true);
  PERFORM set_config('enable_bitmapscan', CASE WHEN use_index THEN 'on' ELSE 'off' END, true);
  EXECUTE 'SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM (' || query || ') AS q' INTO result;
  RETURN result;
END $$;
-- does the plan of a query use an index?
CREATE FUNCTION pg_temp.uses_index(query text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  line text;
BEGIN
  PERFORM set_config('enable_seqscan', 'off', true);
  PERFORM set_config('enable_indexscan', 'on', true);
  PERFORM set_config('enable_bitmapscan', 'on', true);
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    IF line LIKE '%Index Scan%' THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $$;
CREATE FUNCTION pg_temp.with_threshold(t float8, query text, use_index boolean) RETURNS int[] LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('customer_unify.name_threshold', t::text, true);
  RETURN pg_temp.ids(query, use_index);
END $$;

CREATE TEMP TABLE search_queries(q text);
INSERT INTO search_queries VALUES ('jp dupond'), ('Jean Dupont'), ('DUPONT jean-pierre'), ('Bob Smith'),
  ('Filipe Lefevre'), ('Dmitrij Sostakovic'), ('Katherine Gautier'), ('Mari'), ('x'), ('Nguyen'),
  ('Jose Alvarez'), ('Anne Sophie Fontaine'), (''), ('!!!');
CREATE TEMP TABLE thresholds(t float8);
INSERT INTO thresholds VALUES (0), (0.1), (0.2), (0.3), (0.5), (0.7), (0.9), (1);

-- Exactness: the index returns exactly the rows of a sequential scan, for
-- every query and threshold, through %% (setting) and cu_name_match (argument)
CREATE TEMP TABLE gin_runs AS
SELECT q, t,
       pg_temp.with_threshold(t, format('SELECT id FROM people WHERE name %%%% %L', q), true) AS op_index,
       pg_temp.with_threshold(t, format('SELECT id FROM people WHERE name %%%% %L', q), false) AS op_seq,
       pg_temp.ids(format('SELECT id FROM people WHERE cu_name_match(name, %L, %s)', q, t), true) AS fn_index,
       pg_temp.ids(format('SELECT id FROM people WHERE cu_name_match(name, %L, %s)', q, t), false) AS fn_seq,
       pg_temp.uses_index(format('SELECT id FROM people WHERE cu_name_match(name, %L, %s)', q, t)) AS fn_uses_index
FROM search_queries, thresholds;
SELECT count(*) AS runs,
       count(*) FILTER (WHERE op_index <> op_seq) AS op_mismatches,
       count(*) FILTER (WHERE fn_index <> fn_seq) AS fn_mismatches,
       count(*) FILTER (WHERE op_seq <> fn_seq) AS op_fn_disagree,
       count(*) FILTER (WHERE NOT fn_uses_index) AS fn_without_index,
       sum(cardinality(op_seq)) AS rows_matched
FROM gin_runs;
-- matches shrink as the threshold grows; no-letter queries match nothing
SELECT q, array_agg(cardinality(op_seq) ORDER BY t) AS matches_at_0_01_02_03_05_07_09_1
FROM gin_runs GROUP BY q ORDER BY q;

-- Plans: the index serves %%, cu_name_match, and expression indexes
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE name %% 'jp dupond';
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE cu_name_match(name, 'jp dupond', 0.4);
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE cu_name_match('jp dupond', name, 0.4);
CREATE INDEX people_expr_gin ON people USING gin (cu_normalize_name(last_name || ' ' || first_name) cu_name_gin_ops);
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE cu_normalize_name(last_name || ' ' || first_name) %% 'dupont jean';
SELECT count(*) AS expr_index_matches FROM people WHERE cu_normalize_name(last_name || ' ' || first_name) %% 'dupont jean';
RESET enable_seqscan;
SET enable_seqscan = off; SET enable_indexscan = off; SET enable_bitmapscan = off;
SELECT count(*) AS expr_seq_matches FROM people WHERE cu_normalize_name(last_name || ' ' || first_name) %% 'dupont jean';
RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan;

-- GiST: the same exactness (with a small signature, so that keys collide),
-- and nearest-name ordering
DROP INDEX people_name_gin;
DROP INDEX people_expr_gin;
CREATE INDEX people_name_gist ON people USING gist (name cu_name_gist_ops (siglen = 16));
CREATE TEMP TABLE gist_runs AS
SELECT q, t,
       pg_temp.with_threshold(t, format('SELECT id FROM people WHERE name %%%% %L', q), true) AS op_index,
       pg_temp.with_threshold(t, format('SELECT id FROM people WHERE name %%%% %L', q), false) AS op_seq,
       pg_temp.ids(format('SELECT id FROM people WHERE cu_name_match(name, %L, %s)', q, t), true) AS fn_index,
       pg_temp.uses_index(format('SELECT id FROM people WHERE name %%%% %L', q)) AS op_uses_index
FROM search_queries, thresholds;
SELECT count(*) AS runs,
       count(*) FILTER (WHERE op_index <> op_seq) AS op_mismatches,
       count(*) FILTER (WHERE fn_index <> op_seq) AS fn_mismatches,
       count(*) FILTER (WHERE NOT op_uses_index) AS op_without_index,
       sum(cardinality(op_seq)) AS rows_matched
FROM gist_runs;
-- the same rows as the GIN index found
SELECT count(*) AS runs, count(*) FILTER (WHERE g.op_index <> n.op_index) AS gin_gist_disagree
FROM gist_runs g JOIN gin_runs n USING (q, t);

-- the 10 nearest names: same distances through the index as by sorting every row
CREATE FUNCTION pg_temp.nearest(q text, use_index boolean) RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE
  result float8[];
BEGIN
  PERFORM set_config('enable_seqscan', CASE WHEN use_index THEN 'off' ELSE 'on' END, true);
  PERFORM set_config('enable_indexscan', CASE WHEN use_index THEN 'on' ELSE 'off' END, true);
  PERFORM set_config('enable_bitmapscan', 'off', true);
  SELECT array_agg(d ORDER BY d) INTO result
  FROM (SELECT name <~> q AS d FROM people ORDER BY name <~> q LIMIT 10) AS nearest;
  RETURN result;
END $$;
SELECT count(*) AS queries,
       count(*) FILTER (WHERE pg_temp.nearest(q, true) <> pg_temp.nearest(q, false)) AS knn_mismatches
FROM search_queries;
SELECT round((name <~> 'jp dupond')::numeric, 3) AS distance, name
FROM people ORDER BY name <~> 'jp dupond', id LIMIT 5;

SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM people ORDER BY name <~> 'jp dupond' LIMIT 10;
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE name %% 'jp dupond';
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE cu_name_match(name, 'jp dupond', 0.2);
RESET enable_seqscan;

-- the signature length is bounded
CREATE INDEX ON people USING gist (name cu_name_gist_ops (siglen = 0));
CREATE INDEX ON people USING gist (name cu_name_gist_ops (siglen = 2025));

-- the index lives with its table: inserts, deletes, vacuum, reindex
INSERT INTO people SELECT 10000 + id, name || ' Junior', last_name, first_name FROM people WHERE id <= 500;
DELETE FROM people WHERE id % 7 = 0;
VACUUM people;
REINDEX INDEX people_name_gist;
SELECT count(*) FILTER (WHERE pg_temp.with_threshold(0.3, format('SELECT id FROM people WHERE name %%%% %L', q), true)
                           <> pg_temp.with_threshold(0.3, format('SELECT id FROM people WHERE name %%%% %L', q), false))
       AS mismatches_after_changes
FROM search_queries;
