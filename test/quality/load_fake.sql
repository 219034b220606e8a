-- test/quality/load_fake.sql: loads Splink's fake_1000 (CSV on psql's standard input) for `make quality`,
-- cleans it, registers it as a customer_unify source and records its truth (column cluster) in q_truth.
--
-- Run:  psql -v ON_ERROR_STOP=1 -f load_fake.sql < fake_1000.csv
--
-- Values are trimmed and empty strings become NULL; dob is YYYY-MM-DD text, parsed by the extension.

CREATE TABLE IF NOT EXISTS q_truth (
	source    regclass NOT NULL,
	source_id text NOT NULL,
	truth     text NOT NULL,
	PRIMARY KEY (source, source_id)
);

CREATE TEMP TABLE fake_raw (unique_id text, first_name text, surname text, dob text, city text, email text,
	cluster text);
\copy fake_raw FROM pstdin WITH (FORMAT csv, HEADER true)

CREATE TABLE fake_1000 AS
SELECT nullif(btrim(unique_id, E' \t\r\n'), '')  AS unique_id,
       nullif(btrim(first_name, E' \t\r\n'), '') AS first_name,
       nullif(btrim(surname, E' \t\r\n'), '')    AS surname,
       nullif(btrim(dob, E' \t\r\n'), '')        AS dob,
       nullif(btrim(city, E' \t\r\n'), '')       AS city,
       nullif(btrim(email, E' \t\r\n'), '')      AS email,
       nullif(btrim(cluster, E' \t\r\n'), '')    AS cluster
FROM fake_raw;
ALTER TABLE fake_1000 ALTER cluster SET NOT NULL, ADD PRIMARY KEY (unique_id);

-- the source the extension sees, without the truth column
CREATE VIEW fake_1000_v AS SELECT unique_id, first_name, surname, dob, city, email FROM fake_1000;

INSERT INTO q_truth SELECT 'fake_1000_v'::regclass, unique_id, cluster FROM fake_1000;

SELECT customer_unify.cu_add_source('fake_1000_v'::regclass, 'unique_id',
	'{"given_name": "first_name", "surname": "surname", "birth_date": "dob", "city": "city", "email": "email"}')
	AS registered;
