#!/usr/bin/env bash
# test/quality/run_quality.sh: `make quality` (not part of `make test`).  Measures record linkage on the
# labelled sets under DATA_DIR/er (default ../shared/data beside the project, read in place, never copied).
# Each run gets a fresh database in a throwaway cluster: the data is loaded and registered as sources
# (load_febrl.sql, load_fake.sql), cu_train and cu_resolve are timed (resolve.sql), and the final clusters
# are measured against the truth over all pairs (measure.sql).  Prints markdown tables and pass/fail
# against the F1 targets.  Then, in the same cluster, the sentiment part measures the feedback-sentiment
# scorer on the labelled sets under DATA_DIR/sentiment (sentiment.sh, sentiment.sql): Pearson r, accuracy,
# weighted and macro F1 against its targets, with the language given and detected, and confusion matrices.
#
#   bash test/quality/run_quality.sh [DATA_DIR]        or   make quality [QUALITY_DATA=DATA_DIR]
#   QUALITY_ONLY=febrl3,fake_1000   only these runs (names in QUALITY_RUNS below, and sentiment)
#   QUALITY_ONLY=sentiment          only the sentiment part
#   QUALITY_STANDIN=truth           checks the harness itself with standin.sql instead of the extension
#                                   (modes: truth, singletons, one, noisy); nothing is built; record
#                                   linkage only (the sentiment part is skipped)
#   QUALITY_REALTIME=1              then also measures real-time resolution against batch with
#                                   realtime_agreement.sh (its own cluster; same DATA_DIR and QUALITY_ONLY, by
#                                   default febrl3, febrl4 and fake_1000): one table, one line per run
#   QUALITY_REALTIME=only           only that (nothing is built: it uses the installed extension)
#   CU_EXTRA_SERVER_OPTS="-c work_mem=64MB"   extra server settings (see ../lib/common.sh)
# Exits non-zero when a run fails with an error; a missed target shows as "fail" in the table.

source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# q_sentiment_files, q_sentiment_run_one: the sentiment part
source "$(dirname "${BASH_SOURCE[0]}")/sentiment.sh"

QUALITY_RUNS="febrl3 febrl3_ssid febrl4 febrl4_ssid fake_1000 febrl1 febrl2"

# q_describe RUN: what a run measures (the legend under the tables)
q_describe() {
	case $1 in
	febrl[123]) echo "febrl_dataset${1#febrl}, one source, without soc_sec_id" ;;
	febrl3_ssid) echo "febrl_dataset3 with soc_sec_id as national_id" ;;
	febrl4) echo "febrl_dataset4a + 4b as two sources, without soc_sec_id" ;;
	febrl4_ssid) echo "febrl_dataset4a + 4b with soc_sec_id as national_id" ;;
	fake_1000) echo "Splink's fake_1000, one source" ;;
	sentiment) echo "feedback sentiment: VADER's Amazon and movie snippets (en), DEFT 2017 tweets (fr)" ;;
	esac
}

# q_target RUN: the F1 a run must reach, empty when it has no target
q_target() {
	case $1 in
	febrl3 | febrl4) echo 0.99 ;;
	fake_1000) echo 0.95 ;;
	esac
}

# q_files RUN: the data files of a run, one per source
q_files() {
	case $1 in
	febrl[123] | febrl3_ssid) echo "$q_data/er/febrl/febrl_dataset$(echo "$1" | tr -dc 0-9).csv" ;;
	febrl4 | febrl4_ssid) echo "$q_data/er/febrl/febrl_dataset4a.csv $q_data/er/febrl/febrl_dataset4b.csv" ;;
	fake_1000) echo "$q_data/er/fake_1000.csv" ;;
	esac
}

# q_run_one RUN: a fresh database, load and register, train and resolve, measure; leaves
# $q_dir/RUN.metrics (measure.sql's row) and $q_dir/RUN.times (seconds, candidate pairs, links)
q_run_one() {
	local run=$1 db=q_$1 ssid=false f tbl
	case $run in *_ssid) ssid=true ;; esac

	cu_psql "$q_dir/db" postgres -q -c "CREATE DATABASE $db"
	if [ -n "${QUALITY_STANDIN:-}" ]; then
		cu_psql "$q_dir/db" "$db" -q -v mode="$QUALITY_STANDIN" -f "$q_dir/standin.sql"
	else
		cu_psql "$q_dir/db" "$db" -q -c "CREATE EXTENSION customer_unify"
	fi

	for f in $(q_files "$run"); do
		case $f in
		*/febrl_dataset*.csv)
			tbl=$(basename "$f" .csv)
			tbl=febrl${tbl#febrl_dataset}
			cu_psql "$q_dir/db" "$db" -q -v tbl="$tbl" -v ssid=$ssid -f "$q_dir/load_febrl.sql" <"$f" ;;
		*/fake_1000.csv)
			cu_psql "$q_dir/db" "$db" -q -f "$q_dir/load_fake.sql" <"$f" ;;
		esac
	done

	cu_psql "$q_dir/db" "$db" -q -f "$q_dir/resolve.sql" </dev/null
	cu_psql "$q_dir/db" "$db" -q -At -F'|' -f "$q_dir/measure.sql" </dev/null >"$q_dir/$run.metrics"
	cu_psql "$q_dir/db" "$db" -q -At -F'|' </dev/null >"$q_dir/$run.times" -c "
		SELECT to_char(t.seconds, 'FM9999990.00'), to_char(r.seconds, 'FM9999990.00'),
		       coalesce(r.result->>'candidate_pairs', '?'), coalesce(r.result->>'links', '?')
		FROM q_run t, q_run r WHERE t.step = 'train' AND r.step = 'resolve'"
}

