
-- ---------------------------------------------------------------------------
-- Pictures: self-contained SVG charts of a match explanation (a waterfall of
-- the evidence, in bits) and of the match weights of a whole run (a
-- histogram with the threshold). Pure SQL, for any client that can show an
-- image: the SVG has no external CSS, fonts or links, and every text in it is
-- XML-escaped, so that it is a well-formed XML document whatever the data.
-- ---------------------------------------------------------------------------

-- The text escaped for XML: & < > " ' as entities, and the control characters
-- XML 1.0 forbids (and tabs and line breaks, which a label does not want) as spaces.
CREATE FUNCTION cu_svg_escape(s text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT replace(replace(replace(replace(replace(
		regexp_replace(s, '[\u0001-\u001f\ufffe\uffff]', ' ', 'g'),
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
$$;
COMMENT ON FUNCTION cu_svg_escape(text) IS
'The text escaped for XML content and attributes, forbidden control characters as spaces (internal, for the SVG charts)';

-- The text cut to an estimated width (in em, as a sans-serif font draws it:
-- 1 for W, M, m, w, the wide East Asian characters and emoji, 0.72 for other
-- capitals, 0.35 for narrow letters and punctuation, 0 for combining marks,
-- 0.6 for the rest), with an ellipsis when cut, and escaped for XML.
-- 14.4 em holds 24 lower-case Latin letters.
CREATE FUNCTION cu_svg_clip(s text, max_em float8) RETURNS text
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	head  text := left(s, (ceil(max_em / 0.35))::int + 1);
	ch    text;
	cp    int;
	w     float8 := 0;
	fit   int := 0;    -- characters that fit with room for the ellipsis
BEGIN
	FOR i IN 1 .. length(head) LOOP
		ch := substr(head, i, 1);
		cp := ascii(ch);
		w := w + CASE
			WHEN cp BETWEEN 768 AND 879 THEN 0                  -- combining diacritics
			WHEN cp BETWEEN 4352 AND 4447 OR cp BETWEEN 11904 AND 42191 OR cp BETWEEN 44032 AND 55203
			  OR cp BETWEEN 63744 AND 64255 OR cp BETWEEN 65040 AND 65135 OR cp BETWEEN 65280 AND 65376
			  OR cp BETWEEN 65504 AND 65510 OR cp >= 127744   -- CJK, Hangul, full width, emoji
			  OR strpos('WMmw@%', ch) > 0 THEN 1.0
			WHEN strpos('iljftrI.,:;''!|() ', ch) > 0 THEN 0.35
			WHEN upper(ch) = ch AND lower(ch) <> ch THEN 0.72
			ELSE 0.6 END;
		IF w > max_em THEN
			RETURN @extschema@.cu_svg_escape(rtrim(left(head, fit))) || '&#8230;';
		END IF;
		IF w <= max_em - 0.8 THEN
			fit := i;
		END IF;
	END LOOP;
	IF length(head) < length(s) THEN   -- only zero-width marks ran past the estimate
		RETURN @extschema@.cu_svg_escape(rtrim(left(head, fit))) || '&#8230;';
	END IF;
	RETURN @extschema@.cu_svg_escape(s);
END
$$;
COMMENT ON FUNCTION cu_svg_clip(text, float8) IS
'The text cut to an estimated width in em, with an ellipsis when cut, escaped for XML (internal, for the SVG charts)';

-- A number as the SVG writes it: rounded to so many decimals, no trailing zeros.
CREATE FUNCTION cu_svg_num(x float8, decimals int) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT CASE WHEN x IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) THEN '0'
	            ELSE regexp_replace(regexp_replace(round(x::numeric, decimals)::text, '(\.[0-9]*?)0+$', '\1'), '\.$', '')
	       END
$$;
COMMENT ON FUNCTION cu_svg_num(float8, int) IS
'A number rounded to so many decimals without trailing zeros, as the SVG charts write coordinates (internal)';

-- A JSON number read for a chart: NULL when absent or null, an error naming
-- it when it is not a number or lies outside [lo, hi].
CREATE FUNCTION cu_svg_json_number(v jsonb, what text, lo float8, hi float8) RETURNS float8
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	END IF;
	IF jsonb_typeof(v) <> 'number' THEN
		RAISE EXCEPTION '% must be a number, got %', what, left(v::text, 100) USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF v::numeric < lo::numeric OR v::numeric > hi::numeric THEN
		RAISE EXCEPTION '% must be between % and %, got %', what, lo, hi, left(v::text, 100)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN v::numeric::float8;
END
$$;
COMMENT ON FUNCTION cu_svg_json_number(jsonb, text, float8, float8) IS
'A JSON number as float8 (NULL when absent or null), or an error naming what is not a number or out of [lo, hi] (internal, for the SVG charts)';

-- The tick step of an axis: 1, 2 or 5 times a power of ten, at least min_step,
-- with no more than max_ticks steps across span.
CREATE FUNCTION cu_svg_step(span float8, max_ticks int, min_step float8) RETURNS float8
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	raw  float8 := greatest(span / max_ticks, min_step);
	mag  float8 := power(10::float8, floor(log(raw)));
	f    float8;
BEGIN
	FOREACH f IN ARRAY ARRAY[1, 2, 5, 10]::float8[] LOOP
		IF f * mag >= raw * (1 - 1e-9) THEN
			RETURN greatest(f * mag, min_step);
		END IF;
	END LOOP;
	RETURN greatest(10 * mag, min_step);
END
$$;
COMMENT ON FUNCTION cu_svg_step(float8, int, float8) IS
'The tick step of a chart axis: 1, 2 or 5 times a power of ten, at least min_step, at most max_ticks steps across span (internal)';

CREATE FUNCTION cu_explain_svg(explanation jsonb) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	-- the layout, in pixels: row labels on the left, bars in the middle, weights on the right
	c_width    CONSTANT int := 960;
	c_text_x   CONSTANT int := 12;
	c_plot_l   CONSTANT int := 390;
	c_plot_r   CONSTANT int := 820;
	c_value_x  CONSTANT int := 832;
	c_top      CONSTANT int := 84;     -- the first row
	c_row      CONSTANT int := 36;
	c_bar      CONSTANT int := 18;
	c_pos      CONSTANT text := '#2e8b57';
	c_neg      CONSTANT text := '#d64541';
	c_pos_dark CONSTANT text := '#1d5e3a';
	c_neg_dark CONSTANT text := '#962d28';
	c_grey     CONSTANT text := '#9a9a9a';
	c_none     CONSTANT text := '<tspan fill="#999">&#8212;</tspan>';
	attrs      jsonb;
	a          jsonb;
	k          int;
	n          int;
	-- the rows: the prior, one per attribute, the total
	kinds      text[] := '{}';          -- prior, attribute, missing, total
	names      text[] := '{}';          -- SVG text, escaped
	details    text[] := '{}';          -- SVG text, escaped
	tips       text[] := '{}';          -- escaped
	wlabels    text[] := '{}';          -- SVG text, escaped
	starts     float8[] := '{}';
	ends       float8[] := '{}';
	what       text;
	w          float8;
	tf         float8;
	lvl        float8;
	is_missing boolean;
	running    float8;
	prior      float8;
	total      float8;
	prob       float8;
	thr        float8;
	thr_w      float8;
	linked     boolean;
	title      text;
	subtitle   text;
	lo         float8;
	hi         float8;
	step       float8;
	scale      float8;
	plot_t     int := c_top - 6;
	plot_b     int;
	height     int;
	x          float8;
	y          int;
	svg        text[] := '{}';
BEGIN
	IF explanation IS NULL THEN
		RETURN NULL;
	END IF;
	IF jsonb_typeof(explanation) <> 'object' THEN
		RAISE EXCEPTION 'explanation must be a JSON object as cu_explain returns, not a JSON %', jsonb_typeof(explanation)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	attrs := explanation -> 'attributes';
	IF attrs IS NULL OR jsonb_typeof(attrs) <> 'array' THEN
		RAISE EXCEPTION 'explanation has no "attributes" array'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Pass the result of cu_explain: {"prior_weight": ..., "attributes": [...], "weight": ..., ...}.';
	END IF;

	-- the rows
	prior := coalesce(@extschema@.cu_svg_json_number(explanation -> 'prior_weight', 'explanation "prior_weight"', -1e6, 1e6), 0);
	kinds := kinds || 'prior'::text;
	names := names || 'prior'::text;
	details := details || 'before comparing any attribute'::text;
	tips := tips || format('prior: %s bits', @extschema@.cu_svg_num(prior, 2));
	wlabels := wlabels || to_char(round(prior::numeric, 1), 'FMS9999990.0');
	starts := starts || 0::float8;
	ends := ends || prior;
	running := prior;
	k := 0;
	FOR a IN SELECT e.value FROM jsonb_array_elements(attrs) WITH ORDINALITY AS e ORDER BY e.ordinality LOOP
		k := k + 1;
		what := format('explanation attribute %s', k);
		IF jsonb_typeof(a) <> 'object' THEN
			RAISE EXCEPTION '% must be a JSON object, got %', what, left(a::text, 100)
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		w := coalesce(@extschema@.cu_svg_json_number(a -> 'weight', what || ' "weight"', -1e6, 1e6), 0);
		tf := coalesce(@extschema@.cu_svg_json_number(a -> 'tf_adjustment', what || ' "tf_adjustment"', -1e6, 1e6), 0);
		lvl := @extschema@.cu_svg_json_number(a -> 'level', what || ' "level"', -1e6, 1e6);
		is_missing := coalesce(lvl = -1, false) OR coalesce(a ->> 'label' = 'missing', false);
		kinds := kinds || CASE WHEN is_missing THEN 'missing' ELSE 'attribute' END;
		names := names || (@extschema@.cu_svg_clip(coalesce(a ->> 'attribute', 'attribute ' || k), 11)
			|| coalesce('<tspan font-size="10" font-weight="normal" fill="#666" dx="6">'
			            || @extschema@.cu_svg_clip(a ->> 'label', 19) || '</tspan>', ''));
		details := details || (coalesce(@extschema@.cu_svg_clip(a ->> 'value_a', 14.4), c_none)
			|| ' <tspan fill="#999">vs</tspan> ' || coalesce(@extschema@.cu_svg_clip(a ->> 'value_b', 14.4), c_none));
		tips := tips || (@extschema@.cu_svg_clip(coalesce(a ->> 'attribute', 'attribute ' || k), 30)
			|| coalesce(': ' || @extschema@.cu_svg_clip(a ->> 'label', 40), '')
			|| coalesce(', m ' || @extschema@.cu_svg_clip(a ->> 'm', 12), '')
			|| coalesce(', u ' || @extschema@.cu_svg_clip(a ->> 'u', 12), '')
			|| format(', weight %s bits', @extschema@.cu_svg_num(w, 2))
			|| CASE WHEN tf <> 0 THEN format(', term frequency %s bits', @extschema@.cu_svg_num(tf, 2)) ELSE '' END);
		wlabels := wlabels || CASE
			WHEN is_missing THEN '<tspan fill="#999" font-style="italic">missing</tspan>'
			WHEN tf <> 0 THEN to_char(round((w + tf)::numeric, 1), 'FMS9999990.0')
			                  || '<tspan font-size="10" fill="#666" dx="4">(tf ' || to_char(round(tf::numeric, 1), 'FMS9999990.0') || ')</tspan>'
			ELSE to_char(round((w + tf)::numeric, 1), 'FMS9999990.0') END;
		starts := starts || running;
		running := running + w + tf;
		ends := ends || running;
	END LOOP;
	total := coalesce(@extschema@.cu_svg_json_number(explanation -> 'weight', 'explanation "weight"', -1e8, 1e8), running);
	kinds := kinds || 'total'::text;
	names := names || 'total'::text;
	details := details || 'match weight: prior plus evidence'::text;
	tips := tips || format('match weight: %s bits', @extschema@.cu_svg_num(total, 2));
	wlabels := wlabels || ('<tspan font-weight="bold">' || to_char(round(total::numeric, 1), 'FMS9999990.0') || '</tspan>');
	starts := starts || 0::float8;
	ends := ends || total;
	n := cardinality(kinds);

	-- probability, threshold, decision
	prob := @extschema@.cu_svg_json_number(explanation -> 'probability', 'explanation "probability"', 0, 1);
	IF prob IS NULL THEN   -- from the weight, without overflow either way
		prob := CASE WHEN total >= 0 THEN 1 / (1 + power(2::float8, -least(total, 1000)))
		             ELSE power(2::float8, greatest(total, -1000)) / (1 + power(2::float8, greatest(total, -1000))) END;
	END IF;
	thr := @extschema@.cu_svg_json_number(explanation -> 'threshold', 'explanation "threshold"', 0, 1);
	thr_w := @extschema@.cu_svg_json_number(explanation -> 'threshold_weight', 'explanation "threshold_weight"', -1e6, 1e6);
	IF thr_w IS NULL AND thr > 0 AND thr < 1 THEN
		thr_w := ln(thr / (1 - thr)) / ln(2::float8);
	END IF;
	IF jsonb_typeof(explanation -> 'linked') = 'boolean' THEN
		linked := (explanation ->> 'linked')::boolean;
	ELSE
		linked := prob >= thr;
	END IF;

	-- the weight axis: zero, every bar and the threshold, on round ticks
	SELECT least(0, min(v), thr_w), greatest(0, max(v), thr_w) INTO lo, hi FROM unnest(starts || ends) AS v;
	IF hi - lo < 4 THEN
		lo := lo - (4 - (hi - lo)) / 2;
		hi := lo + 4;
	END IF;
	step := @extschema@.cu_svg_step(hi - lo, 7, 1);
	lo := floor(lo / step) * step;
	hi := ceil(hi / step) * step;
	scale := (c_plot_r - c_plot_l) / (hi - lo);
	plot_b := c_top + n * c_row + 4;
	height := plot_b + 50;

	-- the title: the two records, the probability and the decision
	title := @extschema@.cu_svg_clip(coalesce(explanation ->> 'source_a', 'record'), 16) || ' '
		|| @extschema@.cu_svg_clip(coalesce(explanation ->> 'id_a', '?'), 10)
		|| ' <tspan font-weight="normal" fill="#666">vs</tspan> '
		|| @extschema@.cu_svg_clip(coalesce(explanation ->> 'source_b', 'record'), 16) || ' '
		|| @extschema@.cu_svg_clip(coalesce(explanation ->> 'id_b', '?'), 10);
	subtitle := 'probability ' || to_char(round((prob * 100)::numeric, 1), 'FM990.0') || '%'
		|| CASE WHEN linked THEN ' &#183; <tspan font-weight="bold" fill="' || c_pos_dark || '">linked</tspan>'
		        WHEN NOT linked THEN ' &#183; <tspan font-weight="bold" fill="' || c_neg_dark || '">not linked</tspan>'
		        ELSE '' END
		|| ' &#183; match weight ' || to_char(round(total::numeric, 1), 'FMS9999990.0') || ' bits'
		|| coalesce(' &#183; threshold ' || @extschema@.cu_svg_num(thr * 100, 1) || '%', '');

	svg := svg || format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif" font-size="12" role="img" style="background-color:#ffffff">',
		c_width, height, c_width, height);
	svg := svg || ('<title>Match explanation: ' || regexp_replace(title, '<[^>]*>', '', 'g') || ', '
		|| regexp_replace(subtitle, '<[^>]*>', '', 'g') || '</title>');
	svg := svg || format('<text x="%s" y="24" font-size="15" font-weight="bold" fill="#222">%s</text>', c_text_x, title);
	svg := svg || format('<text x="%s" y="46" fill="#333">%s</text>', c_text_x, subtitle);

	-- grid and axis
	FOR k IN 0 .. round((hi - lo) / step)::int LOOP
		x := c_plot_l + k * step * scale;
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ececec"/>',
			@extschema@.cu_svg_num(x, 1), plot_t, @extschema@.cu_svg_num(x, 1), plot_b);
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>',
			@extschema@.cu_svg_num(x, 1), plot_b, @extschema@.cu_svg_num(x, 1), plot_b + 4);
		svg := svg || format('<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#333">%s</text>',
			@extschema@.cu_svg_num(x, 1), plot_b + 17, @extschema@.cu_svg_num(lo + k * step, 1));
	END LOOP;
	svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>', c_plot_l, plot_b, c_plot_r, plot_b);
	svg := svg || format('<text x="%s" y="%s" text-anchor="middle" fill="#333">match weight (bits)</text>',
		(c_plot_l + c_plot_r) / 2, plot_b + 38);
	-- the total apart from the evidence
	y := c_top + (n - 1) * c_row;
	svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#bbb"/>', c_text_x, y, c_width - c_text_x, y);

	-- the rows
	FOR k IN 1 .. n LOOP
		y := c_top + (k - 1) * c_row;
		svg := svg || format('<text x="%s" y="%s" font-weight="bold" fill="#222">%s</text>', c_text_x, y + 15, names[k]);
		svg := svg || format('<text x="%s" y="%s" font-size="10" fill="#555">%s</text>', c_text_x, y + 29, details[k]);
		IF kinds[k] = 'missing' THEN
			x := c_plot_l + (starts[k] - lo) * scale;
			svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"><title>%s</title></line>',
				@extschema@.cu_svg_num(x, 1), y + 7, @extschema@.cu_svg_num(x, 1), y + 29, c_grey, tips[k]);
		ELSE
			x := c_plot_l + (least(starts[k], ends[k]) - lo) * scale;
			svg := svg || format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>',
				@extschema@.cu_svg_num(x, 1), y + (c_row - c_bar) / 2,
				@extschema@.cu_svg_num(greatest(abs(ends[k] - starts[k]) * scale, 1), 1), c_bar,
				CASE WHEN kinds[k] = 'total' THEN CASE WHEN ends[k] >= 0 THEN c_pos_dark ELSE c_neg_dark END
				     WHEN ends[k] >= starts[k] THEN c_pos ELSE c_neg END,
				tips[k]);
		END IF;
		-- the waterfall: where the next bar starts (the total's too, unless the
		-- explanation's weight is not the sum of its parts)
		IF k < n - 1 OR (k = n - 1 AND abs(ends[k] - total) < 0.05) THEN
			x := c_plot_l + (ends[k] - lo) * scale;
			svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#888" stroke-dasharray="2 2"/>',
				@extschema@.cu_svg_num(x, 1), y + (c_row + c_bar) / 2, @extschema@.cu_svg_num(x, 1), y + c_row + (c_row - c_bar) / 2);
		END IF;
		svg := svg || format('<text x="%s" y="%s" fill="#222">%s</text>', c_value_x, y + 22, wlabels[k]);
	END LOOP;

	-- zero and the threshold
	x := c_plot_l + (0 - lo) * scale;
	svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>',
		@extschema@.cu_svg_num(x, 1), plot_t, @extschema@.cu_svg_num(x, 1), plot_b);
	IF thr_w IS NOT NULL THEN
		x := c_plot_l + (thr_w - lo) * scale;
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#444" stroke-width="1.5" stroke-dasharray="6 4"/>',
			@extschema@.cu_svg_num(x, 1), plot_t - 4, @extschema@.cu_svg_num(x, 1), plot_b);
		svg := svg || format('<text x="%s" y="%s" font-size="11" text-anchor="%s" fill="#444">threshold %s(%s bits)</text>',
			@extschema@.cu_svg_num(x + CASE WHEN x > (c_plot_l + c_plot_r) / 2 THEN -4 ELSE 4 END, 1), plot_t - 6,
			CASE WHEN x > (c_plot_l + c_plot_r) / 2 THEN 'end' ELSE 'start' END,
			coalesce(@extschema@.cu_svg_num(thr * 100, 1) || '% ', ''), to_char(round(thr_w::numeric, 1), 'FMS9999990.0'));
	END IF;
	svg := svg || '</svg>'::text;
	RETURN array_to_string(svg, E'\n');
