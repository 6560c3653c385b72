// `kubexm create config`: a valid, commented sample cluster config.
export function sampleConfig(opts: { name?: string; kubernetesVersion?: string } = {}): string {
  const name = opts.name ?? "mycluster";
  const k8s = opts.kubernetesVersion ?? "v1.32.4";
  return `# yaml-language-server: $schema=https://kubexm.dev/schemas/cluster.schema.json
# A kubexm cluster config. Check it with: kubexm validate playbooks/create-cluster.yaml -f <this file>
apiVersion: kubexm.mensylisir.io/v1alpha1
kind: Cluster
metadata:
  name: ${name}          # the local work dir is .kubexm/${name}
spec:
  hosts:
  # port defaults to 22, user to root, arch to amd64 (or arm64).
  # Authenticate with password, privateKeyPath, or (with neither) the SSH agent.
  - {name: node1, address: 192.168.0.11, internalAddress: 192.168.0.11, privateKeyPath: "~/.ssh/id_ed25519"}
  - {name: node2, address: 192.168.0.12, internalAddress: 192.168.0.12, privateKeyPath: "~/.ssh/id_ed25519"}
  - {name: node3, address: 192.168.0.13, internalAddress: 192.168.0.13, privateKeyPath: "~/.ssh/id_ed25519"}
  - {name: node4, address: 192.168.0.14, internalAddress: 192.168.0.14, privateKeyPath: "~/.ssh/id_ed25519"}
  roleGroups:
    etcd: [node1, node2, node3]     # an odd number of hosts
    master: ["node[1:3]"]           # node[1:3] = node1, node2, node3
    worker: [node4]
    # registry: [node4]             # at most one host
    # loadbalancer: []              # keepalived + haproxy/nginx with externalLoadBalancer: kubexm
  controlPlaneEndpoint:
    externalLoadBalancer: ""        # kubexm | external | "" (none)
    internalLoadbalancer: haproxy   # haproxy | nginx | kube-vip | "" (needed with several masters and no external LB)
    domain: lb.kubexm.local
    lb_address: ""                  # the VIP for kube-vip or an external LB
    port: 6443
  system:
    ntpServers: []
    timezone: "UTC"
  kubernetes:
    type: kubexm                    # kubexm (binaries + systemd) | kubeadm
    version: ${k8s}
    containerRuntime:
      type: containerd              # containerd | docker | cri-o | isula
  etcd:
    type: kubexm                    # kubexm (binaries + systemd) | kubeadm (stacked) | external
    version: v3.5.21
    dataDir: /var/lib/etcd
    heartbeatInterval: 250          # ms
    electionTimeout: 5000           # ms
    snapshotCount: 10000
    autoCompactionRetention: 8      # hours, 0 disables
    metrics: basic                  # basic | extensive
    quotaBackendBytes: 2147483648
    maxRequestBytes: 1572864
    maxSnapshots: 5
    maxWals: 5
    logLevel: info
  network:
    plugin: calico                  # calico | flannel | cilium | none
    kubePodsCIDR: 10.233.64.0/18
    kubeServiceCIDR: 10.233.0.0/18
    calico:
      ipipMode: Always              # with ipip on, vxlanMode must be Never
      vxlanMode: Never
  # artifacts:
  #   mirror: http://10.0.0.1:8080  # download binaries from a local mirror (air-gapped sites)
  addons: []
`;
}
