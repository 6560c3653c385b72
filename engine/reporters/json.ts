// --log-format json: one JSON object per line — plan, node.start, log, node.end
// (status, changed, duration, host, attempts, error) and run.end with the
// per-host counts. Every line passes the Redactor.
import type { Redactor } from "../redact.js";
import type { Reporter } from "../types.js";
import { countByHost } from "./recap.js";

export function jsonReporter(write: (line: string) => void, redactor: Redactor): Reporter {
  const emit = (e: Record<string, unknown>) => write(redactor.text(JSON.stringify({ t: Date.now(), ...e })));
  return {
    onPlan: (g, i) => emit({ event: "plan", runId: i.runId, name: g.name, nodes: g.nodes.length, hosts: new Set(g.nodes.map((n) => n.host)).size, dryRun: i.dryRun, resumed: i.resumed }),
    onNodeStart: (n) => emit({ event: "node.start", id: n.id, host: n.host, step: n.run }),
    onLog: (n, level, msg) => emit({ event: "log", id: n.id, host: n.host, level, msg }),
    onNodeEnd: (n, r) =>
      emit({
        event: "node.end",
        id: n.id,
        host: n.host,
        step: n.run,
        status: r.status,
        changed: r.status === "changed" && !r.wouldChange,
        wouldChange: r.wouldChange ?? false,
        durationMs: r.startedAt && r.endedAt ? r.endedAt - r.startedAt : 0,
        ...(r.ignored ? { ignored: true } : {}),
        ...(r.attempts && r.attempts > 1 ? { attempts: r.attempts } : {}),
        ...(r.message ? { message: r.message } : {}),
        ...(r.diff ? { diff: r.diff } : {}),
        ...(r.error ? { error: r.error.message, ...(r.error.stderr ? { stderr: r.error.stderr } : {}) } : {}),
        source: `${n.source.file}:${n.source.line}`,
      }),
    onRunEnd: (s) => {
      const hosts = Object.fromEntries(countByHost(s.graph.nodes, s.results));
      emit({ event: "run.end", runId: s.runId, dryRun: s.dryRun, failed: s.failed, cancelled: s.cancelled, wallMs: Math.round(s.wallMs), hosts });
    },
  };
}