END
$$;
COMMENT ON FUNCTION cu_explain_svg(jsonb) IS
'An SVG waterfall chart of a match explanation from cu_explain: the prior, each attribute''s weight (with its term-frequency adjustment) and the total, in bits, with zero and the threshold; NULL for NULL';

CREATE FUNCTION cu_histogram_svg(histogram jsonb) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c_width   CONSTANT int := 900;
	c_height  CONSTANT int := 440;
	c_plot_l  CONSTANT int := 80;
	c_plot_r  CONSTANT int := 870;
	c_plot_t  CONSTANT int := 80;
	c_plot_b  CONSTANT int := 370;
	c_above   CONSTANT text := '#3a9d5d';
	c_below   CONSTANT text := '#c99a9a';
	c_plain   CONSTANT text := '#7a8fa6';
	c_fmt     CONSTANT text := 'FM999,999,999,999,999,999,990';
	hmin      float8;
	hwidth    float8;
	thr       float8;
	thr_w     float8;
	counts    bigint[] := '{}';
	e         jsonb;
	c         numeric;
	k         int;
	nb        int;
	total     numeric := 0;
	above     numeric := 0;
	straddle  numeric := 0;
	maxc      bigint := 0;
	bin_lo    float8;
	lo        float8;
	hi        float8;
	step      float8;
	scale     float8;
	decades   int;
	ybase     float8 := log(0.5::float8);
	yscale    float8;
	every     int;
	x         float8;
	x2        float8;
	y         float8;
	gap       float8;
	subtitle  text;
	svg       text[] := '{}';
