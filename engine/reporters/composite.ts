// Output only through reporters; this one fans every hook out to several.
import type { Reporter } from "../types.js";

export function composite(...rs: Reporter[]): Reporter {
  return {
    onPlan: (g, i) => rs.forEach((r) => r.onPlan?.(g, i)),
    onNodeStart: (n) => rs.forEach((r) => r.onNodeStart?.(n)),
    onNodeEnd: (n, res) => rs.forEach((r) => r.onNodeEnd?.(n, res)),
    onLog: (n, l, m) => rs.forEach((r) => r.onLog?.(n, l, m)),
    onRunEnd: async (s) => {
      for (const r of rs) await r.onRunEnd?.(s);
    },
  };
}
