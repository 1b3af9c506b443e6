#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/postgres) and the psql client are available for
# the tests, the local runner's demo and the benchmark, which start throwaway servers of their own
# (local/postgresql.ts). On a fresh Debian machine it installs
# Debian's postgresql (15 on Debian 12); the packaged cluster's service is not started, so nothing listens until a
# test starts its own server. Skipped when TEST_POSTGRES_URL names an existing server.
set -euo pipefail
if [ -n "${TEST_POSTGRES_URL:-}" ]; then exit 0; fi
have_server() {
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && command -v psql >/dev/null 2>&1
}
if have_server; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL is missing: install Debian's postgresql (apt-get install -y postgresql)" >&2
  echo "or set TEST_POSTGRES_URL=postgresql://admin:password@host:port/postgres to use an existing server." >&2
  exit 1
fi
echo "Installing postgresql (needed by the tests, the PostgreSQL demo and benchmark)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# policy-rc.d keeps the package from starting its own service.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends postgresql postgresql-client openssl >/dev/null
have_server
