-- The customer: interactions, the card, cu_customer_360, cu_find_customer
-- and cu_forget.  Runs after realtime.sql, on the two silos of resolve.sql
-- (silo.shop, silo.contacts: people 1..300, of whom i and i + 120 are
-- homonyms) and their trained model.
-- (a new session: the settings of the library must be there before any of
-- its C functions ran)
\c -
SET search_path = customer_unify, public;
SELECT cu_mood_half_life() AS mood_half_life;
SET client_min_messages = warning;
\set SHOW_CONTEXT never

SELECT (cu_load_records() ->> 'records')::int > 0 AS loaded, (cu_resolve() ->> 'customers')::int > 0 AS resolved;
-- person 4 is David Perret, in the shop (4) and the call centre (C-4)
CREATE TEMP TABLE c4 AS
SELECT customer_id FROM cu_identity_map WHERE source = 'silo.shop'::regclass AND source_id = '4';
SELECT count(*) AS records_of_4, count(DISTINCT customer_id) AS customers
FROM cu_identity_map WHERE (source, source_id) IN (('silo.shop'::regclass, '4'), ('silo.contacts'::regclass, 'C-4'));

-- interactions: purchases at the till (pointing to shop records) and
-- messages (pointing to call-centre contacts), some of them feedback
CREATE TABLE silo.purchases (ticket_no int PRIMARY KEY, customer_no int, bought_at timestamptz, store text, amount numeric);
CREATE INDEX ON silo.purchases (customer_no);
INSERT INTO silo.purchases
SELECT i, 1 + (i * 37) % 300, now() - make_interval(days => 1 + (i * 13) % 300), 'Lyon', 10 + i % 90 FROM generate_series(1, 900) i;
INSERT INTO silo.purchases VALUES (1001, 4, now() - interval '3 days', 'Rennes', 54.20),
	(1002, 4, now() - interval '40 days', 'Brest', 12.00);
CREATE TABLE silo.messages (message_id int PRIMARY KEY, contact_id text, posted_at timestamptz, channel text,
                            lang text, body text);
CREATE INDEX ON silo.messages (contact_id);
INSERT INTO silo.messages VALUES
	(1, 'C-4', now() - interval '90 days', 'review', 'fr', 'Très bon accueil, vendeuse adorable, je recommande !'),
	(2, 'C-4', now() - interval '70 days', 'chat', 'fr', 'Livraison rapide, produit conforme. Merci.'),
	(3, 'C-4', now() - interval '2 days', 'email', 'fr', 'Colis jamais livré, service client injoignable. Je suis furieux !!!'),
	(4, 'C-4', now() - interval '1 day', 'chat', 'en', NULL),
	(5, 'C-5', now() - interval '5 days', 'review', 'en', 'Great service, thank you so much!'),
	(6, 'C-404', now() - interval '5 days', 'review', 'en', 'Nobody we know wrote this.');

-- registering: errors name the problem
SELECT cu_add_interactions('silo.messages', 'silo.nowhere', 'contact_id', 'posted_at', 'message');
SELECT cu_add_interactions('silo.messages', 'resolve_people', 'contact_id', 'posted_at', 'message');
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'contact', 'posted_at', 'message');
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'contact_id', 'body', 'message');
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'message_id', 'posted_at', 'message');
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'contact_id', 'posted_at', ' ');
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'contact_id', 'posted_at', 'message', forget => 'burn');
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'contact_id', 'posted_at', 'message', details => ARRAY['nope']);
-- registered: how many rows point to a known record
SELECT cu_add_interactions('silo.purchases', 'silo.shop', 'customer_no', 'bought_at', 'shop',
                           details => ARRAY['store', 'amount']);
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'contact_id', 'posted_at', 'message',
                           text_column => 'body', lang => 'lang', channel_column => 'channel');
SELECT cu_add_interactions('silo.messages', 'silo.contacts', 'contact_id', 'posted_at', 'again');

-- a customer's interactions across channels, scored where they are feedback
SELECT channel, source, interaction_id, record_id, lang, sentiment > 0.15 AS positive, sentiment < -0.15 AS negative,
       details
FROM cu_interactions(ARRAY[(SELECT customer_id FROM c4)]) ORDER BY at DESC;
SELECT count(*) AS feedback_of_4 FROM cu_interactions(ARRAY[(SELECT customer_id FROM c4)], feedback_only => true);
SELECT count(*) AS since_a_week FROM cu_interactions(ARRAY[(SELECT customer_id FROM c4)], now() - interval '7 days');
SELECT count(*) AS all_feedback FROM cu_interactions(NULL, NULL, true);

