// The scheduler: a node starts as soon as its dependencies ended (no barrier but
// the graph's own edges), with at most `concurrency` hosts in flight. A failure
// blocks only its dependents; `finally` edges wait for the end whatever the
// result; --fail-fast starts nothing new but finally nodes; an abort (Ctrl-C)
// cancels running commands and everything not started.
import type { Graph, GraphNode, NodeResult, Reporter } from "../types.js";
import { executeNode, type ExecEnv } from "./execute-node.js";
import { gate, isRealFailure } from "./gate.js";
import { ReadyQueue } from "./queue.js";

export interface ScheduleOptions {
  graph: Graph;
  env: ExecEnv;
  /** hosts in flight (the control machine counts as one) */
  concurrency: number;
  failFast?: boolean;
  signal: AbortSignal;
  reporter: Reporter;
  /** resume: results of nodes that finished in an earlier run and are not run again */
  restore?: ReadonlyMap<string, NodeResult>;
  /** every result as it is recorded; `restored` for results brought back by a resume */
  onResult?(node: GraphNode, r: NodeResult, restored: boolean): void;
}

export async function runGraph(o: ScheduleOptions): Promise<Map<string, NodeResult>> {
  const { graph, env } = o;
  const data = env.data;
  const results = data.results;
  const queue = new ReadyQueue(graph);
  let running = 0;
  let stopping = false; // --fail-fast after a failure
  let wake: (() => void) | undefined;
  const onAbort = () => wake?.();
  o.signal.addEventListener("abort", onAbort, { once: true });

  for (const n of graph.nodes) {
    const byHost = data.nodesByStep.get(n.stepRef) ?? data.nodesByStep.set(n.stepRef, new Map()).get(n.stepRef)!;
    (byHost.get(n.host) ?? byHost.set(n.host, []).get(n.host)!).push(n.id);
  }

  /** A node ended: store its result and outputs, then settle or queue its newly ready dependents. */
  const record = (n: GraphNode, r: NodeResult, report: boolean) => {
    results.set(n.id, r);
    if (r.outputs && (r.status === "ok" || r.status === "changed")) {
      (data.outputs[n.stepRef] ??= {})[n.host] = r.outputs;
      if (n.register) (data.registered[n.register] ??= {})[n.host] = r.outputs;
      if (n.run === "facts") data.facts[n.host] = r.outputs as never;
    }
    if (report) o.reporter.onNodeEnd?.(n, r);
    o.onResult?.(n, r, !report);
    if (isRealFailure(r) && o.failFast) stopping = true;
    return queue.ended(n.id);
  };

  /** Ready nodes that need no running end here (iteratively: a failure can block a long chain). */
  const settle = (ready: GraphNode[]) => {
    const work = [...ready];
    for (let i = 0; i < work.length; i++) {
      const n = work[i];
      const prior = o.restore?.get(n.id);
      if (prior) {
        work.push(...record(n, prior, false));
        continue;
      }
      const verdict = gate(n, queue.index.deps.get(n.id)!, results);
      if (verdict) work.push(...record(n, verdict, true));
      else queue.push(n);
    }
  };

  const cancelled = (n: GraphNode): NodeResult => ({ id: n.id, host: n.host, status: "cancelled", endedAt: Date.now(), message: o.signal.aborted ? "interrupted" : "not started (--fail-fast)" });

  const start = (n: GraphNode) => {
    running++;
    o.reporter.onNodeStart?.(n);
    executeNode(env, n, o.signal).then((r) => {
      running--;
      queue.finished(n.host);
      settle(record(n, r, true));
      wake?.();
    });
  };

  settle(queue.roots());
  while (results.size < graph.nodes.length) {
    if (o.signal.aborted || stopping) {
      // nothing new starts: queued nodes are cancelled, except finally nodes on --fail-fast
      for (const n of queue.drain()) {
        if (!o.signal.aborted && n.finally) queue.push(n);
        else settle(record(n, cancelled(n), true));
      }
    }
    for (const n of queue.take(o.concurrency)) start(n);
    if (results.size >= graph.nodes.length) break;
    if (!running && !queue.size) {
      throw new Error(`scheduler stuck: ${graph.nodes.length - results.size} nodes can never start (a cycle?)`);
    }
    await new Promise<void>((r) => (wake = r));
    wake = undefined;
  }
  o.signal.removeEventListener("abort", onAbort);
  return results;
}
