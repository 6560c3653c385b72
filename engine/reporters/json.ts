// --log-format json: one JSON event per line (node started/finished, run end).
import type { Redactor } from "../redact.js";
import type { Reporter } from "../types.js";

export function jsonReporter(out: NodeJS.WritableStream, redactor: Redactor): Reporter {
  const emit = (e: Record<string, unknown>) => out.write(redactor.text(JSON.stringify({ t: Date.now(), ...e })) + "\n");
  return {
    onPlan: (g, i) => emit({ event: "plan", runId: i.runId, name: g.name, nodes: g.nodes.length, dryRun: i.dryRun, resumed: i.resumed }),
    onNodeStart: (n) => emit({ event: "node.start", id: n.id, host: n.host, step: n.run }),
    onLog: (n, level, msg) => emit({ event: "log", id: n.id, host: n.host, level, msg }),
    onNodeEnd: (n, r) =>
      emit({
        event: "node.end",
        id: n.id,
        host: n.host,
        step: n.run,
        status: r.status,
        changed: r.status === "changed",
        wouldChange: r.wouldChange ?? false,
        durationMs: r.startedAt && r.endedAt ? r.endedAt - r.startedAt : 0,
        ...(r.error ? { error: r.error.message } : {}),
      }),
    onRunEnd: (s) => {
      const counts: Record<string, number> = {};
      for (const r of s.results.values()) counts[r.status] = (counts[r.status] ?? 0) + 1;
      emit({ event: "run.end", runId: s.runId, failed: s.failed, cancelled: s.cancelled, wallMs: Math.round(s.wallMs), counts });
    },
  };
}
