// The scheduler: a node starts as soon as its dependencies ended (no barrier but
// the graph's own edges), with at most `concurrency` hosts in flight. A failure
// blocks only its dependents; `finally` edges wait for the end whatever the
// result; --fail-fast cancels what has not started; an abort cancels everything.
import { indexDeps } from "../graph/deps.js";
import type { Graph, GraphNode, NodeResult, Reporter } from "../types.js";
import { executeNode, type ExecEnv } from "./execute-node.js";

export interface ScheduleOptions {
  graph: Graph;
  env: ExecEnv;
  concurrency: number;
  failFast?: boolean;
  signal: AbortSignal;
  reporter: Reporter;
  /** resume: results of nodes that finished in an earlier run (not run again) */
  prior?: Map<string, NodeResult>;
  onResult?(node: GraphNode, r: NodeResult): void;
}

const ENDED_OK = new Set(["ok", "changed", "skipped"]);

export async function runGraph(o: ScheduleOptions): Promise<Map<string, NodeResult>> {
  const { graph, env } = o;
  const index = indexDeps(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const results = env.data.results;
  const waiting = new Map<string, number>();
  const ready: GraphNode[] = [];
  const running = new Set<string>();
  const hostsInFlight = new Map<string, number>();
  let stopping = false;
  let wake: (() => void) | undefined;

  const record = (n: GraphNode, r: NodeResult) => {
    results.set(n.id, r);
    if (r.outputs && ENDED_OK.has(r.status)) {
      (env.data.outputs[n.stepRef] ??= {})[n.host] = r.outputs;
      if (n.register) (env.data.registered[n.register] ??= {})[n.host] = r.outputs;
      if (n.run === "facts") env.data.facts[n.host] = r.outputs as never;
    }
    o.onResult?.(n, r);
    for (const e of index.dependents.get(n.id)!) {
      const left = waiting.get(e.to)! - 1;
      waiting.set(e.to, left);
      if (left === 0) ready.push(byId.get(e.to)!);
    }
  };

  for (const n of graph.nodes) {
    const ids = (env.data.nodesByStep.get(n.stepRef) ?? env.data.nodesByStep.set(n.stepRef, new Map()).get(n.stepRef)!);
    (ids.get(n.host) ?? ids.set(n.host, []).get(n.host)!).push(n.id);
    waiting.set(n.id, index.deps.get(n.id)!.length);
  }
  for (const n of graph.nodes) if (waiting.get(n.id) === 0) ready.push(n);

  // resumed nodes end at once, in graph order, with their outputs restored
  const resumed = (n: GraphNode) => {
    const p = o.prior?.get(n.id);
    return p && ENDED_OK.has(p.status) ? p : undefined;
  };

  /** Why a ready node must not run: a dependency failed (blocked) or the run is stopping. */
  const verdict = (n: GraphNode): NodeResult | undefined => {
    const now = Date.now();
    if (o.signal.aborted || (stopping && !n.finally)) return { id: n.id, host: n.host, status: "cancelled", endedAt: now };
    for (const e of index.deps.get(n.id)!) {
      if (e.rule === "finally") continue;
      const d = results.get(e.from)!;
      const failed = d.status === "failed" && !byId.get(e.from)!.ignoreErrors;
      if (failed || d.status === "blocked" || d.status === "cancelled") {
        return { id: n.id, host: n.host, status: "blocked", endedAt: now, message: `${e.from} ${d.status}` };
      }
    }
    if (n.onFailure) {
      const task = n.stepRef.slice(0, n.stepRef.lastIndexOf("/") + 1);
      const failedHere = [...results.values()].some((r) => r.host === n.host && r.status === "failed" && r.id.startsWith(task));
      if (!failedHere) return { id: n.id, host: n.host, status: "skipped", endedAt: now, message: "nothing failed in its task on this host" };
    }
    return undefined;
  };

  const start = (n: GraphNode) => {
    running.add(n.id);
    hostsInFlight.set(n.host, (hostsInFlight.get(n.host) ?? 0) + 1);
    o.reporter.onNodeStart?.(n);
    executeNode(env, n, o.signal).then((r) => {
      running.delete(n.id);
      const left = hostsInFlight.get(n.host)! - 1;
      if (left) hostsInFlight.set(n.host, left);
      else hostsInFlight.delete(n.host);
      if (r.status === "failed" && !n.ignoreErrors && o.failFast) stopping = true;
      o.reporter.onNodeEnd?.(n, r);
      record(n, r);
      wake?.();
    });
  };

  while (results.size < graph.nodes.length) {
    // settle what needs no running: resumed, blocked, cancelled, skipped onFailure
    let settled = true;
    while (settled) {
      settled = false;
      for (let i = 0; i < ready.length; i++) {
        const n = ready[i];
        const r = resumed(n) ?? verdict(n);
        if (!r) continue;
        ready.splice(i--, 1);
        if (!resumed(n)) o.reporter.onNodeEnd?.(n, r);
        record(n, r);
        settled = true;
      }
    }
    // start ready nodes while host slots allow (a host already in flight never needs a new slot)
    for (let i = 0; i < ready.length; i++) {
      const n = ready[i];
      if (!hostsInFlight.has(n.host) && hostsInFlight.size >= o.concurrency) continue;
      ready.splice(i--, 1);
      start(n);
    }
    if (results.size >= graph.nodes.length) break;
    if (!running.size && !ready.length) break; // nothing can move: should not happen in a DAG
    await new Promise<void>((r) => (wake = r));
  }
  return results;
}
