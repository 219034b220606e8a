#!/usr/bin/env bash
# test/bench/realtime.sh: the real-time resolution benchmark (BENCH_ONLY=realtime
# of run_bench.sh, or on its own).  pgbench INSERTs new customer records into
# public.shop_customers, one silo of the N records of gen_silos.sql
# (N = BENCH_RECORDS, default one million, over four silos), for a fixed time,
# twice on the same table of the same rows:
#   off  real-time resolution disabled (cu_disable_realtime): a plain INSERT;
#   on   real-time resolution enabled on the four silos (cu_enable_realtime):
#        each INSERT resolves its row in its own transaction.
# The records inserted (realtime_pool.sql) are 60 % new records of existing
# persons, written differently, and 40 % brand-new persons; both runs insert
# the same records with the same ids (realtime_insert.sql; the rows of the
# off run are deleted before the on run).  Prints one markdown table (inserts/s,
# median and p99 latency of each run, the ratio of throughputs), the targets
# (p99 under 10 ms with real time on; on at least half the inserts/s of off),
# and checks that every row inserted by the on run landed in cu_identity_map.
#
#   bash test/bench/realtime.sh CLUSTER_DIR DATABASE [--resolved]
#
# CLUSTER_DIR: the directory holding the socket of a cluster on port 5432, as
# cu_start_cluster (../lib/common.sh) makes them; DATABASE: a database of it
# where customer_unify is installed or can be (CREATE EXTENSION IF NOT
# EXISTS).  Without --resolved the script generates the silos (gen_silos.sql:
# drops and creates public.persons, shop_customers, web_accounts,
# callcenter_contacts, review_authors) and registers, trains and resolves them
# (resolve.sql, which prints its table); --resolved takes the silos as the
# resolution part of run_bench.sh left them.  Either way it drops and
# creates public.rt_bench_pool and leaves the inserted rows in place.
#
#   BENCH_RECORDS      records over the four silos (default 1000000)
#   BENCH_RT_SECONDS   duration of each pgbench run (default 30)
#   BENCH_RT_CLIENTS   pgbench clients (default 4)
#   BENCH_RT_THREADS   pgbench threads (default 2)
#   BENCH_RT_POOL      distinct records to insert (default 10000 per second
#                      of run); past that a run inserts them again, new ids
#
# Latencies are those pgbench logs per transaction (-l), over every
# transaction but each client's first (the session's warm-up: plan caches and
# the saved plans of real-time resolution); p99 by nearest rank.
# Exits non-zero when pgbench fails or the check of the on run fails.

