// Linking units (the seeds' ExecutionFragment): `needs: [x]` on a task or module
// links each entry node on host h to x's exit nodes on h when x has any there,
// otherwise to all of x's exits; x's exits on the control machine are always
// waited for; `x@all` is a barrier on every exit.
import type { NeedRef } from "../playbook/types.js";
import { LOCAL_HOST, type GraphNode } from "../types.js";
import { byHost, type Fragment, type GraphBuilder } from "./builder.js";

export function linkNeed(b: GraphBuilder, entries: GraphNode[], dep: Fragment, all: boolean): void {
  const exitsByHost = byHost(dep.exits);
  const localExits = exitsByHost.get(LOCAL_HOST) ?? [];
  for (const e of entries) {
    if (all) {
      for (const x of dep.exits) b.addEdge(x, e, x.host === LOCAL_HOST && e.host !== LOCAL_HOST ? "local" : "barrier");
      continue;
    }
    const same = exitsByHost.get(e.host);
    if (same?.length) for (const x of same) b.addEdge(x, e, "host-local");
    else for (const x of dep.exits) b.addEdge(x, e, x.host === LOCAL_HOST ? "local" : "barrier");
    if (e.host !== LOCAL_HOST) for (const x of localExits) b.addEdge(x, e, "local");
  }
}

export interface LevelUnit {
  id: string;
  needs: NeedRef[];
  /** undefined: pruned (its `when` was false) or nothing selected */
  frag?: Fragment;
}

/** Links sibling units by their needs; returns the level's own fragment. */
export function linkLevel(b: GraphBuilder, units: LevelUnit[]): Fragment {
  const byId = new Map(units.map((u) => [u.id, u]));
  const needed = new Set<string>();
  const linked = new Set<string>();
  for (const u of units) {
    if (!u.frag?.nodes.length) continue;
    for (const n of u.needs) {
      const dep = byId.get(n.id);
      // a dependency on a pruned unit is satisfied, as if it had finished
      if (!dep?.frag?.nodes.length) continue;
      linkNeed(b, u.frag.entries, dep.frag, n.all);
      needed.add(dep.id);
      linked.add(u.id);
    }
  }
  const live = units.filter((u) => u.frag?.nodes.length);
  return {
    nodes: live.flatMap((u) => u.frag!.nodes),
    entries: live.filter((u) => !linked.has(u.id)).flatMap((u) => u.frag!.entries),
    exits: live.filter((u) => !needed.has(u.id)).flatMap((u) => u.frag!.exits),
  };
}

/** `finally` units start after every exit of the main part ended, whatever its result. */
export function linkFinally(b: GraphBuilder, main: Fragment, fin: Fragment): void {
  for (const e of fin.entries) for (const x of main.exits) b.addEdge(x, e, "finally");
}

/** `serial: N | "30%"` -> batches of hosts, in host order. */
export function serialBatches(hosts: string[], serial: number | string): string[][] {
  const size = typeof serial === "number" ? serial : Math.max(1, Math.ceil((hosts.length * Number(serial.replace("%", ""))) / 100));
  const out: string[][] = [];
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size));
  return out;
}
