-- test/quality/load_febrl.sql: loads one FEBRL file (CSV on psql's standard input) for `make quality`,
-- cleans it, registers it as a customer_unify source and records its truth in q_truth.
--
-- Variables: tbl   the table to create (its view is tbl_v, the registered source)
--            ssid  true to register soc_sec_id as national_id, false to leave it out
-- Run:  psql -v ON_ERROR_STOP=1 -v tbl=febrl3 -v ssid=false -f load_febrl.sql < febrl_dataset3.csv
--
-- The files put a space after each comma, dataset4a has CRLF line ends and blanks are empty: every value
-- is trimmed and empty strings become NULL.  Truth: rec-N-org and rec-N-dup-K are the same person N.

\set view :tbl '_v'

-- the truth of every evaluated record, keyed like cu_identity_map (read by measure.sql)
CREATE TABLE IF NOT EXISTS q_truth (
	source    regclass NOT NULL,
	source_id text NOT NULL,
	truth     text NOT NULL,
	PRIMARY KEY (source, source_id)
);

CREATE TEMP TABLE febrl_raw (rec_id text, given_name text, surname text, street_number text, address_1 text,
	address_2 text, suburb text, postcode text, state text, date_of_birth text, soc_sec_id text);
\copy febrl_raw FROM pstdin WITH (FORMAT csv, HEADER true)

CREATE TABLE :"tbl" AS
SELECT nullif(btrim(rec_id, E' \t\r\n'), '')        AS rec_id,
       nullif(btrim(given_name, E' \t\r\n'), '')    AS given_name,
       nullif(btrim(surname, E' \t\r\n'), '')       AS surname,
       nullif(btrim(street_number, E' \t\r\n'), '') AS street_number,
       nullif(btrim(address_1, E' \t\r\n'), '')     AS address_1,
       nullif(btrim(address_2, E' \t\r\n'), '')     AS address_2,
       nullif(btrim(suburb, E' \t\r\n'), '')        AS suburb,
       nullif(btrim(postcode, E' \t\r\n'), '')      AS postcode,
       nullif(btrim(state, E' \t\r\n'), '')         AS state,
       nullif(btrim(date_of_birth, E' \t\r\n'), '') AS date_of_birth,
       nullif(btrim(soc_sec_id, E' \t\r\n'), '')    AS soc_sec_id,
       substring(btrim(rec_id, E' \t\r\n') FROM '^rec-([0-9]+)-(org|dup-[0-9]+)$') AS truth
FROM febrl_raw;
-- every record has an id of the expected form, once
ALTER TABLE :"tbl" ALTER truth SET NOT NULL, ADD PRIMARY KEY (rec_id);

-- what the extension sees: street number and street as one address
CREATE VIEW :"view" AS
SELECT rec_id, given_name, surname,
       nullif(concat_ws(' ', street_number, address_1), '') AS address,
       address_2, suburb, postcode, state, date_of_birth, soc_sec_id
FROM :"tbl";

INSERT INTO q_truth SELECT :'view'::regclass, rec_id, truth FROM :"tbl";

SELECT customer_unify.cu_add_source(:'view'::regclass, 'rec_id',
	jsonb_build_object(
		'given_name', 'given_name',
		'surname',    'surname',
		'address',    'address',
		'address_2',  jsonb_build_object('column', 'address_2', 'comparator', 'text'),
		'city',       'suburb',
		'postcode',   'postcode',
		'birth_date', 'date_of_birth',
		'state',      jsonb_build_object('column', 'state', 'comparator', 'exact'))
	|| CASE WHEN :'ssid'::boolean THEN '{"national_id": "soc_sec_id"}'::jsonb ELSE '{}' END) AS registered;
