// The scheduler on hand-built graphs with test steps on the control machine:
// statuses, block propagation, retries, finally, onFailure, concurrency bounds,
// fail-fast, cancellation and resume.
import { describe, expect, it } from "vitest";
import { LOCAL_RECORD } from "../../../engine/compiler/context.js";
import { LocalConnection } from "../../../engine/connections/local.js";
import { workPaths } from "../../../engine/paths.js";
import { Redactor } from "../../../engine/redact.js";
import { StepRegistry } from "../../../engine/registry.js";
import type { RunData } from "../../../engine/scheduler/node-context.js";
import { runGraph } from "../../../engine/scheduler/run-graph.js";
import type { EdgeRule, Graph, GraphNode, NodeResult, StepPlugin } from "../../../engine/types.js";

interface P {
  fail?: number;
  sleep?: number;
  out?: string;
}

/** per-test bookkeeping: how often each node ran, how many hosts ran at once */
function harness() {
  const calls = new Map<string, number>();
  const inFlight = new Map<string, number>();
  let maxHosts = 0;
  const step: StepPlugin<P> = {
    name: "t.work",
    description: "test work",
    target: "any",
    schema: { type: "object" },
    async run(ctx, p) {
      const n = (calls.get(ctx.nodeId) ?? 0) + 1;
      calls.set(ctx.nodeId, n);
      inFlight.set(ctx.host.name, (inFlight.get(ctx.host.name) ?? 0) + 1);
      maxHosts = Math.max(maxHosts, inFlight.size);
      try {
        if (p.sleep) {
          await new Promise<void>((resolve, reject) => {
            const t = setTimeout(resolve, p.sleep);
            ctx.signal.addEventListener("abort", () => (clearTimeout(t), reject(new Error("cancelled"))), { once: true });
          });
        }
        if (p.fail && n <= p.fail) throw new Error(`boom ${n}`);
        return { changed: true, outputs: { value: p.out ?? ctx.nodeId } };
      } finally {
        const left = inFlight.get(ctx.host.name)! - 1;
        if (left) inFlight.set(ctx.host.name, left);
        else inFlight.delete(ctx.host.name);
      }
    },
  };
  const registry = new StepRegistry();
  registry.register(step);
  return { registry, calls, maxHosts: () => maxHosts };
}

function node(id: string, p: P = {}, extra: Partial<GraphNode> = {}): GraphNode {
  const [unit, host] = id.split("@");
  return {
    id,
    unit,
    stepRef: unit,
    host,
    run: "t.work",
    with: p,
    retries: 0,
    delay: 0,
    timeout: 0,
    ignoreErrors: false,
    become: false,
    tags: [],
    finally: false,
    source: { file: "t.yaml", line: 1, col: 1 },
    baseDir: ".",
    ...extra,
  };
}

function graph(nodes: GraphNode[], edges: [string, string, EdgeRule?][]): Graph {
  return { name: "t", nodes, edges: edges.map(([from, to, rule]) => ({ from, to, rule: rule ?? "host-local" })), vars: {} };
}

async function run(g: Graph, h = harness(), opts: { concurrency?: number; failFast?: boolean; signal?: AbortSignal; restore?: Map<string, NodeResult> } = {}) {
  const local = new LocalConnection();
  const data: RunData = {
    base: { cluster: {}, vars: {}, roles: {}, hosts: {}, all: [], local: "local", paths: workPaths("t", "/tmp") },
    facts: {},
    outputs: {},
    registered: {},
    results: new Map(),
    nodesByStep: new Map(),
    runId: "r1",
    dryRun: false,
  };
  const results = await runGraph({
    graph: g,
    concurrency: opts.concurrency ?? 10,
    failFast: opts.failFast,
    signal: opts.signal ?? new AbortController().signal,
    restore: opts.restore,
    reporter: {},
    env: {
      data,
      registry: h.registry,
      connect: async () => local,
      local,
      hostRecord: (name) => ({ ...LOCAL_RECORD, name }),
      paths: data.base.paths,
      redactor: new Redactor(),
      assumeYes: true,
      interactive: false,
      log: () => {},
    },
  });
  const status = Object.fromEntries([...results].map(([id, r]) => [id, r.status]));
  return { status, results, h, data };
}

