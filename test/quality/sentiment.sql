-- test/quality/sentiment.sql: the quality of the feedback-sentiment scorer (cu_sentiment, cu_sentiment_detail)
-- on the labelled sets, for `make quality`.  sentiment.sh loads the files (without byte-order mark and CRs) into
--   q_sentiment_amazon(id, rating, body), q_sentiment_movies(id, rating, body)   (VADER ground truth, English)
--   q_sentiment_deft(label, label_name, body)                                    (DEFT 2017 tweets, French)
-- then runs:  psql -v ON_ERROR_STOP=1 -q -f sentiment.sql
--
-- Truth: English, from the mean human rating in [-4, 4]: rating/4 >= 0.05 positive, <= -0.05 negative, else
-- neutral; French, the annotated label (0 negative, 1 neutral, 2 positive).  Prediction: the label of
-- cu_sentiment_detail (negative at score -0.15 or below, positive at 0.15 or above).  Every text is scored
-- twice: with its language given, and with lang NULL (detected).
-- Metrics per set and language mode: Pearson r between cu_sentiment and the rating (English only), accuracy,
-- weighted F1 (the per-class F1 weighed by the number of true texts of the class), macro-F1 (their plain
-- mean), the share of texts whose detected language is the right one, and the 3x3 confusion matrix.
-- Leaves q_sentiment_results (one row per set and mode) and prints the markdown report.

SET client_min_messages = warning;
SET jit = off;

-- the texts with their truth, one table for the three sets
CREATE TABLE q_sentiment_text (
	set_name text NOT NULL,
	ord      int NOT NULL,
	id       text NOT NULL,
	lang     text NOT NULL,
	body     text NOT NULL,
	rating   numeric,                -- English only
	truth    text NOT NULL CHECK (truth IN ('negative', 'neutral', 'positive')),
	PRIMARY KEY (set_name, id)
);

INSERT INTO q_sentiment_text
SELECT s.set_name, s.ord, btrim(s.id, E'\uFEFF \t'), 'en', s.body, s.rating::numeric,
       CASE WHEN s.rating::numeric / 4 >= 0.05 THEN 'positive'
            WHEN s.rating::numeric / 4 <= -0.05 THEN 'negative'
            ELSE 'neutral' END
FROM (SELECT 'amazon' AS set_name, 1 AS ord, id, btrim(rating) AS rating, body FROM q_sentiment_amazon
      UNION ALL
      SELECT 'movies', 2, id, btrim(rating), body FROM q_sentiment_movies) s;

INSERT INTO q_sentiment_text
SELECT 'deft', 3, 'row ' || row_number() OVER (), 'fr', body, NULL,
       CASE btrim(label) WHEN '0' THEN 'negative' WHEN '1' THEN 'neutral' WHEN '2' THEN 'positive' END
FROM q_sentiment_deft;

DO $$
DECLARE
	bad bigint;
BEGIN
	SELECT count(*) INTO bad FROM q_sentiment_deft
	WHERE btrim(label_name) IS DISTINCT FROM
	      CASE btrim(label) WHEN '0' THEN 'negative' WHEN '1' THEN 'neutral' WHEN '2' THEN 'positive' END;
	IF bad > 0 THEN
		RAISE EXCEPTION '% French rows whose label and label_name disagree', bad;
	END IF;
END
$$;

-- every text, scored with its language given and with lang NULL (detected)
SELECT clock_timestamp() AS q_t0 \gset
CREATE TABLE q_sentiment_scored AS
SELECT t.set_name, t.id, t.lang, m.mode, t.rating, t.truth,
       customer_unify.cu_sentiment(t.body, m.arg) AS score,
       d.detail ->> 'label' AS pred,
       d.detail ->> 'lang' AS detected,
       jsonb_path_exists(d.detail, '$.words[*] ? (@.counted != 0)') AS has_word
FROM q_sentiment_text t
CROSS JOIN LATERAL (VALUES ('given', t.lang), ('detect', NULL::text)) AS m(mode, arg)
CROSS JOIN LATERAL (SELECT customer_unify.cu_sentiment_detail(t.body, m.arg) AS detail) AS d;
SELECT round(extract(epoch FROM clock_timestamp() - :'q_t0'::timestamptz)::numeric, 2) AS q_seconds,
       (SELECT count(*) FROM q_sentiment_text) AS q_texts \gset

-- the confusion matrix: every (truth, predicted) cell, zeros included
CREATE TABLE q_sentiment_cells AS
WITH classes(c, k) AS (VALUES ('negative', 1), ('neutral', 2), ('positive', 3)),
runs AS (SELECT DISTINCT set_name, mode FROM q_sentiment_scored),
counted AS (SELECT set_name, mode, truth, pred, count(*) AS n FROM q_sentiment_scored GROUP BY 1, 2, 3, 4)
SELECT r.set_name, r.mode, tc.c AS truth, tc.k AS truth_k, pc.c AS pred, pc.k AS pred_k, coalesce(n.n, 0) AS n
FROM runs r
CROSS JOIN classes tc
CROSS JOIN classes pc
LEFT JOIN counted n ON n.set_name = r.set_name AND n.mode = r.mode AND n.truth = tc.c AND n.pred = pc.c;

