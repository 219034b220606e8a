-- Phonetic keys: Double Metaphone and the French phonetic code.
SET search_path = customer_unify, public;

-- Double Metaphone: {primary, alternate}
SELECT input, cu_double_metaphone(input) AS codes
FROM (VALUES ('Smith'), ('Schmidt'), ('Thomas'), ('Xavier'), ('Jose'), ('Dupont'), ('Dupond'),
             ('Gauthier'), ('Catherine'), ('Katherine'), ('Philippe'), ('Filipe'), ('Michael'),
             ('Caesar'), ('Wasserman'), ('Zhang'), ('Quentin'), ('Ñúñez'), ('François'),
             ('Jean-Pierre'), (''), ('123')) AS t(input);
SELECT cu_double_metaphone('Schwarzenegger', 8) AS longer_codes,
       cu_double_metaphone('Schwarzenegger', 1) AS one_letter;
SELECT cu_double_metaphone('Smith', 0);
SELECT cu_double_metaphone('Smith', 65);

-- French phonetic code: the names of the issue share a key...
SELECT a, b, cu_phonetic_fr(a) AS code_a, cu_phonetic_fr(b) AS code_b, cu_phonetic_fr(a) = cu_phonetic_fr(b) AS same
FROM (VALUES
  ('Dupont', 'Dupond'),
  ('Lefebvre', 'Lefèvre'),
  ('Lefebvre', 'Lefeuvre'),
  ('Gauthier', 'Gautier'),
  ('Philippe', 'Filipe'),
  ('Renault', 'Renaud'),
  ('Thomas', 'Tomas'),
  ('Catherine', 'Katherine'),
  ('Rousseau', 'Rousso'),
  ('Durand', 'Durant'),
  ('Vincent', 'Vinsent'),
  ('Mathieu', 'Matthieu'),
  ('Leroy', 'Leroi'),
  ('Chevalier', 'Chevallier'),
  -- ...and different names do not
  ('Martin', 'Mercier'),
  ('Bernard', 'Bertrand'),
  ('Petit', 'Pottier'),
  ('Durand', 'Dupont'),
  ('Leroy', 'Leroux'),
  ('Moreau', 'Morel'),
  ('Laurent', 'Lambert'),
  ('Robert', 'Richard'),
  ('Lemaire', 'Lemaitre')
) AS t(a, b);

-- one code per word
SELECT cu_phonetic_fr('Jean-Pierre  DUPONT') AS words, cu_phonetic_fr('') AS empty, cu_phonetic_fr('!!!') AS no_letters;
SELECT cu_double_metaphone(NULL) IS NULL AS dm_null, cu_phonetic_fr(NULL) IS NULL AS fr_null;
