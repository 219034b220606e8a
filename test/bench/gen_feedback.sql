-- test/bench/gen_feedback.sql: a seeded generator of short customer feedback texts, in French and in English
-- (about half each), the input of the sentiment benchmark (sentiment.sql).
--
-- psql -v n=1000000 -v seed=0.37 -f gen_feedback.sql creates public.feedback(id, lang, body) with n rows.
-- Each text is what a customer writes after a delivery, a refund or a call: an opening now and then
-- ("Bonjour,", "Order 48213:"), one to four clauses drawn from pools of praise, complaint and plain fact
-- (with negations: "not helpful at all", "n'a jamais répondu"), joined by commas, "and"/"et", "but"/"mais"
-- or full stops; now and then a short verdict, in capitals ("TRÈS DÉÇU") or with an elongated word
-- ("Suuuper"); and an ending: a rating ("2/5", "note : 3/5", "10/10", "★★☆☆☆"), "!!!", "?!", an emoji or an
-- emoticon, or a full stop.  One text in twenty is all in capitals.  Texts have 5 to 30 words (counted as
-- parts are added: a clause that would pass 30 is left out).  The same seed gives the same rows.
--
-- Built in one pass: uniform draws per row (a materialised CTE, so each row draws once), then array
-- indexing and arithmetic; no per-row subquery and no regular expression (a few seconds per million rows).

\if :{?n}
\else
\set n 1000000
\endif
\if :{?seed}
\else
\set seed 0.37
\endif

SET client_min_messages = warning;
SELECT setseed(:seed) \gset

