#!/usr/bin/env bash
# README's first command. On a root Linux machine with systemd-nspawn, the real
# test bed (scripts/testbed.mjs, when present) boots Debian machines; otherwise
# the demo starts real OpenSSH daemons on loopback and runs examples/demo against
# them: the first run changes the hosts, the second changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
  echo "kubexm demo: needs Linux and root (it starts sshd daemons for its test hosts)." >&2
  echo "Elsewhere: kubexm create config -o cluster.yaml, then kubexm run <playbook> -f cluster.yaml against your machines." >&2
  exit 1
fi
[ -d dist ] || npm run build
bash scripts/ensure-test-deps.sh
if [ -f scripts/testbed.mjs ] && [ -f scripts/demo-testbed.sh ]; then
  exec bash scripts/demo-testbed.sh
fi
exec npx --no-install tsx scripts/demo-local.ts
