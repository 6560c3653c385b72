// Text output: a line per finished node (and per step log line), then a recap per
// host and the failures with host, step, file:line and the stderr tail.
import type { Redactor } from "../redact.js";
import type { GraphNode, NodeResult, NodeStatus, Reporter, RunSummary } from "../types.js";

const COLORS: Record<NodeStatus, string> = { ok: "32", changed: "33", skipped: "36", failed: "31", blocked: "35", cancelled: "90" };

export function plainReporter(opts: { out: NodeJS.WritableStream; redactor: Redactor; color: boolean; verbose: boolean; beforeWrite?: () => void }): Reporter {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const w = (s: string) => {
    opts.beforeWrite?.(); // a live status line is cleared first, then redrawn by its reporter
    opts.out.write(opts.redactor.text(s) + "\n");
  };
  return {
    onPlan(graph, info) {
      const hosts = new Set(graph.nodes.map((n) => n.host)).size;
      w(`${info.dryRun ? "plan (dry run)" : "run"} ${info.runId}: ${graph.name}, ${graph.nodes.length} nodes on ${hosts} hosts${info.resumed ? `, ${info.resumed} already done (resumed)` : ""}`);
    },
    onLog(node, level, msg) {
      if (level === "debug" && !opts.verbose) return;
      for (const line of msg.split("\n")) w(`  ${c("90", `[${node.host}]`)} ${node.unit}: ${line}`);
    },
    onNodeEnd(node: GraphNode, r: NodeResult) {
      if ((r.status === "skipped" || r.status === "cancelled") && !opts.verbose) return;
      const status = r.wouldChange ? "would change" : r.status;
      const dur = r.startedAt && r.endedAt ? ` (${((r.endedAt - r.startedAt) / 1000).toFixed(1)}s)` : "";
      const msg = r.error?.message ?? (r.wouldChange || opts.verbose ? r.message : undefined);
      w(`${c(COLORS[r.status], status.padEnd(8))} ${node.id}${dur}${msg ? `: ${msg.split("\n")[0]}` : ""}`);
      if (r.diff) for (const line of r.diff.split("\n").slice(2)) w(`         ${line}`);
    },
    onRunEnd(s: RunSummary) {
      w("");
      const per = new Map<string, Record<NodeStatus, number>>();
      for (const n of s.graph.nodes) {
        const r = s.results.get(n.id);
        if (!r) continue;
        const row = per.get(n.host) ?? { ok: 0, changed: 0, skipped: 0, failed: 0, blocked: 0, cancelled: 0 };
        row[r.status]++;
        per.set(n.host, row);
      }
      const cols: NodeStatus[] = ["ok", "changed", "skipped", "failed", "blocked", "cancelled"];
      const width = Math.max(4, ...[...per.keys()].map((h) => h.length));
      w(`${"HOST".padEnd(width)}  ${cols.map((x) => (s.dryRun && x === "changed" ? "would" : x).padStart(10)).join("")}`);
      for (const [h, row] of per) w(`${h.padEnd(width)}  ${cols.map((x) => c(row[x] && x !== "ok" ? COLORS[x] : "0", String(row[x]).padStart(10))).join("")}`);
      const failures = s.graph.nodes.filter((n) => s.results.get(n.id)?.status === "failed");
      if (failures.length) {
        w(`\n${failures.length} failed:`);
        for (const n of failures) {
          const r = s.results.get(n.id)!;
          w(`  ${n.host}  ${n.unit} (${n.run})  ${n.source.file}:${n.source.line}`);
          w(`    ${(r.error?.message ?? "").split("\n")[0]}`);
          const tail = r.error?.stderr?.trim().split("\n").slice(-5) ?? [];
          for (const l of tail) w(`    | ${l}`);
        }
      }
      w(`\n${s.cancelled ? "cancelled" : s.failed ? "FAILED" : "done"} in ${(s.wallMs / 1000).toFixed(1)}s (run ${s.runId})`);
    },
  };
}
