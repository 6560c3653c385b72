// Runs one node: run-time `when`, `with` evaluated, the step's check (dry-run stops
// there), run, `until`, retries with delay, timeout. Returns its NodeResult;
// never throws for the step's own failures.
import type { Redactor } from "../redact.js";
import type { StepRegistry } from "../registry.js";
import { createStepContext } from "../step-context.js";
import type { Connection, GraphNode, HostRecord, Logger, NodeResult, PublicHost, StepPlugin, WorkPaths } from "../types.js";
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
  const res = (status: NodeResult["status"], extra: Partial<NodeResult> = {}): NodeResult => ({ id: node.id, host: node.host, status, startedAt, endedAt: Date.now(), ...extra });
  const host = env.hostRecord(node.host);
  const pub = { ...host } as PublicHost;
  const ctx = nodeContext(env.data, node, pub);
  const bindings = nodeBindings(env.data, node);
  try {
    if (node.exprs?.when && !(await node.exprs.when.evaluate(ctx, bindings))) return res("skipped", { message: `when: ${node.when}` });
    const params = node.exprs ? await node.exprs.with.evaluate(ctx, bindings) : node.with;
    const step = env.registry.get(node.run)?.plugin;
    if (!step) return res("failed", { error: { message: `unknown step "${node.run}"` } });
    for (const k of node.secretParams ?? []) {
      const v = (params as Record<string, unknown>)?.[k];
      if (typeof v === "string") env.redactor.add(v);
      else if (v && typeof v === "object") for (const x of Object.values(v)) if (typeof x === "string") env.redactor.add(x);
    }
    const conn = await env.connect(node.host);
    let attempt = 0;
    for (;;) {
      attempt++;
      const r = await attemptOnce(env, node, step, params, conn, host, signal);
      let ok = r.status !== "failed";
      if (ok && node.exprs?.until && !env.data.dryRun) {
        ok = Boolean(await node.exprs.until.evaluate({ ...ctx, result: r.outputs ?? {} }, bindings));
        if (!ok) r.error = { message: `until: ${node.until} is still false` };
      }
      if (ok) return { ...r, startedAt, endedAt: Date.now(), attempts: attempt };
      if (signal.aborted) return res("cancelled", { attempts: attempt, error: { message: "cancelled" } });
      if (attempt > node.retries) return { ...r, status: r.status === "cancelled" ? "cancelled" : "failed", startedAt, endedAt: Date.now(), attempts: attempt };
      env.log(node, "info", `attempt ${attempt} of ${node.retries + 1} failed: ${r.error?.message ?? ""}; retrying in ${node.delay} ms`);
      await sleep(node.delay, signal);
    }
  } catch (e) {
    if (signal.aborted) return res("cancelled", { error: { message: "cancelled" } });
    return res("failed", { error: { message: (e as Error).message } });
  }
}

async function attemptOnce(env: ExecEnv, node: GraphNode, step: StepPlugin, params: unknown, conn: Connection, host: HostRecord | PublicHost, outer: AbortSignal): Promise<NodeResult> {
  const ac = new AbortController();
  const abort = () => ac.abort();
  outer.addEventListener("abort", abort, { once: true });
  const logger: Logger = {
    debug: (m) => env.log(node, "debug", m),
    info: (m) => env.log(node, "info", m),
    warn: (m) => env.log(node, "warn", m),
  };
  const sctx = createStepContext({
    host,
    conn,
    local: env.local,
    become: node.become,
    paths: env.paths,
    facts: env.data.facts[node.host],
    log: logger,
    signal: ac.signal,
    dryRun: env.data.dryRun,
    assumeYes: env.assumeYes,
    interactive: env.interactive,
    baseDir: node.baseDir,
    nodeId: node.id,
    runId: env.data.runId,
    redactor: env.redactor,
  });
  const base = { id: node.id, host: node.host };
  let timer: NodeJS.Timeout | undefined;
  const work = (async (): Promise<NodeResult> => {
    if (step.check) {
      const c = await step.check(sctx, params);
      if (c.done) return { ...base, status: "ok", outputs: c.outputs, message: c.message };
      if (env.data.dryRun) return { ...base, status: "changed", wouldChange: true, message: c.message, diff: c.diff };
    }
    const r = await step.run(sctx, params);
    return { ...base, status: r.changed ? "changed" : "ok", outputs: r.outputs, message: r.message };
  })();
  const timeout = node.timeout
    ? new Promise<NodeResult>((resolve) => {
        timer = setTimeout(() => {
          ac.abort();
          resolve({ ...base, status: "failed", error: { message: `timed out after ${node.timeout} ms` } });
        }, node.timeout);
      })
    : undefined;
  try {
    return await (timeout ? Promise.race([work, timeout]) : work);
  } catch (e) {
    const err = e as Error & { stderr?: string; code?: number };
    return { ...base, status: outer.aborted ? "cancelled" : "failed", error: { message: err.message, stderr: err.stderr, code: err.code } };
  } finally {
    if (timer) clearTimeout(timer);
    outer.removeEventListener("abort", abort);
    work.catch(() => undefined); // a timed-out step may still settle later
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}
