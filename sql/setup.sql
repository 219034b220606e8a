-- Installation: schema, labels and comments of every object.
CREATE EXTENSION customer_unify;

-- everything lives in the extension's schema
SELECT e.extname, n.nspname AS schema, e.extrelocatable
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'customer_unify';

-- the functions, with their volatility, strictness and parallel labels
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility,
       p.proisstrict AS strict, p.proparallel AS parallel
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'customer_unify'
ORDER BY p.oid::regprocedure::text;

-- every object of the extension carries a comment, and the cu_ prefix unless
-- it is an operator (a symbol)
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS missing_comment_or_prefix
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'customer_unify'
WHERE d.deptype = 'e'
  AND (obj_description(d.objid, d.classid::regclass::name) IS NULL
       OR (d.classid <> 'pg_operator'::regclass
           AND pg_describe_object(d.classid, d.objid, d.objsubid) !~ '[ .]cu_'));

-- a hostile search_path does not change what the functions do
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'pwned' $$;
SET search_path = hostile, pg_catalog, customer_unify;
SELECT cu_fold('ÉLODIE'), cu_normalize_email('A@B.FR');
RESET search_path;
DROP SCHEMA hostile CASCADE;
