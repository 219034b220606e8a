-- SVG charts: a match explanation as a waterfall, a run's match weights as a histogram.
SET search_path = customer_unify, public;

CREATE TEMP TABLE svg_explanation AS SELECT '{
 "source_a": "shop.customers", "id_a": "123", "source_b": "callcenter.contacts", "id_b": "A-77",
 "prior_weight": -4.12,
 "attributes": [
   {"attribute": "given_name", "value_a": "jean pierre", "value_b": "jp", "level": 2, "label": "nickname, initials or phonetic", "m": 0.08, "u": 0.002, "weight": 5.32, "tf_adjustment": 0.0},
   {"attribute": "surname", "value_a": "dupont", "value_b": "<O''Brien & Co>", "level": 1, "label": "similar", "m": 0.1, "u": 0.0007, "weight": 7.16, "tf_adjustment": -1.3},
   {"attribute": "email", "value_a": null, "value_b": "jp@x.fr", "level": -1, "label": "missing", "m": null, "u": null, "weight": 0, "tf_adjustment": 0},
   {"attribute": "birth_date", "value_a": "1970-01-02", "value_b": "1980-05-06", "level": 3, "label": "different", "m": 0.02, "u": 0.97, "weight": -5.6, "tf_adjustment": 0},
   {"attribute": "address", "value_a": "12 rue du Faubourg Saint-Honoré, 75008 Paris", "value_b": "東京都千代田区千代田一丁目一番地一号の長い住所", "level": 0, "label": "exact", "m": 0.5, "u": 0.01, "weight": 5.64, "tf_adjustment": 0}
 ],
 "weight": 7.1, "probability": 0.9927, "threshold": 0.9, "linked": true}'::jsonb AS e;

-- well-formed XML, sized, self-contained; a rect per bar: prior, 4 attributes present, total
-- (the missing e-mail is a grey tick, not a bar)
SELECT xml_is_well_formed_document(s) AS well_formed,
       s LIKE '<svg xmlns="http://www.w3.org/2000/svg" width="960" height="% viewBox="0 0 960 %' AS svg_root,
       s NOT LIKE '%href%' AND s NOT LIKE '%@import%' AND s NOT LIKE '%url(%' AS self_contained,
       (length(s) - length(replace(s, '<rect', ''))) / length('<rect') AS rects,
       s LIKE '%>missing<%' AS missing_marked,
       s LIKE '%&lt;O&apos;Brien &amp; Co&gt;%' AS escaped,
       s NOT LIKE '%<O''Brien%' AS nothing_raw,
       s LIKE '%東京都%&#8230;%' AS long_value_cut,
       s NOT LIKE '%一号の長い住所%' AS long_value_cut_off,
       s LIKE '%probability 99.3%%' AS probability,
       s LIKE '%>linked<%' AND s NOT LIKE '%not linked%' AS decision,
       s LIKE '%threshold 90% (+3.2 bits)%' AS threshold,
       s LIKE '%>+5.9<tspan%(tf -1.3)%' AS weight_with_tf,
       s LIKE '%>-5.6<%' AS negative_weight,
       s ~ '(x|y|width|height)="-?[0-9]+\.[0-9]{2,}' AS long_decimals
FROM (SELECT cu_explain_svg(e) AS s FROM svg_explanation) t;

-- the title: both records, probability, decision
SELECT regexp_replace(substring(cu_explain_svg(e) FROM '<title>([^<]*)</title>'), '&#183;', '|', 'g') AS title
FROM svg_explanation;

-- no attributes: the prior and the total; certain matches and non-matches, with large weights
SELECT n, xml_is_well_formed_document(s) AS well_formed,
       (length(s) - length(replace(s, '<rect', ''))) / length('<rect') AS rects,
       substring(s FROM 'probability [0-9.]+%') AS probability,
       s ~* 'nan|infinity' AS not_finite
FROM (VALUES
	(0, cu_explain_svg('{"prior_weight": -10, "attributes": [], "weight": -10, "probability": 0.001, "threshold": 0.9}')),
	(1, cu_explain_svg('{"prior_weight": -20, "attributes": [{"attribute": "national_id", "weight": 80}], "weight": 60, "probability": 1.0, "threshold": 0.9}')),
	(2, cu_explain_svg('{"prior_weight": -20, "attributes": [{"attribute": "national_id", "weight": -40}], "weight": -60, "threshold": 0.9}')),
	(3, cu_explain_svg('{"prior_weight": 0, "attributes": [{"attribute": "x", "weight": 0}], "threshold": 1}'))
) AS v(n, s) ORDER BY n;

-- thirty attributes: thirty bars more, the chart taller
SELECT xml_is_well_formed_document(s) AS well_formed,
       (length(s) - length(replace(s, '<rect', ''))) / length('<rect') AS rects,
       substring(s FROM 'height="([0-9]+)"') AS height
FROM (SELECT cu_explain_svg(jsonb_build_object('prior_weight', -8, 'threshold', 0.95, 'attributes',
	(SELECT jsonb_agg(jsonb_build_object('attribute', 'attr_' || i, 'value_a', repeat('a', i), 'value_b', repeat('b', 31 - i),
	                                     'level', 1, 'weight', (i % 7) - 3, 'tf_adjustment', 0.25))
	 FROM generate_series(1, 30) AS i))) AS s) t;

