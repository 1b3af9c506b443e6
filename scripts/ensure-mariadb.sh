#!/usr/bin/env bash
# Makes sure a MariaDB server binary is available for the tests, the local runner and the benchmark, which start
# throwaway servers of their own. On a fresh Debian machine it installs Debian's mariadb-server (the packaged
# service is not started; nothing listens until a test starts its own server). Skipped when TEST_MYSQL_URL names
# an existing server.
set -euo pipefail
if [ -n "${TEST_MYSQL_URL:-}" ]; then exit 0; fi
if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "mariadbd is missing: install Debian's mariadb-server (apt-get install -y mariadb-server)" >&2
  echo "or set TEST_MYSQL_URL=mysql://admin:password@host:port to use an existing server." >&2
  exit 1
fi
echo "Installing mariadb-server (needed by the tests and the demo)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# policy-rc.d keeps the package from starting its own service.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends mariadb-server openssl >/dev/null
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]
