// Hand-built graphs and small test steps for the scheduler tests: nodes written
// as "unit@host", edges as [from, to, rule?], run-time expressions compiled by
// the real expression compiler, steps registered in a test registry.
import { LOCAL_RECORD } from "../../../engine/compiler/context.js";
import { LocalConnection } from "../../../engine/connections/local.js";
import { DiagnosticBag } from "../../../engine/diagnostics.js";
import { compileExpression } from "../../../engine/expressions/compile.js";
import { compileValue } from "../../../engine/expressions/template.js";
import { workPaths } from "../../../engine/paths.js";
import { Redactor } from "../../../engine/redact.js";
import { StepRegistry } from "../../../engine/registry.js";
import type { RunData } from "../../../engine/scheduler/node-context.js";
import { runGraph } from "../../../engine/scheduler/run-graph.js";
import { parseYaml } from "../../../engine/source.js";
import type { Connection, EdgeRule, Graph, GraphNode, NodeResult, Reporter, StepPlugin } from "../../../engine/types.js";
import { stringify } from "yaml";

export interface WorkParams {
  fail?: number;
  sleep?: number;
  out?: unknown;
}

/** Per test: how often each node ran, how many hosts ran at once. */
export function harness() {
  const calls = new Map<string, number>();
  const inFlight = new Map<string, number>();
  let maxHosts = 0;
  const work: StepPlugin<WorkParams> = {
    name: "t.work",
    description: "in-process work: sleeps (abortable), fails the first `fail` attempts, returns `out`",
    target: "any",
    schema: { type: "object" },
    async run(ctx, p) {
      const n = (calls.get(ctx.nodeId) ?? 0) + 1;
      calls.set(ctx.nodeId, n);
      inFlight.set(ctx.host.name, (inFlight.get(ctx.host.name) ?? 0) + 1);
      maxHosts = Math.max(maxHosts, inFlight.size);
      try {
        if (p.sleep) await abortableSleep(p.sleep, ctx.signal);
        if (p.fail && n <= p.fail) throw Object.assign(new Error(`boom ${n}`), { stderr: `line 1\nboom ${n} on stderr\n` });
        return { changed: true, outputs: { value: p.out ?? ctx.nodeId, attempt: n } };
      } finally {
        const left = inFlight.get(ctx.host.name)! - 1;
        if (left) inFlight.set(ctx.host.name, left);
        else inFlight.delete(ctx.host.name);
      }
    },
  };
  const exec: StepPlugin<{ cmd: string; creates?: string }> = {
    name: "t.exec",
    description: "a command over the node's connection; `creates` makes it idempotent",
    target: "any",
    schema: { type: "object" },
    async check(ctx, p) {
      if (p.creates && (await ctx.conn.stat(p.creates))) return { done: true, message: `${p.creates} exists` };
      return { done: false, message: `would run: ${p.cmd}` };
    },
    async run(ctx, p) {
      const r = await ctx.exec(p.cmd);
      if (r.code !== 0) throw Object.assign(new Error(`exit ${r.code}`), { stderr: r.stderr, code: r.code });
      return { changed: true, outputs: { stdout: r.stdout.trim() } };
    },
  };
  const file: StepPlugin<{ want: string; have: string }> = {
    name: "t.file",
    description: "a file whose check shows a diff",
    target: "any",
    schema: { type: "object" },
    async check(_ctx, p) {
      if (p.want === p.have) return { done: true, outputs: { content: p.have } };
      return { done: false, message: "would rewrite /etc/t.conf", diff: `--- /etc/t.conf\n+++ /etc/t.conf\n@@ -1 +1 @@\n-${p.have}\n+${p.want}\n` };
    },
    async run(_ctx, p) {
      calls.set(`file:${p.want}`, 1);
      return { changed: true, outputs: { content: p.want } };
    },
  };
  const secret: StepPlugin<Record<string, never>> = {
    name: "t.secret",
    description: "makes a token, marks it secret, returns it as an output",
    target: "any",
    schema: { type: "object" },
    async run(ctx) {
      const token = "tok-" + ctx.nodeId.length + "-Zq8pXw2v";
      ctx.addSecret(token);
      ctx.log.info(`made token ${token}`);
      return { changed: true, outputs: { joinToken: token } };
    },
  };
  const registry = new StepRegistry();
  for (const s of [work, exec, file, secret]) registry.register(s as StepPlugin);
  return { registry, calls, maxHosts: () => maxHosts };
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error("aborted"));
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), reject(new Error("aborted"))), { once: true });
  });
}

