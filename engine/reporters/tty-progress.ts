// On a terminal: a live status line under the node lines — nodes done of total,
// elapsed, and what each host runs right now. Redrawn at most 10 times a second.
import type { GraphNode, Reporter } from "../types.js";

export function ttyProgress(out: NodeJS.WriteStream & { columns?: number }): Reporter & { clear(): void } {
  let total = 0;
  let done = 0;
  const started = Date.now();
  const running = new Map<string, string>(); // host -> unit
  let last = 0;
  let shown = false;
  const clear = () => {
    if (shown) out.write("\r\x1b[2K");
    shown = false;
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const hosts = [...running.entries()].map(([h, u]) => `${h}:${u.split("/").pop()}`);
    const line = `[${done}/${total}] ${((now - started) / 1000).toFixed(1)}s  ${hosts.join("  ")}`;
    out.write(`\r\x1b[2K${line.slice(0, Math.max(20, (out.columns ?? 100) - 1))}`);
    shown = true;
  };
  return {
    clear,
    onPlan(g) {
      total = g.nodes.length;
    },
    onNodeStart(n: GraphNode) {
      running.set(n.host, n.unit);
      draw();
    },
    onNodeEnd(n: GraphNode) {
      done++;
      if (running.get(n.host) === n.unit) running.delete(n.host);
      draw();
    },
    onRunEnd() {
      clear();
    },
  };
}