-- per class: F1 = 2 TP / (true + predicted); 0 when the class is neither true nor predicted
CREATE TABLE q_sentiment_classes AS
SELECT set_name, mode, truth AS class,
       sum(n) FILTER (WHERE truth = pred) AS tp,
       sum(n) AS true_n,
       (SELECT sum(c2.n) FROM q_sentiment_cells c2
        WHERE c2.set_name = c.set_name AND c2.mode = c.mode AND c2.pred = c.truth) AS pred_n
FROM q_sentiment_cells c
GROUP BY set_name, mode, truth;
ALTER TABLE q_sentiment_classes ADD f1 float8;
UPDATE q_sentiment_classes SET f1 = CASE WHEN true_n + pred_n > 0 THEN 2.0 * tp / (true_n + pred_n) ELSE 0 END;

CREATE TABLE q_sentiment_results AS
WITH sets(set_name, ord, title, target_metric, target) AS (
	VALUES ('amazon', 1, 'English Amazon', 'r', 0.60),
	       ('movies', 2, 'English movies', 'r', 0.50),
	       ('deft', 3, 'French tweets', 'macro-F1', 0.60)
), per_run AS (
	SELECT set_name, mode, count(*) AS texts,
	       corr(score, rating::float8) AS r,
	       avg((truth = pred)::int) AS accuracy,
	       avg((detected = lang)::int) AS detected_right,
	       min(lang) AS lang,
	       count(*) FILTER (WHERE NOT has_word) AS no_word
	FROM q_sentiment_scored
	GROUP BY set_name, mode
), f1 AS (
	SELECT set_name, mode, sum(true_n * f1) / sum(true_n) AS weighted_f1, avg(f1) AS macro_f1
	FROM q_sentiment_classes
	GROUP BY set_name, mode
)
SELECT s.ord, s.set_name, s.title, p.mode, p.texts, p.lang, p.r, p.accuracy, f.weighted_f1, f.macro_f1,
       p.detected_right, p.no_word, s.target_metric, s.target,
       CASE s.target_metric WHEN 'r' THEN p.r ELSE f.macro_f1 END >= s.target AS met
FROM sets s
JOIN per_run p USING (set_name)
JOIN f1 f USING (set_name, mode);

-- the report
CREATE FUNCTION pg_temp.fmt(x float8) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(to_char(x, 'FM0.000'), '-')
$$;

\pset format unaligned
\pset tuples_only on
SELECT 'lexicon entries: ' || coalesce(string_agg(lang || ' ' || n, ', ' ORDER BY lang), 'none') ||
       '; user words: ' || (SELECT count(*) FROM customer_unify.cu_sentiment_words)
FROM (SELECT lang, count(*) AS n FROM customer_unify.cu_sentiment_lexicon GROUP BY lang) l;
\echo 'scored' :q_texts 'texts twice (language given, then detected) with cu_sentiment and cu_sentiment_detail in' :q_seconds 's'
\echo
SELECT '| set | texts | lang | Pearson r | accuracy | weighted F1 | macro-F1 | target | met |' || E'\n'
       || '|---|--:|---|--:|--:|--:|--:|---|---|' || E'\n'
       || string_agg(format('| %s | %s | %s | %s | %s | %s | %s | %s ≥ %s | %s |',
                            title, texts,
                            CASE mode WHEN 'given' THEN lang
                                 ELSE format('NULL (detected %s: %s%%)', lang, round(100 * detected_right, 1)) END,
                            pg_temp.fmt(r), pg_temp.fmt(accuracy), pg_temp.fmt(weighted_f1), pg_temp.fmt(macro_f1),
                            target_metric, to_char(target, 'FM0.00'),
                            CASE WHEN met THEN 'pass' ELSE 'fail' END),
                     E'\n' ORDER BY ord, mode DESC)
FROM q_sentiment_results;
\echo
\echo 'Truth: English, rating/4 ≥ 0.05 positive, ≤ -0.05 negative, else neutral; French, the annotated label.'
\echo 'Predicted: the label of cu_sentiment_detail (score ≥ 0.15 positive, ≤ -0.15 negative).  Pearson r: cu_sentiment'
\echo 'against the mean human rating.  Weighted F1 weighs each class by its true texts; macro-F1 is the plain mean.'
\echo
\echo 'Confusion matrices: in each cell, the texts of that true class predicted negative / neutral / positive;'
\echo '"no word": texts in which the scorer counted no sentiment word, emoji or rating (scored 0).'
\echo
SELECT '| set | lang | true negative | true neutral | true positive | no word |' || E'\n'
       || '|---|---|---|---|---|--:|' || E'\n'
       || string_agg(format('| %s | %s | %s | %s | %s | %s |',
                            r.title, CASE r.mode WHEN 'given' THEN r.lang ELSE 'NULL' END,
                            m.neg, m.neu, m.pos, r.no_word),
                     E'\n' ORDER BY r.ord, r.mode DESC)
FROM q_sentiment_results r
JOIN (SELECT set_name, mode,
             string_agg(n::text, ' / ' ORDER BY pred_k) FILTER (WHERE truth_k = 1) AS neg,
             string_agg(n::text, ' / ' ORDER BY pred_k) FILTER (WHERE truth_k = 2) AS neu,
             string_agg(n::text, ' / ' ORDER BY pred_k) FILTER (WHERE truth_k = 3) AS pos
      FROM q_sentiment_cells GROUP BY set_name, mode) m USING (set_name, mode);
\pset tuples_only off
\pset format aligned
