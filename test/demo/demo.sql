-- The demo: normalised forms of every record of both silos, then each
-- record's best counterpart in the other silo.
SET search_path = customer_unify, public;
\pset footer off

-- the region a phone number was written in, from the record's city
CREATE TEMP TABLE city_region(city text PRIMARY KEY, region text);
INSERT INTO city_region VALUES ('london', 'GB'), ('berlin', 'DE'), ('madrid', 'ES'),
	('san francisco', 'US'), ('sf', 'US');

CREATE TEMP VIEW shop_norm AS
SELECT 'shop #' || customer_no AS record, prenom || ' ' || nom AS name_as_typed,
       cu_normalize_name(prenom || ' ' || nom) AS name,
       cu_phonetic_fr(cu_normalize_name(nom)) AS surname_phonetic_fr,
       cu_normalize_email(mail) AS email,
       cu_normalize_phone(tel, coalesce(r.region, 'FR')) AS phone
FROM shop.customers LEFT JOIN city_region r ON r.city = cu_fold(ville);

CREATE TEMP VIEW cc_norm AS
SELECT 'contact ' || contact_id AS record, full_name AS name_as_typed,
       cu_normalize_name(full_name) AS name,
       cu_normalize_email(email) AS email,
       cu_normalize_phone(phone, coalesce(r.region, 'FR')) AS phone
FROM callcenter.contacts c LEFT JOIN city_region r ON r.city = cu_fold(c.city);

-- every cross-silo pair, scored: 0.6 x name similarity + 0.2 x same e-mail + 0.2 x same phone
CREATE TEMP VIEW pair_scores AS
SELECT s.record AS shop_record, c.record AS cc_record, s.name_as_typed AS shop_name, c.name_as_typed AS cc_name,
       cu_name_similarity(s.name_as_typed, c.name_as_typed) AS name_sim,
       coalesce(s.email = c.email, false) AS same_email,
       coalesce(s.phone = c.phone, false) AS same_phone,
       0.6 * cu_name_similarity(s.name_as_typed, c.name_as_typed)
         + 0.2 * coalesce(s.email = c.email, false)::int
         + 0.2 * coalesce(s.phone = c.phone, false)::int AS score
FROM shop_norm s CROSS JOIN cc_norm c;

\echo
\echo '== Silo 1: shop.customers, normalised'
SELECT * FROM shop_norm ORDER BY length(record), record;

\echo '== Silo 2: callcenter.contacts, normalised'
SELECT * FROM cc_norm ORDER BY record;

\echo '== Best counterpart of each shop record in the contact centre'
\echo '   score = 0.6 x name similarity + 0.2 x same e-mail + 0.2 x same phone'
SELECT DISTINCT ON (length(shop_record), shop_record)
       shop_record, shop_name, cc_record AS best_counterpart, cc_name AS its_name,
       round(name_sim::numeric, 2) AS name_sim, same_email, same_phone, round(score::numeric, 2) AS score,
       CASE WHEN score >= 0.7 THEN 'same customer' WHEN score >= 0.5 THEN 'to review' ELSE 'different' END AS verdict
FROM pair_scores
ORDER BY length(shop_record), shop_record, score DESC, cc_record;

\echo '== Best counterpart of each contact-centre record in the shop'
SELECT DISTINCT ON (cc_record)
       cc_record, cc_name, shop_record AS best_counterpart, shop_name AS its_name,
       round(name_sim::numeric, 2) AS name_sim, same_email, same_phone, round(score::numeric, 2) AS score,
       CASE WHEN score >= 0.7 THEN 'same customer' WHEN score >= 0.5 THEN 'to review' ELSE 'different' END AS verdict
FROM pair_scores
ORDER BY cc_record, score DESC, length(shop_record), shop_record;

\echo '== Unified'
SELECT (SELECT count(*) FROM shop_norm) + (SELECT count(*) FROM cc_norm) AS records,
       count(*) FILTER (WHERE score >= 0.7) AS linked_pairs,
       count(*) FILTER (WHERE score >= 0.5 AND score < 0.7) AS pairs_to_review,
       (SELECT count(*) FROM shop_norm) + (SELECT count(*) FROM cc_norm)
         - count(*) FILTER (WHERE score >= 0.7) AS customers
FROM pair_scores;

\echo '== Fuzzy search across both silos, as an advisor types it: "jp dupond", then "lefeuvre f"'
CREATE TEMP TABLE all_names AS
SELECT record, name_as_typed AS name FROM shop_norm UNION ALL SELECT record, name_as_typed FROM cc_norm;
CREATE INDEX ON all_names USING gin (name cu_name_gin_ops);
SET customer_unify.name_threshold = 0.2;
SELECT q AS search, record, name, round(cu_name_score(name, q)::numeric, 2) AS score,
       round(cu_name_similarity(name, q)::numeric, 2) AS similarity
FROM (VALUES ('jp dupond'), ('lefeuvre f')) AS s(q)
CROSS JOIN LATERAL (SELECT * FROM all_names WHERE name %% q
                    ORDER BY cu_name_similarity(name, q) DESC, record LIMIT 3) AS found
ORDER BY q, similarity DESC, record;
RESET customer_unify.name_threshold;
