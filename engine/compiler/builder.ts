// Accumulates nodes and edges with O(1) de-duplication; keeps per-step and
// per-host indexes so linking stays linear in the number of nodes.
import type { EdgeRule, GraphEdge, GraphNode } from "../types.js";

export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private readonly ids = new Set<string>();
  private readonly edgeKeys = new Set<string>();
  /** full step ref -> its nodes (every host, every loop item) */
  readonly byStep = new Map<string, GraphNode[]>();

  addNode(n: GraphNode): boolean {
    if (this.ids.has(n.id)) return false;
    this.ids.add(n.id);
    this.nodes.push(n);
    let list = this.byStep.get(n.stepRef);
    if (!list) this.byStep.set(n.stepRef, (list = []));
    list.push(n);
    return true;
  }

  addEdge(from: GraphNode, to: GraphNode, rule: EdgeRule): void {
    if (from === to) return;
    const key = `${from.id}\u0000${to.id}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from: from.id, to: to.id, rule });
  }
}

/** A compiled unit (task, module, pipeline): its nodes and where to link it. */
export interface Fragment {
  nodes: GraphNode[];
  /** nodes with no dependency inside the unit */
  entries: GraphNode[];
  /** nodes nothing inside the unit depends on */
  exits: GraphNode[];
}

export function byHost(nodes: GraphNode[]): Map<string, GraphNode[]> {
  const m = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    let l = m.get(n.host);
    if (!l) m.set(n.host, (l = []));
    l.push(n);
  }
  return m;
}
