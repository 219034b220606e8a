-- Feedback sentiment: every rule of the scorer in French and English, with
-- real sentences, the detail, bad input, the user's own words, and the mood.
SET search_path = customer_unify, public;
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- the shipped lexicons are there, thousands of entries each
SELECT lang, count(*) >= 3000 AS thousands FROM cu_sentiment_lexicon WHERE lang IN ('en', 'fr') AND kind = 'word'
GROUP BY lang ORDER BY lang;
SELECT count(*) >= 100 AS emoji_and_emoticons FROM cu_sentiment_lexicon WHERE lang = '*';
-- customer-service vocabulary
SELECT term, valence < 0 AS negative FROM cu_sentiment_lexicon
WHERE (lang, term) IN (('en', 'rude'), ('en', 'helpful'), ('en', 'broken'), ('fr', 'déçu'), ('fr', 'serviable'),
                       ('fr', 'arnaque'), ('fr', 'impeccable'), ('en', 'never arrived'))
ORDER BY term;

-- the scale and the labels
CREATE TEMP TABLE s AS
SELECT t, lang, cu_sentiment(t, lang) AS score, cu_sentiment_detail(t, lang) ->> 'label' AS label
FROM (VALUES
	('Très déçu, plus jamais !', 'fr'),
	('Livraison rapide, conseiller très aimable. Je recommande.', 'fr'),
	('Le colis est arrivé mardi.', 'fr'),
	('Terrible service, the advisor was rude and I am still waiting for my refund.', 'en'),
	('Great product, fast delivery, very helpful staff!', 'en'),
	('The parcel arrived on Tuesday.', 'en')) AS v(t, lang);
SELECT t, score BETWEEN -1 AND 1 AS in_range, label FROM s ORDER BY t;

-- negation, with its scope, both languages
SELECT cu_sentiment('je suis content', 'fr') > 0 AS content,
       cu_sentiment('je ne suis pas content', 'fr') < 0 AS ne_pas,
       cu_sentiment('je ne suis jamais content', 'fr') < 0 AS ne_jamais,
       cu_sentiment('ce n''est pas génial', 'fr') < 0 AS n_pas,
       cu_sentiment('aucun problème', 'fr') > cu_sentiment('problème', 'fr') AS aucun,
       cu_sentiment('un livreur sans politesse', 'fr') < cu_sentiment('un livreur poli', 'fr') AS sans,
       cu_sentiment('je ne suis plus satisfait', 'fr') < 0 AS ne_plus,
       cu_sentiment('plus rapide que prévu', 'fr') > 0 AS plus_comparative;
SELECT cu_sentiment('the advisor was helpful', 'en') > 0 AS helpful,
       cu_sentiment('the advisor was not helpful', 'en') < 0 AS not_helpful,
       cu_sentiment('the advisor wasn''t helpful', 'en') < 0 AS nt,
       cu_sentiment('it never works', 'en') < cu_sentiment('it works', 'en') AS never,
       cu_sentiment('no help at all', 'en') < 0 AS no,
       cu_sentiment('not bad', 'en') > cu_sentiment('bad', 'en') AS not_bad,
       -- the scope ends at a comma: "good" is not negated
       cu_sentiment('not the fastest, but good', 'en') > 0 AS scope_ends;
-- an expression that holds its own negation is not negated again, and emoji
-- are never negated
SELECT cu_sentiment('Le remboursement n''est jamais arrivé.', 'fr') < 0 AS ne_jamais_arrive,
       cu_sentiment('Le retour s''est fait sans aucun problème :)', 'fr') > 0 AS sans_aucun_probleme,
       cu_sentiment('J''ai attendu 45 minutes pour rien 🙁', 'fr') < 0 AS rien_emoji,
       cu_sentiment('It never arrived', 'en') < 0 AS never_arrived;

-- intensifiers and diminishers
SELECT cu_sentiment('très déçu', 'fr') < cu_sentiment('déçu', 'fr') AS tres,
       cu_sentiment('vraiment déçu', 'fr') < cu_sentiment('déçu', 'fr') AS vraiment,
       cu_sentiment('un peu déçu', 'fr') > cu_sentiment('déçu', 'fr') AS un_peu,
       cu_sentiment('very good', 'en') > cu_sentiment('good', 'en') AS very,
       cu_sentiment('extremely rude', 'en') < cu_sentiment('rude', 'en') AS extremely,
       cu_sentiment('slightly late', 'en') > cu_sentiment('late', 'en') AS slightly;