BEGIN
	IF histogram IS NULL THEN
		RETURN NULL;
	END IF;
	IF jsonb_typeof(histogram) <> 'object' THEN
		RAISE EXCEPTION 'histogram must be a JSON object such as {"min": -40, "width": 1, "counts": [...], "threshold_weight": 3.17, "threshold": 0.9}, not a JSON %',
			jsonb_typeof(histogram) USING ERRCODE = 'invalid_parameter_value';
	END IF;
	hmin := @extschema@.cu_svg_json_number(histogram -> 'min', 'histogram "min"', -1e6, 1e6);
	IF hmin IS NULL THEN
		RAISE EXCEPTION 'histogram has no "min"' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	hwidth := @extschema@.cu_svg_json_number(histogram -> 'width', 'histogram "width"', -1e6, 1e6);
	IF hwidth IS NULL OR hwidth <= 0 THEN
		RAISE EXCEPTION 'histogram "width" must be a positive number, got %', coalesce((histogram -> 'width')::text, 'nothing')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF jsonb_typeof(histogram -> 'counts') IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'histogram has no "counts" array' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	thr := @extschema@.cu_svg_json_number(histogram -> 'threshold', 'histogram "threshold"', 0, 1);
	thr_w := @extschema@.cu_svg_json_number(histogram -> 'threshold_weight', 'histogram "threshold_weight"', -1e6, 1e6);
	IF thr_w IS NULL AND thr > 0 AND thr < 1 THEN
		thr_w := ln(thr / (1 - thr)) / ln(2::float8);
	END IF;

	-- the counts, and how many pairs lie above the threshold (a range when a bin straddles it)
	FOR e, k IN SELECT t.value, t.ordinality FROM jsonb_array_elements(histogram -> 'counts') WITH ORDINALITY AS t ORDER BY t.ordinality LOOP
		c := CASE WHEN jsonb_typeof(e) = 'number' THEN e::numeric END;
		IF c IS NULL OR c < 0 OR c <> trunc(c) OR c > 9e18 THEN
			RAISE EXCEPTION 'histogram count % must be a whole number of pairs, got %', k, left(e::text, 100)
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		counts := counts || c::bigint;
		total := total + c;
		maxc := greatest(maxc, c::bigint);
		bin_lo := hmin + (k - 1) * hwidth;
		IF bin_lo >= thr_w THEN
			above := above + c;
		ELSIF bin_lo + hwidth > thr_w THEN
			straddle := straddle + c;
		END IF;
	END LOOP;
	nb := cardinality(counts);

	svg := svg || format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif" font-size="12" role="img" style="background-color:#ffffff">',
		c_width, c_height, c_width, c_height);
	IF total = 0 THEN
		svg := svg || '<title>Match weights: no candidate pairs</title>'::text;
		svg := svg || format('<text x="%s" y="26" font-size="15" font-weight="bold" fill="#222">Match weights of candidate pairs</text>', c_plot_l);
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>', c_plot_l, c_plot_b, c_plot_r, c_plot_b);
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>', c_plot_l, c_plot_t, c_plot_l, c_plot_b);
		svg := svg || format('<text x="%s" y="%s" font-size="14" text-anchor="middle" fill="#666">no candidate pairs</text>',
			(c_plot_l + c_plot_r) / 2, (c_plot_t + c_plot_b) / 2);
		svg := svg || '</svg>'::text;
		RETURN array_to_string(svg, E'\n');
	END IF;

	-- x: the bins and the threshold, on ticks every 5, 10, 20, 50... bits
	lo := hmin;
	hi := hmin + nb * hwidth;
	IF thr_w IS NOT NULL THEN
		lo := least(lo, thr_w);
		hi := greatest(hi, thr_w);
	END IF;
	step := @extschema@.cu_svg_step(hi - lo, 12, 5);
	lo := floor(lo / step) * step;
	hi := ceil(hi / step) * step;
	IF hi <= lo THEN
		hi := lo + step;
	END IF;
	scale := (c_plot_r - c_plot_l) / (hi - lo);
	-- y: logarithmic, from half a pair (so that a single pair shows) to the next power of ten
	decades := greatest(1, ceil(log(maxc::float8))::int);
	yscale := (c_plot_b - c_plot_t) / (decades - ybase);
	every := ceil(decades / 8.0)::int;

	IF thr_w IS NULL THEN
		subtitle := 'no threshold given';
	ELSE
		subtitle := to_char(above, c_fmt)
			|| CASE WHEN straddle > 0 THEN ' to ' || to_char(above + straddle, c_fmt) ELSE '' END
			|| ' above the threshold'
			|| coalesce(' of ' || @extschema@.cu_svg_num(thr * 100, 1) || '%', '')
			|| ' (match weight ' || @extschema@.cu_svg_num(thr_w, 2) || ' bits)';
	END IF;
	svg := svg || ('<title>Match weights of ' || to_char(total, c_fmt) || ' candidate pairs, ' || subtitle || '</title>');
	svg := svg || format('<text x="%s" y="26" font-size="15" font-weight="bold" fill="#222">Match weights of %s candidate pairs</text>',
		c_plot_l, to_char(total, c_fmt));
	svg := svg || format('<text x="%s" y="48" fill="#333">%s</text>', c_plot_l, subtitle);

	-- grid and axes
	FOR k IN 0 .. decades LOOP
		y := c_plot_b - (k - ybase) * yscale;
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ececec"/>',
			c_plot_l, @extschema@.cu_svg_num(y, 1), c_plot_r, @extschema@.cu_svg_num(y, 1));
		IF k % every = 0 THEN
			svg := svg || format('<text x="%s" y="%s" font-size="11" text-anchor="end" fill="#333">%s</text>',
				c_plot_l - 6, @extschema@.cu_svg_num(y + 4, 1),
				'1' || repeat('0', k % 3) || (ARRAY['', 'k', 'M', 'G', 'T', 'P', 'E'])[k / 3 + 1]);
		END IF;
	END LOOP;
	FOR k IN 0 .. round((hi - lo) / step)::int LOOP
		x := c_plot_l + k * step * scale;
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>',
			@extschema@.cu_svg_num(x, 1), c_plot_b, @extschema@.cu_svg_num(x, 1), c_plot_b + 4);
		svg := svg || format('<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#333">%s</text>',
			@extschema@.cu_svg_num(x, 1), c_plot_b + 17, @extschema@.cu_svg_num(lo + k * step, 1));
	END LOOP;
	svg := svg || format('<text x="%s" y="%s" text-anchor="middle" fill="#333">match weight (bits)</text>',
		(c_plot_l + c_plot_r) / 2, c_plot_b + 40);
	svg := svg || format('<text transform="translate(22 %s) rotate(-90)" text-anchor="middle" fill="#333">candidate pairs (log scale)</text>',
		(c_plot_t + c_plot_b) / 2);

	-- the bars: none for an empty bin
	FOR k IN 1 .. nb LOOP
		CONTINUE WHEN counts[k] = 0;
		bin_lo := hmin + (k - 1) * hwidth;
		x := c_plot_l + (bin_lo - lo) * scale;
		x2 := c_plot_l + (bin_lo + hwidth - lo) * scale;
		gap := CASE WHEN x2 - x >= 4 THEN 1 ELSE 0 END;
		y := c_plot_b - (log(counts[k]::float8) - ybase) * yscale;
		svg := svg || format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s to %s bits: %s pairs</title></rect>',
			@extschema@.cu_svg_num(x + gap / 2, 2), @extschema@.cu_svg_num(y, 2),
			@extschema@.cu_svg_num(greatest(x2 - x - gap, 0.5), 2), @extschema@.cu_svg_num(c_plot_b - y, 2),
			CASE WHEN thr_w IS NULL THEN c_plain WHEN bin_lo + hwidth / 2 >= thr_w THEN c_above ELSE c_below END,
			@extschema@.cu_svg_num(bin_lo, 2), @extschema@.cu_svg_num(bin_lo + hwidth, 2), to_char(counts[k], c_fmt));
	END LOOP;
	svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>', c_plot_l, c_plot_b, c_plot_r, c_plot_b);
	svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>', c_plot_l, c_plot_t - 6, c_plot_l, c_plot_b);

	-- the threshold
	IF thr_w IS NOT NULL THEN
		x := c_plot_l + (thr_w - lo) * scale;
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1.5" stroke-dasharray="6 4"/>',
			@extschema@.cu_svg_num(x, 1), c_plot_t - 12, @extschema@.cu_svg_num(x, 1), c_plot_b);
		svg := svg || format('<text x="%s" y="%s" font-size="11" text-anchor="%s" fill="#333">threshold%s</text>',
			@extschema@.cu_svg_num(x + CASE WHEN x > (c_plot_l + c_plot_r) / 2 THEN -4 ELSE 4 END, 1), c_plot_t - 4,
			CASE WHEN x > (c_plot_l + c_plot_r) / 2 THEN 'end' ELSE 'start' END,
			coalesce(' ' || @extschema@.cu_svg_num(thr * 100, 1) || '%', ''));
	END IF;
	svg := svg || '</svg>'::text;
	RETURN array_to_string(svg, E'\n');
END
$$;
COMMENT ON FUNCTION cu_histogram_svg(jsonb) IS
'An SVG histogram of the match weights of a run''s candidate pairs (the histogram cu_resolve keeps in its statistics), log-scaled counts, the threshold dashed; NULL for NULL';
