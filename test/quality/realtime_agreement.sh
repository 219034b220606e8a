#!/usr/bin/env bash
# test/quality/realtime_agreement.sh: how far real-time resolution (each row resolved by the trigger of
# cu_enable_realtime as it is inserted) agrees with a batch cu_resolve() over the same rows, on the labelled
# record-linkage sets under DATA_DIR/er (default ../shared/data beside the project, read in place, never
# copied).  Not part of `make test`; run_quality.sh runs it with QUALITY_REALTIME=1 (after its batch runs)
# or QUALITY_REALTIME=only (instead of them).
#
# Each run gets a fresh database in a throwaway cluster:
#   1. the data is loaded by load_febrl.sql / load_fake.sql as in run_quality.sh; realtime_tables.sql swaps
#      the registered views for tables with the same rows and registration (a view cannot carry the trigger)
#      and fixes a shuffled replay order (md5 of source and id, the sources interleaved);
#   2. cu_train and cu_resolve on all rows (resolve.sql), measured against the truth (measure.sql);
#   3. realtime_prepare.sql keeps the batch assignment, empties the sources (TRUNCATE) and the identity state
#      (cu_resolve on the empty sources; the trained model is kept, and checked unchanged) and enables real
#      time; the rows go back one by one, one INSERT per transaction (autocommit), in that order, through psql
#      as a client sends them (statements generated in the temporary directory, timed with \timing); the
#      result is measured (measure.sql);
#   4. realtime_compare.sql: agreement of real time with batch (pairwise F1 of one against the other, share
#      of records whose customer holds exactly the same records in both).
# Prints one markdown table, one line per run.
#
#   bash test/quality/realtime_agreement.sh [DATA_DIR]
#   QUALITY_ONLY=febrl3,fake_1000   only these runs (any run of run_quality.sh; default: febrl3 febrl4 fake_1000)
#   QUALITY_BUILD=1                 build and install the extension first (as root or sudoer); by default the
#                                   installed extension is used (a warning says when its script differs from
#                                   the checkout's sql/install/*.sql)
#   QUALITY_REALTIME_SESSION_ROWS=N  a new session every N inserted rows (default: one session for the replay,
#                                   as one application connection; a session keeps its plpgsql plans)
#   QUALITY_REALTIME_ROWS=N         only the first N rows of each run's shuffled order, for batch and real time
#                                   alike (a quicker check; the default replays every row)
#   QUALITY_REALTIME_OPTIONS="-c plan_cache_mode=force_custom_plan"   settings of the replay sessions only
#                                   (PGOPTIONS), to diagnose where real-time time goes
#   CU_EXTRA_SERVER_OPTS="-c customer_unify.max_block_size=200"   extra server settings (see ../lib/common.sh)
# Exits non-zero when a run fails with an error.

# QUALITY_RUNS, q_files, q_describe (and ../lib/common.sh); sourcing run_quality.sh does not run it
source "$(dirname "${BASH_SOURCE[0]}")/run_quality.sh"

RT_DEFAULT_RUNS="febrl3 febrl4 fake_1000"

# rt_run_one RUN: a fresh database, load, batch, replay in real time, measure; leaves in $q_dir
# RUN.batch and RUN.rt (measure.sql's rows), RUN.agree (realtime_compare.sql's), RUN.times (train s,
# resolve s) and RUN.rtime (rt_replay's line)
rt_run_one() {
	local run=$1 db=rt_$1 ssid=false f tbl
	case $run in *_ssid) ssid=true ;; esac

	cu_psql "$q_dir/db" postgres -q -c "CREATE DATABASE $db"
	cu_psql "$q_dir/db" "$db" -q -c "CREATE EXTENSION customer_unify"
	# the loading of run_quality.sh's q_run_one
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
	cu_psql "$q_dir/db" "$db" -q -v rows="${QUALITY_REALTIME_ROWS:-0}" -f "$q_dir/realtime_tables.sql" </dev/null

	# batch
	cu_psql "$q_dir/db" "$db" -q -f "$q_dir/resolve.sql" </dev/null
	cu_psql "$q_dir/db" "$db" -q -At -F'|' -f "$q_dir/measure.sql" </dev/null >"$q_dir/$run.batch"
	cu_psql "$q_dir/db" "$db" -q -At -F'|' </dev/null >"$q_dir/$run.times" -c "
		SELECT to_char(t.seconds, 'FM9999990.00'), to_char(r.seconds, 'FM9999990.00')
		FROM q_run t, q_run r WHERE t.step = 'train' AND r.step = 'resolve'"

	# real time: the rows back one by one, one INSERT per transaction, as a client sends them
	cu_psql "$q_dir/db" "$db" -q -f "$q_dir/realtime_prepare.sql" </dev/null
	cu_psql "$q_dir/db" "$db" -q -At </dev/null >"$q_dir/$run.inserts" -c "
		SELECT format('INSERT INTO %s SELECT * FROM jsonb_populate_record(NULL::%s, %L);', source, source, row)
		FROM rt_feed ORDER BY ord"
	rt_replay "$db" "$q_dir/$run.inserts" >"$q_dir/$run.rtime"
	cu_psql "$q_dir/db" "$db" -q -At -F'|' -f "$q_dir/measure.sql" </dev/null >"$q_dir/$run.rt"
	cu_psql "$q_dir/db" "$db" -q -At -F'|' -f "$q_dir/realtime_compare.sql" </dev/null >"$q_dir/$run.agree"
}