-- the number of words of each element of a list; attached: the element sticks to the word before it
-- unless it starts with a space (", " and "!!!" add no word, " and " and " 2/5" add one)
CREATE FUNCTION pg_temp.word_counts(list text[], attached boolean DEFAULT false) RETURNS int[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT array_agg(CASE WHEN btrim(x) = '' THEN 0
	                      ELSE cardinality(regexp_split_to_array(btrim(x), '\s+'))
	                           - (attached AND x ~ '^\S')::int END ORDER BY o)
	FROM unnest(list) WITH ORDINALITY AS u(x, o)
$$;

DROP TABLE IF EXISTS public.feedback;
CREATE TABLE public.feedback AS
WITH lists AS (
	SELECT
	ARRAY['', '', '', '', 'Hello,', 'Hi,', 'Honestly,', 'Well,', 'To be honest,', 'Order 48213:', 'Dear team,',
	      'Update:', 'Ticket #5521 -', 'Second time writing:', 'Quick feedback:']::text[] AS en_open,
	ARRAY['the delivery was fast and the parcel was well packed',
	      'the delivery took three weeks',
	      'my parcel arrived broken',
	      'the box was damaged and the screen is cracked',
	      'still waiting for my refund after a month',
	      'I got my refund within two days',
	      'your advisor was very helpful and patient',
	      'the advisor on the phone was rude',
	      'customer service was not helpful at all',
	      'nobody answered my emails',
	      'I waited 45 minutes on hold',
	      'the product works exactly as described',
	      'the product stopped working after a week',
	      'great quality for the price',
	      'the app keeps crashing when I pay',
	      'the technician came on time and fixed everything',
	      'the technician never showed up',
	      'I was charged twice for the same order',
	      'the invoice is wrong again',
	      'they replaced the item without any questions',
	      'the size is fine',
	      'I ordered a blue one and received a red one',
	      'the courier left the package in the rain',
	      'excellent service from start to finish',
	      'worst experience I have ever had with an online shop',
	      'the chat agent solved my problem in five minutes',
	      'I called four times and nothing happened',
	      'the tracking number does not work',
	      'not bad but not great either',
	      'the return label was easy to print',
	      'I will never order from you again',
	      'I will definitely order again',
	      'the hotline is closed on saturdays',
	      'the manager apologised and offered a voucher',
	      'the instructions are missing from the box',
	      'the delivery was ok',
	      'super fast delivery, thanks',
	      'the refund never came',
	      'the advisor was really kind',
	      'the package got lost',
	      'no one called me back',
	      'good value for money',
	      'the parcel was not delivered',
	      'very helpful advisor on the chat',
	      'it is not what I expected',
	      'the staff in the shop were friendly',
	      'my complaint was ignored',
	      'thanks a lot for your help']::text[] AS en_clause,
	ARRAY[', ', ', ', ' and ', ' but ', '. ', '. ', ' so ', ' - ']::text[] AS en_join,
	ARRAY['', '', '', 'Thank you', 'Very disappointed', 'Totally useless', 'Really happy with it', 'Fix this please',
	      'I want my money back', 'Would recommend', 'Not impressed', 'Perfect', 'So slow',
	      'VERY DISAPPOINTED', 'AMAZING', 'Sooo slow', 'Loooove it', 'Meh']::text[] AS en_extra,
	ARRAY['', '', '', '!', '!!!', '?!', '...', ' 2/5', ' 5/5', ' 1/5', ' 4/5', ' rating: 3/5', ' 10/10', ' 0/10',
	      ' :)', ' :(', ' 😡', ' 👍', ' 😍', ' 🙁', ' 😀😀', ' ★★☆☆☆']::text[] AS en_end,
	ARRAY['', '', '', '', 'Bonjour,', 'Bonsoir,', 'Franchement,', 'Alors,', 'Pour être honnête,',
	      'Commande 48213 :', 'Madame, Monsieur,', 'Suite à mon appel,', 'Dossier n°5521 -', 'Deuxième relance :',
	      'Petit retour :']::text[] AS fr_open,
	ARRAY['la livraison a été rapide et le colis bien emballé',
	      'la livraison a pris trois semaines',
	      'mon colis est arrivé cassé',
	      'le carton était abîmé et l''écran est fêlé',
	      'j''attends toujours mon remboursement depuis un mois',
	      'j''ai été remboursé en deux jours',
	      'votre conseiller a été très aimable et patient',
	      'le conseiller au téléphone était désagréable',
	      'le service client ne sert à rien',
	      'personne n''a répondu à mes mails',
	      'j''ai attendu 45 minutes au téléphone',
	      'le produit fonctionne comme prévu',
	      'le produit ne marche plus après une semaine',
	      'super qualité pour le prix',
	      'l''application plante au moment de payer',
	      'le technicien est venu à l''heure et a tout réparé',
	      'le technicien n''est jamais venu',
	      'j''ai été débité deux fois pour la même commande',
	      'la facture est encore fausse',
	      'ils ont remplacé l''article sans discuter',
	      'la taille me convient',
	      'j''ai commandé un bleu et reçu un rouge',
	      'le livreur a laissé le colis sous la pluie',
	      'service impeccable du début à la fin',
	      'pire expérience que j''ai jamais eue avec un site',
	      'la conseillère du chat a réglé mon problème en cinq minutes',
	      'j''ai appelé quatre fois et rien ne bouge',
	      'le numéro de suivi ne fonctionne pas',
	      'pas mal mais pas génial non plus',
	      'l''étiquette de retour était facile à imprimer',
	      'je ne commanderai plus jamais chez vous',
	      'je recommanderai sans hésiter',
	      'la hotline est fermée le samedi',
	      'le responsable s''est excusé et m''a offert un bon d''achat',
	      'la notice manque dans le carton',
	      'livraison correcte, rien à dire',
	      'livraison super rapide, merci',
	      'le remboursement n''est jamais arrivé',
	      'la conseillère était vraiment gentille',
	      'le colis a été perdu',
	      'personne ne m''a rappelé',
	      'bon rapport qualité prix',
	      'le colis n''a pas été livré',
	      'conseiller très serviable sur le chat',
	      'ce n''est pas du tout ce que j''attendais',
	      'le personnel du magasin était sympa',
	      'ma réclamation a été ignorée',
	      'merci beaucoup pour votre aide']::text[] AS fr_clause,
	ARRAY[', ', ', ', ' et ', ' mais ', '. ', '. ', ' donc ', ' - ']::text[] AS fr_join,
	ARRAY['', '', '', 'Merci', 'Très déçu', 'Nul', 'Très contente', 'À corriger svp', 'Je veux être remboursé',
	      'Je recommande', 'Bof', 'Parfait', 'Trop lent', 'TRÈS DÉÇU', 'GÉNIAL', 'Suuuper', 'Trop bien',
	      'Inadmissible']::text[] AS fr_extra,
	ARRAY['', '', '', '!', '!!!', '?!', '...', ' 2/5', ' 5/5', ' 1/5', ' 4/5', ' note : 3/5', ' 10/10', ' 0/10',
	      ' :)', ' :(', ' 😡', ' 👍', ' 😍', ' 🙁', ' 😀😀', ' ★★☆☆☆']::text[] AS fr_end
), by_lang AS (
	-- one row per language: its lists (the first three verdicts are empty)
	SELECT 'fr' AS lang, fr_open AS open_l, fr_clause AS clause_l, fr_join AS join_l, fr_extra AS extra_l,
	       fr_end AS end_l FROM lists
	UNION ALL
	SELECT 'en', en_open, en_clause, en_join, en_extra, en_end FROM lists
), langs AS MATERIALIZED (
	-- and their word counts
	SELECT l.*, pg_temp.word_counts(open_l) AS open_w, pg_temp.word_counts(clause_l) AS clause_w,
	       pg_temp.word_counts(join_l, true) AS join_w, pg_temp.word_counts(extra_l) AS extra_w,
	       pg_temp.word_counts(end_l, true) AS end_w
	FROM by_lang l
), draws AS MATERIALIZED (
	-- one row per text: its language, the number of clauses it wants (1 to 4) and uniform draws in [0, 1)
	SELECT g AS id, CASE WHEN random() < 0.5 THEN 'fr' ELSE 'en' END AS lang,
	       width_bucket(random(), ARRAY[0, 0.30, 0.65, 0.90]::float8[]) AS clauses,
	       random() AS u_open, random() AS u_c1, random() AS u_c2, random() AS u_c3, random() AS u_c4,
	       random() AS u_j1, random() AS u_j2, random() AS u_j3, random() AS u_extra, random() AS u_end,
	       random() AS u_caps
	FROM generate_series(1, :n) AS g
), picks AS (
	-- the index of each part in its list; a text of one clause always has a verdict (so 5 words or more)
	SELECT d.id, lang, d.clauses, d.u_caps, l.open_l, l.clause_l, l.join_l, l.extra_l, l.end_l,
	       l.open_w, l.clause_w, l.join_w, l.extra_w, l.end_w,
	       1 + floor(d.u_open * cardinality(l.open_l))::int AS i_open,
	       1 + floor(d.u_c1 * cardinality(l.clause_l))::int AS i_c1,
	       1 + floor(d.u_c2 * cardinality(l.clause_l))::int AS i_c2,
	       1 + floor(d.u_c3 * cardinality(l.clause_l))::int AS i_c3,
	       1 + floor(d.u_c4 * cardinality(l.clause_l))::int AS i_c4,
	       1 + floor(d.u_j1 * cardinality(l.join_l))::int AS i_j1,
	       1 + floor(d.u_j2 * cardinality(l.join_l))::int AS i_j2,
	       1 + floor(d.u_j3 * cardinality(l.join_l))::int AS i_j3,
	       CASE WHEN d.clauses = 1 THEN 4 + floor(d.u_extra * (cardinality(l.extra_l) - 3))::int
	            ELSE 1 + floor(d.u_extra * cardinality(l.extra_l))::int END AS i_extra,
	       1 + floor(d.u_end * cardinality(l.end_l))::int AS i_end
	FROM draws d JOIN langs l USING (lang)
), counted AS (
	-- words of the first clause with its opening, of the verdict and ending, and of each further clause
	SELECT p.*, p.open_w[p.i_open] + p.clause_w[p.i_c1] AS n1,
	       p.extra_w[p.i_extra] + p.end_w[p.i_end] AS tail,
	       p.join_w[p.i_j1] + p.clause_w[p.i_c2] AS n_c2,
	       p.join_w[p.i_j2] + p.clause_w[p.i_c3] AS n_c3,
	       p.join_w[p.i_j3] + p.clause_w[p.i_c4] AS n_c4
	FROM picks p
), kept AS (
	-- further clauses as wanted, while the text stays within 30 words
	SELECT c.*,
	       c.clauses >= 2 AND c.n1 + c.n_c2 + c.tail <= 30 AS with_c2,
	       c.clauses >= 3 AND c.n1 + c.n_c2 + c.n_c3 + c.tail <= 30 AS with_c3,
	       c.clauses >= 4 AND c.n1 + c.n_c2 + c.n_c3 + c.n_c4 + c.tail <= 30 AS with_c4
	FROM counted c
), texts AS (
	SELECT k.id, k.lang, k.u_caps,
	       CASE WHEN k.open_l[k.i_open] = ''
	            THEN upper(left(k.clause_l[k.i_c1], 1)) || substr(k.clause_l[k.i_c1], 2)
	            ELSE k.open_l[k.i_open] || ' ' || k.clause_l[k.i_c1] END
	       || CASE WHEN k.with_c2 THEN k.join_l[k.i_j1] || k.clause_l[k.i_c2] ELSE '' END
	       || CASE WHEN k.with_c3 THEN k.join_l[k.i_j2] || k.clause_l[k.i_c3] ELSE '' END
	       || CASE WHEN k.with_c4 THEN k.join_l[k.i_j3] || k.clause_l[k.i_c4] ELSE '' END
	       || CASE WHEN k.extra_l[k.i_extra] = '' THEN '' ELSE '. ' || k.extra_l[k.i_extra] END
	       || CASE WHEN k.end_l[k.i_end] = '' THEN '.' ELSE k.end_l[k.i_end] END AS body
	FROM kept k
)
SELECT id, lang, CASE WHEN u_caps < 0.05 THEN upper(body) ELSE body END AS body
FROM texts
ORDER BY id;

ALTER TABLE public.feedback ADD PRIMARY KEY (id);
VACUUM ANALYZE public.feedback;
