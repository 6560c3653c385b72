// The plan as Graphviz dot, Mermaid or JSON. Conditional nodes (a run-time `when`)
// are dashed, finally nodes grey; every edge carries the rule that made it.
// `with:` values are never printed raw: secret parameters are masked.
import { Redactor } from "../redact.js";
import type { EdgeRule, Graph, GraphNode } from "../types.js";

export type ClusterBy = "host" | "module";

const EDGE_STYLE: Record<EdgeRule, string> = {
  "host-local": 'color="#555555"',
  barrier: 'color="#c0392b", penwidth=1.6',
  local: 'color="#2471a3"',
  data: 'color="#7d3c98", style=dotted',
  serial: 'color="#b9770e"',
  finally: 'color="#888888", style=dashed',
};

function q(s: string): string {
  // keep "\n" (a line break in dot labels); escape other backslashes and quotes
  return `"${s.replace(/\\(?!n)/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function groupKey(n: GraphNode, by: ClusterBy): string {
  return by === "host" ? n.host : n.unit.split("/")[0];
}

export function toDot(graph: Graph, opts: { clusterBy?: ClusterBy } = {}): string {
  const by = opts.clusterBy ?? "host";
  const lines = [`digraph ${q(graph.name)} {`, "  rankdir=LR;", '  node [shape=box, fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=8];'];
  const groups = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const k = groupKey(n, by);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(n);
  }
  let i = 0;
  for (const [k, nodes] of groups) {
    lines.push(`  subgraph ${q(`cluster_${i++}`)} {`, `    label=${q(`${by}: ${k}`)};`, '    style=rounded; color="#bbbbbb";');
    for (const n of nodes) {
      const attrs = [`label=${q(`${by === "host" ? n.unit : n.id}\\n${n.run}`)}`];
      if (n.when) attrs.push("style=dashed", `tooltip=${q(`when: ${n.when}`)}`);
      if (n.finally || n.onFailure) attrs.push('style="filled,rounded"', 'fillcolor="#eeeeee"');
      lines.push(`    ${q(n.id)} [${attrs.join(", ")}];`);
    }
    lines.push("  }");
  }
  for (const e of graph.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.rule)}, ${EDGE_STYLE[e.rule]}];`);
  lines.push("}");
  return lines.join("\n") + "\n";
}

export function toMermaid(graph: Graph, opts: { clusterBy?: ClusterBy } = {}): string {
  const by = opts.clusterBy ?? "host";
  const ids = new Map<string, string>();
  graph.nodes.forEach((n, i) => ids.set(n.id, `n${i}`));
  const lines = ["flowchart LR"];
  const groups = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const k = groupKey(n, by);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(n);
  }
  let g = 0;
  for (const [k, nodes] of groups) {
    lines.push(`  subgraph g${g++}["${by}: ${k}"]`);
    for (const n of nodes) lines.push(`    ${ids.get(n.id)}["${(by === "host" ? n.unit : n.id).replace(/"/g, "'")}<br/>${n.run}"]`);
    lines.push("  end");
  }
  for (const e of graph.edges) lines.push(`  ${ids.get(e.from)} -->|${e.rule}| ${ids.get(e.to)}`);
  const dashed = graph.nodes.filter((n) => n.when).map((n) => ids.get(n.id));
  if (dashed.length) {
    lines.push("  classDef conditional stroke-dasharray: 5 5;");
    lines.push(`  class ${dashed.join(",")} conditional;`);
  }
  return lines.join("\n") + "\n";
}

/** Stable JSON: nodes (without compiled internals) and edges; secrets masked. */
export function toJson(graph: Graph, redactor = new Redactor()): string {
  const nodes = graph.nodes.map((n) => ({
    id: n.id,
    unit: n.unit,
    host: n.host,
    run: n.run,
    with: redactor.value(n.with, n.secretParams ?? []),
    ...(n.when ? { when: n.when } : {}),
    ...(n.until ? { until: n.until } : {}),
    ...(n.retries ? { retries: n.retries, delay: n.delay } : {}),
    ...(n.timeout ? { timeout: n.timeout } : {}),
    ...(n.loopKey !== undefined ? { loopKey: n.loopKey } : {}),
    tags: n.tags,
    become: n.become,
    ...(n.finally ? { finally: true } : {}),
    ...(n.onFailure ? { onFailure: true } : {}),
    source: `${n.source.file}:${n.source.line}:${n.source.col}`,
  }));
  return JSON.stringify({ name: graph.name, nodes, edges: graph.edges }, null, 2) + "\n";
}
