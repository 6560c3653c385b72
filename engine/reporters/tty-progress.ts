// On a terminal: a live block under the node lines — nodes done of total and the
// elapsed time, then one line per busy host with its current step, its own
// done/total and how long it has been working. Redrawn in place (cursor up,
// clear) a few times a second; other text goes above it through `write`.
import type { GraphNode, Reporter } from "../types.js";

export interface TtyOut {
  write(s: string): unknown;
  columns?: number;
  rows?: number;
}

interface HostProgress {
  total: number;
  done: number;
  firstStart?: number;
  /** node id -> unit, in start order */
  running: Map<string, string>;
}

const REDRAW_MS = 200;

export function ttyProgress(out: TtyOut, opts: { color: boolean }): Reporter & { write(line: string): void } {
  let total = 0;
  let done = 0;
  const started = Date.now();
  const hosts = new Map<string, HostProgress>();
  let drawn = 0; // lines of the block on screen
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const dim = (s: string) => (opts.color ? `\x1b[90m${s}\x1b[0m` : s);

  const erase = () => {
    if (drawn) out.write(`\r\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - last < REDRAW_MS / 2) return;
    last = now;
    const width = Math.max(20, (out.columns ?? 100) - 1);
    const room = Math.max(1, Math.min(15, (out.rows ?? 24) - 4));
    const busy = [...hosts.entries()].filter(([, h]) => h.running.size);
    const lines = [`[${done}/${total}] ${secs(now - started)}  ${busy.length} host${busy.length === 1 ? "" : "s"} busy`];
    const nameW = Math.min(24, Math.max(4, ...busy.map(([n]) => n.length)));
    for (const [name, h] of busy.slice(0, room)) {
      const units = [...h.running.values()];
      const what = units[units.length - 1] + (units.length > 1 ? ` (+${units.length - 1})` : "");
      lines.push(`  ${name.padEnd(nameW)}  ${`${h.done}/${h.total}`.padStart(7)}  ${secs(now - (h.firstStart ?? now)).padStart(6)}  ${what}`);
    }
    if (busy.length > room) lines.push(`  ... ${busy.length - room} more hosts busy`);
    erase();
    out.write(lines.map((l, i) => (i ? dim(l.slice(0, width)) : l.slice(0, width))).join("\n") + "\n");
    drawn = lines.length;
  };

  return {
    write(line: string) {
      erase();
      out.write(line + "\n");
      if (timer) draw(true);
    },
    onPlan(g, info) {
      total = g.nodes.length;
      done = info.resumed; // restored nodes end without an onNodeEnd
      for (const n of g.nodes) {
        const h = hosts.get(n.host) ?? { total: 0, done: 0, running: new Map() };
        h.total++;
        hosts.set(n.host, h);
      }
      timer = setInterval(() => draw(true), REDRAW_MS).unref();
    },
    onNodeStart(n: GraphNode) {
      const h = hosts.get(n.host);
      if (!h) return;
      h.firstStart ??= Date.now();
      h.running.set(n.id, n.unit);
      draw();
    },
    onNodeEnd(n: GraphNode) {
      done++;
      const h = hosts.get(n.host);
      if (h) {
        h.done++;
        h.running.delete(n.id);
      }
      draw();
    },
    onRunEnd() {
      if (timer) clearInterval(timer);
      timer = undefined;
      erase();
    },
  };
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
