// Runs one node: run-time `when` (false -> skipped), `with` evaluated (its
// expressions are compiled once per step by the compiler), then attempts with
// `retries` and `delay` until one succeeds and `until` holds. Returns the node's
// result; never throws for the step's own failures.
import { KubexmError } from "../diagnostics.js";
import { publicHost } from "../public-host.js";
import type { Redactor } from "../redact.js";
import type { StepRegistry } from "../registry.js";
import type { Connection, GraphNode, HostRecord, Logger, NodeResult, PublicHost, WorkPaths } from "../types.js";
import { attempt, formatMs } from "./attempt.js";
import { nodeBindings, nodeContext, type RunData } from "./node-context.js";

export interface ExecEnv {
  data: RunData;
  registry: StepRegistry;
  connect(host: string): Promise<Connection>;
  local: Connection;
  hostRecord(name: string): HostRecord | PublicHost;
  paths: WorkPaths;
  redactor: Redactor;
  assumeYes: boolean;
  interactive: boolean;
  log(node: GraphNode, level: "debug" | "info" | "warn", msg: string): void;
}

export async function executeNode(env: ExecEnv, node: GraphNode, signal: AbortSignal): Promise<NodeResult> {
  const startedAt = Date.now();
  const end = (r: Omit<NodeResult, "id" | "host" | "startedAt" | "endedAt">): NodeResult => ({
    id: node.id,
    host: node.host,
    startedAt,
    endedAt: Date.now(),
    ...r,
    ...(r.status === "failed" && node.ignoreErrors ? { ignored: true } : {}),
  });
  const host = env.hostRecord(node.host);
  const ctx = nodeContext(env.data, node, publicHost(host));
  const bindings = nodeBindings(env.data, node);
  let attempts = 0;
  try {
    if (node.exprs?.when && !(await node.exprs.when.evaluate(ctx, bindings))) return end({ status: "skipped", message: `when: ${node.when}` });
    const params = node.exprs ? await node.exprs.with.evaluate(ctx, bindings) : node.with;
    const step = env.registry.get(node.run)?.plugin;
    if (!step) return end({ status: "failed", error: { message: `unknown step "${node.run}"` } });
    addSecretParams(env.redactor, params, node.secretParams);
    const conn = await env.connect(node.host);
    const log: Logger = {
      debug: (m) => env.log(node, "debug", m),
      info: (m) => env.log(node, "info", m),
      warn: (m) => env.log(node, "warn", m),
    };
    const input = {
      host,
      conn,
      local: env.local,
      become: node.become,
      paths: env.paths,
      facts: env.data.facts[node.host],
      log,
      dryRun: env.data.dryRun,
      assumeYes: env.assumeYes,
      interactive: env.interactive,
      baseDir: node.baseDir,
      nodeId: node.id,
      runId: env.data.runId,
      redactor: env.redactor,
    };
    for (;;) {
      attempts++;
      const r = await attempt(step, params, input, signal, node.timeout);
      if (r.status !== "failed" && r.status !== "cancelled" && node.exprs?.until && !env.data.dryRun) {
        const holds = await node.exprs.until.evaluate({ ...ctx, result: r.outputs ?? {} }, bindings);
        if (!holds) Object.assign(r, { status: "failed", error: { message: `until: ${node.until} is still false` } });
      }
      if (r.status !== "failed" || signal.aborted || attempts > node.retries) {
        return end({ ...r, status: signal.aborted && r.status === "failed" ? "cancelled" : r.status, attempts });
      }
      env.log(node, "info", `attempt ${attempts} of ${node.retries + 1} failed: ${r.error?.message ?? ""}; again in ${formatMs(node.delay)}`);
      await sleep(node.delay, signal);
    }
  } catch (e) {
    // expressions and connecting: the error names what went wrong (file:line, host)
    if (signal.aborted) return end({ status: "cancelled", error: { message: "cancelled" }, attempts });
    return end({ status: "failed", error: { message: describe(e) }, attempts });
  }
}

/** One line; an expression error keeps its file:line:col. */
function describe(e: unknown): string {
  if (e instanceof KubexmError) return e.diagnostics.map((d) => (d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ${d.message}` : d.message)).join("; ");
  return (e as Error)?.message ?? String(e);
}

/** The step's secret parameters (e.g. a token passed in `with:`) are masked in everything written. */
function addSecretParams(redactor: Redactor, params: unknown, keys: readonly string[] | undefined): void {
  if (!keys?.length || !params || typeof params !== "object") return;
  const add = (v: unknown): void => {
    if (typeof v === "string") redactor.add(v);
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === "object") Object.values(v).forEach(add);
  };
  for (const k of keys) add((params as Record<string, unknown>)[k]);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
