#!/usr/bin/env bash
# test/bench/run_bench.sh: `make bench`.  Starts a throwaway cluster, then
#  - comparators: generates seeded noisy name pairs (BENCH_PAIRS, default one
#    million) and times our comparators against fuzzystrmatch, pg_similarity
#    and pg_trgm on the same pairs;
#  - name search: generates customers (BENCH_CUSTOMERS, default one million)
#    and noisy searches (BENCH_SEARCHES, default 1000) and measures our GIN and
#    GiST indexes against pg_trgm's (size, build time, latency, recall@10);
#  - resolution: generates customer records spread over four CRM silos with
#    the truth (BENCH_RECORDS, default one million; gen_silos.sql), then
#    registers the silos, times cu_train() and cu_resolve() and measures the
#    customers found against the truth (pairwise precision, recall, F1;
#    resolve.sql);
#  - real time: pgbench INSERTs new records into one silo of those records,
#    with real-time resolution off then on, and compares throughput and
#    latency (realtime.sh; BENCH_RT_SECONDS, BENCH_RT_CLIENTS ... there);
#  - golden records: generates linked customer records (BENCH_GOLDEN_ROWS,
#    default ten million, about ten per customer; gen_golden.sql) and times
#    our survivorship aggregates against the plain SQL idioms, serial and
#    parallel (golden.sql);
#  - sentiment: generates short feedback texts in French and English
#    (BENCH_FEEDBACK, default one million; gen_feedback.sql) and times
#    cu_sentiment, serial and parallel, beside to_tsvector (sentiment.sql);
#  - the customer: four silos (BENCH_CARD_RECORDS, default 2.5 million records,
#    about a million customers; gen_silos.sql) with purchases, call-centre
#    messages and reviews (feedback texts of gen_feedback.sql), registered,
#    trained, resolved and summed up in cu_customer_360 (each step timed), then
#    times cu_customer_card, cu_find_customer (e-mail, phone, name; pg_trgm on
#    the same names), cu_customer_360 look-ups, an incremental cu_refresh_360
#    and cu_forget, median and p99 over BENCH_CARD_SAMPLES (default 1000)
#    random samples (card.sql).
# BENCH_ONLY=comparators, BENCH_ONLY=search, BENCH_ONLY=resolve,
# BENCH_ONLY=realtime, BENCH_ONLY=golden, BENCH_ONLY=sentiment or
# BENCH_ONLY=card runs one part.  Not part of `make test`.

source "$(dirname "$0")/../lib/common.sh"

pairs=${BENCH_PAIRS:-1000000}
reps=${BENCH_REPS:-3}
customers=${BENCH_CUSTOMERS:-1000000}
searches=${BENCH_SEARCHES:-1000}
records=${BENCH_RECORDS:-1000000}
golden_rows=${BENCH_GOLDEN_ROWS:-10000000}
feedback=${BENCH_FEEDBACK:-1000000}
card_records=${BENCH_CARD_RECORDS:-2500000}
card_samples=${BENCH_CARD_SAMPLES:-1000}
only=${BENCH_ONLY:-all}
case "$only" in
all | comparators | search | resolve | realtime | golden | sentiment | card) ;;
*) echo "BENCH_ONLY must be comparators, search, resolve, realtime, golden, sentiment or card (or unset for all seven)" >&2; exit 2 ;;
esac

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

if [ "$only" = all ] || [ "$only" = comparators ]; then
	echo "== comparators: generating $pairs name pairs (seeded)"
	cu_psql "$dir/db" bench -q -v n="$pairs" -f "$dir/gen_names.sql" </dev/null
	echo "== timing (fastest of $reps runs each)"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2)"
	cu_psql "$dir/db" bench -q -v reps="$reps" -f "$dir/comparators.sql" </dev/null
fi
if [ "$only" = all ] || [ "$only" = search ]; then
	echo "== name search: generating $customers customers and $searches noisy searches (seeded)"
	cu_psql "$dir/db" bench -q -v n="$customers" -v queries="$searches" -f "$dir/gen_customers.sql" </dev/null
	echo "== building each index alone, then searching"
	cu_psql "$dir/db" bench -q -f "$dir/search.sql" </dev/null
fi
if [ "$only" = all ] || [ "$only" = resolve ]; then
	echo "== resolution: generating $records records over four CRM silos (seeded)"
	cu_psql "$dir/db" bench -q -v n="$records" -f "$dir/gen_silos.sql" </dev/null
	echo "== training and resolving"
	cu_psql "$dir/db" bench -q -f "$dir/resolve.sql" </dev/null
fi
if [ "$only" = all ] || [ "$only" = realtime ]; then
	# after the resolution part, on its silos as resolved; alone, it makes them
	echo "== real-time resolution: INSERT throughput and latency (pgbench), real time off then on"
	rt_args=("$dir/db" bench)
	[ "$only" = all ] && rt_args+=(--resolved)
	bash "$CU_ROOT/test/bench/realtime.sh" "${rt_args[@]}" </dev/null
fi
if [ "$only" = all ] || [ "$only" = golden ]; then
	echo "== golden records: generating $golden_rows records of about $((golden_rows / 10)) customers (seeded)"
	cu_psql "$dir/db" bench -q -v n="$golden_rows" -f "$dir/gen_golden.sql" </dev/null
	echo "== timing survivorship, serial and parallel (fastest of $reps runs each)"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2)"
	cu_psql "$dir/db" bench -q -v reps="$reps" -f "$dir/golden.sql" </dev/null
fi
if [ "$only" = all ] || [ "$only" = sentiment ]; then
	echo "== sentiment: generating $feedback short feedback texts, French and English (seeded)"
	cu_psql "$dir/db" bench -q -v n="$feedback" -f "$dir/gen_feedback.sql" </dev/null
	echo "== timing cu_sentiment, serial and parallel (fastest of $reps runs each)"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2)"
	cu_psql "$dir/db" bench -q -v reps="$reps" -f "$dir/sentiment.sql" </dev/null
fi
if [ "$only" = all ] || [ "$only" = card ]; then
	echo "== the customer: generating $card_records records over four CRM silos, their interactions and feedback (seeded), then registering, training, resolving and refreshing cu_customer_360"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2)"
	cu_psql "$dir/db" bench -q -v records="$card_records" -v samples="$card_samples" -v rounds="$reps" -f "$dir/card.sql" </dev/null
fi
