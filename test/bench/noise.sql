-- test/bench/noise.sql: the noise the generators put on names, e-mail
-- addresses, phone numbers, birth dates and addresses, and what else the two
-- silo generators share (name lists, nicknames, e-mail styles, birth dates in
-- a household); temporary functions, included with \ir by gen_names.sql,
-- gen_customers.sql, gen_silos.sql and ../demo/gen_demo.sql.
-- Nothing here draws at random: the callers pass their draws (u, r, r1, r2,
-- v), so each script stays seeded.  gen_silos.sql's tables for a given seed
-- feed published benchmark figures: a change here that alters what these
-- functions return alters them too.  gen_demo.sql drops these functions at
-- its end: one added here goes into its list too.

-- drop accents and shout, as a till printing in capitals would
CREATE FUNCTION pg_temp.shout(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT upper(translate(s, 'àâäáçéèêëíîïñóôöúùûüÿÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ', 'aaaaceeeeiiinooouuuuyAAAEEEEIIOOUUUC'))
$$;
-- one keyboard typo at a random position: substitution, deletion, insertion or transposition
CREATE FUNCTION pg_temp.typo(s text, r1 float8, r2 float8) RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN char_length(s) < 4 THEN s || 'e'
		WHEN r2 < 0.25 THEN overlay(s placing substr('aeioulnrst', 1 + (r1 * 10)::int % 10, 1) from 2 + (r1 * (char_length(s) - 2))::int for 1)
		WHEN r2 < 0.5 THEN overlay(s placing '' from 2 + (r1 * (char_length(s) - 2))::int for 1)
		WHEN r2 < 0.75 THEN overlay(s placing substr('aeioulnrst', 1 + (r1 * 10)::int % 10, 1) from 2 + (r1 * (char_length(s) - 2))::int for 0)
		ELSE overlay(s placing reverse(substr(s, 2 + (r1 * (char_length(s) - 3))::int, 2)) from 2 + (r1 * (char_length(s) - 3))::int for 2)
	END
$$;
-- written as heard: the spellings French and English speakers confuse
CREATE FUNCTION pg_temp.phonetic(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
	       regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(s),
		'ph', 'f', 'g'), 'th', 't', 'g'), 'eau', 'o', 'g'), 'au', 'o', 'g'), '(ault|aud|aut)$', 'o'),
		'([^aeiou])t$', '\1d'), 'c([aou])', 'k\1', 'g'), 'qu', 'k', 'g'), 'y', 'i', 'g'),
		'([lmnst])\1', '\1', 'g'), '(ier|ez)$', 'ié')
$$;

