# test/quality/sentiment.sh: the feedback-sentiment part of `make quality` (sourced by run_quality.sh, not run;
# it runs by default, or alone with QUALITY_ONLY=sentiment).  Measures cu_sentiment and cu_sentiment_detail on
# the labelled sets under DATA_DIR/sentiment, read in place: VADER's Amazon and movie review snippets (English,
# mean human rating in [-4, 4]) and the DEFT 2017 tweets (French, three labels).  In run_quality.sh's cluster,
# a fresh database: the files are streamed through psql's standard input (COPY ... FROM STDIN: the server
# reads no file), the English ones without their byte-order mark and carriage returns; sentiment.sql scores
# every text with its language given and detected, and prints the markdown report (one table of metrics
# against the targets, the confusion matrices).

# q_sentiment_files: the data files of the sentiment part
q_sentiment_files() {
	echo "$q_data/sentiment/en/amazonReviewSnippets_GroundTruth.txt" \
		"$q_data/sentiment/en/movieReviewSnippets_GroundTruth.txt" \
		"$q_data/sentiment/fr/deft2017_tweets_dev.csv"
}

# q_sentiment_stream FILE: the file on standard output without a leading UTF-8 byte-order mark and CRs at
# line ends
q_sentiment_stream() {
	sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' "$1"
}

# q_sentiment_run_one sentiment: a fresh database, load, score and measure; leaves $q_dir/sentiment.report
# (sentiment.sql's markdown) and $q_dir/sentiment.summary (one line per set: the target metric, with the
# language given and detected)
q_sentiment_run_one() {
	local db=q_$1 f tbl
	cu_psql "$q_dir/db" postgres -q -c "CREATE DATABASE $db"
	cu_psql "$q_dir/db" "$db" -q -c "CREATE EXTENSION customer_unify" -c "
		CREATE TABLE q_sentiment_amazon (id text, rating text, body text);
		CREATE TABLE q_sentiment_movies (id text, rating text, body text);
		CREATE TABLE q_sentiment_deft (label text, label_name text, body text);"

	for f in $(q_sentiment_files); do
		case $f in
		*/amazonReviewSnippets_GroundTruth.txt | */movieReviewSnippets_GroundTruth.txt)
			# tab-separated, quotes are text: CSV with a quote character that never occurs
			tbl=q_sentiment_amazon
			[[ $f != */movieReviewSnippets_* ]] || tbl=q_sentiment_movies
			q_sentiment_stream "$f" | cu_psql "$q_dir/db" "$db" -q \
				-c "COPY $tbl FROM STDIN WITH (FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x01')" ;;
		*/deft2017_tweets_dev.csv)
			q_sentiment_stream "$f" | cu_psql "$q_dir/db" "$db" -q \
				-c "COPY q_sentiment_deft FROM STDIN WITH (FORMAT csv, HEADER true)" ;;
		esac
	done

	cu_psql "$q_dir/db" "$db" -q -f "$q_dir/sentiment.sql" </dev/null >"$q_dir/sentiment.report"
	cu_psql "$q_dir/db" "$db" -q -At </dev/null >"$q_dir/sentiment.summary" -c "
		SELECT format('%s: %s %s, detected %s (%s%% right): %s (≥ %s)', title,
		       target_metric, to_char(max(CASE target_metric WHEN 'r' THEN r ELSE macro_f1 END)
		                                  FILTER (WHERE mode = 'given'), 'FM0.000'),
		       to_char(max(CASE target_metric WHEN 'r' THEN r ELSE macro_f1 END)
		                   FILTER (WHERE mode = 'detect'), 'FM0.000'),
		       round(100 * max(detected_right) FILTER (WHERE mode = 'detect'), 1),
		       CASE WHEN bool_and(met) FILTER (WHERE mode = 'given') THEN 'pass' ELSE 'fail' END,
		       to_char(max(target), 'FM0.00'))
		FROM q_sentiment_results GROUP BY ord, title, target_metric ORDER BY ord"
}