-- contrast: the clause after weighs more
SELECT cu_sentiment('Le produit est bien mais la livraison est catastrophique', 'fr') < 0 AS mais,
       cu_sentiment('La livraison était lente, cependant le produit est excellent', 'fr') > 0 AS cependant,
       cu_sentiment('The food was great but the service was awful', 'en') < 0 AS but,
       cu_sentiment('Delivery was slow; however, the product is excellent', 'en') > 0 AS however;

-- capitals, exclamation and question runs, elongations
SELECT cu_sentiment('This is BAD', 'en') < cu_sentiment('This is bad', 'en') AS capitals,
       cu_sentiment('TERRIBLE SERVICE', 'en') = cu_sentiment('terrible service', 'en') AS all_capitals_no_emphasis,
       cu_sentiment('Nul !!!', 'fr') < cu_sentiment('Nul', 'fr') AS exclamations,
       cu_sentiment('Great!!', 'en') > cu_sentiment('Great', 'en') AS exclamations_en,
       cu_sentiment('Vraiment nul ??', 'fr') < cu_sentiment('Vraiment nul', 'fr') AS question_run,
       cu_sentiment('suuuper', 'fr') > 0 AS suuuper,
       cu_sentiment('c''est nuuuul', 'fr') < cu_sentiment('c''est nul', 'fr') AS elongated,
       cu_sentiment('soooo good', 'en') > cu_sentiment('so good', 'en') AS elongated_en;

-- emoji and emoticons
SELECT cu_sentiment('Merci 😍', 'fr') > cu_sentiment('Merci', 'fr') AS emoji,
       cu_sentiment('Toujours pas de colis 😡', 'fr') < 0 AS angry_emoji,
       cu_sentiment('thanks :)', 'en') > cu_sentiment('thanks', 'en') AS emoticon,
       cu_sentiment('still waiting :(', 'en') < 0 AS sad_emoticon,
       cu_sentiment('👍👍', NULL) > 0 AS emoji_only;

-- ratings in the text
SELECT cu_sentiment('1/5', 'fr') < 0 AS one_of_five, cu_sentiment('4,5/5', 'fr') > 0 AS four_and_a_half,
       cu_sentiment('9/10', 'en') > 0 AS nine_of_ten, cu_sentiment('★★☆☆☆', 'fr') < 0 AS two_stars,
       cu_sentiment('★★★★★ parfait', 'fr') > cu_sentiment('parfait', 'fr') AS five_stars,
       cu_sentiment('0 étoile', 'fr') < 0 AS zero_etoile, cu_sentiment('5 stars', 'en') > 0 AS five_stars_en,
       cu_sentiment('2 sur 5', 'fr') < 0 AS deux_sur_cinq, cu_sentiment('rated 3 out of 5', 'en') BETWEEN -0.5 AND 0.5 AS middle;

-- missing accents and French inflection
SELECT cu_sentiment('decu', 'fr') = cu_sentiment('déçu', 'fr') AS decu,
       cu_sentiment('déçue', 'fr') = cu_sentiment('déçu', 'fr') AS feminine,
       cu_sentiment('déçus', 'fr') = cu_sentiment('déçu', 'fr') AS plural,
       cu_sentiment('déçues', 'fr') = cu_sentiment('déçu', 'fr') AS feminine_plural,
       cu_sentiment('décevante', 'fr') = cu_sentiment('décevant', 'fr') AS decevante,
       cu_sentiment('decevantes', 'fr') < 0 AS decevantes,
       cu_sentiment('tres decu', 'fr') = cu_sentiment('très déçu', 'fr') AS tres_decu;

-- multi-word expressions beat their words
SELECT cu_sentiment('pas mal', 'fr') > 0 AS pas_mal, cu_sentiment('pas terrible', 'fr') < 0 AS pas_terrible,
       cu_sentiment('à fuir', 'fr') < 0 AS a_fuir, cu_sentiment('waste of money', 'en') < 0 AS waste_of_money;

-- the language is detected when not given
SELECT t, cu_sentiment_detail(t) ->> 'lang' AS detected
FROM (VALUES ('Je suis très déçu par le service client'), ('I am very disappointed with customer service'),
             ('decu'), ('Livraison en retard, conseiller injoignable'), ('Fast delivery, great price')) AS v(t);
SELECT cu_sentiment('Très déçu, plus jamais !') = cu_sentiment('Très déçu, plus jamais !', 'fr') AS same_as_fr;

-- the detail: what moved the score, and why
SELECT d ->> 'label' AS label, d ->> 'lang' AS lang,
       (d ->> 'positive')::float8 + (d ->> 'negative')::float8 + (d ->> 'neutral')::float8 BETWEEN 0.999 AND 1.001 AS shares_sum_to_one,
       jsonb_path_query_array(d, '$.words[*].text') AS words,
       jsonb_path_query_array(d, '$.words[*].rules') AS word_rules, d ->> 'rules' AS text_rules
