
-- ---------------------------------------------------------------------------
-- Charts of a resolution, straight from the tables (drawing in 76_svg.sql).
-- ---------------------------------------------------------------------------

CREATE FUNCTION cu_explain_svg(source_a regclass, id_a text, source_b regclass, id_b text) RETURNS text
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$ SELECT @extschema@.cu_explain_svg(@extschema@.cu_explain(source_a, id_a, source_b, id_b)) $$;
COMMENT ON FUNCTION cu_explain_svg(regclass, text, regclass, text) IS
'cu_explain of two source records drawn as an SVG waterfall chart: one bar per attribute, the running total to the final probability';

CREATE FUNCTION cu_weights_svg(run_id bigint DEFAULT NULL) RETURNS text
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	hist jsonb;
BEGIN
	SELECT r.stats -> 'weight_histogram' INTO hist FROM @extschema@.cu_runs r
	WHERE r.run_id = coalesce(cu_weights_svg.run_id, (SELECT max(x.run_id) FROM @extschema@.cu_runs x));
	IF hist IS NULL THEN
		RAISE EXCEPTION 'no resolution run %', coalesce(run_id::text, 'yet')
			USING ERRCODE = 'no_data_found', HINT = 'Run SELECT cu_resolve(); first.';
	END IF;
	RETURN @extschema@.cu_histogram_svg(hist);
END
$$;
COMMENT ON FUNCTION cu_weights_svg(bigint) IS
'The histogram of the match weights of a resolution run''s candidate pairs (the last run by default) as an SVG chart, the threshold marked';