-- every value is escaped, control characters replaced, and what is not text shown as text
SELECT xml_is_well_formed_document(s) AS well_formed,
       s LIKE '%a&quot;b&amp;c d%' AS escaped, s LIKE '%>42 <tspan%' AS number_value
FROM (SELECT cu_explain_svg(jsonb_build_object('attributes', jsonb_build_array(
	jsonb_build_object('attribute', '<script>', 'value_a', E'a"b&c\u0001d', 'value_b', 'x', 'weight', 1),
	jsonb_build_object('attribute', 'n', 'value_a', 42, 'value_b', 43, 'weight', -1)))) AS s) t;

-- NULL gives NULL; bad explanations are errors (invalid_parameter_value) naming the problem
SELECT cu_explain_svg(NULL) IS NULL AS null_explanation;
\set VERBOSITY terse
SELECT cu_explain_svg('[1, 2]');
SELECT cu_explain_svg('{"prior_weight": -4}');
DO $$
DECLARE
	bad text;
BEGIN
	FOREACH bad IN ARRAY ARRAY['null', '{"attributes": {"surname": 1}}', '{"attributes": [1]}',
	                           '{"attributes": [{"attribute": "surname", "weight": "high"}]}',
	                           '{"attributes": [{"attribute": "surname", "weight": 1e9}]}',
	                           '{"attributes": [], "probability": 1.5}', '{"attributes": [], "threshold": -0.1}'] LOOP
		BEGIN
			PERFORM customer_unify.cu_explain_svg(bad::jsonb);
			RAISE NOTICE '%: no error', bad;
		EXCEPTION WHEN invalid_parameter_value THEN
			RAISE NOTICE '%', SQLERRM;
		END;
	END LOOP;
END
$$;
\set VERBOSITY default

-- the histogram: a bar per non-empty bin, zero bins draw nothing
SELECT xml_is_well_formed_document(s) AS well_formed,
       s LIKE '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="440" viewBox="0 0 900 440"%' AS svg_root,
       (length(s) - length(replace(s, '<rect', ''))) / length('<rect') AS rects,
       s LIKE '%Match weights of 1,235,631 candidate pairs%' AS total,
       s LIKE '%100 above the threshold%' AS above,
       s LIKE '%>threshold 90%<%' AS threshold_label,
       s LIKE '%stroke-dasharray%' AS dashed,
       s LIKE '%match weight (bits)%' AND s LIKE '%candidate pairs (log scale)%' AS axis_titles,
       s LIKE '%>1M<%' AS log_axis,
       s ~ '(x|y|width|height)="-?[0-9]+\.[0-9]{3,}' AS long_decimals
FROM (SELECT cu_histogram_svg('{"min": -10, "width": 1, "counts": [0, 3, 0, 17, 1000000, 234000, 0, 0, 1000, 500, 11, 0, 0, 0, 100, 0],
                              "threshold_weight": 3.17, "threshold": 0.9}') AS s) t;
-- x ticks every 5 or 10 bits
SELECT array_agg(m[1] ORDER BY ord) AS x_ticks
FROM regexp_matches(cu_histogram_svg('{"min": -40, "width": 1, "counts": [5, 50, 500], "threshold_weight": 3.17, "threshold": 0.9}'),
                    '<text x="[0-9.]+" y="387" [^>]*>(-?[0-9]+)</text>', 'g') WITH ORDINALITY AS r(m, ord);
-- a bin that straddles the threshold makes the count above it a range
SELECT substring(cu_histogram_svg('{"min": 0, "width": 2, "counts": [10, 20, 30], "threshold": 0.9}') FROM '<title>([^<]*)</title>') AS title;

-- no candidate pairs: a chart that says so
SELECT xml_is_well_formed_document(s) AS well_formed, s LIKE '%no candidate pairs%' AS says_so,
       s NOT LIKE '%<rect%' AS no_bars
FROM (VALUES (cu_histogram_svg('{"min": -40, "width": 1, "counts": [], "threshold_weight": 3.17, "threshold": 0.9}')),
             (cu_histogram_svg('{"min": -40, "width": 1, "counts": [0, 0, 0]}'))) AS v(s);

-- NULL gives NULL; bad histograms are errors (invalid_parameter_value)
SELECT cu_histogram_svg(NULL) IS NULL AS null_histogram;
\set VERBOSITY terse
SELECT cu_histogram_svg('"counts"');
DO $$
DECLARE
	bad text;
BEGIN
	FOREACH bad IN ARRAY ARRAY['[]', '{"width": 1, "counts": [1]}', '{"min": 0, "width": 0, "counts": [1]}',
	                           '{"min": "low", "width": 1, "counts": [1]}', '{"min": 0, "width": 1}',
	                           '{"min": 0, "width": 1, "counts": {"0": 1}}', '{"min": 0, "width": 1, "counts": [1, -2]}',
	                           '{"min": 0, "width": 1, "counts": [1, 2.5]}', '{"min": 0, "width": 1, "counts": [1, "many"]}',
	                           '{"min": 0, "width": 1, "counts": [1], "threshold": 90}'] LOOP
		BEGIN
			PERFORM customer_unify.cu_histogram_svg(bad::jsonb);
			RAISE NOTICE '%: no error', bad;
		EXCEPTION WHEN invalid_parameter_value THEN
			RAISE NOTICE '%', SQLERRM;
		END;
	END LOOP;
END
$$;
\set VERBOSITY default
