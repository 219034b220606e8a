# test/lib/common.sh: shared by `make test`, `make demo` and `make bench` (sourced, not run).
#
# Installs what is missing on a Debian 12 machine (as root or through sudo),
# builds and installs the extension, and runs throwaway PostgreSQL clusters as
# an unprivileged user (PostgreSQL refuses to run as root): `postgres` when
# called as root, the caller otherwise.  Clusters listen on a Unix socket in
# their own directory only, so they never clash with another server.

set -euo pipefail

CU_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CU_PG_MAJOR=15
CU_PACKAGES="postgresql-$CU_PG_MAJOR postgresql-server-dev-$CU_PG_MAJOR libicu-dev libipc-run-perl pkg-config gcc make"

# run a command as root (directly, or through sudo)
cu_as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# the unprivileged user that runs the clusters
cu_run_user() {
	if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

# run a command as that user
cu_as_user() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# install the Debian packages that are missing (given as arguments, or the build set)
cu_ensure_packages() {
	local missing="" p
	for p in ${*:-$CU_PACKAGES}; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "== installing:$missing"
		cu_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		# shellcheck disable=SC2086
		cu_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
	fi
	CU_PG_BIN=/usr/lib/postgresql/$CU_PG_MAJOR/bin
	export PG_CONFIG=$CU_PG_BIN/pg_config
	CU_PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/../..
}

# build as the caller, install as root
cu_build_install() {
	echo "== building customer_unify"
	make -C "$CU_ROOT" -s PG_CONFIG="$PG_CONFIG" >/dev/null
	cu_as_root make -C "$CU_ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

# cu_start_cluster DIR: initdb and start a cluster whose socket is in DIR (created, owned by the run user)
cu_start_cluster() {
	local dir=$1
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown "$(cu_run_user)" "$dir"
	cu_as_user "$CU_PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log"; return 1; }
	cu_as_user "$CU_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-k $dir -c listen_addresses='' -p 5432 -c fsync=off -c max_parallel_workers_per_gather=2 ${CU_EXTRA_SERVER_OPTS:-}" \
		start >/dev/null || { cat "$dir/server.log"; return 1; }
}

# cu_stop_cluster DIR
cu_stop_cluster() {
	cu_as_user "$CU_PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
}

# cu_psql DIR DB ARGS...: psql on a cluster started by cu_start_cluster
cu_psql() {
	local dir=$1 db=$2
	shift 2
	cu_as_user "$CU_PG_BIN/psql" -X -h "$dir" -p 5432 -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}