source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ] || { [ $# -eq 3 ] && [ "$3" != --resolved ]; }; then
	echo "usage: $0 CLUSTER_DIR DATABASE [--resolved]" >&2
	exit 2
fi
cluster=$1
db=$2
resolved=${3:-}

records=${BENCH_RECORDS:-1000000}
seconds=${BENCH_RT_SECONDS:-30}
clients=${BENCH_RT_CLIENTS:-4}
threads=${BENCH_RT_THREADS:-2}
pool=${BENCH_RT_POOL:-$((seconds * 10000))}
threads=$((threads > clients ? clients : threads))
CU_PG_BIN=${CU_PG_BIN:-$("${PG_CONFIG:-/usr/lib/postgresql/$CU_PG_MAJOR/bin/pg_config}" --bindir)}

# a work directory of the user running the cluster's clients: the SQL files, pgbench's logs
rt_dir=$(mktemp -d /tmp/customer_unify_rt.XXXXXX)
trap 'rm -rf "$rt_dir"' EXIT
cp "$CU_ROOT"/test/bench/{gen_silos,noise,register_silos,resolve,realtime_pool,realtime_insert}.sql "$rt_dir/"
chmod 755 "$rt_dir"
chmod 644 "$rt_dir"/*.sql
[ "$(id -u)" -eq 0 ] && chown "$(cu_run_user)" "$rt_dir"

rt_psql() { cu_psql "$cluster" "$db" -q "$@" </dev/null; }
# one value
rt_value() { cu_psql "$cluster" "$db" -q -At -c "$1" </dev/null; }

sources="'public.shop_customers', 'public.web_accounts', 'public.callcenter_contacts', 'public.review_authors'"

rt_psql -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS customer_unify"
if [ -z "$resolved" ]; then
	echo "== real time: generating $records records over four CRM silos (seeded)"
	rt_psql -v n="$records" -f "$rt_dir/gen_silos.sql"
	echo "== real time: registering, training and resolving the silos (resolve.sql)"
	rt_psql -f "$rt_dir/resolve.sql"
fi
mapped=$(rt_value "SELECT count(*) FROM customer_unify.cu_identity_map WHERE source = to_regclass('public.shop_customers')")
if [ "$mapped" -eq 0 ]; then
	echo "public.shop_customers is not resolved: run without --resolved" >&2
	exit 1
fi

echo "== real time: $pool records to insert (realtime_pool.sql)"
rt_psql -v pool="$pool" -f "$rt_dir/realtime_pool.sql"
# ids of the inserted rows: from the next million above the silo's ids
base=$(rt_value "SELECT (max(customer_no) / 1000000 + 1) * 1000000 FROM public.shop_customers")
shop_rows=$(rt_value "SELECT count(*) FROM public.shop_customers")
all_rows=$(rt_value "SELECT count(*) FROM public.truth")
max_person=$(rt_value "SELECT max(person_id) FROM public.persons")

# rt_run off|on: a pgbench run, its output in $rt_dir/NAME.out, its logs $rt_dir/NAME.*
rt_run() {
	local name=$1
	rt_psql -c "CHECKPOINT"
	if ! cu_as_user "$CU_PG_BIN/pgbench" -h "$cluster" -p 5432 -U postgres -n -M prepared \
		-c "$clients" -j "$threads" -T "$seconds" \
		-D n=-1 -D nclients="$clients" -D base="$base" -D pool="$pool" \
		-f "$rt_dir/realtime_insert.sql" -l --log-prefix="$rt_dir/$name" "$db" \
		>"$rt_dir/$name.out" 2>&1 </dev/null; then
		cat "$rt_dir/$name.out" >&2
		echo "pgbench failed in the $name run" >&2
		exit 1
	fi
}

# rt_stats NAME: "inserts/s failed measured median_ms p99_ms" of a run
rt_stats() {
	local name=$1 tps failed
	tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$rt_dir/$name.out")
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\) .*/\1/p' "$rt_dir/$name.out")
	cat "$rt_dir/$name".[0-9]* |
		awk '!($1 in seen) { seen[$1] = 1; next } $3 ~ /^[0-9]+$/ { print $3 }' |
		sort -n |
		awk -v tps="$tps" -v failed="${failed:-0}" '
			{ a[NR] = $1 }
			END {
				if (NR == 0) { printf "%.1f %d 0 n/a n/a\n", tps, failed; exit }
				r = int(NR * 0.99); if (r < NR * 0.99) r++
				printf "%.1f %d %d %.2f %.2f\n", tps, failed, NR, a[int((NR + 1) / 2)] / 1000, a[r] / 1000
			}'
}

pgbench_cmd="pgbench -n -M prepared -c $clients -j $threads -T $seconds -f realtime_insert.sql -l"

echo "== real time off: $pgbench_cmd"
rt_psql -c "SET client_min_messages = warning" \
	-c "SELECT customer_unify.cu_disable_realtime(s) FROM unnest(ARRAY[$sources]::regclass[]) AS s" \
	-c "VACUUM ANALYZE public.shop_customers, customer_unify.cu_records, customer_unify.cu_identity_map" >/dev/null
rt_run off
off_rows=$(rt_value "SELECT count(*) FROM public.shop_customers WHERE customer_no >= $base")
# the same table of the same rows for the on run
rt_psql -c "DELETE FROM public.shop_customers WHERE customer_no >= $base" -c "VACUUM ANALYZE public.shop_customers"

echo "== real time on: cu_enable_realtime on the four silos, then $pgbench_cmd"
rt_psql -c "SET client_min_messages = warning" \
	-c "SELECT customer_unify.cu_enable_realtime(s) FROM unnest(ARRAY[$sources]::regclass[]) AS s" >/dev/null
# the steady state of a live source: statistics on the staged records, their
# identity map and the index of blocking keys cu_enable_realtime has just built
rt_psql -c "VACUUM ANALYZE customer_unify.cu_records, customer_unify.cu_identity_map"
map_before=$(rt_value "SELECT count(*) FROM customer_unify.cu_identity_map")
rt_run on
map_after=$(rt_value "SELECT count(*) FROM customer_unify.cu_identity_map")

# the on run's rows: in the identity map, and with whom
IFS='|' read -r on_rows on_mapped known known_linked new new_alone < <(cu_psql "$cluster" "$db" -q -At </dev/null -c "
	WITH ins AS (
		SELECT s.customer_no::text AS id, s.truth, m.customer_id
		FROM public.shop_customers s
		LEFT JOIN customer_unify.cu_identity_map m
		  ON m.source = 'public.shop_customers'::regclass AND m.source_id = s.customer_no::text
		WHERE s.customer_no >= $base
	), mates AS (
		-- the other records of each inserted record's customer: one of the same person?
		SELECT i.id, bool_or(t.person_id = i.truth) AS with_person
		FROM ins i
		JOIN customer_unify.cu_identity_map m ON m.customer_id = i.customer_id
		JOIN public.truth t ON t.source = m.source AND t.source_id = m.source_id
		WHERE NOT (m.source = 'public.shop_customers'::regclass AND m.source_id = i.id)
		GROUP BY i.id
	)
	SELECT count(*), count(i.customer_id),
	       count(*) FILTER (WHERE i.truth <= $max_person),
	       count(*) FILTER (WHERE i.truth <= $max_person AND x.with_person),
	       count(*) FILTER (WHERE i.truth > $max_person),
	       count(*) FILTER (WHERE i.truth > $max_person AND x.id IS NULL)
	FROM ins i LEFT JOIN mates x USING (id)")

read -r off_tps off_failed off_n off_med off_p99 < <(rt_stats off)
read -r on_tps on_failed on_n on_med on_p99 < <(rt_stats on)

ratio=$(awk -v a="$on_tps" -v b="$off_tps" 'BEGIN { if (b <= 0) print "n/a"; else printf(a / b >= 0.01 ? "%.3f" : "%.2g", a / b) }')
p99_met=$(awk -v p="$on_p99" 'BEGIN { print (p != "n/a" && p < 10) ? "yes" : "no" }')
ratio_met=$(awk -v r="$ratio" 'BEGIN { print (r != "n/a" && r >= 0.5) ? "yes" : "no" }')

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $(rt_value "SHOW server_version")"
echo "INSERT of new records into public.shop_customers ($shop_rows rows; $all_rows records over the four silos),"
echo "pgbench over a Unix socket: $clients clients, $threads threads, $seconds s a run, prepared statements, one INSERT a transaction"
echo
echo "| real-time resolution | inserts | failed | inserts/s | median ms | p99 ms | inserts/s on / off |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| off | $off_rows | $off_failed | $off_tps | $off_med | $off_p99 | |"
echo "| on | $on_rows | $on_failed | $on_tps | $on_med | $on_p99 | $ratio |"
echo
echo "| target | measured | met |"
echo "| --- | ---: | :---: |"
echo "| p99 latency with real time on under 10 ms | $on_p99 ms | $p99_met |"
echo "| inserts/s with real time on at least half of off | $ratio | $ratio_met |"
echo
echo "(latencies over $off_n and $on_n transactions: all but each client's first)"
if [ "$off_rows" -gt "$pool" ]; then
	echo "(the off run inserted $off_rows rows, more than the $pool records of the pool: some again under new ids, which a plain INSERT does not mind)"
fi
if [ "$on_rows" -gt "$pool" ]; then
	echo "(the on run inserted $on_rows rows, more than the $pool records of the pool: some again under new ids, duplicates of rows of the run; raise BENCH_RT_POOL)"
fi
echo "on run: $known records of existing persons, $known_linked of them joined a customer holding another record of that person;"
echo "        $new records of new persons, $new_alone of them got a customer of their own"
added=$((map_after - map_before))
if [ "$on_rows" -gt 0 ] && [ "$added" -eq "$on_rows" ] && [ "$on_mapped" -eq "$on_rows" ]; then
	echo "check: the on run inserted $on_rows rows, cu_identity_map gained $added rows, $on_mapped of them the rows inserted: ok"
else
	echo "check: the on run inserted $on_rows rows, cu_identity_map gained $added rows, $on_mapped of them the rows inserted: FAILED"
	exit 1
fi