FROM (SELECT cu_sentiment_detail('Le conseiller n''était pas aimable mais très déçu par la livraison !!', 'fr') AS d) x;

-- bad input: NULL, empty, letter-less, unknown language, very long
SELECT cu_sentiment(NULL) IS NULL AS null_text, cu_sentiment_detail(NULL) IS NULL AS null_detail,
       cu_sentiment('') AS empty, cu_sentiment('12345 ... ---') AS letterless;
SELECT cu_sentiment_detail('') ->> 'note' AS note, cu_sentiment_detail('') ->> 'label' AS label;
SELECT cu_sentiment('bonjour', 'de');
SELECT cu_sentiment('hello', 'xx');
SELECT round(cu_sentiment(repeat('Très déçu. Service lamentable. ', 35000), 'fr')::numeric, 2) AS one_megabyte,
       octet_length(repeat('Très déçu. Service lamentable. ', 35000)) > 1000000 AS over_1mb;
SELECT cu_sentiment('東京の店はとても良かった') AS other_script;

-- the user's own words extend and override the lexicon
SELECT cu_sentiment('le produit est zoubidesque', 'fr') AS unknown_word;
INSERT INTO cu_sentiment_words (lang, term, valence) VALUES ('fr', 'zoubidesque', 3.0), ('en', 'good', -1.0);
SELECT cu_sentiment('le produit est zoubidesque', 'fr') > 0 AS added, cu_sentiment('good', 'en') < 0 AS overridden;
DELETE FROM cu_sentiment_words;
SELECT cu_sentiment('good', 'en') > 0 AS restored;
INSERT INTO cu_sentiment_words (lang, term, valence) VALUES ('fr', 'Majuscule', 1);

-- mood over time: recent feedback weighs more; order-insensitive; parallel-safe
SELECT round(cu_mood(score, at, '30 days')::numeric, 4) AS mood,
       round(cu_mood(score, at)::numeric, 4) AS mood_default_half_life,
       cu_mood_symbol(cu_mood(score, at)) AS symbol
FROM (VALUES (0.8, '2025-01-01'::timestamptz), (0.6, '2025-01-20'), (-0.9, '2025-03-01')) AS v(score, at);
SET customer_unify.mood_half_life = 365;
SELECT round(cu_mood(score, at)::numeric, 4) AS mood_slow_decay
FROM (VALUES (0.8, '2025-01-01'::timestamptz), (0.6, '2025-01-20'), (-0.9, '2025-03-01')) AS v(score, at);
RESET customer_unify.mood_half_life;
SELECT abs(cu_mood(score, at ORDER BY at) - cu_mood(score, at ORDER BY at DESC)) < 1e-12 AS order_insensitive
FROM (VALUES (0.8, '2025-01-01'::timestamptz), (0.6, '2025-01-20'), (-0.9, '2025-03-01')) AS v(score, at);
SELECT cu_mood(NULL::float8, now()) IS NULL AS no_scores;
SELECT cu_mood(2, now());
SELECT cu_mood(0.5, now(), '0 days');
SELECT m, cu_mood_symbol(m) FROM (VALUES (-0.9), (-0.3), (0.0), (0.3), (0.9), (NULL)) AS v(m);

-- parallel plans give the serial result
CREATE TABLE feedback AS
SELECT i % 300 AS customer_id,
       (ARRAY['Très déçu, plus jamais !', 'Super conseiller, merci', 'Colis arrivé cassé 😡', 'Great service!',
              'Still waiting for my refund', 'Livraison rapide, je recommande', 'meh', 'pas mal du tout'])[1 + i % 8] AS t,
       timestamptz '2025-01-01' + (i * 7919 % 100000) * interval '1 minute' AS at
FROM generate_series(1, 30000) AS i;
ANALYZE feedback;
CREATE TEMP TABLE mood_serial AS
SELECT customer_id, cu_mood(cu_sentiment(t), at) AS mood, sum(cu_sentiment(t)::numeric) AS total
FROM feedback GROUP BY customer_id;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT customer_id, cu_mood(cu_sentiment(t), at) FROM feedback GROUP BY customer_id;
SELECT count(*) AS differing
FROM (SELECT customer_id, cu_mood(cu_sentiment(t), at) AS mood, sum(cu_sentiment(t)::numeric) AS total
      FROM feedback GROUP BY customer_id) p
FULL JOIN mood_serial s USING (customer_id)
WHERE p.total IS DISTINCT FROM s.total OR abs(p.mood - s.mood) > 1e-12 OR (p.mood IS NULL) <> (s.mood IS NULL);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
DROP TABLE feedback;

RESET client_min_messages;
