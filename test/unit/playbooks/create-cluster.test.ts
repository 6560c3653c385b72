// The real playbooks/create-cluster.yaml compiled against examples/cluster.yaml and
// a 3-host config: the nodes each host gets, the barrier before the etcd health
// check, per-host (not global) waiting between modules, tag selection, pruning,
// and the run-time values (URLs, SANs, upload names, the rendered etcd config).
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compile, type CompileOptions } from "../../../engine/compiler/compile.js";
import { compileContext, publicHost } from "../../../engine/compiler/context.js";
import { loadClusterConfig } from "../../../engine/config/load.js";
import type { LoadedCluster } from "../../../engine/config/types.js";
import { loadPlaybook } from "../../../engine/playbook/load.js";
import { defaultRegistry } from "../../../engine/steps-registry.js";
import type { Graph, GraphNode } from "../../../engine/types.js";
import { renderTemplate } from "../../../steps/template.js";

const PIPELINE = "playbooks/create-cluster.yaml";
const WORKDIR = "/srv/kx";
const example = await loadClusterConfig("examples/cluster.yaml");
const three = await loadClusterConfig("test/unit/playbooks/fixtures/cluster3.yaml");

async function graphOf(cluster: LoadedCluster, opts: Partial<CompileOptions> = {}): Promise<Graph> {
  return compile(await loadPlaybook(PIPELINE), cluster, { registry: defaultRegistry(), workdir: WORKDIR, ...opts });
}