# rt_replay DB FILE: runs the statements of FILE in autocommit through psql (\timing on), in one session or
# in sessions of QUALITY_REALTIME_SESSION_ROWS statements, with PGOPTIONS=$QUALITY_REALTIME_OPTIONS; prints rows|seconds|rows/s|p50 ms|p95 ms|max ms|
# slowdown (mean time of a statement in the last tenth over the first tenth)
rt_replay() {
	local db=$1 file=$2 per=${QUALITY_REALTIME_SESSION_ROWS:-0} t0 t1 chunk
	rm -f "$file.times" "$file".part.*
	if [ "$per" -gt 0 ] 2>/dev/null; then
		split -l "$per" -d -a 6 "$file" "$file.part."
	else
		cp "$file" "$file.part.000000"
	fi
	t0=$(date +%s.%N)
	for chunk in "$file".part.*; do
		{ echo '\timing on'; cat "$chunk"; } |
			PGOPTIONS="${QUALITY_REALTIME_OPTIONS:-}" cu_psql "$q_dir/db" "$db" -q -f - >>"$file.times"
	done
	t1=$(date +%s.%N)
	grep '^Time: ' "$file.times" | awk '{ print $2 }' >"$file.ms"
	{ sort -g "$file.ms"; echo end; cat "$file.ms"; } | awk -v t0="$t0" -v t1="$t1" '
		$1 == "end" { ordered = 1; n = NR - 1; tenth = int(n / 10); next }
		!ordered { sorted[NR] = $1; next }
		{ i = NR - n - 1; if (i <= tenth) first += $1; if (i > n - tenth) last += $1 }
		END {
			s = t1 - t0
			printf "%d|%.2f|%.1f|%.2f|%.2f|%.1f|%s\n", n, s, n / s, sorted[int((n + 1) / 2)],
				sorted[int((n - 1) * 0.95) + 1], sorted[n], (first > 0 ? sprintf("%.2f", last / first) : "n/a")
		}'
}

