// Bad cluster configs: every problem reported at once, each at its exact line:col
// with a message a user can act on. Table: name, config text, [message part, "line:col"]...
import { describe, expect, it } from "vitest";
import { diagnosticsOf, head, hosts3, roles } from "./helpers.js";

const H = "  hosts:\n";

const bad: [string, string, [string, string][]][] = [
  // -- the seed's typos, in a small config
  ["seed typo: enum with pipes", head + hosts3 + roles + "  controlPlaneEndpoint:\n    internalLoadbalancer: haproxy| nginx | kube-vip\n",
    [['spec.controlPlaneEndpoint.internalLoadbalancer: "haproxy| nginx | kube-vip" is not one of "haproxy", "nginx", "kube-vip", ""', "14:27"]]],
  ["seed typo: full-width colon", head + hosts3 + roles + "  kubernetes:\n    version： v1.32.4\n",
    [['full-width colon "：" used instead of ":" after "version"', "14:12"]]],
  ["full-width colon in a flow mapping", head + H + "    - { name： n1, address: 10.0.0.1 }\n",
    [['full-width colon "：" used instead of ":" after "name"', "6:13"]]],
  // -- document shape
  ["YAML syntax", head + "  hosts: [\n", [["", "6:1"]]],
  ["duplicate key", head + hosts3 + hosts3, [['Map keys must be unique', "9:3"]]],
  ["wrong kind", "apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Clustr\nmetadata: { name: t }\nspec:\n" + hosts3, [['kind must be "Cluster", not "Clustr"', "2:7"]]],
  ["metadata.name not a DNS label", "apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Cluster\nmetadata: { name: My_Cluster }\nspec:\n" + hosts3, [['metadata.name: "My_Cluster" has the wrong form', "3:19"]]],
  ["empty document", "# nothing\n", [["is not a cluster config", "1:1"]]],
  ["unknown top-level spec field", head + hosts3 + "  rolegroups: {}\n", [['unknown field "rolegroups" in spec (did you mean "roleGroups"?)', "9:3"]]],
  ["unknown kubernetes field", head + hosts3 + roles + "  kubernetes:\n    verison: v1.32.4\n", [['unknown field "verison" in spec.kubernetes (did you mean "version"?)', "14:5"]]],
  // -- hosts
  ["no hosts", head + "  hosts: []\n", [["spec.hosts needs at least 1 entry (0 given)", "5:10"]]],
  ["missing address", head + H + "    - { name: n1 }\n", [['missing required field "address"', "6:7"]]],
  ["unknown host field", head + H + "    - { name: n1, address: 10.0.0.1, passwd: x }\n", [['unknown field "passwd" in spec.hosts[0] (did you mean "password"?)', "6:38"]]],
  ["bad port type", head + H + "    - { name: n1, address: a, port: ssh }\n", [['port must be an integer, not string "ssh"', "6:37"]]],
  ["bad arch", head + H + "    - { name: n1, address: a, arch: x86 }\n", [['"x86" is not one of "amd64", "arm64"', "6:37"]]],
  ["address neither IP nor name", head + H + '    - { name: n1, address: "no such host" }\n', [['host n1: address "no such host" is neither an IP address nor a DNS name', "6:28"]]],
  ["internalAddress not an IP", head + H + '    - { name: n1, address: 10.0.0.1, internalAddress: "10.0.0.1,nope" }\n', [['host n1: internalAddress "nope" is not an IP address', "6:65"]]],
  ["internalAddress with two IPv4", head + H + '    - { name: n1, address: 10.0.0.1, internalAddress: "10.0.0.1,10.0.0.9" }\n', [['internalAddress "10.0.0.1,10.0.0.9" has more than one IPv4 address', "6:55"]]],
  ["duplicate host name", head + H + "    - { name: n1, address: a }\n    - { name: n1, address: b }\n", [['host name "n1" is used twice', "7:15"]]],
  ["duplicate address", head + H + "    - { name: n1, address: 10.0.0.1 }\n    - { name: n2, address: 10.0.0.1 }\n", [["host n2 has the same SSH address and port (10.0.0.1:22) as host n1", "7:28"], ["host n2 reuses address 10.0.0.1 of host n1", "7:28"]]],
  ["same SSH endpoint, distinct internal", head + H + "    - { name: n1, address: 1.2.3.4, internalAddress: 10.0.0.1 }\n    - { name: n2, address: 1.2.3.4, internalAddress: 10.0.0.2 }\n", [["host n2 has the same SSH address and port (1.2.3.4:22) as host n1", "7:28"]]],
  ["duplicate internal v6 (the seed's mistake)", head + H + '    - { name: n1, address: a1, internalAddress: "10.0.0.1,fd::1" }\n    - { name: n2, address: a2, internalAddress: "10.0.0.2,fd::1" }\n', [["host n2 reuses internal address fd::1 of host n1", "7:59"]]],
  ["empty password", head + H + '    - { name: n1, address: 10.0.0.1, password: "" }\n', [["host n1 has an empty password", "6:48"]]],
  ["passphrase without a key", head + H + "    - { name: n1, address: 10.0.0.1, privateKeyPassphrase: pp-secret }\n", [["host n1 has privateKeyPassphrase but no privateKeyPath", "6:60"]]],
  // -- role groups
  ["unknown host in role", head + hosts3 + "  roleGroups:\n    etcd: [n1, n9]\n", [['role "etcd" names host "n9", which is not in spec.hosts (did you mean "n1"?)', "10:16"]]],
  ["range past the hosts", head + hosts3 + '  roleGroups:\n    worker: ["n[2:4]"]\n', [['role "worker" names host "n4", which is not in spec.hosts', "10:14"]]],
  ["range counting down", head + hosts3 + '  roleGroups:\n    worker: ["n[3:2]"]\n', [["range n[3:2] counts down", "10:14"]]],
  ["role group not a list", head + hosts3 + "  roleGroups:\n    etcd: n1\n", [["spec.roleGroups.etcd must be a list, not string \"n1\"", "10:11"]]],
  ["two registries", head + hosts3 + "  roleGroups:\n    registry: [n1, n2]\n", [["spec.roleGroups.registry takes at most 1 entry (2 given)", "10:15"]]],
  ["unknown role", head + hosts3 + "  roleGroups:\n    etc: [n1]\n", [['unknown field "etc" in spec.roleGroups (did you mean "etcd"?)', "10:5"]]],
  // -- etcd
  ["external etcd without endpoints", head + hosts3 + "  etcd:\n    type: external\n", [["etcd.type is external but etcd.external.endpoints is empty", "10:11"]]],
  ["external etcd endpoint without scheme", head + hosts3 + roles + "  etcd:\n    type: external\n    external: { endpoints: [10.0.0.50:2379] }\n", [['spec.etcd.external.endpoints[0]: "10.0.0.50:2379" has the wrong form', "15:29"]]],
  ["kubexm etcd without hosts", head + hosts3 + "  etcd:\n    type: kubexm\n", [["roleGroups.etcd names no host", "10:11"]]],
  ["etcd client and peer port equal", head + hosts3 + roles + "  etcd: { clientPort: 2379, peerPort: 2379 }\n", [["etcd.clientPort and etcd.peerPort are both 2379", "13:39"]]],
  // -- load balancers
  ["kubexm LB without hosts", head + hosts3 + roles + "  controlPlaneEndpoint:\n    externalLoadBalancer: kubexm\n", [["externalLoadBalancer is kubexm but roleGroups.loadbalancer names no host", "14:27"]]],
  ["external LB with LB hosts", head + hosts3 + "  roleGroups:\n    etcd: [n1]\n    loadbalancer: [n2]\n  controlPlaneEndpoint:\n    externalLoadBalancer: external\n    lb_address: 10.0.0.100\n", [["externalLoadBalancer is external but roleGroups.loadbalancer names hosts", "11:19"]]],
  ["several masters, no LB", head + hosts3 + "  roleGroups:\n    etcd: [n1]\n    master: [n1, n2]\n  controlPlaneEndpoint:\n    port: 6443\n", [["2 masters need a load balancer", "13:5"]]],
  ["kube-vip without VIP", head + hosts3 + roles + "  controlPlaneEndpoint:\n    internalLoadbalancer: kube-vip\n", [["internalLoadbalancer: kube-vip needs controlPlaneEndpoint.lb_address", "14:27"]]],
  ["external LB without VIP", head + hosts3 + roles + "  controlPlaneEndpoint:\n    externalLoadBalancer: external\n", [["externalLoadBalancer: external needs controlPlaneEndpoint.lb_address", "14:27"]]],
  ["lb_address not an IP", head + hosts3 + roles + "  controlPlaneEndpoint: { lb_address: lb.example.com }\n", [['lb_address "lb.example.com" is not an IP address', "13:39"]]],
  ["externalDNS with lb_address", head + hosts3 + roles + "  controlPlaneEndpoint: { externalDNS: true, lb_address: 10.0.0.100 }\n", [["externalDNS is true: lb_address must be empty", "13:58"]]],
  // -- kubernetes
  ["bad kubernetes version", head + hosts3 + roles + "  kubernetes:\n    version: 1.32\n", [["spec.kubernetes.version must be a string, not number 1.32", "14:14"]]],
  ["kubernetes version without v", head + hosts3 + roles + '  kubernetes:\n    version: "1.32.4"\n', [['"1.32.4" has the wrong form', "14:14"]]],
  ["bad runtime", head + hosts3 + roles + "  kubernetes:\n    containerRuntime: { type: podman }\n", [['"podman" is not one of "containerd", "docker", "cri-o", "isula"', "14:31"]]],
  ["bad excludeCIDRs", head + hosts3 + roles + "  kubernetes:\n    kubeProxyConfiguration: { ipvs: { excludeCIDRs: [172.16.0.0/40] } }\n", [['excludeCIDRs: "172.16.0.0/40" is not a valid CIDR', "14:54"]]],
  // -- network
  ["invalid CIDR", head + hosts3 + roles + "  network:\n    kubePodsCIDR: 10.233.64.0/33\n", [['kubePodsCIDR: "10.233.64.0/33" is not a valid CIDR', "14:19"]]],
  ["overlapping CIDRs", head + hosts3 + roles + "  network:\n    kubePodsCIDR: 10.233.0.0/16\n    kubeServiceCIDR: 10.233.0.0/18\n", [["kubePodsCIDR 10.233.0.0/16 overlaps kubeServiceCIDR 10.233.0.0/18", "15:22"]]],
  ["CIDR containing a host", head + hosts3 + roles + "  network:\n    kubePodsCIDR: 10.0.0.0/24\n", [["kubePodsCIDR 10.0.0.0/24 contains host n1's address 10.0.0.1", "14:19"]]],
  ["dual stack with two IPv4", head + hosts3 + roles + '  network:\n    kubeServiceCIDR: "10.1.0.0/16,10.2.0.0/16"\n', [["kubeServiceCIDR: a dual-stack value needs one IPv4 and one IPv6 CIDR", "14:22"]]],
  ["dual stack on one side only", head + hosts3 + roles + '  network:\n    kubePodsCIDR: "10.233.64.0/18,fd85::/112"\n    kubeServiceCIDR: 10.233.0.0/18\n', [['dual stack needs "v4,v6" in both', "15:22"]]],
  ["pod range smaller than a node's", head + hosts3 + roles + "  network:\n    kubePodsCIDR: 10.233.64.0/26\n", [["kubePodsCIDR 10.233.64.0/26 is smaller than one node's range (nodeCidrMaskSize 24)", "14:19"]]],
  ["calico ipip and vxlan", head + hosts3 + roles + "  network:\n    calico: { ipipMode: Always, vxlanMode: Always }\n", [["calico ipipMode (Always) and vxlanMode (Always) are both enabled", "14:44"]]],
  ["bad flannel backend", head + hosts3 + roles + "  network: { plugin: flannel, flannel: { backendMode: udp } }\n", [['"udp" is not one of "vxlan", "host-gw", "wireguard"', "13:55"]]],
  ["ippool block size out of range", head + hosts3 + roles + "  network: { ippool: { blockSize: 40 } }\n", [["spec.network.ippool.blockSize must be at most 32, not 40", "13:35"]]],
  // -- system, registry, artifacts
  ["unknown time zone", head + hosts3 + roles + "  system: { timezone: Mars/Olympus }\n", [['system.timezone "Mars/Olympus" is not a known time zone', "13:23"]]],
  ["registry auth typo", head + hosts3 + roles + "  registry:\n    auths:\n      r.example.com: { username: u, pasword: p }\n", [['unknown field "pasword" in spec.registry.auths.r.example.com (did you mean "password"?)', "15:37"]]],
  ["mirror not a URL", head + hosts3 + roles + "  artifacts: { mirror: ftp://mirror }\n", [['spec.artifacts.mirror: "ftp://mirror" has the wrong form', "13:24"]]],
];

