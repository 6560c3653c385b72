// Pure functions over the graph (plain data): dependency index, ready nodes, cycles.
import type { Graph, GraphEdge } from "../types.js";

export interface DepIndex {
  /** node id -> incoming edges */
  deps: Map<string, GraphEdge[]>;
  /** node id -> outgoing edges */
  dependents: Map<string, GraphEdge[]>;
}

export function indexDeps(graph: Graph): DepIndex {
  const deps = new Map<string, GraphEdge[]>();
  const dependents = new Map<string, GraphEdge[]>();
  for (const n of graph.nodes) {
    deps.set(n.id, []);
    dependents.set(n.id, []);
  }
  for (const e of graph.edges) {
    deps.get(e.to)?.push(e);
    dependents.get(e.from)?.push(e);
  }
  return { deps, dependents };
}

/** Nodes not yet done whose dependencies are all done. */
export function readyNodes(graph: Graph, done: ReadonlySet<string>, index = indexDeps(graph)): string[] {
  return graph.nodes.filter((n) => !done.has(n.id) && index.deps.get(n.id)!.every((e) => done.has(e.from))).map((n) => n.id);
}

/** One cycle as a list of node ids (first repeated at the end), or null. Iterative: graphs can be huge. */
export function findCycle(graph: Graph, index = indexDeps(graph)): string[] | null {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const color = new Map<string, number>();
  for (const n of graph.nodes) color.set(n.id, WHITE);
  for (const start of graph.nodes) {
    if (color.get(start.id) !== WHITE) continue;
    const stack: { id: string; i: number }[] = [{ id: start.id, i: 0 }];
    color.set(start.id, GREY);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const out = index.dependents.get(top.id)!;
      if (top.i < out.length) {
        const next = out[top.i++].to;
        const c = color.get(next);
        if (c === GREY) {
          const ids = stack.map((s) => s.id);
          return [...ids.slice(ids.indexOf(next)), next];
        }
        if (c === WHITE) {
          color.set(next, GREY);
          stack.push({ id: next, i: 0 });
        }
      } else {
        color.set(top.id, BLACK);
        stack.pop();
      }
    }
  }
  return null;
}

/** Node ids in an order where every node comes after its dependencies (Kahn). */
export function topoOrder(graph: Graph, index = indexDeps(graph)): string[] {
  const indeg = new Map<string, number>();
  for (const n of graph.nodes) indeg.set(n.id, index.deps.get(n.id)!.length);
  const queue = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const out: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    out.push(id);
    for (const e of index.dependents.get(id)!) {
      const d = indeg.get(e.to)! - 1;
      indeg.set(e.to, d);
      if (d === 0) queue.push(e.to);
    }
  }
  return out;
}
