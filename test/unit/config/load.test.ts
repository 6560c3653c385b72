// The cluster config loader: good configs -> hosts/roles/defaults; bad configs ->
// each message at its exact line:col, all at once.
import { describe, expect, it } from "vitest";
import { loadClusterConfig, loadClusterConfigText } from "../../../engine/config/load.js";
import { KubexmError } from "../../../engine/diagnostics.js";
import { Redactor } from "../../../engine/redact.js";

const head = "apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Cluster\nmetadata: { name: t }\nspec:\n";
const hosts3 =
  "  hosts:\n" +
  "    - { name: n1, address: 10.0.0.1, password: s3cret-pw }\n" +
  "    - { name: n2, address: 10.0.0.2, privateKeyPath: /k }\n" +
  "    - { name: n3, address: 10.0.0.3, internalAddress: \"10.0.0.3,fd00::3\" }\n";
const roles = "  roleGroups:\n    etcd: [n1, n2, n3]\n    master: [n1]\n    worker: [\"n[2:3]\"]\n";

function errorsOf(text: string): { message: string; at: string }[] {
  try {
    loadClusterConfigText("c.yaml", text);
  } catch (e) {
    if (!(e instanceof KubexmError)) throw e;
    return e.diagnostics.map((d) => ({ message: d.message, at: `${d.loc?.line}:${d.loc?.col}` }));
  }
  return [];
}

describe("good configs", () => {
  it("applies defaults and expands ranges", () => {
    const c = loadClusterConfigText("c.yaml", head + hosts3 + roles);
    expect(c.name).toBe("t");
    expect(c.roles).toEqual({ etcd: ["n1", "n2", "n3"], master: ["n1"], worker: ["n2", "n3"], registry: [], loadbalancer: [] });
    expect(c.hosts[0]).toMatchObject({ name: "n1", port: 22, user: "root", arch: "amd64", roles: ["etcd", "master"] });
    expect(c.hosts[2]).toMatchObject({ internalAddress: ["10.0.0.3", "fd00::3"], internalAddressV4: "10.0.0.3", internalAddressV6: "fd00::3" });
    expect(c.spec.etcd).toMatchObject({ type: "kubexm", dataDir: "/var/lib/etcd", heartbeatInterval: 250, logLevel: "info" });
    expect(c.spec.kubernetes.containerRuntime.type).toBe("containerd");
    expect(c.secrets).toEqual(["s3cret-pw"]);
  });

  it("loads examples/cluster.yaml (the seed's sample, corrected)", async () => {
    const c = await loadClusterConfig("examples/cluster.yaml");
    expect(c.hosts).toHaveLength(13);
    expect(c.roles.master).toEqual(["node4", "node5", "node6"]);
    expect(c.roles.worker).toEqual(["node7", "node8", "node9", "node10"]);
    expect(c.secrets).toContain("Qcloud@123");
    expect(c.secrets).toContain("change-me");
  });

  it("redacts every secret from anything public", async () => {
    const c = await loadClusterConfig("examples/cluster.yaml");
    const r = new Redactor(c.secrets);
    const shown = JSON.stringify(r.value(c.spec));
    expect(shown).not.toContain("Qcloud@123");
    expect(shown).not.toContain("change-me");
    expect(r.text("ssh ubuntu with Qcloud@123")).toBe("ssh ubuntu with ******");
  });

  it("warns on an even etcd count", () => {
    const c = loadClusterConfigText("c.yaml", head + hosts3 + "  roleGroups:\n    etcd: [n1, n2]\n");
    expect(c.warnings.map((w) => w.message)).toEqual([expect.stringContaining("an even count")]);
  });
});

