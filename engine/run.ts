// `kubexm run`: config + playbook -> compile -> connect lazily -> schedule ->
// state and reporters. Returns the exit code: 0 ok, 1 failures, 2 bad input
// (thrown as KubexmError before anything touches a host), 130 interrupted.
import { setMaxListeners } from "node:events";
import { resolve } from "node:path";
import { compile } from "./compiler/compile.js";
import { compileContext, LOCAL_RECORD } from "./compiler/context.js";
import { loadClusterConfig } from "./config/load.js";
import { ConnectionPool } from "./connections/pool.js";
import { KubexmError, formatDiagnostic } from "./diagnostics.js";
import { workPaths } from "./paths.js";
import { loadPlaybook } from "./playbook/load.js";
import { Redactor } from "./redact.js";
import { composite } from "./reporters/composite.js";
import { jsonReporter } from "./reporters/json.js";
import { plainReporter } from "./reporters/plain.js";
import { ttyProgress } from "./reporters/tty-progress.js";
import type { RunData } from "./scheduler/node-context.js";
import { runGraph } from "./scheduler/run-graph.js";
import { lastUnfinishedRun, newRunId, readRun, RunState } from "./state/run-state.js";
import { projectRegistry } from "./steps-registry.js";
import type { HostRecord, NodeResult, Reporter } from "./types.js";

export interface RunOptions {
  playbook: string;
  config: string;
  dryRun?: boolean;
  tags?: string[];
  skipTags?: string[];
  limit?: string[];
  vars?: Record<string, unknown>;
  yes?: boolean;
  resume?: string | true;
  concurrency?: number;
  failFast?: boolean;
  sshUser?: string;
  privateKey?: string;
  workdir?: string;
  strictHostKeys?: boolean;
  logFormat?: "text" | "json";
  verbose?: boolean;
  color?: boolean;
  out?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export async function runPlaybook(o: RunOptions): Promise<number> {
  const started = performance.now();
  const workdir = resolve(o.workdir ?? process.cwd());
  const [cluster, playbook, reg] = await Promise.all([loadClusterConfig(o.config), loadPlaybook(o.playbook), projectRegistry(workdir)]);
  if (reg.pluginErrors.length) throw new KubexmError(reg.pluginErrors);
  const out = o.out ?? process.stdout;
  for (const w of cluster.warnings) process.stderr.write(formatDiagnostic(w) + "\n");
  const graph = await compile(playbook, cluster, { registry: reg.registry, vars: o.vars, tags: o.tags, skipTags: o.skipTags, limit: o.limit, workdir });
  const paths = workPaths(cluster.name, workdir);
  const redactor = new Redactor(cluster.secrets);
  const playbookKey = resolve(o.playbook);

  let prior: Map<string, NodeResult> | undefined;
  let resumedFrom: string | undefined;
  if (o.resume) {
    const prev = o.resume === true ? lastUnfinishedRun(paths.runs, playbookKey) : readRun(paths.runs, o.resume);
    if (!prev) {
      throw new KubexmError({ code: "resume", severity: "error", message: o.resume === true ? "no failed or cancelled run of this playbook to resume" : `no run ${o.resume} under ${paths.runs}` });
    }
    const ids = new Set(graph.nodes.map((n) => n.id));
    const unknown = Object.keys(prev.results).filter((id) => !ids.has(id));
    if (unknown.length) {
      throw new KubexmError({ code: "resume", severity: "error", message: `run ${prev.runId} does not match this playbook any more (${unknown.length} nodes are gone, e.g. ${unknown[0]})`, hint: "run it again without --resume" });
    }
    prior = new Map(Object.entries(prev.results));
    resumedFrom = prev.runId;
  }

  const runId = newRunId();
  const state = new RunState(paths.runs, { runId, playbook: playbookKey, cluster: cluster.name, dryRun: !!o.dryRun, vars: graph.vars, graph, resumedFrom }, redactor);
  // a live status line on a terminal; plain lines otherwise (or JSON events)
  const tty = o.logFormat !== "json" && (out as NodeJS.WriteStream).isTTY ? ttyProgress(out as NodeJS.WriteStream) : undefined;
  const reporters: Reporter[] = [
    o.logFormat === "json" ? jsonReporter(out, redactor) : plainReporter({ out, redactor, color: o.color ?? false, verbose: !!o.verbose, beforeWrite: tty?.clear }),
    ...(tty ? [tty] : []),
  ];
  const reporter = composite(...reporters, {
    onNodeStart: (n) => state.event({ event: "node.start", id: n.id }),
    onNodeEnd: (n, r) => state.event({ event: "node.end", id: n.id, status: r.status }),
  });

  const hosts = new Map<string, HostRecord>(cluster.hosts.map((h) => [h.name, h]));
  const pool = new ConnectionPool({
    hosts: cluster.hosts,
    knownHostsFile: paths.knownHosts,
    hostKeyPolicy: o.strictHostKeys ? "strict" : "accept-new",
    user: o.sshUser,
    privateKeyPath: o.privateKey,
  });
  const data: RunData = {
    base: compileContext(cluster, graph.vars, workdir),
    facts: {},
    outputs: {},
    registered: {},
    results: new Map(),
    nodesByStep: new Map(),
    runId,
    dryRun: !!o.dryRun,
  };
  // resumed nodes bring their outputs back so $output() still works
  for (const n of graph.nodes) {
    const p = prior?.get(n.id);
    if (p?.outputs && (p.status === "ok" || p.status === "changed")) (data.outputs[n.stepRef] ??= {})[n.host] = p.outputs;
  }
  const ac = new AbortController();
  setMaxListeners(0, ac.signal); // one listener per running node
  const onSigint = () => ac.abort();
  o.signal?.addEventListener("abort", onSigint, { once: true });
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  const resumedCount = prior ? [...prior.values()].filter((r) => ["ok", "changed", "skipped"].includes(r.status)).length : 0;
  reporter.onPlan?.(graph, { runId, dryRun: !!o.dryRun, resumed: resumedCount });
  let results: Map<string, NodeResult>;
  try {
    results = await runGraph({
      graph,
      concurrency: o.concurrency ?? 20,
      failFast: o.failFast,
      signal: ac.signal,
      reporter,
      prior,
      onResult: (_n, r) => state.result(r),
      env: {
        data,
        registry: reg.registry,
        connect: (h) => pool.get(h),
        local: pool.local,
        hostRecord: (name) => hosts.get(name) ?? LOCAL_RECORD,
        paths,
        redactor,
        assumeYes: !!o.yes,
        interactive: !!process.stdin.isTTY && !!process.stdout.isTTY,
        log: (n, level, msg) => reporter.onLog?.(n, level, msg),
      },
    });
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigint);
    await pool.closeAll();
  }
  const failed = [...results.values()].some((r) => r.status === "failed" && !graph.nodes.find((n) => n.id === r.id)?.ignoreErrors) || [...results.values()].some((r) => r.status === "blocked");
  const cancelled = ac.signal.aborted;
  state.finish(cancelled ? "cancelled" : failed ? "failed" : "succeeded");
  await reporter.onRunEnd?.({ runId, graph, results, wallMs: performance.now() - started, dryRun: !!o.dryRun, cancelled, failed });
  return cancelled ? 130 : failed ? 1 : 0;
}
