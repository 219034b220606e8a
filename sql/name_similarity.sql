-- Token-aware name similarity.
SET search_path = customer_unify, public;

SELECT a, b, round(cu_name_similarity(a, b)::numeric, 3) AS similarity
FROM (VALUES
  -- order, case, accents and hyphens do not matter
  ('Dupont Jean-Pierre', 'Jean Pierre DUPONT'),
  ('Frédérique Le Goff', 'LE GOFF frederique'),
  ('José Álvarez', 'ALVAREZ Jose'),
  -- initials match the names they begin
  ('J. Dupont', 'Jean Dupont'),
  ('JP Dupont', 'Jean-Pierre Dupont'),
  ('J.-P. Dupont', 'Jean-Pierre Dupont'),
  ('J. Dupont', 'Pierre Dupont'),
  -- nicknames
  ('Bob Smith', 'Robert Smith'),
  ('Bill Gates', 'William Gates'),
  ('Jojo Martin', 'Joseph Martin'),
  ('Peggy Olson', 'Margaret Olson'),
  -- sound-alike and typos
  ('Jean Dupond', 'Jean Dupont'),
  ('Philippe Lefebvre', 'Filipe Lefèvre'),
  ('Catherine Gauthier', 'Katherine Gautier'),
  ('Jean Dupnot', 'Jean Dupont'),
  -- a split or joined compound
  ('Jeanpierre Dupont', 'Jean Pierre Dupont'),
  -- a missing middle name costs a little, a different name a lot
  ('Jean Dupont', 'Jean Pierre Dupont'),
  ('Jean Dupont', 'Paul Dupont'),
  ('Jean Dupont', 'Jeanne Dupont'),
  ('Martin Mercier', 'Mercier Martin'),
  ('Martin', 'Mercier'),
  ('Marie Curie', 'Pierre Curie'),
  ('Jean Dupont', 'Marc Lavoine'),
  -- honorifics and particles are not names
  ('M. Jean Dupont', 'Jean Dupont'),
  ('Charles de Gaulle', 'Charles Gaulle'),
  -- other scripts
  ('Дмитрий Шостакович', 'Dmitrij Sostakovic'),
  ('Дмитрий Шостакович', 'Шостакович Дмитрий'),
  -- no word, no evidence
  ('', ''),
  ('Jean', ''),
  ('!!!', 'Jean')
) AS t(a, b);

-- symmetric, and in [0, 1]
SELECT count(*) FILTER (WHERE cu_name_similarity(a, b) <> cu_name_similarity(b, a)) AS asymmetric,
       count(*) FILTER (WHERE cu_name_similarity(a, b) NOT BETWEEN 0 AND 1) AS out_of_range
FROM (VALUES ('Jean Dupont', 'Dupont Jean-Pierre'), ('J Dupont', 'Jean Dupont'), ('jp dupont', 'jean pierre dupont'),
             ('Bob Smith', 'Robert Smith'), ('a b c d', 'd c b a e f'), ('x', 'y z')) AS t(a, b);

-- symmetric on arbitrary text too: random strings of Latin, accented, combining,
-- Cyrillic, Han and emoji characters against their reverse
SELECT setseed(0.5);
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE cu_name_similarity(s, reverse(s)) <> cu_name_similarity(reverse(s), s)) AS asymmetric
FROM (SELECT g, (SELECT string_agg(chr(CASE WHEN r < 0.4 THEN 97 + (random() * 25)::int
                                            WHEN r < 0.55 THEN 32
                                            WHEN r < 0.7 THEN 192 + (random() * 400)::int
                                            WHEN r < 0.8 THEN 768 + (random() * 111)::int
                                            WHEN r < 0.9 THEN 1024 + (random() * 255)::int
                                            ELSE 19968 + (random() * 20000)::int END), '')
                 FROM (SELECT random() AS r FROM generate_series(1, (random() * 30)::int + 0 * g)) AS x) AS s
      FROM generate_series(1, 3000) AS g) AS random_strings
WHERE s IS NOT NULL;

SELECT cu_name_similarity(NULL, 'Jean') IS NULL AS null_gives_null;