-- accents dropped, case kept
CREATE FUNCTION pg_temp.strip(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT translate(s, 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝ',
	                    'aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY')
$$;
-- a name as it goes into an e-mail address or a handle: lower-case ASCII letters, digits and hyphens
CREATE FUNCTION pg_temp.mailword(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(lower(pg_temp.strip(s)), '[^a-z0-9-]+', '', 'g')
$$;
-- 'Jean-Pierre' -> 'JP'
CREATE FUNCTION pg_temp.initials(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(s, '([^- ])[^- ]*[- ]*', '\1', 'g')
$$;

-- (The functions below are SQL functions simple enough to be inlined into the
-- queries that call them; those calling typo, which is not declared
-- immutable, are not declared immutable either, else they would not be
-- inlined.)

-- {given, family} as one record writes them, with at most one kind of noise,
-- chosen by u against the cumulative rates p: typo in the family name, typo in
-- the given name, family name spelt as heard, nickname, swapped, particles
-- glued (Le Goff -> LeGoff), the other family name (maiden or married)
CREATE FUNCTION pg_temp.noisy_name(g text, f text, nick text, alias text, u float8, p float8[],
                                   r1 float8, r2 float8) RETURNS text[] LANGUAGE sql AS $$
	SELECT CASE
		WHEN u < p[1] THEN ARRAY[g, pg_temp.typo(f, r1, r2)]
		WHEN u < p[2] THEN ARRAY[pg_temp.typo(g, r1, r2), f]
		WHEN u < p[3] THEN ARRAY[g, initcap(pg_temp.phonetic(f))]
		WHEN u < p[4] THEN ARRAY[coalesce(nick, g), f]
		WHEN u < p[5] THEN ARRAY[f, g]
		WHEN u < p[6] THEN ARRAY[g, regexp_replace(f, '[ ''-]', '', 'g')]
		WHEN u < p[7] THEN ARRAY[g, coalesce(alias, f)]
		ELSE ARRAY[g, f]
	END
$$;

-- an e-mail address as one record holds it: kind of variant chosen by u
-- against the cumulative rates p: upper case, capitalised words, Gmail dots
-- moved, a +tag, the person's other address, a typo in the domain, a trailing
-- space; otherwise as is
CREATE FUNCTION pg_temp.noisy_email(email text, alt text, u float8, p float8[], r1 float8, r2 float8)
	RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN email IS NULL THEN NULL
		WHEN u < p[1] THEN upper(email)
		WHEN u < p[2] THEN initcap(email)
		WHEN u < p[3] THEN
			CASE WHEN split_part(email, '@', 2) <> 'gmail.com' THEN email
			     WHEN split_part(email, '@', 1) LIKE '%.%' THEN replace(split_part(email, '@', 1), '.', '') || '@gmail.com'
			     ELSE overlay(split_part(email, '@', 1) placing '.'
			                  from 2 + floor(r1 * (length(split_part(email, '@', 1)) - 2))::int for 0) || '@gmail.com'
			END
		WHEN u < p[4] THEN split_part(email, '@', 1) || '+'
			|| (ARRAY['promo', 'shop', 'web', 'news', 'crm', '2023'])[1 + floor(r1 * 6)::int]
			|| '@' || split_part(email, '@', 2)
		WHEN u < p[5] THEN alt
		WHEN u < p[6] THEN split_part(email, '@', 1) || '@' || pg_temp.typo(split_part(email, '@', 2), r1, r2)
		WHEN u < p[7] THEN email || ' '
		ELSE email
	END
$$;

-- a French number in E.164 written in one of six ways (fmt 0 to 5)
CREATE FUNCTION pg_temp.phone_fr(e164 text, fmt int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE fmt
		WHEN 0 THEN regexp_replace('0' || substr(e164, 4), '(\d\d)(?!$)', '\1 ', 'g')        -- 06 12 34 56 78
		WHEN 1 THEN e164                                                                     -- +33612345678
		WHEN 2 THEN '0' || substr(e164, 4)                                                   -- 0612345678
		WHEN 3 THEN '(+33) ' || substr(e164, 4, 1) || '-'
		            || regexp_replace(substr(e164, 5), '(\d\d)(?!$)', '\1-', 'g')            -- (+33) 6-12-34-56-78
		WHEN 4 THEN regexp_replace('0' || substr(e164, 4), '(\d\d)(?!$)', '\1.', 'g')        -- 06.12.34.56.78
		ELSE '+33 ' || substr(e164, 4, 1) || ' '
		     || regexp_replace(substr(e164, 5), '(\d\d)(?!$)', '\1 ', 'g')                   -- +33 6 12 34 56 78
	END
$$;
-- one wrong digit among the last seven
CREATE FUNCTION pg_temp.phone_typo(e164 text, r1 float8, r2 float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT overlay(e164 placing ((substr(e164, length(e164) - floor(r1 * 7)::int, 1)::int + 1 + floor(r2 * 9)::int) % 10)::text
	               from length(e164) - floor(r1 * 7)::int for 1)
$$;
-- a French mobile number in E.164 from a number x in [0, 10^8) unique to the
-- person: 06 or 07 (07 only where followed by 3-9; 0639 and 069 are overseas)
CREATE FUNCTION pg_temp.mobile_fr(x bigint, r float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN x >= 90000000 OR x BETWEEN 39000000 AND 39999999 THEN '+337' || lpad(x::text, 8, '0')
		WHEN x >= 30000000 AND r < 0.4 THEN '+337' || lpad(x::text, 8, '0')
		ELSE '+336' || lpad(x::text, 8, '0')
	END
$$;

-- a birth date as one record holds it: wrong with probability p (day and
-- month swapped, a wrong tens digit of the day, or a wrong last digit of the year)
CREATE FUNCTION pg_temp.noisy_date(d date, u float8, p float8, r float8) RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN d IS NULL OR u >= p THEN d
		WHEN r < 0.4 AND extract(day FROM d) <= 12 AND extract(day FROM d) <> extract(month FROM d)
			THEN make_date(extract(year FROM d)::int, extract(day FROM d)::int, extract(month FROM d)::int)
		WHEN r < 0.7 THEN d + CASE WHEN extract(day FROM d) <= 18 THEN 10 ELSE -10 END
		ELSE make_date(extract(year FROM d)::int - extract(year FROM d)::int % 10
		                 + (extract(year FROM d)::int % 10 + 1 + floor(r * 1000)::int % 9) % 10,
		               extract(month FROM d)::int,
		               CASE WHEN extract(month FROM d) = 2 AND extract(day FROM d) = 29 THEN 28
		                    ELSE extract(day FROM d)::int END)
	END
$$;

-- a French street address written in one of several ways (v), with its complement half the time (r)
CREATE FUNCTION pg_temp.address_fr(num int, bis text, stype text, abbr text, street text, compl text,
                                   v float8, r float8) RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN v < 0.45 THEN num || coalesce(' ' || bis, '') || ' ' || stype || ' ' || street       -- 12 rue de la Paix
		WHEN v < 0.60 THEN num || coalesce(upper(left(bis, 1)), '') || ', ' || abbr || ' ' || lower(street) -- 12, r. de la paix
		WHEN v < 0.80 THEN upper(pg_temp.strip(num || coalesce(' ' || bis, '') || ' ' || stype || ' ' || street))
		WHEN v < 0.90 THEN num || coalesce(bis, '') || ' ' || replace(abbr, '.', '') || ' ' || street -- 12bis r de la Paix
		WHEN v < 0.97 THEN num || coalesce(' ' || bis, '') || ' ' || initcap(stype) || ' ' || street
		ELSE num || coalesce(' ' || bis, '') || ' ' || stype || ' ' || pg_temp.typo(street, r, (v - 0.97) / 0.03)
	END || CASE WHEN compl IS NOT NULL AND r < 0.5 THEN ', ' || compl ELSE '' END
$$;

-- a French town written in one of several ways
CREATE FUNCTION pg_temp.city_fr(city text, postcode text, v float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN city IS NULL THEN NULL
		WHEN v < 0.55 THEN city
		WHEN v < 0.80 THEN upper(pg_temp.strip(city))
		WHEN v < 0.85 THEN lower(city)
		WHEN v < 0.92 AND city ~ '^Saint(e?)-' THEN regexp_replace(city, '^Saint(e?)-', 'St\1-')
		WHEN v < 0.92 AND city IN ('Paris', 'Lyon', 'Marseille')
			THEN city || ' ' || ltrim(right(postcode, 2), '0') || CASE WHEN right(postcode, 2) = '01' THEN 'er' ELSE 'e' END
		WHEN v < 0.96 THEN replace(city, '-', ' ')
		ELSE upper(pg_temp.strip(replace(city, '-', ' ')))
	END
$$;

-- lists both silo generators start from, most common first: 'fr.given.M' and
-- 'fr.given.F' French first names, 'fr.family' French surnames, 'en.family'
-- English surnames, 'fr.street' French street names.  Each generator appends
-- its own names; the order counts (a name is drawn by its rank), so appending
-- here changes what gen_silos.sql draws.
CREATE FUNCTION pg_temp.name_list(list text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE list
	WHEN 'fr.given.M' THEN ARRAY[
	'Jean', 'Pierre', 'Michel', 'Philippe', 'Nicolas', 'Alain', 'Patrick', 'Christophe', 'Daniel', 'Jean-Pierre',
	'Frédéric', 'Laurent', 'Stéphane', 'David', 'Éric', 'Thomas', 'Julien', 'Sébastien', 'Olivier', 'Christian',
	'Jacques', 'Bernard', 'Pascal', 'Thierry', 'François', 'Jean-Claude', 'Dominique', 'Guillaume', 'Alexandre',
	'Vincent', 'Maxime', 'Antoine', 'Mathieu', 'Romain', 'Jérôme', 'Hugo', 'Lucas', 'Théo', 'Louis', 'Gabriel',
	'Arthur', 'Raphaël', 'Jules', 'Noël', 'Gérard', 'René', 'Benoît', 'Jean-Luc', 'Jean-François', 'Jean-Marc',
	'Emmanuel', 'Cédric', 'Yannick', 'Loïc', 'Hervé', 'Didier', 'Bruno', 'Joseph']
	WHEN 'fr.given.F' THEN ARRAY[
	'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Martine', 'Christine', 'Sandrine',
	'Valérie', 'Monique', 'Nicole', 'Anne', 'Véronique', 'Sophie', 'Céline', 'Julie', 'Stéphanie', 'Aurélie',
	'Camille', 'Léa', 'Manon', 'Chloé', 'Emma', 'Marie-Claire', 'Anne-Sophie', 'Marie-Christine', 'Marie-Thérèse',
	'Jacqueline', 'Hélène', 'Élodie', 'Frédérique', 'Dominique', 'Émilie', 'Laura', 'Pauline', 'Mathilde',
	'Océane', 'Clémence', 'Agathe', 'Zoé', 'Inès', 'Anaïs', 'Gaëlle', 'Joséphine', 'Louise', 'Alice', 'Jade',
	'Margaux', 'Cécile', 'Brigitte', 'Chantal', 'Danielle', 'Patricia']
	WHEN 'fr.family' THEN ARRAY[
	'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
	'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel',
	'Girard', 'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand',
	'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin',
	'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson',
	'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger', 'Roche',
	'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Perez', 'Marchand', 'Dufour', 'Blanchard', 'Barbier', 'Brun',
	'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Fernandez', 'Le Goff', 'Le Gall', 'Renault', 'Renaud']
	WHEN 'en.family' THEN ARRAY[
	'Smith', 'Jones', 'Williams', 'Brown', 'Taylor', 'Johnson', 'Wilson', 'Davies', 'Evans', 'Miller', 'Davis',
	'Anderson', 'Moore', 'Jackson', 'White', 'Harris', 'Thompson', 'Young', 'Walker', 'Allen', 'King', 'Wright',
	'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Phillips',
	'Campbell', 'Parker', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan',
	'Cooper', 'Peterson', 'Reed', 'O''Brien', 'McDonald']
	WHEN 'fr.street' THEN ARRAY[
	'de la Paix', 'Victor Hugo', 'de la République', 'Jean Jaurès', 'du Général de Gaulle', 'Pasteur',
	'des Écoles', 'de l''Église', 'du Moulin', 'des Lilas', 'Gambetta', 'Voltaire', 'de la Gare', 'du Château',
	'Émile Zola', 'Nationale', 'des Acacias', 'de Verdun', 'Carnot', 'du Maréchal Foch', 'de la Mairie',
	'des Tilleuls', 'du Stade', 'Saint-Martin', 'de Bretagne', 'des Roses', 'du Commerce', 'de la Liberté',
	'Jules Ferry', 'Anatole France', 'Paul Bert', 'Louis Pasteur', 'des Peupliers', 'du Port', 'de la Fontaine',
	'des Vignes', 'du Lavoir', 'Jean Moulin', 'de Paris', 'de Lyon', 'du 8 Mai 1945', 'du 11 Novembre',
	'Aristide Briand', 'Georges Clemenceau', 'Pierre Curie', 'Marcel Pagnol', 'des Jardins', 'de la Forêt',
	'du Bois', 'des Prés', 'Molière', 'Racine', 'La Fayette', 'de Strasbourg', 'Thiers', 'Alsace-Lorraine',
	'des Cerisiers', 'du Marché', 'Sainte-Anne', 'des Fleurs']
	END
$$;

-- nicknames both silo generators give: (name, its nicknames); each adds its own
CREATE FUNCTION pg_temp.nick_list() RETURNS TABLE(name text, nicks text[]) LANGUAGE sql IMMUTABLE AS $$
	VALUES
		('Jean-Pierre', '{JP,J-P,Jean Pierre}'::text[]), ('Jean-Claude', '{JC,Jean Claude}'),
		('Jean-Luc', '{JL,Jean Luc}'), ('Jean-François', '{JF,Jean François}'), ('Jean-Marc', '{JM,Jean Marc}'),
		('Marie-Claire', '{Marie Claire,MC}'), ('Anne-Sophie', '{Anne Sophie,AS}'),
		('Marie-Christine', '{Marie Christine,Christine}'), ('Marie-Thérèse', '{Marie Thérèse,Maïté}'),
		('Robert', '{Bob,Rob,Bobby}'), ('William', '{Bill,Will,Billy}'), ('John', '{Johnny,Jack}'),
		('Michael', '{Mike,Mick}'), ('Charles', '{Charlie,Chuck}'), ('Matthew', '{Matt}'), ('Anthony', '{Tony}'),
		('Steven', '{Steve}'), ('Andrew', '{Andy,Drew}'), ('Kenneth', '{Ken,Kenny}'), ('Joshua', '{Josh}'),
		('Edward', '{Ed,Ted,Eddie}'), ('Timothy', '{Tim}'), ('Christopher', '{Chris}'), ('Samuel', '{Sam}'),
		('Benjamin', '{Ben}'), ('Henry', '{Harry,Hank}'), ('Nicolas', '{Nico}'), ('Sébastien', '{Seb}'),
		('Christophe', '{Chris}'), ('Frédéric', '{Fred}'), ('Alexandre', '{Alex}'), ('Maxime', '{Max}'),
		('Dominique', '{Dom}'), ('Emmanuel', '{Manu}'), ('Gérard', '{Gégé}'), ('Julien', '{Juju}'),
		('Thomas', '{Tom,Tommy}'), ('Stéphane', '{Steph}'), ('Philippe', '{Phil}'), ('Mathieu', '{Matt}'),
		('Isabelle', '{Isa,Zaza}'), ('Frédérique', '{Fred}'), ('Valérie', '{Val}'), ('Véronique', '{Véro}'),
		('Nathalie', '{Nath}'), ('Sandrine', '{Sandy}'), ('Stéphanie', '{Steph}'),
		('Elizabeth', '{Liz,Beth,Betty}'), ('Margaret', '{Peggy,Maggie}'), ('Jennifer', '{Jenny,Jen}'),
		('Rebecca', '{Becky}'), ('Victoria', '{Vicky}'), ('Susan', '{Sue}'), ('Abigail', '{Abby}'),
		('Jessica', '{Jess}'), ('Joséphine', '{Jo,Josie}')
$$;

-- a household member's birth date: the head's (member 1), a spouse's up to 8
-- years apart (member 2), a grown-up child's 20 to 38 years later (3 and 4),
-- all born by mid-2006; r1, r2 draws in [0, 1)
CREATE FUNCTION pg_temp.member_birth(member int, head_birth date, r1 float8, r2 float8) RETURNS date
	LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN member = 1 THEN head_birth
	            WHEN member = 2 THEN least(head_birth + floor((r1 * 16 - 8) * 365.25)::int, date '2006-06-30')
	            ELSE least(head_birth + floor((20 + r1 * 18) * 365.25)::int,
	                       date '2006-06-30' - floor(r2 * 1500)::int) END
$$;

-- the local part of an e-mail address from a given name g and a family name f
-- (as mailword writes them) in one of nine styles drawn by u: jean.dupont,
-- jeandupont, jean_dupont, jdupont, dupont.jean, jean.dupont75,
-- jeandupont1975, dupont75, j.dupont (stable: to_char)
CREATE FUNCTION pg_temp.mail_local(g text, f text, birth_date date, u float8) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN u < 0.33 THEN g || '.' || f
	            WHEN u < 0.43 THEN g || f
	            WHEN u < 0.48 THEN g || '_' || f
	            WHEN u < 0.62 THEN left(g, 1) || f
	            WHEN u < 0.70 THEN f || '.' || g
	            WHEN u < 0.82 THEN g || '.' || f || to_char(birth_date, 'YY')
	            WHEN u < 0.87 THEN g || f || to_char(birth_date, 'YYYY')
	            WHEN u < 0.92 THEN f || to_char(birth_date, 'YY')
	            ELSE left(g, 1) || '.' || f END
$$;