const ids = (g: Graph, host?: string) => g.nodes.filter((n) => !host || n.host === host).map((n) => n.id);
const depsOf = (g: Graph, id: string) => g.edges.filter((e) => e.to === id).map((e) => `${e.from} [${e.rule}]`).sort();
const node = (g: Graph, id: string): GraphNode => {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

/** a node's `with:` (or `when`) evaluated as the scheduler would, without facts or outputs */
async function evalWith(g: Graph, cluster: LoadedCluster, id: string, changed: string[] = []): Promise<any> {
  const n = node(g, id);
  const ctx = { ...compileContext(cluster, g.vars, WORKDIR), host: hostOf(cluster, n.host), item: n.item, loopKey: n.loopKey };
  return n.exprs!.with.evaluate(ctx, { changed: (ref: string) => changed.includes(ref) });
}
async function evalWhen(g: Graph, cluster: LoadedCluster, id: string, changed: string[]): Promise<unknown> {
  const n = node(g, id);
  const ctx = { ...compileContext(cluster, g.vars, WORKDIR), host: hostOf(cluster, n.host) };
  return n.exprs!.when!.evaluate(ctx, { changed: (ref: string) => changed.includes(ref.split("/").pop()!) });
}
const hostOf = (c: LoadedCluster, name: string) => {
  const h = c.hosts.find((x) => x.name === name);
  return h ? publicHost(h) : compileContext(c, {}).hosts[name];
};

const ETCD_INSTALL_STEPS = [
  "pki-dir",
  "ca",
  "certs[server.crt]",
  "certs[server.key]",
  "certs[peer.crt]",
  "certs[peer.key]",
  "certs[admin.crt]",
  "certs[admin.key]",
  "binaries[etcd]",
  "binaries[etcdctl]",
  "data-dir",
  "config",
  "service",
  "restart",
];
const OS_STEPS = ["hostname", "hosts", "timezone", "swap"];

describe("create-cluster on examples/cluster.yaml (13 hosts, etcd on node1-3)", () => {
  it("gives each host the modules that concern it, in order", async () => {
    const g = await graphOf(example);
    // an etcd member: preflight, os, etcd install + the health check on the first member
    expect(ids(g, "node1")).toEqual([
      "preflight/checks/facts@node1",
      "preflight/checks/systemd@node1",
      ...OS_STEPS.map((s) => `os/prepare/${s}@node1`),
      ...ETCD_INSTALL_STEPS.map((s) => `etcd/install/${s}@node1`),
      "etcd/install/healthy@node1",
    ]);
    // a worker: only preflight and OS preparation (runtime/kubernetes are not written yet)
    expect(ids(g, "node7")).toEqual(["preflight/checks/facts@node7", "preflight/checks/systemd@node7", ...OS_STEPS.map((s) => `os/prepare/${s}@node7`)]);
    // the control machine: greeting, confirm, one download per etcd arch, the etcd PKI
    expect(ids(g, "local")).toEqual([
      "preflight/checks/greeting@local",
      "preflight/confirm/confirm@local",
      "assets/etcd/download[amd64]@local",
      "assets/etcd/extract[amd64]@local",
      "pki/etcd/ca@local",
      ...["server", "peer", "admin"].flatMap((k) => ["node1", "node2", "node3"].map((h) => `pki/etcd/${k}[${h}]@local`)),
    ]);
    expect(g.nodes).toHaveLength(2 + 13 * 2 + 13 * 4 + 2 + 1 + 9 + 3 * ETCD_INSTALL_STEPS.length + 1);
  });

  it("waits for every member's service (a barrier) before the health check", async () => {
    const g = await graphOf(example);
    expect(depsOf(g, "etcd/install/healthy@node1")).toEqual(
      ["node1", "node2", "node3"].flatMap((h) => [`etcd/install/restart@${h} [barrier]`, `etcd/install/service@${h} [barrier]`]).sort(),
    );
    const h = node(g, "etcd/install/healthy@node1");
    expect(h).toMatchObject({ run: "etcd-health", retries: 20, delay: 3000 });
  });

  it("tags every etcd node etcd and every OS node os", async () => {
    const g = await graphOf(example);
    for (const n of g.nodes) {
      if (/^(assets|pki)\/etcd\/|^etcd\//.test(n.id)) expect(n.tags, n.id).toContain("etcd");
      if (n.id.startsWith("os/")) expect(n.tags, n.id).toEqual(["os"]);
    }
  });
});

describe("create-cluster on a 3-host config (node3 arm64, node2 without IPv6, a mirror)", () => {
  it("lets each host start etcd work when ITS OS prep and the local assets/PKI are done (no global barrier)", async () => {
    const g = await graphOf(three);
    expect(depsOf(g, "etcd/install/pki-dir@node2")).toEqual(
      [
        "assets/etcd/extract[amd64]@local [local]",
        "assets/etcd/extract[arm64]@local [local]",
        // the OS steps are independent of each other: all four are exits
        ...OS_STEPS.map((s) => `os/prepare/${s}@node2 [host-local]`),
        "pki/etcd/admin[node1]@local [local]",
        "pki/etcd/admin[node2]@local [local]",
        "pki/etcd/admin[node3]@local [local]",
        "pki/etcd/peer[node1]@local [local]",
        "pki/etcd/peer[node2]@local [local]",
        "pki/etcd/peer[node3]@local [local]",
        "pki/etcd/server[node1]@local [local]",
        "pki/etcd/server[node2]@local [local]",
        "pki/etcd/server[node3]@local [local]",
      ].sort(),
    );
    // the confirm on the control machine gates every host's first change
    // (and the confirm comes after every host passed its checks)
    expect(depsOf(g, "os/prepare/hostname@node3")).toEqual(["preflight/confirm/confirm@local [local]"]);
    expect(depsOf(g, "preflight/confirm/confirm@local")).toEqual(["preflight/checks/greeting@local [barrier]", ...["node1", "node2", "node3"].map((h) => `preflight/checks/systemd@${h} [barrier]`)].sort());
    // inside the etcd task: the service of a host waits for that host's files only
    expect(depsOf(g, "etcd/install/service@node1")).toEqual(
      ["binaries[etcd]", "binaries[etcdctl]", "config", "data-dir"].map((s) => `etcd/install/${s}@node1 [host-local]`).sort(),
    );
    // restarts go one member at a time
    expect(depsOf(g, "etcd/install/restart@node2")).toContain("etcd/install/restart@node1 [serial]");
  });

  it("--tags etcd selects exactly the etcd slice: download, PKI, install", async () => {
    const g = await graphOf(three, { tags: ["etcd"] });
    const units = [...new Set(g.nodes.map((n) => n.id.replace(/\[.*\]/, "").replace(/@.*/, "")))];
    expect(units).toEqual([
      "assets/etcd/download",
      "assets/etcd/extract",
      "pki/etcd/ca",
      "pki/etcd/server",
      "pki/etcd/peer",
      "pki/etcd/admin",
      ...ETCD_INSTALL_STEPS.map((s) => `etcd/install/${s.replace(/\[.*\]/, "")}`).filter((s, i, a) => a.indexOf(s) === i),
      "etcd/install/healthy",
    ]);
    expect(ids(g, "local")).toContain("assets/etcd/download[arm64]@local");
  });

  it("--tags os selects only the OS preparation", async () => {
    const g = await graphOf(three, { tags: ["os"] });
    expect(ids(g).sort()).toEqual(["node1", "node2", "node3"].flatMap((h) => OS_STEPS.map((s) => `os/prepare/${s}@${h}`)).sort());
  });

  it.each(["external", "kubeadm"])("etcd.type %s prunes the whole etcd slice", async (type) => {
    const cluster = { ...three, spec: { ...three.spec, etcd: { ...three.spec.etcd, type, external: { endpoints: ["https://10.0.0.1:2379"] } } } } as LoadedCluster;
    const g = await graphOf(cluster);
    expect(ids(g).filter((id) => id.includes("etcd"))).toEqual([]);
    expect(ids(g, "local")).toEqual(["preflight/checks/greeting@local", "preflight/confirm/confirm@local"]);
  });

  it("-e confirm=false drops the confirmation", async () => {
    const g = await graphOf(three, { vars: { confirm: false } });
    expect(ids(g)).not.toContain("preflight/confirm/confirm@local");
  });

  it("downloads from the mirror layout into .kubexm/<cluster>/etcd/<version>/<arch>/", async () => {
    const g = await graphOf(three);
    expect(await evalWith(g, three, "assets/etcd/download[arm64]@local")).toEqual({
      url: "http://10.213.0.1:8080/etcd/v3.4.23/etcd-v3.4.23-linux-arm64.tar.gz",
      sha256Url: "http://10.213.0.1:8080/etcd/v3.4.23/etcd-v3.4.23-linux-arm64.tar.gz.sha256",
      dest: `${WORKDIR}/.kubexm/three/etcd/v3.4.23/arm64/etcd-v3.4.23-linux-arm64.tar.gz`,
    });
    expect(await evalWith(g, three, "assets/etcd/extract[amd64]@local")).toEqual({
      src: `${WORKDIR}/.kubexm/three/etcd/v3.4.23/amd64/etcd-v3.4.23-linux-amd64.tar.gz`,
      dest: `${WORKDIR}/.kubexm/three/etcd/v3.4.23/amd64`,
      strip: 1,
    });
    // without a mirror: the upstream release, no checksum file
    const up = await evalWith(await graphOf(example), example, "assets/etcd/download[amd64]@local");
    expect(up.url).toBe("https://github.com/etcd-io/etcd/releases/download/v3.5.21/etcd-v3.5.21-linux-amd64.tar.gz");
    expect(up.sha256Url).toBeUndefined();
  });

  it.each([
    ["node1", ["node1", "10.213.0.11", "10.213.0.11", "fd00:213::11", "localhost", "127.0.0.1", "::1"]],
    ["node2", ["node2", "10.213.0.12", "10.213.0.12", "localhost", "127.0.0.1", "::1"]],
  ])("member certificates of %s carry its name, addresses (v4, v6) and loopback", async (h, sans) => {
    const g = await graphOf(three);
    for (const kind of ["server", "peer"]) {
      const w = await evalWith(g, three, `pki/etcd/${kind}[${h}]@local`);
      expect(w).toEqual({ caDir: `${WORKDIR}/.kubexm/three/certs/etcd`, name: `${kind}-${h}`, cn: h, usages: [kind], sans });
    }
    expect(await evalWith(g, three, `pki/etcd/admin[${h}]@local`)).toEqual({ caDir: `${WORKDIR}/.kubexm/three/certs/etcd`, name: `admin-${h}`, cn: `etcd-admin-${h}`, usages: ["client"] });
  });

  it("uploads each member's own certificates under fixed names, keys 0600, the binary of its arch", async () => {
    const g = await graphOf(three);
    expect(await evalWith(g, three, "etcd/install/certs[peer.key]@node3")).toEqual({ src: `${WORKDIR}/.kubexm/three/certs/etcd/peer-node3.key`, dest: "/etc/etcd/pki/peer.key", mode: "0600" });
    expect(await evalWith(g, three, "etcd/install/certs[server.crt]@node1")).toEqual({ src: `${WORKDIR}/.kubexm/three/certs/etcd/server-node1.crt`, dest: "/etc/etcd/pki/server.crt", mode: "0644" });
    expect(await evalWith(g, three, "etcd/install/binaries[etcdctl]@node3")).toEqual({ src: `${WORKDIR}/.kubexm/three/etcd/v3.4.23/arm64/etcdctl`, dest: "/usr/local/bin/etcdctl", mode: "0755" });
  });

  it("writes /etc/hosts entries for every host, v6 where there is one", async () => {
    const g = await graphOf(three);
    expect(await evalWith(g, three, "os/prepare/hosts@node2")).toEqual({
      entries: [
        { ip: "10.213.0.11", names: ["node1"] },
        { ip: "10.213.0.12", names: ["node2"] },
        { ip: "10.213.0.13", names: ["node3"] },
        { ip: "fd00:213::11", names: ["node1"] },
        { ip: "fd00:213::13", names: ["node3"] },
      ],
    });
  });

  it("renders etcd.conf.yml with every etcd option of the config and the initial cluster", async () => {
    const g = await graphOf(three);
    const n = node(g, "etcd/install/config@node2");
    const w = await evalWith(g, three, n.id);
    const text = renderTemplate(resolve(n.baseDir, w.src), { ...w.vars, host: hostOf(three, "node2") });
    const conf = parse(text);
    const e = three.spec.etcd;
    expect(conf).toEqual({
      name: "node2",
      "data-dir": e.dataDir,
      "listen-client-urls": "https://10.213.0.12:2379,https://127.0.0.1:2379",
      "advertise-client-urls": "https://10.213.0.12:2379",
      "listen-peer-urls": "https://10.213.0.12:2380",
      "initial-advertise-peer-urls": "https://10.213.0.12:2380",
      "initial-cluster": "node1=https://10.213.0.11:2380,node2=https://10.213.0.12:2380,node3=https://10.213.0.13:2380",
      "initial-cluster-token": "etcd-three",
      "initial-cluster-state": "new",
      "heartbeat-interval": e.heartbeatInterval,
      "election-timeout": e.electionTimeout,
      "snapshot-count": e.snapshotCount,
      "auto-compaction-mode": "periodic",
      "auto-compaction-retention": String(e.autoCompactionRetention),
      metrics: e.metrics,
      "quota-backend-bytes": e.quotaBackendBytes,
      "max-request-bytes": e.maxRequestBytes,
      "max-snapshots": e.maxSnapshots,
      "max-wals": e.maxWals,
      logger: "zap",
      "log-level": e.logLevel,
      "client-transport-security": { "cert-file": "/etc/etcd/pki/server.crt", "key-file": "/etc/etcd/pki/server.key", "trusted-ca-file": "/etc/etcd/pki/ca.crt", "client-cert-auth": true, "auto-tls": false },
      "peer-transport-security": { "cert-file": "/etc/etcd/pki/peer.crt", "key-file": "/etc/etcd/pki/peer.key", "trusted-ca-file": "/etc/etcd/pki/ca.crt", "client-cert-auth": true, "auto-tls": false },
    });
  });

  it("takes the seed's values, not defaults, from examples/cluster.yaml", async () => {
    const g = await graphOf(example);
    const n = node(g, "etcd/install/config@node1");
    const w = await evalWith(g, example, n.id);
    const conf = parse(renderTemplate(resolve(n.baseDir, w.src), { ...w.vars, host: hostOf(example, "node1") }));
    expect(conf).toMatchObject({
      "heartbeat-interval": 250,
      "election-timeout": 5000,
      "snapshot-count": 10000,
      "auto-compaction-retention": "8",
      metrics: "basic",
      "quota-backend-bytes": 2147483648,
      "max-request-bytes": 1572864,
      "max-snapshots": 5,
      "max-wals": 5,
      "log-level": "info",
      "initial-cluster": "node1=https://172.16.0.2:2380,node2=https://172.16.0.3:2380,node3=https://172.16.0.4:2380",
    });
  });

  it("checks health over TLS with the admin cert, expecting every member", async () => {
    const g = await graphOf(three);
    expect(await evalWith(g, three, "etcd/install/healthy@node1")).toEqual({
      endpoints: "https://127.0.0.1:2379",
      cacert: "/etc/etcd/pki/ca.crt",
      cert: "/etc/etcd/pki/admin.crt",
      key: "/etc/etcd/pki/admin.key",
      etcdctl: "/usr/local/bin/etcdctl",
      expectMembers: 3,
    });
  });

  it.each([
    [["config"], true],
    [["certs"], true],
    [["config", "service"], false], // just started with the new config: no second start
    [[], false],
  ])("restarts a running member only when its files changed: changed %j -> %s", async (changed, want) => {
    const g = await graphOf(three);
    expect(!!(await evalWhen(g, three, "etcd/install/restart@node1", changed as string[]))).toBe(want);
  });
});
