#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages, only when missing:
# a real sshd and sudo (integration tests), graphviz (graph rendering test).
# Safe to re-run. Without root it only says what is missing.
set -euo pipefail
need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v sudo >/dev/null || need+=(sudo)
command -v dot >/dev/null || need+=(graphviz)
command -v openssl >/dev/null || need+=(openssl)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-test-deps: missing ${need[*]} (install them, or run as root); the tests that need them are skipped" >&2
  exit 0
fi
echo "ensure-test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
