// The cluster config loader on good configs: hosts, roles and defaults as the
// rest of kubexm sees them; the seed's sample as written; examples/cluster.yaml.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { loadClusterConfig, loadClusterConfigText } from "../../../engine/config/load.js";
import { DEFAULT_RUNTIME_VERSIONS } from "../../../engine/config/defaults.js";
import { KubexmError } from "../../../engine/diagnostics.js";
import { diagnosticsOf, head, hosts3, roles } from "./helpers.js";

describe("good configs", () => {
  it("fills host defaults, splits v4,v6 and expands ranges", () => {
    const c = loadClusterConfigText("c.yaml", head + hosts3 + roles);
    expect(c.name).toBe("t");
    expect(c.file).toBe("c.yaml");
    expect(c.roles).toEqual({ etcd: ["n1", "n2", "n3"], master: ["n1"], worker: ["n2", "n3"], registry: [], loadbalancer: [] });
    expect(c.hosts.map((h) => h.name)).toEqual(["n1", "n2", "n3"]);
    expect(c.hosts[0]).toMatchObject({ name: "n1", address: "10.0.0.1", internalAddress: ["10.0.0.1"], internalAddressV4: "10.0.0.1", port: 22, user: "root", arch: "amd64", labels: {}, roles: ["etcd", "master"] });
    expect(c.hosts[0].internalAddressV6).toBeUndefined();
    expect(c.hosts[2]).toMatchObject({ internalAddress: ["10.0.0.3", "fd00::3"], internalAddressV4: "10.0.0.3", internalAddressV6: "fd00::3", roles: ["etcd", "worker"] });
    expect(c.secrets).toEqual(["s3cret-pw"]);
    expect(c.warnings).toEqual([]);
  });

  // [path into spec, default]
  const defaults: [string, unknown][] = [
    ["controlPlaneEndpoint", { externalLoadBalancer: "", internalLoadbalancer: "", externalDNS: false, domain: "lb.kubexm.local", lb_address: "", port: 6443 }],
    ["system", { ntpServers: [], rpms: [], debs: [] }],
    ["kubernetes.type", "kubexm"],
    ["kubernetes.version", "v1.32.4"],
    ["kubernetes.clusterName", "cluster.local"],
    ["kubernetes.containerRuntime", { type: "containerd", version: DEFAULT_RUNTIME_VERSIONS.containerd }],
    ["kubernetes.maxPods", 110],
    ["kubernetes.podPidsLimit", 10000],
    ["kubernetes.nodeCidrMaskSize", 24],
    ["kubernetes.proxyMode", "ipvs"],
    ["kubernetes.autoRenewCerts", false],
    ["etcd", { type: "kubexm", version: "v3.5.21", dataDir: "/var/lib/etcd", heartbeatInterval: 250, electionTimeout: 5000, snapshotCount: 10000, autoCompactionRetention: 8, metrics: "basic", quotaBackendBytes: 2147483648, maxRequestBytes: 1572864, maxSnapshots: 5, maxWals: 5, logLevel: "info", clientPort: 2379, peerPort: 2380 }],
    ["network", { plugin: "calico", kubePodsCIDR: "10.233.64.0/18", kubeServiceCIDR: "10.233.0.0/18", calico: { ipipMode: "Always", vxlanMode: "Never", vethMTU: 0 } }],
    ["registry", { type: "registry", privateRegistry: "", namespaceOverride: "", auths: {}, containerdDataDir: "/var/lib/containerd", dockerDataDir: "/var/lib/docker", registryDataDir: "/mnt/registry" }],
    ["artifacts", {}],
    ["addons", []],
    ["storage", {}],
  ];
  for (const [path, want] of defaults) {
    it(`default: spec.${path}`, () => {
      const c = loadClusterConfigText("c.yaml", head + hosts3 + roles);
      const got = path.split(".").reduce<any>((o, k) => o?.[k], c.spec);
      expect(got).toEqual(want);
    });
  }

  it("keeps what the user wrote over defaults; ~ in privateKeyPath is the home dir", () => {
    const text = head + '  hosts:\n    - { name: a, address: h1.example.com, port: 2222, user: ubuntu, arch: arm64, privateKeyPath: "~/.ssh/id", labels: { disk: ssd } }\n  roleGroups: { etcd: [a], master: [a] }\n  etcd: { heartbeatInterval: 100, electionTimeout: 1000, dataDir: /data/etcd }\n  kubernetes: { containerRuntime: { type: docker, docker: { version: "24.0.9" } } }\n';
    const c = loadClusterConfigText("c.yaml", text);
    expect(c.hosts[0]).toMatchObject({ address: "h1.example.com", internalAddress: ["h1.example.com"], port: 2222, user: "ubuntu", arch: "arm64", privateKeyPath: `${homedir()}/.ssh/id`, labels: { disk: "ssd" } });
    expect(c.spec.etcd).toMatchObject({ heartbeatInterval: 100, electionTimeout: 1000, dataDir: "/data/etcd", snapshotCount: 10000 });
    // the version nested under containerRuntime.<type> (the seed's way) is used
    expect(c.spec.kubernetes.containerRuntime.version).toBe("24.0.9");
  });

  it("node[01:03] keeps zero padding; a range of one and a plain name mix", () => {
    const text = head + "  hosts:\n" + ["node01", "node02", "node03", "w1"].map((n, i) => `    - { name: ${n}, address: 10.0.0.${i + 1} }\n`).join("") + '  roleGroups:\n    etcd: ["node[01:03]"]\n    master: ["node[01:01]"]\n    worker: [w1, "node[02:03]"]\n';
    const c = loadClusterConfigText("c.yaml", text);
    expect(c.roles.etcd).toEqual(["node01", "node02", "node03"]);
    expect(c.roles.master).toEqual(["node01"]);
    expect(c.roles.worker).toEqual(["w1", "node02", "node03"]);
  });

  it("hosts behind one NAT address differ by port; that is allowed", () => {
    const text = head + "  hosts:\n    - { name: a, address: 1.2.3.4, port: 2201, internalAddress: 10.0.0.1 }\n    - { name: b, address: 1.2.3.4, port: 2202, internalAddress: 10.0.0.2 }\n  roleGroups: { etcd: [a], master: [a], worker: [b] }\n";
    expect(loadClusterConfigText("c.yaml", text).hosts.map((h) => h.port)).toEqual([2201, 2202]);
  });

  it("external etcd and an external LB with its VIP load", () => {
    const text = head + hosts3 + '  roleGroups: { master: [n1, n2], worker: [n3] }\n  etcd: { type: external, external: { endpoints: ["https://10.0.0.50:2379"], caFile: /pki/ca.crt } }\n  controlPlaneEndpoint: { externalLoadBalancer: external, lb_address: 10.0.0.100 }\n';
    const c = loadClusterConfigText("c.yaml", text);
    expect(c.spec.etcd.external?.endpoints).toEqual(["https://10.0.0.50:2379"]);
    expect(c.roles.etcd).toEqual([]);
  });

  it("collects every secret: passwords, passphrases, sudo passwords, registry passwords and tokens", () => {
    const text = head + '  hosts:\n    - { name: a, address: 10.0.0.1, password: pw-one, becomePassword: sudo-two }\n    - { name: b, address: 10.0.0.2, privateKeyPath: /k, privateKeyPassphrase: phrase-three }\n  roleGroups: { etcd: [a], master: [a], worker: [b] }\n  registry:\n    auths:\n      r1.example.com: { username: u, password: reg-four }\n      r2.example.com: { token: tok-five }\n';
    const c = loadClusterConfigText("c.yaml", text);
    expect(c.secrets.sort()).toEqual(["phrase-three", "pw-one", "reg-four", "sudo-two", "tok-five"]);
    expect(c.hosts[0].becomePassword).toBe("sudo-two");
  });

  it("loadClusterConfig takes text instead of reading the file", async () => {
    const c = await loadClusterConfig("from-stdin.yaml", { text: head + hosts3 + roles });
    expect(c.file).toBe("from-stdin.yaml");
    expect(c.hosts).toHaveLength(3);
  });
});

