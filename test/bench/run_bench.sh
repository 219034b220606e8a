#!/usr/bin/env bash
# test/bench/run_bench.sh: `make bench`.  Starts a throwaway cluster, generates
# seeded noisy name pairs (BENCH_PAIRS, default one million) and times our
# comparators against fuzzystrmatch, pg_similarity and pg_trgm on the same
# pairs in one run.  Not part of `make test`.

source "$(dirname "$0")/../lib/common.sh"

pairs=${BENCH_PAIRS:-1000000}
reps=${BENCH_REPS:-3}

cu_ensure_packages
cu_ensure_packages "postgresql-$CU_PG_MAJOR-similarity"
cu_build_install

dir=$(mktemp -d /tmp/customer_unify_bench.XXXXXX)
chmod 755 "$dir"
trap 'cu_stop_cluster "$dir/db"; rm -rf "$dir"' EXIT
CU_EXTRA_SERVER_OPTS="-c shared_buffers=512MB" cu_start_cluster "$dir/db"
cp "$CU_ROOT"/test/bench/*.sql "$dir/"
chmod 644 "$dir"/*.sql

cu_psql "$dir/db" postgres -q -c "CREATE DATABASE bench"
cu_psql "$dir/db" bench -q -c "CREATE EXTENSION customer_unify; CREATE EXTENSION fuzzystrmatch; CREATE EXTENSION pg_trgm; CREATE EXTENSION pg_similarity;"
cu_psql "$dir/db" bench -q -c "ALTER DATABASE bench SET search_path = public, customer_unify"

echo "== generating $pairs name pairs (seeded)"
cu_psql "$dir/db" bench -q -v n="$pairs" -f "$dir/gen_names.sql" </dev/null
echo "== timing (fastest of $reps runs each)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2)"
cu_psql "$dir/db" bench -q -v reps="$reps" -f "$dir/comparators.sql" </dev/null
