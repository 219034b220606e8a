-- customer_unify: in-database customer unification.
--
-- This install script is assembled from the files of sql/install/, one per
-- step of the pipeline a customer record travels:
--   normalise (fold, names, e-mail, phone) -> compare (edit distances,
--   Jaro-Winkler, names) -> phonetic keys -> ...
-- Every object carries the cu_ prefix and lives in the extension's schema.
-- C functions are IMMUTABLE STRICT PARALLEL SAFE: they depend on their
-- arguments only (and, for folding, on the ICU version, as collations do).

\echo Use "CREATE EXTENSION customer_unify" to load this file. \quit