describe("examples/cluster.yaml (the seed's sample, corrected)", () => {
  it("loads without errors or warnings", async () => {
    const c = await loadClusterConfig("examples/cluster.yaml");
    expect(c.warnings).toEqual([]);
    expect(c.name).toBe("mycluster");
    expect(c.hosts).toHaveLength(13);
    expect(c.roles).toEqual({
      etcd: ["node1", "node2", "node3"],
      master: ["node4", "node5", "node6"],
      worker: ["node7", "node8", "node9", "node10"],
      registry: ["node11"],
      loadbalancer: ["node12", "node13"],
    });
    expect(c.hosts[0]).toMatchObject({ port: 8022, user: "ubuntu", internalAddressV6: "2022::2" });
    expect(c.spec.controlPlaneEndpoint).toMatchObject({ externalLoadBalancer: "kubexm", internalLoadbalancer: "haproxy" });
    expect(c.spec.kubernetes.containerRuntime).toMatchObject({ type: "containerd", version: "1.7.6" });
    expect(c.secrets).toEqual(expect.arrayContaining(["Qcloud@123", "change-me"]));
  });

  it("its commented-out blocks (artifacts, dns) are valid once uncommented", () => {
    const lines = readFileSync("examples/cluster.yaml", "utf8").split("\n");
    const uncomment = (from: string, indent: string) => {
      let i = lines.indexOf(from);
      expect(i, from).toBeGreaterThan(0);
      for (; i < lines.length && lines[i].startsWith(indent + "#"); i++) lines[i] = lines[i].replace(indent + "# ", indent).replace(new RegExp(`^${indent}#$`), "");
    };
    uncomment("  # artifacts:", "  ");
    uncomment("  # dns:", "  ");
    const c = loadClusterConfigText("uncommented.yaml", lines.join("\n"));
    expect(c.spec.artifacts.mirror).toBe("http://10.0.0.1:8080");
    expect(c.spec.dns?.coredns?.externalZones).toHaveLength(2);
    expect(c.spec.dns?.coredns?.upstreamDNSServers).toEqual(["8.8.8.8", "1.2.4.8", "114.114.114.114"]);
    expect(c.spec.dns?.dnsEtcHosts).toBe("192.168.0.100 api.example.com\n192.168.0.200 ingress.example.com\n");
  });
});

