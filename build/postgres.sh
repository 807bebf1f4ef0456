#!/usr/bin/env bash
# Makes sure a PostgreSQL server from Debian's packages runs on 127.0.0.1:5432 with a database `test`
# that the tests reach as user postgres without a password (loopback trust), as on the dev machines.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v pg_ctlcluster >/dev/null; then
  echo "installing postgresql"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql \
    || { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql; }
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "starting PostgreSQL $version"
  conf=/etc/postgresql/$version/main/pg_hba.conf
  # Loopback trust for the test user, once.
  if ! $SUDO grep -q '^host all all 127.0.0.1/32 trust' "$conf"; then
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust' "$conf"
  fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test'
echo "PostgreSQL $version ready on 127.0.0.1:5432 (database test)"
