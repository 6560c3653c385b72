// Golden graphs: small playbooks on a 6-host config (e1-e3 etcd, m1 master, w1-w2
// workers) -> the exact nodes and edges (with the rule that made each edge).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, type CompileOptions } from "../../../engine/compiler/compile.js";
import { loadClusterConfig } from "../../../engine/config/load.js";
import { loadPlaybook } from "../../../engine/playbook/load.js";
import { writeFiles } from "../../support/playbook-files.js";
import { testRegistry } from "../../support/test-registry.js";

const cluster = await loadClusterConfig("test/fixtures/compiler/cluster6.yaml");

async function graphOf(files: Record<string, string> | string, opts: Partial<CompileOptions> = {}) {
  const file = typeof files === "string" ? files : join(writeFiles(files), "main.yaml");
  const g = await compile(await loadPlaybook(file), cluster, { registry: testRegistry(), ...opts });
  return { nodes: g.nodes.map((n) => n.id), edges: g.edges.map((e) => `${e.from} -> ${e.to} [${e.rule}]`).sort(), graph: g };
}

interface Case {
  name: string;
  sketch: string;
  files: Record<string, string> | string;
  opts?: Partial<CompileOptions>;
  nodes: string[];
  edges: string[];
}

const cases: Case[] = [
  {
    name: "needs is host-local by default; x@all is a barrier",
    sketch: `
      a@e1 -> b@e1 ┐
      a@e2 -> b@e2 ┼-> c@e1   (c needs b@all)
      a@e3 -> b@e3 ┘`,
    files: {
      "main.yaml": `
kind: Task
name: t
on: roles.etcd
steps:
  - { id: a, run: t.remote }
  - { id: b, run: t.remote, needs: [a] }
  - { id: c, run: t.remote, needs: ["b@all"], on: "roles.etcd[0]" }
`,
    },
    nodes: ["t/a@e1", "t/a@e2", "t/a@e3", "t/b@e1", "t/b@e2", "t/b@e3", "t/c@e1"],
    edges: [
      "t/a@e1 -> t/b@e1 [host-local]",
      "t/a@e2 -> t/b@e2 [host-local]",
      "t/a@e3 -> t/b@e3 [host-local]",
      "t/b@e1 -> t/c@e1 [barrier]",
      "t/b@e2 -> t/c@e1 [barrier]",
      "t/b@e3 -> t/c@e1 [barrier]",
    ],
  },
  {
    name: "a need on a step that does not run on this host waits for all its hosts",
    sketch: `
      init@m1 -> join@w1
              -> join@w2`,
    files: {
      "main.yaml": `
kind: Task
name: t
steps:
  - { id: init, run: t.remote, on: roles.master }
  - { id: join, run: t.remote, on: roles.worker, needs: [init] }
`,
    },
    nodes: ["t/init@m1", "t/join@w1", "t/join@w2"],
    edges: ["t/init@m1 -> t/join@w1 [barrier]", "t/init@m1 -> t/join@w2 [barrier]"],
  },
  {
    name: "task linking: entry nodes wait for the needed task's exits on their host, and its local exits always",
    sketch: `
      fetch@local ─local─> put@e1 -> start@e1
      prep@e1 ──host-local─┘
      prep@e2 ──host-local─> put@e2 -> start@e2`,
    files: {
      "main.yaml": `
kind: Module
name: m
tasks:
  - { id: prep, use: prep.yaml }
  - { id: install, use: install.yaml, needs: [prep] }
`,
      "prep.yaml": `
kind: Task
name: prep
steps:
  - { id: fetch, run: t.local, on: local }
  - { id: os, run: t.remote, on: "['e1','e2']" }
`,
      "install.yaml": `
kind: Task
name: install
on: "['e1','e2']"
steps:
  - { id: put, run: t.remote }
  - { id: start, run: t.remote, needs: [put] }
`,
    },
    nodes: ["prep/fetch@local", "prep/os@e1", "prep/os@e2", "install/put@e1", "install/put@e2", "install/start@e1", "install/start@e2"],
    edges: [
      "install/put@e1 -> install/start@e1 [host-local]",
      "install/put@e2 -> install/start@e2 [host-local]",
      "prep/fetch@local -> install/put@e1 [local]",
      "prep/fetch@local -> install/put@e2 [local]",
      "prep/os@e1 -> install/put@e1 [host-local]",
      "prep/os@e2 -> install/put@e2 [host-local]",
    ],
  },
  {
    name: "a unit whose when is false is pruned and a need on it is satisfied",
    sketch: `
      (skipped: when false)   b@m1`,
    files: {
      "main.yaml": `
kind: Module
name: m
tasks:
  - { id: a, use: a.yaml, when: "cluster.spec.etcd.type = 'external'" }
  - { id: b, use: b.yaml, needs: [a] }
`,
      "a.yaml": "kind: Task\nname: a\nsteps:\n  - { id: s, run: t.remote, on: roles.master }\n",
      "b.yaml": "kind: Task\nname: b\nsteps:\n  - { id: s, run: t.remote, on: roles.master }\n",
    },
    nodes: ["b/s@m1"],
    edges: [],
  },
  {
    name: "loop makes one node per item per host, keyed by loopKey",
    sketch: `
      ca@local -> cert[e1]@local
               -> cert[e2]@local
               -> cert[e3]@local`,
    files: {
      "main.yaml": `
kind: Task
name: pki
on: local
steps:
  - { id: ca, run: t.local }
  - { id: cert, run: t.local, needs: [ca], loop: roles.etcd, loopKey: item }
`,
    },
    nodes: ["pki/ca@local", "pki/cert[e1]@local", "pki/cert[e2]@local", "pki/cert[e3]@local"],
    edges: ["pki/ca@local -> pki/cert[e1]@local [host-local]", "pki/ca@local -> pki/cert[e2]@local [host-local]", "pki/ca@local -> pki/cert[e3]@local [host-local]"],
  },
  {
    name: "serial on a step runs its hosts in batches, in host order",
    sketch: `
      restart@e1 ┬> restart@e3
      restart@e2 ┘`,
    files: { "main.yaml": "kind: Task\nname: t\non: roles.etcd\nsteps:\n  - { id: restart, run: t.remote, serial: 2 }\n" },
    nodes: ["t/restart@e1", "t/restart@e2", "t/restart@e3"],
    edges: ["t/restart@e1 -> t/restart@e3 [serial]", "t/restart@e2 -> t/restart@e3 [serial]"],
  },
  {
    name: "serial on a task: each host runs the whole task after the previous batch finished it",
    sketch: `
      drain@w1 -> up@w1 -> drain@w2 -> up@w2`,
    files: { "main.yaml": 'kind: Task\nname: roll\non: roles.worker\nserial: "50%"\nsteps:\n  - { id: drain, run: t.remote }\n  - { id: up, run: t.remote, needs: [drain] }\n' },
    nodes: ["roll/drain@w1", "roll/drain@w2", "roll/up@w1", "roll/up@w2"],
    edges: ["roll/drain@w1 -> roll/up@w1 [host-local]", "roll/drain@w2 -> roll/up@w2 [host-local]", "roll/up@w1 -> roll/drain@w2 [serial]"],
  },
  {
    name: "task finally and onFailure steps wait for the task's nodes on their host, whatever the result",
    sketch: `
      work@w1 -> cleanup@w1, rescue@w1 (onFailure)`,
    files: {
      "main.yaml": `
kind: Task
name: t
on: "roles.worker[0]"
steps:
  - { id: work, run: t.remote }
finally:
  - { id: cleanup, run: t.remote }
onFailure:
  - { id: rescue, run: t.remote }
`,
    },
    nodes: ["t/work@w1", "t/cleanup@w1", "t/rescue@w1"],
    edges: ["t/work@w1 -> t/cleanup@w1 [finally]", "t/work@w1 -> t/rescue@w1 [finally]"],
  },
  {
    name: "$output() makes a data edge even without needs",
    sketch: `
      init@m1 ─data─> join@w1, join@w2`,
    files: {
      "main.yaml": `
kind: Module
name: k
tasks:
  - { id: init, use: init.yaml }
  - { id: join, use: join.yaml }
`,
      "init.yaml": "kind: Task\nname: init\nsteps:\n  - { id: kubeadm, run: t.remote, on: roles.master }\n",
      "join.yaml": "kind: Task\nname: join\nsteps:\n  - id: kubeadm\n    run: t.remote\n    on: roles.worker\n    with: { cmd: \"${{ $output('init/kubeadm', 'joinCommand') }}\" }\n",
    },
    nodes: ["init/kubeadm@m1", "join/kubeadm@w1", "join/kubeadm@w2"],
    edges: ["init/kubeadm@m1 -> join/kubeadm@w1 [data]", "init/kubeadm@m1 -> join/kubeadm@w2 [data]"],
  },
  {
    name: "needs written as an expression",
    sketch: `
      a@m1 -> c@m1 (needs: vars.order)`,
    files: { "main.yaml": "kind: Task\nname: t\non: roles.master\nsteps:\n  - { id: a, run: t.remote }\n  - { id: b, run: t.remote }\n  - { id: c, run: t.remote, needs: \"['a']\" }\n" },
    nodes: ["t/a@m1", "t/b@m1", "t/c@m1"],
    edges: ["t/a@m1 -> t/c@m1 [host-local]"],
  },
  {
    name: "--tags keeps tagged units (tags inherited by steps); edges through removed nodes are satisfied",
    sketch: `
      etcd/x@e1..e3 only`,
    files: "test/fixtures/compiler/multi/pipeline.yaml",
    opts: { tags: ["etcd"] },
    nodes: [
      "etcd/certs/ca@local",
      "etcd/certs/member[e1]@local",
      "etcd/certs/member[e2]@local",
      "etcd/certs/member[e3]@local",
      "etcd/install/binary@e1",
      "etcd/install/binary@e2",
      "etcd/install/binary@e3",
      "etcd/install/config@e1",
      "etcd/install/config@e2",
      "etcd/install/config@e3",
      "etcd/install/start@e1",
      "etcd/install/start@e2",
      "etcd/install/start@e3",
      "etcd/install/healthy@e1",
    ],
    edges: [
      "etcd/certs/ca@local -> etcd/certs/member[e1]@local [host-local]",
      "etcd/certs/ca@local -> etcd/certs/member[e2]@local [host-local]",
      "etcd/certs/ca@local -> etcd/certs/member[e3]@local [host-local]",
      ...["binary", "config"].flatMap((s) => ["e1", "e2", "e3"].flatMap((h) => ["e1", "e2", "e3"].map((m) => `etcd/certs/member[${m}]@local -> etcd/install/${s}@${h} [local]`))),
      "etcd/install/binary@e1 -> etcd/install/start@e1 [host-local]",
      "etcd/install/binary@e2 -> etcd/install/start@e2 [host-local]",
      "etcd/install/binary@e3 -> etcd/install/start@e3 [host-local]",
      "etcd/install/config@e1 -> etcd/install/start@e1 [host-local]",
      "etcd/install/config@e2 -> etcd/install/start@e2 [host-local]",
      "etcd/install/config@e3 -> etcd/install/start@e3 [host-local]",
      "etcd/install/start@e1 -> etcd/install/healthy@e1 [barrier]",
      "etcd/install/start@e2 -> etcd/install/healthy@e1 [barrier]",
      "etcd/install/start@e3 -> etcd/install/healthy@e1 [barrier]",
    ],
  },
  {
    name: "--limit restricts hosts (local stays); --skip-tags drops units",
    sketch: `
      t/a@local   t/b@w2`,
    files: { "main.yaml": "kind: Task\nname: t\nsteps:\n  - { id: a, run: t.local, on: local }\n  - { id: b, run: t.remote, on: all }\n  - { id: c, run: t.remote, on: all, tags: [slow] }\n" },
    opts: { limit: ["w2"], skipTags: ["slow"] },
    nodes: ["t/a@local", "t/b@w2"],
    edges: [],
  },
];

