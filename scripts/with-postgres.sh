#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: initdb in a temp dir, a free port,
# DATABASE_URL exported, the server stopped and removed afterwards (also on failure).
# Never touches a system cluster.
set -euo pipefail
find_bin() {
  command -v "$1" 2>/dev/null && return
  ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}
INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/sanxiang-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then        # the server refuses to run as root
  owner=postgres; id "$owner" >/dev/null 2>&1 || owner=nobody
  chown "$owner" "$dir"; chmod 700 "$dir"
  as_owner=(runuser -u "$owner" --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${as_owner[@]}" "$PG_CTL" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
"${as_owner[@]}" "$INITDB" -D "$dir/data" -U sanxiang --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null
export DATABASE_URL="postgres://sanxiang@127.0.0.1:$port/postgres"
echo "PostgreSQL $("${as_owner[@]}" "$PG_CTL" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
set +e
"$@"
status=$?
set -e
exit $status
