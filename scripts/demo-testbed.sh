#!/usr/bin/env bash
# The full local demo on the test bed: three Debian machines (systemd-nspawn),
# etcd release tarballs from Debian's packages on a local mirror, and the etcd
# slice of create-cluster run by kubexm (then run again: nothing changes).
set -euo pipefail
cd "$(dirname "$0")/.."
work=.kubexm-demo/testbed
mkdir -p "$work"
node scripts/testbed.mjs up --hosts 3
etcd_version=$(node scripts/build-artifacts.mjs | sed -n 's/^etcd \(v[0-9.]*\):.*/\1/p')
node scripts/mirror.mjs --root /var/cache/kubexm-testbed/artifacts --host 10.213.0.1 --port 18080 > "$work/mirror.url" &
mirror_pid=$!
trap 'kill $mirror_pid 2>/dev/null || true' EXIT
sleep 0.5
node --input-type=module -e "
import { readState, writeClusterConfig } from './scripts/testbed.mjs';
const s = readState();
writeClusterConfig(s.hosts, s.key, { file: '$work/cluster.yaml', name: 'demo', mirror: 'http://10.213.0.1:18080', etcdVersion: '$etcd_version' });
"
echo; echo "== kubexm run playbooks/create-cluster.yaml --tags etcd (first run)"; echo
(cd "$work" && node ../../bin/kubexm.js run ../../playbooks/create-cluster.yaml -f cluster.yaml --tags etcd --yes)
echo; echo "== the same again: nothing changes"; echo
(cd "$work" && node ../../bin/kubexm.js run ../../playbooks/create-cluster.yaml -f cluster.yaml --tags etcd --yes | tail -8)
certs="$PWD/$work/.kubexm/demo/certs/etcd"
cat <<EOT

The etcd cluster runs on node1-3 (10.213.0.11-13). Reach it from this machine:
  ETCDCTL_API=3 /var/cache/kubexm-testbed/artifacts/etcd-bin/etcdctl \\
    --endpoints=https://10.213.0.11:2379,https://10.213.0.12:2379,https://10.213.0.13:2379 \\
    --cacert=$certs/ca.crt --cert=$certs/admin-node1.crt --key=$certs/admin-node1.key \\
    endpoint health
Log in: ssh -i /var/lib/kubexm-testbed/id_ed25519 root@10.213.0.11
Stop the machines: npm run testbed -- down
EOT
mkdir -p /var/cache/kubexm-testbed/artifacts/etcd-bin
tar -xzf "/var/cache/kubexm-testbed/artifacts/etcd/$etcd_version/etcd-$etcd_version-linux-amd64.tar.gz" -C /var/cache/kubexm-testbed/artifacts/etcd-bin --strip-components=1
