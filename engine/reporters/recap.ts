// The closing text of a run: per host ok / changed / skipped / failed / blocked /
// cancelled, what a dry run would change per host (with template diffs), each
// failure with host, step, file:line and the stderr tail, and the wall time.
// Pure: returns lines; the caller redacts and writes them.
import { isAbsolute, relative } from "node:path";
import type { GraphNode, NodeResult, NodeStatus, RunSummary } from "../types.js";

export const STATUS_COLOR: Record<NodeStatus, string> = { ok: "32", changed: "33", skipped: "36", failed: "31", blocked: "35", cancelled: "90" };
const COLUMNS: NodeStatus[] = ["ok", "changed", "skipped", "failed", "blocked", "cancelled"];
const STDERR_TAIL = 8;

export type Paint = (code: string, s: string) => string;
export const noPaint: Paint = (_c, s) => s;
export const ansiPaint: Paint = (c, s) => `\x1b[${c}m${s}\x1b[0m`;

export interface HostCounts extends Record<NodeStatus, number> {
  ignored: number;
}

/** Per host, in the graph's host order: how many nodes ended how. */
export function countByHost(nodes: readonly GraphNode[], results: ReadonlyMap<string, NodeResult>): Map<string, HostCounts> {
  const per = new Map<string, HostCounts>();
  for (const n of nodes) {
    const r = results.get(n.id);
    let row = per.get(n.host);
    if (!row) per.set(n.host, (row = { ok: 0, changed: 0, skipped: 0, failed: 0, blocked: 0, cancelled: 0, ignored: 0 }));
    if (!r) continue;
    if (r.ignored) row.ignored++;
    else row[r.status]++;
  }
  return per;
}

export function recapLines(s: RunSummary, paint: Paint = noPaint): string[] {
  const out: string[] = [""];
  const per = countByHost(s.graph.nodes, s.results);
  const anyIgnored = [...per.values()].some((r) => r.ignored);
  const cols: (NodeStatus | "ignored")[] = anyIgnored ? [...COLUMNS.slice(0, 4), "ignored", ...COLUMNS.slice(4)] : COLUMNS;
  const label = (c: string) => (s.dryRun && c === "changed" ? "would change" : c === "ignored" ? "failed-ignored" : c);
  const width = Math.max(4, ...[...per.keys()].map((h) => h.length));
  const colW = cols.map((c) => Math.max(4, label(c).length) + 2);
  out.push(`${"HOST".padEnd(width)}${cols.map((c, i) => label(c).padStart(colW[i])).join("")}`);
  for (const [host, row] of per) {
    const cells = cols.map((c, i) => {
      const v = String(row[c]).padStart(colW[i]);
      return row[c] && c !== "ok" ? paint(c === "ignored" ? "33" : STATUS_COLOR[c], v) : v;
    });
    out.push(`${host.padEnd(width)}${cells.join("")}`);
  }
  if (s.dryRun) out.push(...wouldChange(s, paint));
  out.push(...failures(s));
  const total = s.graph.nodes.length;
  const count = (st: NodeStatus) => [...s.results.values()].filter((r) => r.status === st && !r.ignored).length;
  const [failed, blocked] = [count("failed"), count("blocked")];
  const verdict = s.cancelled ? paint("90", "INTERRUPTED") : s.failed ? paint("31", "FAILED") : paint("32", s.dryRun ? "PLANNED" : "DONE");
  const tally = [failed && `${failed} failed`, blocked && `${blocked} blocked`].filter(Boolean).join(", ");
  out.push("", `${verdict}: ${total} nodes${tally ? `, ${tally}` : ""} in ${(s.wallMs / 1000).toFixed(1)}s (run ${s.runId})`);
  return out;
}

function wouldChange(s: RunSummary, paint: Paint): string[] {
  const byHost = new Map<string, [GraphNode, NodeResult][]>();
  for (const n of s.graph.nodes) {
    const r = s.results.get(n.id);
    if (!r?.wouldChange) continue;
    (byHost.get(n.host) ?? byHost.set(n.host, []).get(n.host)!).push([n, r]);
  }
  if (!byHost.size) return ["", "Nothing would change."];
  const out = ["", "Would change:"];
  for (const [host, list] of byHost) {
    out.push(`  ${host}`);
    for (const [n, r] of list) {
      out.push(`    ${n.unit} (${n.run})${r.message ? `: ${r.message.split("\n")[0]}` : ""}`);
      for (const line of diffBody(r.diff)) out.push(`      ${line.startsWith("+") ? paint("32", line) : line.startsWith("-") ? paint("31", line) : line}`);
    }
  }
  return out;
}

/** A unified diff without its Index/=== preamble. */
export function diffBody(diff: string | undefined): string[] {
  if (!diff) return [];
  return diff.replace(/\n$/, "").split("\n").filter((l) => !l.startsWith("Index:") && !/^={10,}$/.test(l) && !l.startsWith("\\ No newline"));
}

function failures(s: RunSummary): string[] {
  const failed = s.graph.nodes.filter((n) => s.results.get(n.id)?.status === "failed");
  if (!failed.length) return [];
  const out = ["", `Failures (${failed.length}):`];
  for (const n of failed) {
    const r = s.results.get(n.id)!;
    out.push(`  ${n.host}  ${n.unit} (${n.run})${r.ignored ? " [ignored]" : ""}  ${where(n)}`);
    out.push(`    ${(r.error?.message ?? "failed").split("\n")[0]}`);
    const tail = r.error?.stderr?.replace(/\s+$/, "").split("\n").slice(-STDERR_TAIL) ?? [];
    for (const l of tail) if (l.trim()) out.push(`    | ${l}`);
  }
  return out;
}

/** file:line, relative to the current directory when that is shorter */
export function where(n: GraphNode): string {
  const f = n.source.file;
  const rel = isAbsolute(f) ? relative(process.cwd(), f) : f;
  return `${rel.length < f.length && !rel.startsWith("../../") ? rel : f}:${n.source.line}`;
}