rt_main() {
	local run runs="" want w errors=0 inst
	local b_records b_persons b_customers b_true b_pred b_tp b_p b_r b_f1 b_b3p b_b3r b_b3f1 b_unmapped
	local r_records r_persons r_customers r_true r_pred r_tp r_p r_r r_f1 r_b3p r_b3r r_b3f1 r_unmapped
	local a_records a_bcust a_rcust a_bpairs a_rpairs a_common a_only_rt a_only_batch a_p a_r a_f1
	local a_identical a_identical_share a_identical_multi a_bmulti a_bunmapped a_runmapped
	local train_s resolve_s t_rows t_s t_rps t_p50 t_p95 t_max t_slow
	local -a rows=()

	q_data=${1:-$CU_ROOT/../shared/data}
	[ -d "$q_data/er" ] || { echo "no er/ directory in data directory $q_data" >&2; exit 2; }
	q_data=$(cd "$q_data" && pwd)

	# the runs, in QUALITY_RUNS order, restricted by QUALITY_ONLY (default: RT_DEFAULT_RUNS)
	IFS=',' read -ra want <<<"${QUALITY_ONLY:-}"
	for w in "${want[@]}"; do
		w=$(echo "$w" | tr -d ' ')
		[ -z "$w" ] || [[ " $QUALITY_RUNS " == *" $w "* ]] ||
			{ echo "unknown run \"$w\" in QUALITY_ONLY; runs: $QUALITY_RUNS" >&2; exit 2; }
	done
	for run in $QUALITY_RUNS; do
		if [ -n "${QUALITY_ONLY:-}" ]; then
			[[ ",$(echo "$QUALITY_ONLY" | tr -d ' ')," == *",$run,"* ]] && runs="$runs $run"
		elif [[ " $RT_DEFAULT_RUNS " == *" $run "* ]]; then
			runs="$runs $run"
		fi
	done
	[ -n "$runs" ] || { echo "QUALITY_ONLY selects no run; runs: $QUALITY_RUNS" >&2; exit 2; }
	for run in $runs; do
		for f in $(q_files "$run"); do
			[ -r "$f" ] || { echo "missing data file $f" >&2; exit 2; }
		done
	done
	if [ -n "${QUALITY_STANDIN:-}" ]; then
		echo "QUALITY_STANDIN has no real time: realtime_agreement.sh always measures the extension" >&2
		exit 2
	fi

	cu_ensure_packages
	if [ "${QUALITY_BUILD:-0}" = 1 ]; then
		cu_build_install
	else
		inst=$("$PG_CONFIG" --sharedir)/extension
		[ -r "$inst/customer_unify.control" ] ||
			{ echo "customer_unify is not installed: make install, or QUALITY_BUILD=1" >&2; exit 2; }
		# the install script is sql/install/*.sql in file-name order (see the Makefile)
		(LC_ALL=C; cat "$CU_ROOT"/sql/install/*.sql) | cmp -s - "$inst/customer_unify--0.1.sql" ||
			echo "warning: the installed customer_unify script differs from this checkout's (QUALITY_BUILD=1 installs it)" >&2
	fi

	q_start customer_unify_realtime

	echo "real time against batch; data: $q_data/er"
	q_machine
	echo "replay: ${QUALITY_REALTIME_ROWS:+the first $QUALITY_REALTIME_ROWS rows of each run, }one INSERT per transaction, $([ "${QUALITY_REALTIME_SESSION_ROWS:-0}" -gt 0 ] 2>/dev/null &&
		echo "a new session every $QUALITY_REALTIME_SESSION_ROWS rows" || echo "one session")${QUALITY_REALTIME_OPTIONS:+, PGOPTIONS=$QUALITY_REALTIME_OPTIONS}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

	for run in $runs; do
		q_run_logged "$run" rt_run_one
		if [ "$q_rc" -ne 0 ]; then
			errors=$((errors + 1))
			rows+=("| $run | error | | | | | | | | | | | | | | | |")
			continue
		fi
		IFS='|' read -r b_records b_persons b_customers b_true b_pred b_tp b_p b_r b_f1 b_b3p b_b3r b_b3f1 b_unmapped \
			<"$q_dir/$run.batch"
		IFS='|' read -r r_records r_persons r_customers r_true r_pred r_tp r_p r_r r_f1 r_b3p r_b3r r_b3f1 r_unmapped \
			<"$q_dir/$run.rt"
		IFS='|' read -r a_records a_bcust a_rcust a_bpairs a_rpairs a_common a_only_rt a_only_batch a_p a_r a_f1 \
			a_identical a_identical_share a_identical_multi a_bmulti a_bunmapped a_runmapped <"$q_dir/$run.agree"
		IFS='|' read -r train_s resolve_s <"$q_dir/$run.times"
		IFS='|' read -r t_rows t_s t_rps t_p50 t_p95 t_max t_slow <"$q_dir/$run.rtime"
		echo "   batch F1 $b_f1, real-time F1 $r_f1, agreement F1 $a_f1, identical $a_identical_share;" \
			"replay $t_rows rows in ${t_s}s ($t_rps rows/s, p50 ${t_p50} ms, p95 ${t_p95} ms, max ${t_max} ms," \
			"last/first tenth ×$t_slow; load average $(cut -d' ' -f1 /proc/loadavg))"
		[ "$b_unmapped" = 0 ] && [ "$r_unmapped" = 0 ] ||
			echo "   unmapped records: batch $b_unmapped, real time $r_unmapped"
		rows+=("| $run | $b_records | $b_customers | $r_customers | $b_p | $b_r | $b_f1 | $r_p | $r_r | $r_f1 | $a_f1 | $a_identical_share | $a_only_rt | $a_only_batch | $resolve_s | $t_rps | $t_p95 |")
	done

	echo
	echo "| run | records | batch customers | rt customers | batch P | batch R | batch F1 | rt P | rt R | rt F1 | rt vs batch F1 | identical clusters | pairs only rt | pairs only batch | batch resolve s | rt rows/s | rt p95 ms |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "P, R, F1: pairwise over all pairs against the truth (measure.sql).  rt vs batch F1: pairwise F1 of the"
	echo "real-time partition taking the batch one as the truth.  identical clusters: share of records whose"
	echo "customer holds exactly the same records in both.  pairs only rt / only batch: record pairs linked by one"
	echo "and not the other.  rt rows/s: rows inserted one per transaction, each resolved by the trigger, over the"
	echo "whole replay (rows in a fixed shuffled order); batch resolve s: cu_resolve on all rows (cu_train apart)."
	echo
	for run in $runs; do echo "- $run: $(q_describe "$run")"; done

	if [ $errors -gt 0 ]; then
		echo "$errors run(s) failed with an error" >&2
		exit 1
	fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	rt_main "$@"
fi