describe("scheduler", () => {
  it("a failure blocks only its dependents; independent branches finish", async () => {
    //  a@h1(fail) -> b@h1 -> c@h1
    //  x@h2 -> y@h2
    const g = graph([node("a@h1", { fail: 9 }), node("b@h1"), node("c@h1"), node("x@h2"), node("y@h2")], [["a@h1", "b@h1"], ["b@h1", "c@h1"], ["x@h2", "y@h2"]]);
    const { status } = await run(g);
    expect(status).toEqual({ "a@h1": "failed", "b@h1": "blocked", "c@h1": "blocked", "x@h2": "changed", "y@h2": "changed" });
  });

  it("retries until the step succeeds", async () => {
    const { status, h } = await run(graph([node("a@h1", { fail: 2 }, { retries: 3, delay: 10 })], []));
    expect(status["a@h1"]).toBe("changed");
    expect(h.calls.get("a@h1")).toBe(3);
  });

  it("gives up after its retries", async () => {
    const { status, h, results } = await run(graph([node("a@h1", { fail: 9 }, { retries: 1 })], []));
    expect(status["a@h1"]).toBe("failed");
    expect(h.calls.get("a@h1")).toBe(2);
    expect(results.get("a@h1")!.error!.message).toBe("boom 2");
  });

  it("ignoreErrors lets dependents run", async () => {
    const { status } = await run(graph([node("a@h1", { fail: 9 }, { ignoreErrors: true }), node("b@h1")], [["a@h1", "b@h1"]]));
    expect(status).toEqual({ "a@h1": "failed", "b@h1": "changed" });
  });

  it("finally nodes run after a failure; onFailure only where something failed", async () => {
    //  a@h1(fail) -> cleanup@h1 (finally), rescue@h1 (onFailure);  a@h2 -> rescue@h2 (onFailure)
    const g = graph(
      [node("a@h1", { fail: 9 }), node("a@h2"), node("cleanup@h1", {}, { finally: true }), node("rescue@h1", {}, { onFailure: true }), node("rescue@h2", {}, { onFailure: true })],
      [["a@h1", "cleanup@h1", "finally"], ["a@h1", "rescue@h1", "finally"], ["a@h2", "rescue@h2", "finally"]],
    );
    const { status } = await run(g);
    expect(status).toEqual({ "a@h1": "failed", "a@h2": "changed", "cleanup@h1": "changed", "rescue@h1": "changed", "rescue@h2": "skipped" });
  });

  it("runs at most `concurrency` hosts at once", async () => {
    const nodes = Array.from({ length: 6 }, (_, i) => node(`s@h${i}`, { sleep: 30 }));
    const { h } = await run(graph(nodes, []), harness(), { concurrency: 2 });
    expect(h.maxHosts()).toBe(2);
  });

  it("a ready node never waits for an unrelated slow host (no barrier)", async () => {
    // slow@h1 (200ms) and a 3-step chain on h2: the chain ends long before slow
    const g = graph([node("slow@h1", { sleep: 200 }), node("a@h2"), node("b@h2"), node("c@h2")], [["a@h2", "b@h2"], ["b@h2", "c@h2"]]);
    const { results } = await run(g);
    expect(results.get("c@h2")!.endedAt!).toBeLessThan(results.get("slow@h1")!.endedAt!);
  });

  it("--fail-fast cancels what has not started; finally still runs", async () => {
    const g = graph([node("a@h1", { fail: 9 }), node("b@h2", { sleep: 50 }), node("c@h2"), node("fin@h3", {}, { finally: true })], [["b@h2", "c@h2"], ["a@h1", "fin@h3", "finally"], ["c@h2", "fin@h3", "finally"]]);
    const { status } = await run(g, harness(), { failFast: true });
    expect(status).toEqual({ "a@h1": "failed", "b@h2": "changed", "c@h2": "cancelled", "fin@h3": "changed" });
  });

  it("an abort cancels running commands and everything after", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const { status } = await run(graph([node("a@h1", { sleep: 5000 }), node("b@h1")], [["a@h1", "b@h1"]]), harness(), { signal: ac.signal });
    expect(status).toEqual({ "a@h1": "cancelled", "b@h1": "cancelled" });
  });

  it("resume: finished nodes are not run again and their outputs come back", async () => {
    const g = graph([node("a@h1", { out: "first" }), node("b@h1")], [["a@h1", "b@h1"]]);
    const prior = new Map<string, NodeResult>([["a@h1", { id: "a@h1", host: "h1", status: "changed", outputs: { value: "from-before" } }]]);
    const { status, h, data } = await run(g, harness(), { restore: prior });
    expect(h.calls.get("a@h1")).toBeUndefined();
    expect(status).toEqual({ "a@h1": "changed", "b@h1": "changed" });
    expect(data.outputs.a.h1).toEqual({ value: "from-before" });
  });
});