describe("bad configs point at the exact line:col", () => {
  it("has at least 20 cases", () => expect(bad.length).toBeGreaterThanOrEqual(20));
  for (const [name, text, expected] of bad) {
    it(name, () => {
      const got = diagnosticsOf(text);
      for (const [msg, at] of expected) {
        expect(got, JSON.stringify(got, null, 1)).toContainEqual(expect.objectContaining({ message: expect.stringContaining(msg), at, severity: "error" }));
      }
      // every error carries a location
      for (const d of got) expect(d.at).not.toBe("undefined:undefined");
    });
  }

  it("reports every problem in one pass, not the first only", () => {
    const text = head + H + '    - { name: n1, address: 10.0.0.1, arch: x86 }\n    - { name: n1, address: 10.0.0.1 }\n  roleGroups:\n    etcd: [n7]\n  network:\n    kubePodsCIDR: 10.0.0.0/8\n';
    const msgs = diagnosticsOf(text).map((d) => d.message);
    expect(msgs).toEqual(expect.arrayContaining([
      expect.stringContaining('"x86" is not one of'),
      expect.stringContaining('host name "n1" is used twice'),
      expect.stringContaining('names host "n7"'),
      expect.stringContaining("kubePodsCIDR 10.0.0.0/8 contains host"),
    ]));
  });

  it("every error has a fix hint or a list of allowed values", () => {
    for (const [, text] of bad.slice(8)) {
      for (const d of diagnosticsOf(text)) {
        if (d.severity === "error" && !/must|not one of|wrong form|missing|at least|at most|more than|did you mean/.test(d.message)) expect(d.hint, d.message).toBeTruthy();
      }
    }
  });
});

