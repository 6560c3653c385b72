// `kubexm create config`: a valid, commented sample cluster config. A test loads
// it with the loader (no errors, no warnings), so it cannot drift from the schema.
import { DEFAULT_ETCD_VERSION, DEFAULT_KUBERNETES_VERSION } from "./defaults.js";

export interface SampleOptions {
  /** metadata.name (a DNS label) */
  name?: string;
  /** kubernetes.version, e.g. v1.32.4 */
  kubernetesVersion?: string;
}

export function sampleConfig(opts: SampleOptions = {}): string {
  const name = opts.name ?? "mycluster";
  const k8s = opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  return `# yaml-language-server: $schema=https://kubexm.dev/schemas/cluster.schema.json
# A kubexm cluster config. Reference: docs/cluster-config.md
# Check it: kubexm validate playbooks/create-cluster.yaml -f <this file>
apiVersion: kubexm.mensylisir.io/v1alpha1
kind: Cluster
metadata:
  name: ${name}                  # the local work dir is .kubexm/${name}
spec:
  hosts:
  # port defaults to 22, user to root, arch to amd64 (or arm64).
  # Log in with password, privateKeyPath (+ privateKeyPassphrase), or neither: the SSH agent.
  # internalAddress is one IP or "v4,v6" (dual stack); it defaults to address.
  - {name: node1, address: 192.168.0.11, internalAddress: 192.168.0.11, privateKeyPath: "~/.ssh/id_ed25519"}
  - {name: node2, address: 192.168.0.12, internalAddress: 192.168.0.12, privateKeyPath: "~/.ssh/id_ed25519"}
  - {name: node3, address: 192.168.0.13, internalAddress: 192.168.0.13, privateKeyPath: "~/.ssh/id_ed25519"}
  - {name: node4, address: 192.168.0.14, internalAddress: 192.168.0.14, privateKeyPath: "~/.ssh/id_ed25519", labels: {disk: ssd}}
  roleGroups:
    etcd: [node1, node2, node3]     # an odd number of hosts (etcd.type kubexm)
    master: ["node[1:3]"]           # node[1:3] = node1, node2, node3 (inclusive)
    worker: [node4]
    # registry: [node4]             # at most one host: runs a registry (or Harbor)
    # loadbalancer: []              # keepalived + haproxy/nginx when externalLoadBalancer is kubexm
  controlPlaneEndpoint:
    externalLoadBalancer: ""        # kubexm | external | "" (none)
    internalLoadbalancer: haproxy   # haproxy | nginx | kube-vip | ""; needed with several masters and no external LB
    externalDNS: false
    domain: lb.kubexm.local
    lb_address: ""                  # the VIP, for kube-vip or an external LB
    port: 6443
  system:
    ntpServers: []                  # chrony servers; a host name from hosts makes that host a server
    timezone: UTC
    rpms: []                        # extra packages
    debs: []
  kubernetes:
    type: kubexm                    # kubexm (binaries + systemd) | kubeadm
    version: ${k8s}
    clusterName: cluster.local
    apiserverCertExtraSans: []
    containerRuntime:
      type: containerd              # containerd | docker | cri-o | isula
    autoRenewCerts: true
    maxPods: 110
    nodeCidrMaskSize: 24
    proxyMode: ipvs                 # ipvs | iptables
  etcd:
    type: kubexm                    # kubexm (binaries + systemd) | kubeadm (stacked) | external
    version: ${DEFAULT_ETCD_VERSION}
    # external:                     # type external only
    #   endpoints: [https://192.168.0.50:2379]
    #   caFile: /pki/etcd/ca.crt
    #   certFile: /pki/etcd/etcd.crt
    #   keyFile: /pki/etcd/etcd.key
    dataDir: /var/lib/etcd
    heartbeatInterval: 250          # ms
    electionTimeout: 5000           # ms, at least 5x heartbeatInterval
    snapshotCount: 10000
    autoCompactionRetention: 8      # hours, 0 disables
    metrics: basic                  # basic | extensive
    quotaBackendBytes: 2147483648   # 2 GiB; etcd warns above 8 GiB
    maxRequestBytes: 1572864
    maxSnapshots: 5                 # 0 = unlimited
    maxWals: 5                      # 0 = unlimited
    logLevel: info                  # debug | info | warn | error | panic | fatal
  network:
    plugin: calico                  # calico | flannel | cilium | none
    kubePodsCIDR: 10.233.64.0/18    # or "v4,v6" for dual stack
    kubeServiceCIDR: 10.233.0.0/18
    calico:
      ipipMode: Always              # Always | CrossSubnet | Never; with ipip on, vxlanMode must be Never
      vxlanMode: Never
      vethMTU: 0                    # 0 = auto-detect
  registry:
    privateRegistry: ""             # pull images from this registry instead of the public ones
    # auths:
    #   "registry.example.com": {username: admin, password: "..."}
  # artifacts:
  #   mirror: http://192.168.0.1:8080   # download binaries from a local mirror (air-gapped sites)
  addons: []
`;
}
