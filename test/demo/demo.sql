-- The demo: normalised forms of every record, then each shop customer's best
-- counterpart in the contact centre.
SET search_path = customer_unify, public;
\pset footer off

\echo
\echo '== Silo 1: shop.customers, normalised'
SELECT customer_no AS no,
       prenom || ' ' || nom AS name_as_typed,
       cu_normalize_name(prenom || ' ' || nom) AS name,
       cu_phonetic_fr(cu_normalize_name(nom)) AS phonetic_fr,
       cu_normalize_email(mail) AS email,
       cu_normalize_phone(tel, CASE ville WHEN 'London' THEN 'GB' WHEN 'Berlin' THEN 'DE'
                                          WHEN 'Madrid' THEN 'ES' WHEN 'San Francisco' THEN 'US'
                                          ELSE 'FR' END) AS phone
FROM shop.customers ORDER BY customer_no;

\echo '== Silo 2: callcenter.contacts, normalised'
SELECT contact_id AS id,
       full_name AS name_as_typed,
       cu_normalize_name(full_name) AS name,
       cu_normalize_email(email) AS email,
       cu_normalize_phone(phone, CASE city WHEN 'London' THEN 'GB' WHEN 'Berlin' THEN 'DE'
                                           WHEN 'Madrid' THEN 'ES' WHEN 'SF' THEN 'US'
                                           ELSE 'FR' END) AS phone
FROM callcenter.contacts ORDER BY contact_id;

\echo '== Best counterpart of each shop customer in the contact centre'
\echo '   score = 0.6 x name similarity + 0.2 x same e-mail + 0.2 x same phone'
WITH shop AS (
	SELECT customer_no, prenom || ' ' || nom AS name,
	       cu_normalize_email(mail) AS email,
	       cu_normalize_phone(tel, CASE ville WHEN 'London' THEN 'GB' WHEN 'Berlin' THEN 'DE'
	                                          WHEN 'Madrid' THEN 'ES' WHEN 'San Francisco' THEN 'US'
	                                          ELSE 'FR' END) AS phone
	FROM shop.customers
), cc AS (
	SELECT contact_id, full_name AS name,
	       cu_normalize_email(email) AS email,
	       cu_normalize_phone(phone, CASE city WHEN 'London' THEN 'GB' WHEN 'Berlin' THEN 'DE'
	                                           WHEN 'Madrid' THEN 'ES' WHEN 'SF' THEN 'US'
	                                           ELSE 'FR' END) AS phone
	FROM callcenter.contacts
)
SELECT s.customer_no AS no, s.name AS shop_name, best.contact_id AS id, best.name AS contact_centre_name,
       round(best.name_sim::numeric, 2) AS name_sim, best.same_email, best.same_phone,
       round(best.score::numeric, 2) AS score,
       CASE WHEN best.score >= 0.7 THEN 'same customer'
            WHEN best.score >= 0.5 THEN 'to review'
            ELSE 'different' END AS verdict
FROM shop s
CROSS JOIN LATERAL (
	SELECT c.contact_id, c.name, sim.name_sim,
	       coalesce(s.email = c.email, false) AS same_email,
	       coalesce(s.phone = c.phone, false) AS same_phone,
	       0.6 * sim.name_sim + 0.2 * coalesce(s.email = c.email, false)::int
	                          + 0.2 * coalesce(s.phone = c.phone, false)::int AS score
	FROM cc c
	CROSS JOIN LATERAL (SELECT cu_name_similarity(s.name, c.name) AS name_sim) AS sim
	ORDER BY score DESC, c.contact_id
	LIMIT 1
) AS best
ORDER BY s.customer_no;

\echo '== Unified: 12 shop records and 13 contact-centre records'
WITH pairs AS (
	SELECT s.customer_no, c.contact_id,
	       0.6 * cu_name_similarity(s.prenom || ' ' || s.nom, c.full_name)
	       + 0.2 * coalesce(cu_normalize_email(s.mail) = cu_normalize_email(c.email), false)::int
	       + 0.2 * coalesce(cu_normalize_phone(s.tel, CASE s.ville WHEN 'London' THEN 'GB' WHEN 'Berlin' THEN 'DE'
	                            WHEN 'Madrid' THEN 'ES' WHEN 'San Francisco' THEN 'US' ELSE 'FR' END)
	                      = cu_normalize_phone(c.phone, CASE c.city WHEN 'London' THEN 'GB' WHEN 'Berlin' THEN 'DE'
	                            WHEN 'Madrid' THEN 'ES' WHEN 'SF' THEN 'US' ELSE 'FR' END), false)::int AS score
	FROM shop.customers s CROSS JOIN callcenter.contacts c
)
SELECT (SELECT count(*) FROM shop.customers) + (SELECT count(*) FROM callcenter.contacts) AS records,
       count(*) FILTER (WHERE score >= 0.7) AS linked_pairs,
       (SELECT count(*) FROM shop.customers) + (SELECT count(*) FROM callcenter.contacts)
         - count(*) FILTER (WHERE score >= 0.7) AS customers
FROM pairs;