// warnings: the config loads, the user is told
const warnings: [string, string, [string, string][]][] = [
  ["even etcd count", head + hosts3 + "  roleGroups:\n    etcd: [n1, n2]\n    worker: [n3]\n", [["roleGroups.etcd has 2 hosts: an even count tolerates no more failures than 1", "10:11"]]],
  ["host in no role group", head + hosts3 + "  roleGroups:\n    etcd: [n1]\n    worker: [n2]\n", [["host n3 is in no role group", "8:15"]]],
  ["role entry listed twice", head + hosts3 + '  roleGroups:\n    etcd: [n1]\n    worker: ["n[1:3]", n2]\n', [['role "worker" lists n2 twice', "11:24"]]],
  ["short election timeout", head + hosts3 + roles + "  etcd: { heartbeatInterval: 500, electionTimeout: 1000 }\n", [["etcd.electionTimeout (1000) should be at least 5x heartbeatInterval (500)", "13:52"]]],
  ["stacked etcd off the masters", head + hosts3 + roles + "  etcd: { type: kubeadm }\n", [["n2, n3 in roleGroups.etcd are not a master", "10:11"]]],
  ["external etcd with etcd hosts", head + hosts3 + roles + "  etcd: { type: external, external: { endpoints: [\"https://10.0.0.50:2379\"] } }\n", [["etcd.type is external: the hosts of roleGroups.etcd get no etcd", "10:11"]]],
  ["LB hosts without an external LB", head + hosts3 + "  roleGroups:\n    etcd: [n1]\n    worker: [n2]\n    loadbalancer: [n3]\n", [["roleGroups.loadbalancer names hosts but externalLoadBalancer is \"\"", "12:19"]]],
  ["more nodes than pod ranges", head + hosts3 + roles + "  network: { kubePodsCIDR: 10.233.64.0/23 }\n", [["has room for 2 nodes, but 3 are masters or workers", "13:28"]]],
];

describe("warnings do not stop the load", () => {
  for (const [name, text, expected] of warnings) {
    it(name, () => {
      const got = diagnosticsOf(text);
      for (const [msg, at] of expected) {
        expect(got, JSON.stringify(got, null, 1)).toContainEqual(expect.objectContaining({ message: expect.stringContaining(msg), severity: "warning", ...(at !== "-" ? { at } : {}) }));
      }
    });
  }
});
