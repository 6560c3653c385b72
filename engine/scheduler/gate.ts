// What happens to a node whose dependencies all ended, before anything runs:
// blocked (a dependency failed or was blocked), cancelled (a dependency was
// cancelled), skipped (an onFailure step where nothing of its task failed on this
// host), or undefined: it may run. Pure: reads the results, changes nothing.
import type { GraphEdge, GraphNode, NodeResult } from "../types.js";

/** A result that lets dependents run: ok, changed, skipped, or failed with ignoreErrors. */
export function letsDependentsRun(r: NodeResult): boolean {
  return r.status === "ok" || r.status === "changed" || r.status === "skipped" || (r.status === "failed" && !!r.ignored);
}

/** A failure that counts: the run fails, --fail-fast stops, onFailure steps run. */
export function isRealFailure(r: NodeResult): boolean {
  return r.status === "failed" && !r.ignored;
}

export function gate(n: GraphNode, deps: readonly GraphEdge[], results: ReadonlyMap<string, NodeResult>, now = Date.now()): NodeResult | undefined {
  const end = (status: NodeResult["status"], message: string): NodeResult => ({ id: n.id, host: n.host, status, endedAt: now, message });
  for (const e of deps) {
    if (e.rule === "finally") continue; // finally/onFailure wait for the end, whatever the result
    const d = results.get(e.from);
    if (!d || letsDependentsRun(d)) continue;
    if (d.status === "cancelled") return end("cancelled", `${e.from} was cancelled`);
    return end("blocked", `${e.from} ${d.status}`);
  }
  if (n.onFailure) {
    const fin = deps.filter((e) => e.rule === "finally");
    const here = fin.filter((e) => results.get(e.from)?.host === n.host);
    const failed = (here.length ? here : fin).some((e) => {
      const d = results.get(e.from);
      return !!d && isRealFailure(d);
    });
    if (!failed) return end("skipped", "nothing of its task failed on this host");
  }
  return undefined;
}