describe("compiled graphs", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { nodes, edges } = await graphOf(c.files, c.opts);
      expect(nodes).toEqual(c.nodes);
      expect(edges).toEqual([...c.edges].sort());
    });
  }

  it("the multi-module pipeline: pruning, barriers, local exits, serial, data, finally", async () => {
    const { nodes, edges, graph } = await graphOf("test/fixtures/compiler/multi/pipeline.yaml");
    expect(nodes).toContain("assets/download/etcd@local");
    expect(nodes.some((n) => n.startsWith("registry/"))).toBe(false); // when: vars.withRegistry (false)
    expect(edges).toContain("assets/download/etcd@local -> etcd/certs/ca@local [host-local]");
    expect(edges).toContain("etcd/install/healthy@e1 -> workers/join/token@m1 [barrier]");
    expect(edges).toContain("workers/join/restart@w1 -> workers/join/join@w2 [serial]");
    expect(edges).toContain("workers/join/restart@w2 -> report/print@local [finally]");
    expect(graph.nodes.find((n) => n.id === "report/print@local")!.finally).toBe(true);
    expect(graph.nodes.find((n) => n.id === "workers/join/restart@w1")!.when).toBe("$changed('join')");
    expect(graph.nodes.find((n) => n.id === "workers/join/join@w1")!.refs).toEqual({ token: "workers/join/token" });
  });

  it("is deterministic", async () => {
    const a = await graphOf("test/fixtures/compiler/multi/pipeline.yaml");
    const b = await graphOf("test/fixtures/compiler/multi/pipeline.yaml");
    expect(a.nodes).toEqual(b.nodes);
    expect(a.graph.edges).toEqual(b.graph.edges);
  });
});
