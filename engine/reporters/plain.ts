// Text output: the plan line, a line per finished node (and per step log line),
// then the recap. Used as is when stdout is not a terminal; on a terminal its
// lines go above the live progress block (see tty-progress.ts).
import type { Redactor } from "../redact.js";
import type { GraphNode, NodeResult, Reporter, RunSummary } from "../types.js";
import { ansiPaint, noPaint, recapLines, STATUS_COLOR } from "./recap.js";

export interface PlainOptions {
  /** writes one line (a newline is added) */
  write(line: string): void;
  redactor: Redactor;
  color: boolean;
  /** also skipped/cancelled nodes, messages of ok nodes and debug logs */
  verbose: boolean;
}

export function plainReporter(o: PlainOptions): Reporter {
  const paint = o.color ? ansiPaint : noPaint;
  const w = (s: string) => o.write(o.redactor.text(s));
  return {
    onPlan(graph, info) {
      const hosts = new Set(graph.nodes.map((n) => n.host)).size;
      const resumed = info.resumed ? `, ${info.resumed} already done (resumed)` : "";
      w(`${info.dryRun ? "plan (dry run, nothing is changed)" : "run"} ${info.runId}: ${graph.name}, ${graph.nodes.length} nodes on ${hosts} hosts${resumed}`);
    },
    onLog(node, level, msg) {
      if (level === "debug" && !o.verbose) return;
      const tag = level === "warn" ? paint("33", "warn ") : "";
      for (const line of msg.split("\n")) w(`  ${paint("90", `[${node.host}]`)} ${tag}${node.unit}: ${line}`);
    },
    onNodeEnd(node: GraphNode, r: NodeResult) {
      if ((r.status === "skipped" || r.status === "cancelled") && !o.verbose) return;
      w(nodeLine(node, r, o.verbose, paint));
    },
    onRunEnd(s: RunSummary) {
      for (const line of recapLines(s, paint)) w(line);
    },
  };
}

export function nodeLine(node: GraphNode, r: NodeResult, verbose: boolean, paint = noPaint): string {
  const label = r.wouldChange ? "would change" : r.ignored ? "failed (ignored)" : r.status;
  const dur = r.startedAt && r.endedAt ? ` ${((r.endedAt - r.startedAt) / 1000).toFixed(1)}s` : "";
  const tries = r.attempts && r.attempts > 1 ? ` after ${r.attempts} attempts` : "";
  const msg = r.error?.message ?? (r.wouldChange || r.status === "blocked" || verbose ? r.message : undefined);
  return `${paint(r.ignored ? "33" : STATUS_COLOR[r.status], label.padEnd(9))} ${node.id}${dur}${tries}${msg ? `: ${msg.split("\n")[0]}` : ""}`;
}
