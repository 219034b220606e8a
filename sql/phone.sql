-- Phone numbers to E.164: cu_normalize_phone.
SET search_path = customer_unify, public;

-- every way of writing one French mobile gives one E.164 number (region FR by default)
SELECT input, cu_normalize_phone(input) AS e164
FROM (VALUES
  ('06 12 34 56 78'),
  ('0033 6 12 34 56 78'),
  ('+33 (0)6 12-34-56-78'),
  ('+33612345678'),
  ('0612345678'),
  ('06.12.34.56.78'),
  ('(+33) 6 12 34 56 78'),
  ('+33 06 12 34 56 78'),
  ('33 6 12 34 56 78'),
  ('612345678'),
  ('tel:+33-6-12-34-56-78'),
  ('  06/12/34/56/78  ')
) AS t(input);

-- France: geographic, mobile, toll-free, VoIP; wrong lengths and prefixes are not numbers
SELECT input, cu_normalize_phone(input, 'FR') AS e164
FROM (VALUES
  ('01 23 45 67 89'),
  ('04 72 10 30 30'),
  ('07 12 34 56 78'),
  ('0 800 123 456'),
  ('09 87 65 43 21'),
  ('+33 1 23 45 67 89'),
  ('06 12 34 56 7'),
  ('06 12 34 56 789'),
  ('+33 6 12 34 56 7'),
  ('+33 0 12 34 56 78')
) AS t(input);

-- French overseas departments share the French plan but have their own country codes
SELECT input, region, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('0262 12 34 56', 'FR'),
  ('0692 12 34 56', 'FR'),
  ('0692 12 34 56', 'RE'),
  ('06 12 34 56 78', 'RE'),
  ('0269 61 23 45', 'YT'),
  ('0639 01 23 45', 'YT'),
  ('0590 20 12 34', 'GP'),
  ('0690 00 12 34', 'BL'),
  ('0594 10 12 34', 'GF'),
  ('0696 20 12 34', 'MQ'),
  ('+33 6 96 20 12 34', 'FR'),
  ('+262 (0)692 12 34 56', 'FR'),
  ('+262 6 12 34 56 78', 'FR')
) AS t(input, region);

-- Belgium, Switzerland, Luxembourg
SELECT input, region, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('0470 12 34 56', 'BE'),
  ('02 123 45 67', 'BE'),
  ('+32 (0)4 223 45 67', 'FR'),
  ('0470 12 34 5', 'BE'),
  ('044 668 18 00', 'CH'),
  ('079 123 45 67', 'CH'),
  ('+41 (0)79 123 45 67', 'FR'),
  ('079 123 45 6', 'CH'),
  ('621 123 456', 'LU'),
  ('4796-1', 'LU'),
  ('+352 26 12 34 56', 'FR'),
  ('621 123 45', 'LU')
) AS t(input, region);

-- Germany, Spain, Italy (Italian fixed numbers keep their 0 after +39)
SELECT input, region, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('030 12345678', 'DE'),
  ('0151 12345678', 'DE'),
  ('0171 1234567', 'DE'),
  ('+49 (0)89 123456', 'FR'),
  ('0151 1234567', 'DE'),
  ('612 34 56 78', 'ES'),
  ('91 123 45 67', 'ES'),
  ('+34 912 345 678', 'FR'),
  ('412 34 56 78', 'ES'),
  ('06 1234 5678', 'IT'),
  ('338 123 4567', 'IT'),
  ('+39 06 1234 5678', 'FR'),
  ('+39 (0)6 1234 5678', 'FR'),
  ('+39 6 1234 5678', 'FR')
) AS t(input, region);

-- United Kingdom and the NANP (trunk 1 optional, international prefix 011)
SELECT input, region, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('020 7946 0958', 'GB'),
  ('07911 123456', 'GB'),
  ('+44 (0)20 7946 0958', 'FR'),
  ('07911 12345', 'GB'),
  ('(415) 555-2671', 'US'),
  ('1-415-555-2671', 'US'),
  ('+1 416 555 0199', 'FR'),
  ('011 33 6 12 34 56 78', 'US'),
  ('011 44 20 7946 0958', 'CA'),
  ('0033 6 12 34 56 78', 'US'),
  ('(123) 555-2671', 'US'),
  ('(415) 911-2671', 'US'),
  ('555-2671', 'US')
) AS t(input, region);

-- Netherlands, Portugal, Ireland, Austria, Monaco
SELECT input, region, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('06 12345678', 'NL'),
  ('020 123 4567', 'NL'),
  ('06 1234567', 'NL'),
  ('912 345 678', 'PT'),
  ('21 123 4567', 'PT'),
  ('+351 412 345 678', 'FR'),
  ('087 123 4567', 'IE'),
  ('01 234 5678', 'IE'),
  ('087 123 456', 'IE'),
  ('0664 1234567', 'AT'),
  ('+43 (0)1 234 5678', 'FR'),
  ('01 23', 'AT'),
  ('06 12 34 56 78', 'MC'),
  ('93 15 20 00', 'MC'),
  ('+377 12 34 56 78', 'FR')
) AS t(input, region);

-- Morocco, Algeria, Tunisia
SELECT input, region, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('06 12 34 56 78', 'MA'),
  ('0522 12 34 56', 'MA'),
  ('+212 (0)6 12 34 56 78', 'FR'),
  ('0412 34 56 78', 'MA'),
  ('0550 12 34 56', 'DZ'),
  ('021 12 34 56', 'DZ'),
  ('+213 550 12 34 56', 'FR'),
  ('0550 12 34 5', 'DZ'),
  ('20 123 456', 'TN'),
  ('71 123 456', 'TN'),
  ('+216 20 123 456', 'FR'),
  ('61 123 456', 'TN')
) AS t(input, region);

