#!/usr/bin/env bash
# Re-records conformance/cases/*.expected.json from a real server (Debian's mariadb-server).
# Only needed after changing a case; the test command checks against the recordings.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mariadbd >/dev/null && ! command -v mysqld >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi
python3 -c 'import pymysql' 2>/dev/null || pip install -q 'PyMySQL==1.1.1'
if ! mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  (mysqld_safe --user=mysql >/tmp/sqlnori-mariadb.log 2>&1 &)
  for _ in $(seq 1 30); do mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
fi
mariadb -uroot -e 'SELECT VERSION()' -N > conformance/SERVER_VERSION
# Arguments: the cases to re-record (default: all), e.g. `privileges`.
python3 conformance/record.py /run/mysqld/mysqld.sock "$@"
