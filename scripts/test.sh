#!/usr/bin/env bash
# npm test: installs what the tests need from Debian when missing (Dovecot for IMAP, Chromium
# for browser tests, PostgreSQL), then runs every test with bun:test, and a list of stories again
# on PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
need=()
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/sqlite3 ] || need+=(sqlite3)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages for tests: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "warning: could not install ${need[*]}; tests that need them will fail with a clear message"
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
node_modules/.bin/bun test --timeout 60000 "$@" tests/
code=$?
# The whole run (no arguments) also passes the stories listed in tests/postgres-pass.txt again on
# PostgreSQL (issue 22): same stories, a throw-away cluster, one database per Pano.
if [ $# -eq 0 ] && [ -s tests/postgres-pass.txt ]; then
  echo "--- the same stories on PostgreSQL (tests/postgres-pass.txt) ---"
  PANO_TEST_POSTGRES=1 node_modules/.bin/bun test --timeout 60000 $(grep -v '^#' tests/postgres-pass.txt)
  pg=$?
  [ "$code" = 0 ] && code=$pg
fi
exit "$code"
