#!/usr/bin/env bash
# test/run_tests.sh: the whole test suite (`make test`, `.ci/run`).
#
# Installs what is missing, builds and installs the extension, starts a
# throwaway cluster as an unprivileged user, runs the pg_regress suite
# (sql/*.sql against expected/*.out) and ends with the line
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
# CU_REGRESS="a b" runs only those tests (while developing)
tests=${CU_REGRESS:-$(make -C "$CU_ROOT" -s --no-print-directory PG_CONFIG="$PG_CONFIG" print-regress)}
set +e
cu_as_user "$CU_PGXS_DIR/src/test/regress/pg_regress" \
	--inputdir="$scratch/regress" --outputdir="$scratch/regress" \
	--bindir="$CU_PG_BIN" --host="$scratch/db" --port=5432 --user=postgres \
	--dbname=contrib_regression $tests >"$scratch/regress/pg_regress.log" 2>&1
set -e
cat "$scratch/regress/pg_regress.log" | grep -E '^(test |     |ok |not ok )' || true
p=$(grep -cE '\.\.\. ok' "$scratch/regress/pg_regress.log" || true)
f=$(grep -cE '\.\.\. (FAILED|failed)' "$scratch/regress/pg_regress.log" || true)
passed=$((passed + p))
failed=$((failed + f))
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
	echo "pg_regress ran no test:"; cat "$scratch/regress/pg_regress.log"; failed=$((failed + 1))
fi
if [ -s "$scratch/regress/regression.diffs" ]; then
	echo "== differences (first 300 lines of regression.diffs)"
	head -n 300 "$scratch/regress/regression.diffs"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
