#!/usr/bin/env bash
# test/run_tests.sh: the whole test suite (`make test`, `.ci/run`).
#
# Installs what is missing, builds and installs the extension, starts a
# throwaway cluster as an unprivileged user, runs the pg_regress suite
# (sql/*.sql against expected/*.out) and the TAP tests (test/t/*.pl, each
# starting clusters of its own), and ends with the line
# "N passed, N failed"; exits non-zero on any failure.

source "$(dirname "$0")/lib/common.sh"

cu_ensure_packages
cu_build_install

scratch=$(mktemp -d /tmp/customer_unify_test.XXXXXX)
chmod 755 "$scratch"
cleanup() {
	cu_stop_cluster "$scratch/db"
	if [ "${CU_KEEP_SCRATCH:-0}" = 1 ]; then echo "scratch kept in $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

# the unprivileged user may not be able to read the checkout: give it a copy
mkdir -p "$scratch/regress"
cp -r "$CU_ROOT/sql" "$CU_ROOT/expected" "$scratch/regress/"
[ "$(id -u)" -eq 0 ] && chown -R "$(cu_run_user)" "$scratch/regress"

cu_start_cluster "$scratch/db"

passed=0
failed=0

echo "== regression tests (pg_regress)"
# CU_REGRESS="a b" runs only those tests (while developing); CU_REGRESS_ONLY=1
# then skips the TAP and isolation tests
tests=${CU_REGRESS:-$(make -C "$CU_ROOT" -s --no-print-directory PG_CONFIG="$PG_CONFIG" print-regress)}
set +e
cu_as_user "$CU_PGXS_DIR/src/test/regress/pg_regress" \
	--inputdir="$scratch/regress" --outputdir="$scratch/regress" \
	--bindir="$CU_PG_BIN" --host="$scratch/db" --port=5432 --user=postgres \
	--dbname=contrib_regression $tests >"$scratch/regress/pg_regress.log" 2>&1
set -e
cat "$scratch/regress/pg_regress.log" | grep -E '^(test |     |ok |not ok )' || true
p=$(grep -cE '\.\.\. ok' "$scratch/regress/pg_regress.log" || true)
# every test that did not report "ok" failed (including one pg_regress could not diff)
n=$(echo $tests | wc -w)
f=$(( n > p ? n - p : 0 ))
passed=$((passed + p))
failed=$((failed + f))
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
	echo "pg_regress ran no test:"; cat "$scratch/regress/pg_regress.log"; failed=$((failed + 1))
fi
if [ -s "$scratch/regress/regression.diffs" ]; then
	echo "== differences (first 300 lines of regression.diffs)"
	head -n 300 "$scratch/regress/regression.diffs"
fi

echo "== TAP tests (prove, PostgreSQL::Test::Cluster)"
if [ "${CU_REGRESS_ONLY:-0}" != 1 ] && ls "$CU_ROOT"/test/t/*.pl >/dev/null 2>&1; then
	cp -r "$CU_ROOT/test/t" "$scratch/tap"
	[ "$(id -u)" -eq 0 ] && chown -R "$(cu_run_user)" "$scratch/tap"
	set +e
	(cd "$scratch/tap" && cu_as_user env PATH="$CU_PG_BIN:$PATH" \
		PERL5LIB="$CU_PGXS_DIR/src/test/perl" TESTDIR="$scratch/tap" \
		PG_REGRESS="$CU_PGXS_DIR/src/test/regress/pg_regress" \
		prove --timer ./*.pl) >"$scratch/tap/prove.log" 2>&1
	set -e
	cat "$scratch/tap/prove.log"
	# prove counts test files: "Files=N, Tests=M"; failures are listed by file
	p=$(grep -cE '^\[?[0-9:. ]*\]? ?\./.*\.pl \.+ ok' "$scratch/tap/prove.log" || true)
	total=$(sed -n 's/^Files=\([0-9]*\),.*/\1/p' "$scratch/tap/prove.log")
	total=${total:-0}
	if [ "$total" -eq 0 ] || ! grep -q '^Result: PASS' "$scratch/tap/prove.log"; then
		f=$(( total > p ? total - p : 1 ))
	else
		f=0
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ] && ls "$scratch"/tap/tmp_check/log/*.log >/dev/null 2>&1; then
		echo "== TAP logs (last 50 lines each)"
		for l in "$scratch"/tap/tmp_check/log/*.log; do echo "-- $l"; tail -n 50 "$l"; done
	fi
fi

echo "== isolation tests (pg_isolation_regress)"
# test/isolation/specs/NAME.spec against test/isolation/expected/NAME.out, on
# the running cluster, in a database of their own; each spec builds and drops
# what it uses
if [ "${CU_REGRESS_ONLY:-0}" != 1 ] && ls "$CU_ROOT"/test/isolation/specs/*.spec >/dev/null 2>&1; then
	mkdir -p "$scratch/isolation"
	cp -r "$CU_ROOT/test/isolation/specs" "$CU_ROOT/test/isolation/expected" "$scratch/isolation/"
	[ "$(id -u)" -eq 0 ] && chown -R "$(cu_run_user)" "$scratch/isolation"
	itests=$(cd "$scratch/isolation/specs" && ls -- *.spec | sed 's/\.spec$//')
	set +e
	(cd "$scratch/isolation" && cu_as_user "$CU_PGXS_DIR/src/test/isolation/pg_isolation_regress" \
		--inputdir="$scratch/isolation" --outputdir="$scratch/isolation" \
		--bindir="$CU_PG_BIN" --host="$scratch/db" --port=5432 --user=postgres \
		--dbname=isolation_regression $itests) >"$scratch/isolation/pg_isolation_regress.log" 2>&1
	set -e
	grep -E '^(test |     |ok |not ok )' "$scratch/isolation/pg_isolation_regress.log" || true
	p=$(grep -cE '\.\.\. ok' "$scratch/isolation/pg_isolation_regress.log" || true)
	# every spec that did not report "ok" failed (including one that could not be run or diffed)
	n=$(echo $itests | wc -w)
	f=$(( n > p ? n - p : 0 ))
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "pg_isolation_regress ran no test:"; cat "$scratch/isolation/pg_isolation_regress.log"; failed=$((failed + 1))
	fi
	if [ "$f" -ne 0 ]; then
		if [ -s "$scratch/isolation/regression.diffs" ]; then
			echo "== isolation differences (first 300 lines of regression.diffs)"
			head -n 300 "$scratch/isolation/regression.diffs"
		else
			echo "== pg_isolation_regress log"; tail -n 50 "$scratch/isolation/pg_isolation_regress.log"
		fi
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