// name, text, expected [message substring, "line:col"]
const bad: [string, string, [string, string][]][] = [
  ["seed typo: enum with pipes", head + hosts3 + roles + "  controlPlaneEndpoint:\n    internalLoadbalancer: haproxy| nginx | kube-vip\n",
    [['"haproxy| nginx | kube-vip" is not one of "haproxy", "nginx", "kube-vip", ""', "14:27"]]],
  ["seed typo: full-width colon", head + hosts3 + roles + "  kubernetes:\n    version： v1.32.4\n",
    [['full-width colon "：" after "version"', "14:12"]]],
  ["unknown top-level spec field", head + hosts3 + "  rolegroups: {}\n", [['unknown field "rolegroups" in spec (did you mean "roleGroups"?)', "9:3"]]],
  ["missing address", head + "  hosts:\n    - { name: n1 }\n", [['missing required field "address"', "6:7"]]],
  ["bad port type", head + "  hosts:\n    - { name: n1, address: a, port: ssh }\n", [['port must be an integer, not string "ssh"', "6:37"]]],
  ["bad arch", head + "  hosts:\n    - { name: n1, address: a, arch: x86 }\n", [['"x86" is not one of "amd64", "arm64"', "6:37"]]],
  ["duplicate host name", head + "  hosts:\n    - { name: n1, address: a }\n    - { name: n1, address: b }\n", [['host name "n1" is used twice', "7:15"]]],
  ["duplicate address", head + "  hosts:\n    - { name: n1, address: 10.0.0.1 }\n    - { name: n2, address: 10.0.0.1 }\n", [["host n2 reuses address 10.0.0.1 of host n1", "7:28"]]],
  ["duplicate internal v6", head + "  hosts:\n    - { name: n1, address: a1, internalAddress: \"10.0.0.1,fd::1\" }\n    - { name: n2, address: a2, internalAddress: \"10.0.0.2,fd::1\" }\n", [["host n2 reuses address fd::1 of host n1", "7:49"]]],
  ["unknown host in role", head + hosts3 + "  roleGroups:\n    etcd: [n1, n9]\n", [['role "etcd" names host "n9", which is not in spec.hosts', "10:16"]]],
  ["range past the hosts", head + hosts3 + "  roleGroups:\n    worker: [\"n[2:4]\"]\n", [['role "worker" names host "n4"', "10:14"]]],
  ["range counting down", head + hosts3 + "  roleGroups:\n    worker: [\"n[3:2]\"]\n", [["range n[3:2] counts down", "10:14"]]],
  ["two registries", head + hosts3 + "  roleGroups:\n    registry: [n1, n2]\n", [["registry must NOT have more than 1 items", "10:15"]]],
  ["unknown role", head + hosts3 + "  roleGroups:\n    etc: [n1]\n", [['unknown field "etc" in spec.roleGroups (did you mean "etcd"?)', "10:5"]]],
  ["external etcd without endpoints", head + hosts3 + "  etcd:\n    type: external\n", [["etcd.type is external but etcd.external.endpoints is empty", "10:11"]]],
  ["kubexm etcd without hosts", head + hosts3 + "  etcd:\n    type: kubexm\n", [["roleGroups.etcd names no host", "10:11"]]],
  ["kubexm LB without hosts", head + hosts3 + roles + "  controlPlaneEndpoint:\n    externalLoadBalancer: kubexm\n", [["externalLoadBalancer is kubexm but roleGroups.loadbalancer names no host", "14:27"]]],
  ["external LB with LB hosts", head + hosts3 + "  roleGroups:\n    etcd: [n1]\n    loadbalancer: [n2]\n  controlPlaneEndpoint:\n    externalLoadBalancer: external\n    lb_address: 10.0.0.100\n", [["externalLoadBalancer is external but roleGroups.loadbalancer names hosts", "11:19"]]],
  ["several masters, no LB", head + hosts3 + "  roleGroups:\n    etcd: [n1]\n    master: [n1, n2]\n  controlPlaneEndpoint:\n    port: 6443\n", [["2 masters need a load balancer", "13:5"]]],
  ["kube-vip without VIP", head + hosts3 + roles + "  controlPlaneEndpoint:\n    internalLoadbalancer: kube-vip\n", [["internalLoadbalancer: kube-vip needs controlPlaneEndpoint.lb_address", "14:27"]]],
  ["bad kubernetes version", head + hosts3 + roles + "  kubernetes:\n    version: 1.32\n", [["spec.kubernetes.version must be a string, not number 1.32", "14:14"]]],
  ["kubernetes version without v", head + hosts3 + roles + "  kubernetes:\n    version: \"1.32.4\"\n", [['"1.32.4" has the wrong form', "14:14"]]],
  ["bad runtime", head + hosts3 + roles + "  kubernetes:\n    containerRuntime: { type: podman }\n", [['"podman" is not one of "containerd", "docker", "cri-o", "isula"', "14:31"]]],
  ["invalid CIDR", head + hosts3 + roles + "  network:\n    kubePodsCIDR: 10.233.64.0/33\n", [['kubePodsCIDR: "10.233.64.0/33" is not a valid CIDR', "14:19"]]],
  ["overlapping CIDRs", head + hosts3 + roles + "  network:\n    kubePodsCIDR: 10.233.0.0/16\n    kubeServiceCIDR: 10.233.0.0/18\n", [["kubePodsCIDR 10.233.0.0/16 overlaps kubeServiceCIDR 10.233.0.0/18", "15:22"]]],
  ["CIDR containing a host", head + hosts3 + roles + "  network:\n    kubePodsCIDR: 10.0.0.0/24\n", [["kubePodsCIDR 10.0.0.0/24 contains host n1's address 10.0.0.1", "14:19"]]],
  ["calico ipip and vxlan", head + hosts3 + roles + "  network:\n    calico: { ipipMode: Always, vxlanMode: Always }\n", [["calico ipipMode (Always) and vxlanMode (Always) are both enabled", "14:44"]]],
  ["YAML syntax", head + "  hosts: [\n", [["", "6:1"]]],
  ["wrong kind", "apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Clustr\nmetadata: { name: t }\nspec:\n" + hosts3, [['kind must be "Cluster", not "Clustr"', "2:7"]]],
];

describe("bad configs point at the exact line:col", () => {
  for (const [name, text, expected] of bad) {
    it(name, () => {
      const got = errorsOf(text);
      for (const [msg, at] of expected) {
        expect(got, JSON.stringify(got, null, 1)).toContainEqual({ message: expect.stringContaining(msg), at });
      }
    });
  }

  it("the seed's sample as written: both typos and the repeated addresses, no crash", async () => {
    const e = await loadClusterConfig("test/fixtures/config/seed-sample.yaml").catch((x) => x);
    expect(e).toBeInstanceOf(KubexmError);
    const got = (e as KubexmError).diagnostics.map((d) => `${d.loc?.line}:${d.loc?.col} ${d.message}`);
    expect(got).toContain('91:14 full-width colon "：" after "version": YAML needs an ASCII colon ":"');
    expect(got).toContain('92:17 full-width colon "：" after "containerd": YAML needs an ASCII colon ":"');
    expect(got).toContain('53:27 spec.controlPlaneEndpoint.internalLoadbalancer: "haproxy| nginx | kube-vip" is not one of "haproxy", "nginx", "kube-vip", ""');
    expect(got).toContain("15:57 host node4 reuses address 2022::4 of host node3");
    expect(got.some((g) => g.includes('names host "node9"'))).toBe(true);
  });

  it("a missing file says how to make one", async () => {
    const e = (await loadClusterConfig("nope.yaml").catch((x) => x)) as KubexmError;
    expect(e.diagnostics[0].message).toBe("cluster config not found: nope.yaml");
    expect(e.diagnostics[0].hint).toContain("kubexm create config");
  });
});