export function node(id: string, p: unknown = {}, extra: Partial<GraphNode> = {}): GraphNode {
  const [unit, host] = id.split("@");
  return {
    id,
    unit,
    stepRef: unit.replace(/\[.*\]$/, ""),
    host,
    run: "t.work",
    with: p,
    retries: 0,
    delay: 0,
    timeout: 0,
    ignoreErrors: false,
    become: false,
    tags: [],
    finally: false,
    source: { file: "t.yaml", line: 1, col: 1 },
    baseDir: ".",
    ...extra,
  };
}

/** A node whose `with`/`when`/`until` are real compiled expressions (as the compiler makes them). */
export function exprNode(id: string, e: { with?: unknown; when?: string; until?: string }, extra: Partial<GraphNode> = {}): GraphNode {
  const raw = { with: e.with ?? {}, ...(e.when ? { when: e.when } : {}), ...(e.until ? { until: e.until } : {}) };
  const src = parseYaml(`${id}.yaml`, stringify(raw), new DiagnosticBag());
  return node(id, raw.with, {
    when: e.when,
    until: e.until,
    exprs: {
      with: compileValue(raw.with, { src, path: ["with"] }),
      ...(e.when ? { when: compileExpression(e.when, { src, path: ["when"] }) } : {}),
      ...(e.until ? { until: compileExpression(e.until, { src, path: ["until"] }) } : {}),
    },
    ...extra,
  });
}

export function graph(nodes: GraphNode[], edges: [string, string, EdgeRule?][] = []): Graph {
  return { name: "t", nodes, edges: edges.map(([from, to, rule]) => ({ from, to, rule: rule ?? "host-local" })), vars: {} };
}

export interface RunOpts {
  concurrency?: number;
  failFast?: boolean;
  signal?: AbortSignal;
  restore?: Map<string, NodeResult>;
  dryRun?: boolean;
  connect?: (host: string) => Promise<Connection>;
  reporter?: Reporter;
  redactor?: Redactor;
  vars?: Record<string, unknown>;
}

export async function run(g: Graph, h = harness(), o: RunOpts = {}) {
  const local = new LocalConnection();
  const paths = workPaths("t", "/tmp");
  const data: RunData = {
    base: { cluster: {}, vars: o.vars ?? {}, roles: {}, hosts: {}, all: [], local: "local", paths },
    facts: {},
    outputs: {},
    registered: {},
    results: new Map(),
    nodesByStep: new Map(),
    runId: "r1",
    dryRun: !!o.dryRun,
  };
  const logs: string[] = [];
  const results = await runGraph({
    graph: g,
    concurrency: o.concurrency ?? 10,
    failFast: o.failFast,
    signal: o.signal ?? new AbortController().signal,
    restore: o.restore,
    reporter: o.reporter ?? {},
    env: {
      data,
      registry: h.registry,
      connect: o.connect ?? (async () => local),
      local,
      hostRecord: (name) => ({ ...LOCAL_RECORD, name }),
      paths,
      redactor: o.redactor ?? new Redactor(),
      assumeYes: true,
      interactive: false,
      log: (n, level, msg) => logs.push(`${n.id} ${level} ${msg}`),
    },
  });
  const status = Object.fromEntries([...results].map(([id, r]) => [id, r.status]));
  return { status, results, h, data, logs };
}