-- the card
CREATE TEMP TABLE card4 AS SELECT cu_customer_card((SELECT customer_id FROM c4)) AS card;
SELECT array(SELECT jsonb_object_keys(card) ORDER BY 1) AS keys FROM card4;
SELECT card ->> 'id' = (SELECT customer_id::text FROM c4) AS right_id, card ->> 'name' AS name,
       card ->> 'records' AS records, card -> 'silos' AS silos, card -> 'email' AS email,
       card -> 'phone' AS phone, card #>> '{identity,birth_date}' AS born
FROM card4;
SELECT card #>> '{lineage,email,source}' IS NOT NULL AS email_lineage FROM card4;
-- the mood: happy two months ago, furious this week; the latest complaint
SELECT card #>> '{mood,symbol}' AS mood, card #>> '{mood,trend}' AS trend, card #>> '{mood,feedback}' AS feedback,
       (card #>> '{mood,score}')::float8 < 0 AS negative_now, (card #>> '{mood,before}')::float8 > 0.15 AS happy_before,
       card #>> '{complaint,channel}' AS complaint_channel, card #>> '{complaint,text}' AS complaint
FROM card4;
SELECT card #>> '{contacts,count}' AS contacts, card #> '{contacts,channels}' AS channels FROM card4;
SELECT l ->> 'channel' AS channel, l ->> 'source' AS source, l ->> 'id' AS id, l ->> 'symbol' AS symbol, l -> 'details' AS details
FROM card4, jsonb_array_elements(card -> 'last') l;
-- fewer interactions on request; bad arguments; unknown customers
SELECT jsonb_array_length(cu_customer_card((SELECT customer_id FROM c4), 2) -> 'last') AS last_two;
SELECT cu_customer_card((SELECT customer_id FROM c4), -1);
SELECT cu_customer_card(-5) IS NULL AS unknown, cu_customer_card(NULL) IS NULL AS null_id;
-- an open review pair shows on the cards of both customers
INSERT INTO cu_review_queue (source_a, id_a, source_b, id_b, probability, explanation)
SELECT least('silo.shop'::regclass, 'silo.contacts'::regclass), CASE WHEN 'silo.shop'::regclass < 'silo.contacts'::regclass THEN '4' ELSE 'C-124' END,
       greatest('silo.shop'::regclass, 'silo.contacts'::regclass), CASE WHEN 'silo.shop'::regclass < 'silo.contacts'::regclass THEN 'C-124' ELSE '4' END,
       0.62, '{}';
SELECT r ->> 'record' AS record, r ->> 'other' AS other, r ->> 'p' AS p, (r ->> 'other_customer')::bigint <> (SELECT customer_id FROM c4) AS other_customer
FROM jsonb_array_elements(cu_customer_card((SELECT customer_id FROM c4)) -> 'review') r;
SELECT jsonb_array_length(cu_customer_card(customer_id) -> 'review') AS on_the_other_card
FROM cu_identity_map WHERE source = 'silo.contacts'::regclass AND source_id = 'C-124';
-- an id merged into another leads to the survivor's card
INSERT INTO cu_merge_log (action, customer_id, other_customer_id, records) VALUES ('merge', (SELECT customer_id FROM c4), 999999, 1);
SELECT card ->> 'asked' AS asked, card ->> 'id' = (SELECT customer_id::text FROM c4) AS survivor
FROM (SELECT cu_customer_card(999999) AS card) x;

-- cu_customer_360: one row per customer, refreshed in full or for what changed
SELECT (cu_refresh_360(true) ->> 'customers')::int = (SELECT count(DISTINCT customer_id) FROM cu_identity_map) AS all_customers;
SELECT name, email, email_key, phone_key, records, silos, sources, mood_symbol, mood_trend, feedback,
       negative_at IS NOT NULL AS complained, last_channel, contacts, open_reviews
FROM cu_customer_360 WHERE customer_id = (SELECT customer_id FROM c4);
-- filtering by customer, e-mail or phone goes through an index
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM cu_customer_360 WHERE email_key = cu_normalize_email('David.Perret4@Exemple.fr');
EXPLAIN (COSTS OFF) SELECT * FROM cu_customer_360 WHERE phone_key = cu_normalize_phone('06 12 34 56 78', 'FR');
EXPLAIN (COSTS OFF) SELECT * FROM cu_customer_360 WHERE customer_id = 42;
RESET enable_seqscan;
SELECT customer_id = (SELECT customer_id FROM c4) AS found_by_email
FROM cu_customer_360 WHERE email_key = cu_normalize_email('David.Perret4@Exemple.fr');
-- a new message changes one customer: an incremental refresh takes it alone
INSERT INTO silo.messages VALUES (7, 'C-5', now(), 'chat', 'en', 'Still waiting, this is unacceptable and rude.');
SELECT r ->> 'full' AS full_refresh, r ->> 'changed' AS changed, r ->> 'customers' AS refreshed
FROM (SELECT cu_refresh_360() AS r) x;
SELECT feedback, negative_at IS NOT NULL AS complained FROM cu_customer_360 s
JOIN cu_identity_map m ON m.customer_id = s.customer_id AND m.source = 'silo.contacts'::regclass AND m.source_id = 'C-5';
SELECT (cu_refresh_360() ->> 'changed')::int AS nothing_changed;

-- cu_find_customer: any contact detail, written any way
-- (one detail alone weighs what the model learnt of it: an e-mail shared by
-- several records of this small sample is no proof on its own)
SELECT customer_id = (SELECT customer_id FROM c4) AS right_customer, probability > 0.3 AS likely, customer_name, matched
FROM cu_find_customer(email => 'DAVID.PERRET4@exemple.fr');
SELECT customer_id = (SELECT customer_id FROM c4) AS right_customer, probability > 0.3 AS likely, matched
FROM cu_find_customer(phone => (SELECT '+33 6 ' || phone8 FROM resolve_people WHERE pid = 4));
-- a name alone: the homonyms (people 4, 124 and 244), none of them sure
SELECT count(*) AS homonyms, bool_and(probability < 0.9) AS unsure, bool_and('name' = ANY (matched)) AS name_matched
FROM cu_find_customer(name => 'PERRET David');
-- name and e-mail together: the right one first
SELECT customer_id = (SELECT customer_id FROM c4) AS right_first, probability > 0.9 AS sure, matched
FROM cu_find_customer(email => 'david.perret4@exemple.fr', name => 'David Perret') LIMIT 1;
SELECT count(*) AS nobody FROM cu_find_customer(email => 'nobody@nowhere.example');
SELECT * FROM cu_find_customer();
SELECT * FROM cu_find_customer(email => 'not an e-mail');
SELECT * FROM cu_find_customer(name => 'x', max_results => 0);

-- cu_forget: the values that only David Perret (person 4) bore, looked for
-- in every table of the extension and of the silos
CREATE TEMP TABLE forget_values AS
SELECT v FROM resolve_people p, LATERAL (VALUES ('david.perret4@exemple.fr'), ('DAVID.PERRET4@EXEMPLE.FR'),
	('+336' || p.phone8), ('06 ' || substr(p.phone8, 1, 2) || ' ' || substr(p.phone8, 3, 2) || ' ' || substr(p.phone8, 5, 2)),
	(to_char(p.born, 'DD/MM/YYYY')), (p.born::text), ('Colis jamais livré'), ('vendeuse adorable')) AS x(v)
WHERE p.pid = 4;
CREATE FUNCTION pg_temp.tables_holding(vals text[]) RETURNS TABLE (tab text, n bigint) LANGUAGE plpgsql AS $$
DECLARE
	rel regclass;
BEGIN
	FOR rel IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
	           WHERE (s.nspname = 'customer_unify' AND c.relname LIKE 'cu\_%' OR s.nspname = 'silo') AND c.relkind = 'r'
	           ORDER BY c.relname::text LOOP
		RETURN QUERY EXECUTE format('SELECT %L, count(*) FROM %s t WHERE t::text ILIKE ANY ($1) HAVING count(*) > 0',
		                            rel::text, rel) USING (SELECT array_agg('%' || v || '%') FROM unnest(vals) v);
	END LOOP;
END
$$;
SELECT * FROM pg_temp.tables_holding((SELECT array_agg(v) FROM forget_values)) ORDER BY tab;

SELECT r ->> 'customer_id' = (SELECT customer_id::text FROM c4) AS right_customer, r ->> 'records' AS records,
       r ->> 'interactions' AS interactions, r -> 'actions' AS actions
FROM (SELECT cu_forget((SELECT customer_id FROM c4), reference => 'GDPR-2026-0042') AS r) x;
-- nothing personal remains anywhere
SELECT * FROM pg_temp.tables_holding((SELECT array_agg(v) FROM forget_values)) ORDER BY tab;
-- the shop row is masked by kind (names masked, contact details cleared, city kept)
SELECT * FROM silo.shop WHERE customer_no = 4;
SELECT * FROM silo.contacts WHERE contact_id = 'C-4';
SELECT message_id, body FROM silo.messages WHERE contact_id = 'C-4' ORDER BY message_id;
-- the audit entry: counts and table names, no personal data
SELECT records, interactions, actions, reference, forgotten_by = current_user AS by_me FROM cu_forget_log;
SELECT cu_customer_card((SELECT customer_id FROM c4)) IS NULL AS no_card,
       (SELECT count(*) FROM cu_customer_360 WHERE customer_id = (SELECT customer_id FROM c4)) AS rows_360;
-- never re-created: not by a new batch run, nor by an update of the masked row in real time
SELECT (cu_load_records() ->> 'records')::int > 0 AS reloaded, (cu_resolve() ->> 'customers')::int > 0 AS resolved;
SELECT cu_enable_realtime('silo.shop') ->> 'realtime' AS realtime;
UPDATE silo.shop SET prenom = 'David', nom = 'Perret' WHERE customer_no = 4;
SELECT count(*) AS staged, (SELECT count(*) FROM cu_identity_map WHERE source_id IN ('4', 'C-4')) AS mapped
FROM cu_records WHERE record_id IN ('4', 'C-4');
SELECT cu_disable_realtime('silo.shop') AS realtime_off;
UPDATE silo.shop SET prenom = '(forgotten)', nom = '(forgotten)' WHERE customer_no = 4;
SELECT (cu_refresh_360(true) ->> 'customers')::int > 0 AS refreshed;
SELECT * FROM pg_temp.tables_holding((SELECT array_agg(v) FROM forget_values)) ORDER BY tab;
SELECT count(*) AS found FROM cu_find_customer(email => 'david.perret4@exemple.fr');
-- twice, or an unknown id: errors
SELECT cu_forget((SELECT customer_id FROM c4));
SELECT cu_forget(-7);
SELECT cu_forget(NULL);

-- deleting instead of masking, chosen per table
SELECT cu_set_forget('silo.contacts', 'delete') ->> 'as_source' AS contacts_delete,
       cu_set_forget('silo.messages', 'delete') ->> 'as_interactions' AS messages_delete;
SELECT cu_set_forget('silo.contacts', 'erase');
SELECT cu_set_forget('resolve_people', 'delete');
SELECT cu_set_forget('silo.shop', NULL);
SELECT r ->> 'records' AS records, r -> 'actions' AS actions
FROM (SELECT cu_forget(customer_id) AS r FROM cu_identity_map WHERE source = 'silo.contacts'::regclass AND source_id = 'C-5') x;
SELECT (SELECT count(*) FROM silo.contacts WHERE contact_id = 'C-5') AS contact_rows,
       (SELECT count(*) FROM silo.messages WHERE contact_id = 'C-5') AS message_rows,
       (SELECT nom FROM silo.shop WHERE customer_no = 5) AS shop_surname;
-- a column that cannot be cleared is named
CREATE TABLE silo.strict (id int PRIMARY KEY, born date NOT NULL, nom text);
INSERT INTO silo.strict VALUES (1, '1970-01-01', 'Zorglub');
SELECT cu_add_source('silo.strict', id => 'id', columns => '{"birth_date": "born", "surname": "nom"}') IS NOT NULL AS added;
SELECT (cu_load_records() ->> 'records')::int > 0 AS loaded, (cu_resolve() ->> 'customers')::int > 0 AS resolved;
SELECT cu_forget(customer_id) FROM cu_identity_map WHERE source = 'silo.strict'::regclass;
SELECT nom FROM silo.strict;
SELECT cu_remove_source('silo.strict');
DROP TABLE silo.strict;

SELECT cu_remove_interactions('silo.purchases'), cu_remove_interactions('silo.messages');
SELECT cu_remove_interactions('silo.messages');
RESET client_min_messages;