# A throwaway cluster in a new scratch directory $q_dir (named after $1),
# stopped and removed on exit, with the harness's SQL files copied in.
q_start() {
	q_dir=$(mktemp -d "/tmp/$1.XXXXXX")
	chmod 755 "$q_dir"
	trap 'cu_stop_cluster "$q_dir/db"; rm -rf "$q_dir"' EXIT
	cu_start_cluster "$q_dir/db"
	cp "$CU_ROOT"/test/quality/*.sql "$q_dir/"
	chmod 644 "$q_dir"/*.sql
}

# The lines saying what the figures were measured on.
q_machine() {
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2)"
	echo "customer_unify: $(git -C "$CU_ROOT" describe --always --dirty 2>/dev/null || echo 'not a git checkout')"
}

# Run "$2 $1" (a run's function on run $1) into $q_dir/$1.log and set q_rc
# to its status; on failure show the end of the log.  (Called plainly, not
# under if or ||, where bash would ignore the set -e of the run.)
q_run_logged() {
	echo "== $1: $(q_describe "$1")"
	set +e
	(set -e; "$2" "$1") >"$q_dir/$1.log" 2>&1
	q_rc=$?
	set -e
	if [ $q_rc -ne 0 ]; then
		echo "!! $1 failed; the end of its log:" >&2
		tail -n 40 "$q_dir/$1.log" >&2
	fi
}

main() {
	local run runs="" want w errors=0 target status f1_ok
	local records persons customers true_pairs pred_pairs tp p r f1 b3p b3r b3f1 unmapped
	local train_s resolve_s candidates links sentiment=0
	local -a rows=() details=()

	q_data=${1:-$CU_ROOT/../shared/data}
	[ -d "$q_data" ] || { echo "no data directory $q_data" >&2; exit 2; }
	q_data=$(cd "$q_data" && pwd)
	case ${QUALITY_REALTIME:-0} in
	0 | 1) ;;
	only) exec bash "$CU_ROOT/test/quality/realtime_agreement.sh" "$q_data" ;;
	*) echo "QUALITY_REALTIME must be 0, 1 or only, not \"$QUALITY_REALTIME\"" >&2; exit 2 ;;
	esac
	if [ "${QUALITY_REALTIME:-0}" = 1 ] && [ -n "${QUALITY_STANDIN:-}" ]; then
		echo "QUALITY_REALTIME measures the extension: it does not go with QUALITY_STANDIN" >&2
		exit 2
	fi

	# the runs, in QUALITY_RUNS order, restricted by QUALITY_ONLY
	IFS=',' read -ra want <<<"${QUALITY_ONLY:-}"
	for w in "${want[@]}"; do
		w=$(echo "$w" | tr -d ' ')
		[ -z "$w" ] || [ "$w" = sentiment ] || [[ " $QUALITY_RUNS " == *" $w "* ]] ||
			{ echo "unknown run \"$w\" in QUALITY_ONLY; runs: $QUALITY_RUNS sentiment" >&2; exit 2; }
	done
	for run in $QUALITY_RUNS; do
		if [ -z "${QUALITY_ONLY:-}" ] || [[ ",$(echo "$QUALITY_ONLY" | tr -d ' ')," == *",$run,"* ]]; then
			runs="$runs $run"
		fi
	done
	# the sentiment part: by default (not with the record-linkage stand-in), or when named
	if [ -z "${QUALITY_ONLY:-}" ]; then
		[ -n "${QUALITY_STANDIN:-}" ] || sentiment=1
	elif [[ ",$(echo "$QUALITY_ONLY" | tr -d ' ')," == *",sentiment,"* ]]; then
		[ -z "${QUALITY_STANDIN:-}" ] ||
			{ echo "QUALITY_STANDIN stands in for record linkage: it does not go with sentiment" >&2; exit 2; }
		sentiment=1
	fi
	[ -n "$runs" ] || [ $sentiment = 1 ] ||
		{ echo "QUALITY_ONLY selects no run; runs: $QUALITY_RUNS sentiment" >&2; exit 2; }
	[ -z "$runs" ] || [ -d "$q_data/er" ] || { echo "no er/ directory in data directory $q_data" >&2; exit 2; }
	for run in $runs; do
		for f in $(q_files "$run"); do
			[ -r "$f" ] || { echo "missing data file $f" >&2; exit 2; }
		done
	done
	if [ $sentiment = 1 ]; then
		for f in $(q_sentiment_files); do
			[ -r "$f" ] || { echo "missing data file $f" >&2; exit 2; }
		done
	fi

	cu_ensure_packages
	if [ -n "${QUALITY_STANDIN:-}" ]; then
		echo "== QUALITY_STANDIN=$QUALITY_STANDIN: measuring the stand-in of standin.sql, not the extension"
	else
		cu_build_install
	fi

	q_start customer_unify_quality

	[ -z "$runs" ] || echo "data: $q_data/er"
	[ $sentiment = 0 ] || echo "data: $q_data/sentiment"
	q_machine

	for run in $runs; do
		q_run_logged "$run" q_run_one
		if [ "$q_rc" -ne 0 ]; then
			errors=$((errors + 1))
			rows+=("| $run | error | | | | | | | | | error |")
			continue
		fi
		IFS='|' read -r records persons customers true_pairs pred_pairs tp p r f1 b3p b3r b3f1 unmapped \
			<"$q_dir/$run.metrics"
		IFS='|' read -r train_s resolve_s candidates links <"$q_dir/$run.times"

		target=$(q_target "$run")
		if [ -z "$target" ]; then
			status="-"
		else
			f1_ok=$(awk -v f="$f1" -v t="$target" 'BEGIN { print (f != "n/a" && f + 0 >= t + 0) ? "pass" : "fail" }')
			status="$f1_ok (≥ $target)"
		fi
		[ "$unmapped" = 0 ] || status="$status, $unmapped unmapped"
		echo "   F1 $f1, B3 F1 $b3f1, train ${train_s}s, resolve ${resolve_s}s: $status"
		rows+=("| $run | $records | $true_pairs | $pred_pairs | $p | $r | $f1 | $b3f1 | $train_s | $resolve_s | $status |")
		details+=("| $run | $persons | $customers | $tp | $b3p | $b3r | $candidates | $links | $unmapped |")
	done

	if [ $sentiment = 1 ]; then
		q_run_logged sentiment q_sentiment_run_one
		if [ "$q_rc" -ne 0 ]; then
			errors=$((errors + 1))
		else
			sed 's/^/   /' "$q_dir/sentiment.summary"
		fi
	fi

	if [ -n "$runs" ]; then
		echo
		echo "Targets: F1 ≥ 0.99 on febrl3 and febrl4 (without soc_sec_id), ≥ 0.95 on fake_1000; pairwise over all pairs."
		echo
		echo "| run | records | true pairs | pred pairs | P | R | F1 | B3 F1 | train s | resolve s | target |"
		echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
		printf '%s\n' "${rows[@]}"
		if [ ${#details[@]} -gt 0 ]; then
			echo
			echo "| run | persons | customers | TP | B3 P | B3 R | candidate pairs | links | unmapped |"
			echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
			printf '%s\n' "${details[@]}"
		fi
		echo
		for run in $runs; do echo "- $run: $(q_describe "$run")"; done
	fi

	if [ $sentiment = 1 ] && [ "$q_rc" -eq 0 ]; then
		echo
		cat "$q_dir/sentiment.report"
	fi

	if [ "${QUALITY_REALTIME:-0}" = 1 ]; then
		echo
		if [ -z "${QUALITY_ONLY:-}" ]; then
			bash "$CU_ROOT/test/quality/realtime_agreement.sh" "$q_data" || errors=$((errors + 1))
		elif [ -n "$runs" ]; then
			# the record-linkage runs of QUALITY_ONLY, without sentiment
			QUALITY_ONLY=$(echo $runs | tr ' ' ',') bash "$CU_ROOT/test/quality/realtime_agreement.sh" "$q_data" ||
				errors=$((errors + 1))
		else
			echo "QUALITY_REALTIME: no record-linkage run selected, nothing to replay"
		fi
	fi

	if [ $errors -gt 0 ]; then
		echo "$errors run(s) failed with an error" >&2
		exit 1
	fi
}

# sourcing the file (to test its functions) does not run it
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
