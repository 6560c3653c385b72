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
# Debian's etcd binaries, unpacked (not installed: no service starts) for the
# etcd-health tests, which run a real 3-member TLS cluster on loopback.
etcd_root=/var/cache/kubexm-test/etcd-root
want_etcd=0
[ -x "$etcd_root/usr/bin/etcd" ] || want_etcd=1
[ ${#need[@]} -eq 0 ] && [ $want_etcd = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-test-deps: missing ${need[*]}$([ $want_etcd = 1 ] && echo " etcd binaries") (run as root to install); the tests that need them are skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-test-deps: installing ${need[*]}"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ $want_etcd = 1 ]; then
  echo "ensure-test-deps: unpacking Debian's etcd-server and etcd-client into $etcd_root"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq etcd-server etcd-client >/dev/null)
  mkdir -p "$etcd_root"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$etcd_root"; done
  rm -rf "$tmp"
fi
