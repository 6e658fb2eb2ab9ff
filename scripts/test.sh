#!/usr/bin/env bash
# npm test: installs what the tests need from Debian when missing (Dovecot for IMAP, Chromium
# for browser tests), then runs every test with bun:test.
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
exec node_modules/.bin/bun test --timeout 60000 "$@" tests/