describe("the seed's sample as written", () => {
  it("gives clear errors at the exact places, all at once, and no crash", async () => {
    const e = await loadClusterConfig("test/fixtures/config/seed-sample.yaml").catch((x) => x);
    expect(e).toBeInstanceOf(KubexmError);
    const got = (e as KubexmError).diagnostics.map((d) => `${d.loc?.line}:${d.loc?.col} ${d.message}`);
    expect(got).toEqual([
      // `version： 1.7.6`, `containerd：`, `version： 1.7.6` (U+FF1A)
      '91:14 full-width colon "：" used instead of ":" after "version"',
      '92:17 full-width colon "：" used instead of ":" after "containerd"',
      '93:16 full-width colon "：" used instead of ":" after "version"',
      // `internalLoadbalancer: haproxy| nginx | kube-vip`
      '53:27 spec.controlPlaneEndpoint.internalLoadbalancer: "haproxy| nginx | kube-vip" is not one of "haproxy", "nginx", "kube-vip", ""',
      // node[8:10] names node9, which the sample lacks
      '34:7 role "worker" names host "node9", which is not in spec.hosts',
      // the repeated IPv6 internal addresses, each at the repeated address itself
      "15:69 host node4 reuses internal address 2022::4 of host node3",
      "16:69 host node5 reuses internal address 2022::4 of host node3",
      "17:69 host node6 reuses internal address 2022::4 of host node3",
      "18:69 host node7 reuses internal address 2022::2 of host node1",
      "19:69 host node8 reuses internal address 2022::2 of host node1",
      "20:72 host node10 reuses internal address 2022::3 of host node2",
      "21:72 host node11 reuses internal address 2022::3 of host node2",
      "22:72 host node12 reuses internal address 2022::3 of host node2",
      "23:72 host node13 reuses internal address 2022::3 of host node2",
    ]);
    const hints = (e as KubexmError).diagnostics.map((d) => d.hint);
    expect(hints[0]).toBe('write "version: 1.7.6" with an ASCII colon (switch the input method to half-width)');
    expect(hints[3]).toBe("pick exactly one of the allowed values");
    expect(hints[4]).toBe("the range node[8:10] includes node9: add that host or shorten the range");
  });

  it("a full-width colon inside a value or a comment is left alone", () => {
    const text = head + hosts3 + roles + '  system:\n    timezone: UTC # 时区：UTC\n  addons: ["说明：x"]\n';
    expect(diagnosticsOf(text)).toEqual([]);
  });
});

describe("files", () => {
  it("a missing file says how to make one", async () => {
    const e = (await loadClusterConfig("nope.yaml").catch((x) => x)) as KubexmError;
    expect(e).toBeInstanceOf(KubexmError);
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics[0].message).toBe("cluster config not found: nope.yaml");
    expect(e.diagnostics[0].hint).toContain("kubexm create config");
  });
});
