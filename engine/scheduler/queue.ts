// The ready queue, apart from the runner: counts each node's unfinished
// dependencies, hands out nodes whose dependencies all ended, and picks what may
// start under the host bound (at most `concurrency` distinct hosts in flight; a
// host already in flight takes any number of its ready nodes, since its
// connection caps the channels). Plain bookkeeping: no I/O, no timers.
import { indexDeps, type DepIndex } from "../graph/deps.js";
import type { Graph, GraphNode } from "../types.js";

export class ReadyQueue {
  readonly index: DepIndex;
  readonly byId: Map<string, GraphNode>;
  private readonly waiting = new Map<string, number>();
  /** ready, not started, grouped by host in arrival order (Map keeps insertion order) */
  private readonly pending = new Map<string, GraphNode[]>();
  private readonly inFlight = new Map<string, number>();
  private pendingCount = 0;

  constructor(graph: Graph) {
    this.index = indexDeps(graph);
    this.byId = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const n of graph.nodes) this.waiting.set(n.id, this.index.deps.get(n.id)!.length);
  }

  /** Nodes with no dependency at all, in graph order. */
  roots(): GraphNode[] {
    return [...this.byId.values()].filter((n) => this.waiting.get(n.id) === 0);
  }

  /** `id` ended (whatever its result): the dependents whose last dependency it was. */
  ended(id: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const e of this.index.dependents.get(id)!) {
      const left = this.waiting.get(e.to)! - 1;
      this.waiting.set(e.to, left);
      if (left === 0) out.push(this.byId.get(e.to)!);
    }
    return out;
  }

  push(n: GraphNode): void {
    const list = this.pending.get(n.host);
    if (list) list.push(n);
    else this.pending.set(n.host, [n]);
    this.pendingCount++;
  }

  get size(): number {
    return this.pendingCount;
  }

  get hostsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * Takes every node that may start now: all of a host already in flight, then
   * whole hosts in arrival order while fewer than `concurrency` hosts run.
   * Taken nodes count as in flight until `finished(host)` is called for each.
   */
  take(concurrency: number): GraphNode[] {
    const out: GraphNode[] = [];
    for (const [host, list] of this.pending) {
      if (!this.inFlight.has(host) && this.inFlight.size >= Math.max(1, concurrency)) continue;
      out.push(...list);
      this.pending.delete(host);
      this.pendingCount -= list.length;
      this.started(host, list.length);
    }
    return out;
  }

  /** Everything still queued (for cancelling on --fail-fast or abort). */
  drain(): GraphNode[] {
    const out = [...this.pending.values()].flat();
    this.pending.clear();
    this.pendingCount = 0;
    return out;
  }

  finished(host: string): void {
    const left = (this.inFlight.get(host) ?? 1) - 1;
    if (left > 0) this.inFlight.set(host, left);
    else this.inFlight.delete(host);
  }

  private started(host: string, count: number): void {
    this.inFlight.set(host, (this.inFlight.get(host) ?? 0) + count);
  }
}