-- other countries: any assigned country code, at most 15 digits in all
SELECT input, cu_normalize_phone(input, 'FR') AS e164
FROM (VALUES
  ('+7 495 123 45 67'),
  ('+86 138 0013 8000'),
  ('+30 (0)21 0123 4567'),
  ('+225 (0)7 12 34 56 78'),
  ('+683 1234'),
  ('+683 123'),
  ('+999 123'),
  ('+999 1234 5678'),
  ('+86 1380 0138 0001 2'),
  ('+86 1380 0138 0001 23')
) AS t(input);

-- extensions end the number and are dropped
SELECT input, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('06 12 34 56 78 ext 12', 'FR'),
  ('06 12 34 56 78 ext. 12', 'FR'),
  ('01 23 45 67 89 poste 123', 'FR'),
  ('01 23 45 67 89 p. 123', 'FR'),
  ('01 23 45 67 89 #123', 'FR'),
  ('tel:+33-1-23-45-67-89;ext=123', 'FR'),
  ('415-555-2671 x123', 'US'),
  ('(415) 555-2671 extension 9', 'US'),
  ('ext 0612345678', 'FR')
) AS t(input, region);

-- not phone numbers: letters, stray symbols, two numbers, nothing
SELECT input, cu_normalize_phone(input) AS e164
FROM (VALUES
  ('06 12 34 AB 78'),
  ('Tel. 06 12 34 56 78'),
  ('1-800-FLOWERS'),
  ('0612345678, 0698765432'),
  ('06 12 34 56 78 / 06 98 76 54 32'),
  ('06+12345678'),
  ('++33612345678'),
  ('*31#0612345678'),
  ('+'),
  ('00'),
  (''),
  ('   ')
) AS t(input);

-- Unicode: full-width, Arabic-Indic digits; no-break and other spaces, dashes, invisible marks
SELECT label, cu_normalize_phone(input, region) AS e164
FROM (VALUES
  ('full-width digits', U&'\FF10\FF16\FF11\FF12\FF13\FF14\FF15\FF16\FF17\FF18', 'FR'),
  ('full-width plus', U&'\FF0B\FF13\FF13 6 12 34 56 78', 'FR'),
  ('Arabic-Indic digits', U&'\0660\0666\0661\0662\0663\0664\0665\0666\0667\0668', 'MA'),
  ('no-break spaces', U&'06\00A012\00A034\00A056\00A078', 'FR'),
  ('narrow no-break spaces', U&'06\202F12\202F34\202F56\202F78', 'FR'),
  ('en and em dashes', U&'06\201312\201434\201356\201478', 'FR'),
  ('zero-width space, BOM', U&'\FEFF06\200B12345678', 'FR'),
  ('full-width brackets', U&'+33\FF080\FF096 12 34 56 78', 'FR'),
  ('accented letter', U&'06 12 34 56 7\00E9', 'FR'),
  ('superscript digits', U&'\00B9\00B2\00B3\00B9\00B2\00B3\00B9\00B2\00B3', 'FR')
) AS t(label, input, region);

-- region codes are case-insensitive; UK is accepted for GB
SELECT cu_normalize_phone('06 12 34 56 78', 'fr') AS fr,
       cu_normalize_phone('0470 12 34 56', 'Be') AS be,
       cu_normalize_phone('07911 123456', 'uk') AS uk,
       cu_normalize_phone('(415) 555-2671', 'us') AS us;

-- a normalized number normalizes to itself whatever the region
SELECT count(*) AS checked,
       count(*) FILTER (WHERE cu_normalize_phone(e164, region) IS DISTINCT FROM e164) AS changed
FROM (VALUES ('+33612345678'), ('+262692123456'), ('+3221234567'), ('+390612345678'),
             ('+14155552671'), ('+447911123456'), ('+352621123456'), ('+74951234567')) AS n(e164),
     (VALUES ('FR'), ('RE'), ('BE'), ('IT'), ('US'), ('GB'), ('LU'), ('TN')) AS r(region);

-- the customers of two silos meet on their normalized numbers
SELECT a.name, b.name AS same_as, cu_normalize_phone(a.phone, a.country) AS e164
FROM (VALUES ('Jean Dupont', '06 12 34 56 78', 'FR'),
             ('Marie Peeters', '0470 12 34 56', 'BE')) AS a(name, phone, country)
JOIN (VALUES ('DUPONT Jean', '+33 (0)6 12-34-56-78', 'DE'),
             ('PEETERS Marie', '0032 470 12 34 56', 'FR')) AS b(name, phone, country)
  ON cu_normalize_phone(a.phone, a.country) = cu_normalize_phone(b.phone, b.country)
ORDER BY 1;

-- very long input: NULL at once
SELECT cu_normalize_phone(repeat('1', 1000000)) IS NULL AS one_mb_of_digits,
       cu_normalize_phone(repeat(' ', 1000000) || '0612345678') IS NULL AS one_mb_of_spaces,
       cu_normalize_phone(repeat('0612345678 ', 100000)) IS NULL AS many_numbers;

-- strict: NULL in, NULL out
SELECT cu_normalize_phone(NULL) IS NULL AS null_phone,
       cu_normalize_phone('06 12 34 56 78', NULL) IS NULL AS null_region;

-- an unsupported region is an error naming it
SELECT cu_normalize_phone('06 12 34 56 78', 'ZZ');
SELECT cu_normalize_phone('06 12 34 56 78', 'FRA');
SELECT cu_normalize_phone('06 12 34 56 78', '');
