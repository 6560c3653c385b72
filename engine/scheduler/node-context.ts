// The expression context of one node at run time: the compile-time context plus
// the current host, facts, outputs so far, the loop item and $output/$changed/$status.
import type { ExprBindings, ExprContext } from "../expressions/types.js";
import type { Facts, GraphNode, NodeResult, PublicHost } from "../types.js";

export interface RunData {
  base: ExprContext;
  facts: Record<string, Facts>;
  /** outputs[stepRef][host] */
  outputs: Record<string, Record<string, Record<string, unknown>>>;
  /** register: name -> host -> outputs */
  registered: Record<string, Record<string, Record<string, unknown>>>;
  results: Map<string, NodeResult>;
  /** stepRef -> host -> node ids (loop items) */
  nodesByStep: Map<string, Map<string, string[]>>;
  runId: string;
  dryRun: boolean;
}

export function nodeContext(d: RunData, node: GraphNode, host: PublicHost): ExprContext {
  const vars: Record<string, unknown> = { ...d.base.vars };
  for (const [name, byHost] of Object.entries(d.registered)) {
    vars[name] = byHost[node.host] ?? byHost.local ?? Object.values(byHost)[0];
  }
  return {
    ...d.base,
    vars,
    host,
    facts: d.facts,
    outputs: d.outputs,
    run: { id: d.runId, dryRun: d.dryRun },
    item: node.item,
    loopKey: node.loopKey,
  };
}

export function nodeBindings(d: RunData, node: GraphNode): ExprBindings {
  const full = (ref: string) => node.refs?.[ref] ?? ref;
  const statuses = (ref: string): NodeResult[] => {
    // the node on the current host; a step that did not run here (e.g. on local) counts on its own hosts
    const byHost = d.nodesByStep.get(full(ref));
    const ids = byHost?.get(node.host) ?? [...(byHost?.values() ?? [])].flat();
    return ids.map((id) => d.results.get(id)).filter((r): r is NodeResult => !!r);
  };
  return {
    output(ref: string, key?: string, host?: string) {
      const byHost = d.outputs[full(ref)] ?? {};
      const hosts = Object.keys(byHost);
      let h = host;
      if (!h) {
        if (hosts.length > 1 && byHost[node.host]) h = node.host;
        else if (hosts.length > 1) throw new Error(`$output('${ref}') ran on ${hosts.length} hosts (${hosts.join(", ")}): name one as the third argument`);
        else h = hosts[0];
      }
      const out = h ? byHost[h] : undefined;
      return key === undefined ? out : out?.[key];
    },
    changed: (ref: string) => statuses(ref).some((r) => r.status === "changed"),
    status: (ref: string) => statuses(ref)[0]?.status,
  };
}
