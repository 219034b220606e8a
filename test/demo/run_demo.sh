#!/usr/bin/env bash
# test/demo/run_demo.sh: `make demo`.  Installs what is missing, builds and
# installs the extension, starts a throwaway cluster in /tmp/customer_unify_demo,
# generates four CRM silos of a few thousand French and English customers
# (gen_demo.sql, seeded), registers them, trains, resolves and shows the
# result (demo.sql).  The cluster stays up for exploring; `make demo-stop`
# stops it and removes it.

source "$(dirname "$0")/../lib/common.sh"
# (the cluster's user runs psql and initdb from here: it may not enter the clone)
cd /

dir=/tmp/customer_unify_demo

if [ "${1:-}" = "--stop" ]; then
	cu_ensure_packages postgresql-$CU_PG_MAJOR
	cu_stop_cluster "$dir"
	rm -rf "$dir"
	echo "demo cluster stopped and removed"
	exit 0
fi

started=$(date +%s)
cu_ensure_packages
cu_build_install

# a fresh demo cluster every time
cu_stop_cluster "$dir"
rm -rf "$dir"
cu_start_cluster "$dir"
cu_psql "$dir" postgres -q -c "CREATE DATABASE demo"
cu_psql "$dir" demo -q -c "CREATE EXTENSION customer_unify"
cu_psql "$dir" demo -q -c "ALTER DATABASE demo SET search_path = customer_unify, public"
# the scripts are read by the cluster's user, who may not enter the clone
# (a root's home): a copy in the cluster's directory, with its layout
mkdir -p "$dir/scripts/demo" "$dir/scripts/bench"
cp "$CU_ROOT"/test/demo/*.sql "$dir/scripts/demo/"
cp "$CU_ROOT/test/bench/noise.sql" "$dir/scripts/bench/"
[ "$(id -u)" -eq 0 ] && chown -R "$(cu_run_user)" "$dir/scripts"
echo "== generating the sample silos (test/demo/gen_demo.sql)"
cu_psql "$dir" demo -q -f "$dir/scripts/demo/gen_demo.sql" </dev/null
cu_psql "$dir" demo -q -f "$dir/scripts/demo/demo.sql" </dev/null

cat <<EOM

The demo took $(( $(date +%s) - started )) s. Its database is still running. Explore it with:
    psql -h $dir -p 5432 -U postgres demo
for instance:
    SELECT * FROM cu_customer_360 ORDER BY mood LIMIT 10;
    SELECT jsonb_pretty(cu_customer_card(1));
    SELECT * FROM cu_find_customer(name => 'dupont');
Stop and remove it with:
    make demo-stop
EOM
