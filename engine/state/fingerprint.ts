// Fingerprints tell a resumed run whether a node is still the node that ran:
// the step, host, loop item and the `with`/`when`/`until` as written. A node
// whose fingerprint changed runs again; the graph's fingerprint names the whole.
import { createHash } from "node:crypto";
import type { Graph, GraphNode } from "../types.js";

export function nodeFingerprint(n: GraphNode): string {
  const what = JSON.stringify([n.run, n.host, n.with ?? null, n.when ?? null, n.until ?? null, n.item ?? null, n.become]);
  return createHash("sha256").update(what).digest("base64url").slice(0, 16);
}

export function graphFingerprints(graph: Graph): { graph: string; nodes: Record<string, string> } {
  const nodes: Record<string, string> = {};
  const h = createHash("sha256");
  for (const n of graph.nodes) {
    nodes[n.id] = nodeFingerprint(n);
    h.update(`${n.id}=${nodes[n.id]}\n`);
  }
  for (const e of graph.edges) h.update(`${e.from}>${e.to}\n`);
  return { graph: h.digest("base64url").slice(0, 22), nodes };
}
