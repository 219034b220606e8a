-- The demo (make demo): the four silos of gen_demo.sql registered, the model
-- trained, the customers resolved, and what an advisor and a manager see.
SET search_path = customer_unify, public;
SET client_min_messages = warning;
\pset footer off
\set QUIET on

\echo
\echo '== 1. Four silos that do not talk'
SELECT s AS silo, n AS records FROM (VALUES
	('shop.customers (the till)', (SELECT count(*) FROM shop.customers)),
	('callcenter.contacts (the call centre)', (SELECT count(*) FROM callcenter.contacts)),
	('webshop.accounts (the web shop)', (SELECT count(*) FROM webshop.accounts)),
	('feedback.messages (reviews, chats, e-mails)', (SELECT count(*) FROM feedback.messages))) AS x(s, n);
\echo 'and their interactions:'
SELECT s AS interactions, n AS rows FROM (VALUES
	('shop.tickets', (SELECT count(*) FROM shop.tickets)),
	('callcenter.calls', (SELECT count(*) FROM callcenter.calls)),
	('webshop.orders', (SELECT count(*) FROM webshop.orders)),
	('feedback.messages', (SELECT count(*) FROM feedback.messages))) AS x(s, n);

\echo '== 2. Registering them (which column holds what; how much each silo is trusted)'
\o /dev/null
SELECT cu_add_source('shop.customers', id => 'customer_no', trust => 0.8, updated_at => 'updated_at',
	columns => '{"given_name": "prenom", "surname": "nom", "email": "mail", "phone": "tel",
	             "birth_date": "date_naissance", "address": "adresse", "postcode": "cp", "city": "ville"}');
SELECT cu_add_source('callcenter.contacts', id => 'contact_id', trust => 0.6, updated_at => 'updated_at',
	columns => '{"full_name": "full_name", "email": "email", "phone": "phone", "postcode": "cp"}');
SELECT cu_add_source('webshop.accounts', id => 'account_id', trust => 0.9, updated_at => 'updated_at',
	columns => '{"given_name": "first_name", "surname": "last_name", "email": "email", "phone": "phone",
	             "birth_date": "birth_date", "address": "address", "postcode": "postcode", "city": "city",
	             "country": "country"}');
SELECT cu_add_source('feedback.messages', id => 'message_id', trust => 0.3, updated_at => 'posted_at',
	columns => '{"full_name": "author", "email": "email"}');
SELECT cu_add_interactions('shop.tickets', 'shop.customers', 'customer_no', 'bought_at', 'shop',
	details => ARRAY['store', 'amount']);
SELECT cu_add_interactions('callcenter.calls', 'callcenter.contacts', 'contact_id', 'called_at', 'call',
	text_column => 'notes', lang => 'lang', details => ARRAY['reason']);
SELECT cu_add_interactions('webshop.orders', 'webshop.accounts', 'account_id', 'ordered_at', 'web',
	details => ARRAY['total', 'status']);
SELECT cu_add_interactions('feedback.messages', 'feedback.messages', 'message_id', 'posted_at', 'message',
	text_column => 'body', lang => 'lang', channel_column => 'channel', details => ARRAY['rating']);
\o
SELECT s.source AS source, s.trust, string_agg(a.attribute || ' ← ' || a.column_name, ', ' ORDER BY a.attribute) AS attributes
FROM cu_sources s JOIN cu_source_attributes a USING (source_id) GROUP BY s.source, s.trust ORDER BY s.source::text;

\echo '== 3. Training the match model (no labels needed) and resolving'
SELECT round((t ->> 'expected_matches')::numeric) AS matches_expected, t ->> 'seconds' AS seconds
FROM (SELECT cu_train() AS t) x;
SELECT (r ->> 'records')::int AS records, (r ->> 'customers')::int AS customers,
       (r ->> 'records')::int - (r ->> 'customers')::int AS duplicates_found,
       (r ->> 'queued_for_review')::int AS pairs_to_review, r ->> 'seconds' AS seconds
FROM (SELECT cu_resolve() AS r) x;
\o /dev/null
SELECT cu_refresh_360(true);
\o

\echo '== 4. Before and after'
SELECT (SELECT count(*) FROM cu_identity_map) AS records_before,
       (SELECT count(DISTINCT customer_id) FROM cu_identity_map) AS customers_after,
       (SELECT count(*) FROM cu_identity_map) - (SELECT count(DISTINCT customer_id) FROM cu_identity_map) AS duplicates_found,
       (SELECT count(*) FROM cu_customer_360 WHERE silos > 1) AS customers_in_several_silos,
       (SELECT count(DISTINCT person_id) FROM demo_truth.records) AS real_people;
\echo 'against the truth of the generator (pairs of records of one person, and pairs put in one customer):'
WITH truth AS (SELECT t.person_id, t.source, t.source_id, m.customer_id,
                      (r.email IS NOT NULL OR r.phone IS NOT NULL OR r.birth_date IS NOT NULL OR r.address IS NOT NULL) AS detail
               FROM demo_truth.records t
               JOIN cu_identity_map m ON m.source = t.source::regclass AND m.source_id = t.source_id
               JOIN cu_sources s ON s.source = m.source
               JOIN cu_records r ON r.source_id = s.source_id AND r.record_id = m.source_id),
pairs AS (SELECT a.person_id = b.person_id AS same_person, a.customer_id = b.customer_id AS same_customer,
                 a.detail AND b.detail AS detail
          FROM truth a JOIN truth b ON (a.person_id = b.person_id OR a.customer_id = b.customer_id)
                                    AND (a.source, a.source_id) < (b.source, b.source_id))
SELECT CASE WHEN detail THEN 'both records have an e-mail, phone, birth date or address'
            ELSE 'one record has a name only (a review signed "J. Fontaine")' END AS pairs,
       count(*) FILTER (WHERE same_person) AS true_pairs,
       count(*) FILTER (WHERE same_customer) AS linked_pairs,
       round(count(*) FILTER (WHERE same_person AND same_customer)::numeric
             / nullif(count(*) FILTER (WHERE same_customer), 0), 3) AS precision,
       round(count(*) FILTER (WHERE same_person AND same_customer)::numeric
             / nullif(count(*) FILTER (WHERE same_person), 0), 3) AS recall
FROM pairs GROUP BY detail ORDER BY detail DESC;
\echo '(a name alone is not enough to link: the model leaves homonyms apart; households sharing an address'
\echo ' are the main source of wrong links: see cu_explain and the review queue)'
\echo 'records per customer:'
SELECT records, count(*) AS customers FROM cu_customer_360 GROUP BY records ORDER BY records;

\echo '== 5. Three customer cards (cu_customer_card; the lineage of each golden value is in the full card)'
CREATE TEMP TABLE demo_picks AS
(SELECT customer_id, 'known in four silos, complained lately' AS why FROM cu_customer_360
 WHERE silos = 4 AND negative_at IS NOT NULL ORDER BY mood, customer_id LIMIT 1)
UNION ALL
(SELECT customer_id, 'an English customer, happy' FROM cu_customer_360
 WHERE country IN ('GB', 'US') AND mood > 0.3 AND silos >= 2 ORDER BY contacts DESC, customer_id LIMIT 1)
UNION ALL
(SELECT customer_id, 'a pair to review on the card' FROM cu_customer_360
 WHERE open_reviews > 0 ORDER BY records DESC, customer_id LIMIT 1);
SELECT p.why AS "card of", jsonb_pretty(jsonb_set(c - 'lineage', '{last}',
       coalesce((SELECT jsonb_agg(l - 'source' - 'id') FROM jsonb_array_elements(c -> 'last') l), '[]'))) AS card
FROM demo_picks p, cu_customer_card(p.customer_id, 3) c;

\echo '== 6. The most unhappy customers of the week (feedback of the last 7 days, cu_sentiment and cu_mood)'
SELECT s.customer_id, s.name, cu_mood_symbol(w.mood) AS " ", round(w.mood::numeric, 2) AS mood_this_week,
       w.complaints, w.messages, s.mood_trend AS trend, w.worst_channel AS channel, left(w.worst, 80) AS worst_message
FROM (SELECT customer_id, cu_mood(sentiment, at) AS mood, count(*) AS messages,
             count(*) FILTER (WHERE sentiment <= -0.15) AS complaints,
             (array_agg(body ORDER BY sentiment, at DESC))[1] AS worst,
             (array_agg(channel ORDER BY sentiment, at DESC))[1] AS worst_channel
      FROM cu_interactions(NULL, now() - interval '7 days', feedback_only => true)
      GROUP BY customer_id) w
JOIN cu_customer_360 s USING (customer_id)
WHERE w.mood < -0.15
ORDER BY w.complaints DESC, w.mood, s.customer_id LIMIT 8;

\echo '== 7. Finding a customer from what the caller says (cu_find_customer)'
SELECT '"' || q.said || '"' AS caller_says, f.customer_id, f.customer_name, round(f.probability::numeric, 3) AS probability,
       f.matched
FROM (SELECT s.email AS e, NULL::text AS p, NULL::text AS n, 'my e-mail is ' || upper(s.email) AS said
      FROM cu_customer_360 s WHERE s.email LIKE '%@%' AND s.silos >= 3 ORDER BY s.customer_id LIMIT 1) q
CROSS JOIN LATERAL cu_find_customer(email => q.e, phone => q.p, name => q.n, max_results => 2) f;
SELECT '"' || q.said || '"' AS caller_says, f.customer_id, f.customer_name, round(f.probability::numeric, 3) AS probability,
       f.matched
FROM (SELECT s.name AS n, 'I am ' || lower(s.surname) || ', ' || lower(s.given_name) AS said
      FROM cu_customer_360 s WHERE s.surname IS NOT NULL AND s.given_name IS NOT NULL AND s.silos >= 3
      ORDER BY s.customer_id DESC LIMIT 1) q
CROSS JOIN LATERAL cu_find_customer(name => q.n, max_results => 3) f;

\echo '== 8. Real time: a new call-centre contact of a known customer joins that customer inside the INSERT'
\o /dev/null
SELECT cu_enable_realtime('callcenter.contacts');
\o
CREATE TEMP TABLE demo_known AS
SELECT s.customer_id, s.name, s.email FROM cu_customer_360 s
WHERE s.email LIKE '%@%' AND s.silos >= 2 ORDER BY s.customer_id LIMIT 1;
INSERT INTO callcenter.contacts (contact_id, full_name, phone, email, cp, updated_at)
SELECT 'CC-NEW-1', upper(name), NULL, upper(email), NULL, now() FROM demo_known;
SELECT 'CC-NEW-1' AS new_contact, m.customer_id, m.customer_id = k.customer_id AS joined_known_customer,
       round(m.match_probability::numeric, 3) AS probability
FROM cu_identity_map m, demo_known k WHERE m.source = 'callcenter.contacts'::regclass AND m.source_id = 'CC-NEW-1';
