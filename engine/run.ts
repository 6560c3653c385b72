// `kubexm run`: config + playbook + registry -> compile -> (resume plan) -> run
// state -> reporters -> scheduler over a lazy connection pool. Returns the exit
// code: 0 ok, 1 failures, 2 bad input (thrown as KubexmError before anything
// touches a host), 130 interrupted (Ctrl-C: commands aborted, state saved).
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
import { isRealFailure } from "./scheduler/gate.js";
import type { RunData } from "./scheduler/node-context.js";
import { runGraph } from "./scheduler/run-graph.js";
import { planResume, type ResumePlan } from "./state/resume.js";
import { newRunId, RunState } from "./state/run-state.js";
import { projectRegistry } from "./steps-registry.js";
import type { HostRecord, NodeResult, Reporter } from "./types.js";

export interface RunOptions {
  playbook: string;
  /** the cluster config file */
  config: string;
  dryRun?: boolean;
  tags?: string[];
  skipTags?: string[];
  limit?: string[];
  vars?: Record<string, unknown>;
  yes?: boolean;
  /** true: the last failed or cancelled run of this playbook; a string: that run id */
  resume?: string | true;
  /** hosts in flight (default 20) */
  concurrency?: number;
  failFast?: boolean;
  sshUser?: string;
  privateKey?: string;
  workdir?: string;
  strictHostKeys?: boolean;
  logFormat?: "text" | "json";
  verbose?: boolean;
  color?: boolean;
  /** where output goes (default stdout); a TTY gets the live progress block */
  out?: NodeJS.WritableStream;
  /** aborting it is Ctrl-C */
  signal?: AbortSignal;
  /** listen for SIGINT/SIGTERM (default true; off for in-process callers) */
  handleSignals?: boolean;
}

export const DEFAULT_CONCURRENCY = 20;

export async function runPlaybook(o: RunOptions): Promise<number> {
  const started = performance.now();
  const workdir = resolve(o.workdir ?? process.cwd());
  const [cluster, playbook, reg] = await Promise.all([loadClusterConfig(o.config), loadPlaybook(o.playbook), projectRegistry(workdir)]);
  if (reg.pluginErrors.length) throw new KubexmError(reg.pluginErrors);
  if (o.concurrency !== undefined && !(Number.isInteger(o.concurrency) && o.concurrency >= 1)) {
    throw new KubexmError({ code: "usage", severity: "error", message: `--concurrency must be a whole number of hosts, at least 1 (got ${o.concurrency})` });
  }
  const redactor = new Redactor(cluster.secrets);
  for (const w of cluster.warnings) process.stderr.write(redactor.text(formatDiagnostic(w)) + "\n");
  const graph = await compile(playbook, cluster, { registry: reg.registry, vars: o.vars, tags: o.tags, skipTags: o.skipTags, limit: o.limit, workdir });
  const paths = workPaths(cluster.name, workdir);
  const playbookKey = resolve(o.playbook);
  const dryRun = !!o.dryRun;
  const resume: ResumePlan | undefined = o.resume ? planResume(paths.runs, playbookKey, o.resume, graph) : undefined;

  const runId = newRunId();
  const state = new RunState({ runsDir: paths.runs, runId, playbook: playbookKey, cluster: cluster.name, dryRun, graph, resumedFrom: resume?.from.runId }, redactor);
  const { reporter, text } = reporters(o, redactor);
  if (resume?.changedSince.length) text?.(`resume: ${resume.changedSince.length} finished nodes changed since run ${resume.from.runId} and run again (e.g. ${resume.changedSince[0]})`);
  if (resume?.masked.length) text?.(`resume: ${resume.masked.length} finished nodes had secret outputs (never stored) and run again (e.g. ${resume.masked[0]})`);

  const hosts = new Map<string, HostRecord>(cluster.hosts.map((h) => [h.name, h]));
  const pool = new ConnectionPool({
    hosts: cluster.hosts,
    knownHostsFile: paths.knownHosts,
    hostKeyPolicy: o.strictHostKeys ? "strict" : "accept-new",
    user: o.sshUser,
    privateKeyPath: o.privateKey,
  });
  const data: RunData = { base: compileContext(cluster, graph.vars, workdir), facts: {}, outputs: {}, registered: {}, results: new Map(), nodesByStep: new Map(), runId, dryRun };

  // Ctrl-C: abort every running command (the signal reaches the connection), save the state
  const ac = new AbortController();
  setMaxListeners(0, ac.signal); // one listener per running node
  const interrupt = () => {
    if (ac.signal.aborted) return;
    ac.abort(new Error("interrupted"));
    state.flush();
  };
  const handleSignals = o.handleSignals ?? true;
  if (o.signal?.aborted) interrupt();
  o.signal?.addEventListener("abort", interrupt, { once: true });
  if (handleSignals) {
    process.once("SIGINT", interrupt); // a second Ctrl-C kills at once (Node's default)
    process.once("SIGTERM", interrupt);
  }
  reporter.onPlan?.(graph, { runId, dryRun, resumed: resume?.restore.size ?? 0 });
  let results: Map<string, NodeResult>;
  try {
    results = await runGraph({
      graph,
      concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
      failFast: o.failFast,
      signal: ac.signal,
      reporter: composite(reporter, { onNodeStart: (n) => state.started(n) }),
      restore: resume?.restore,
      onResult: (n, r, restored) => state.result(n, r, restored),
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
    if (handleSignals) {
      process.removeListener("SIGINT", interrupt);
      process.removeListener("SIGTERM", interrupt);
    }
    o.signal?.removeEventListener("abort", interrupt);
    await pool.closeAll();
  }
  const cancelled = ac.signal.aborted;
  const failed = [...results.values()].some((r) => isRealFailure(r) || r.status === "blocked");
  state.finish(cancelled ? "cancelled" : failed ? "failed" : "succeeded");
  await reporter.onRunEnd?.({ runId, graph, results, wallMs: performance.now() - started, dryRun, cancelled, failed });
  return cancelled ? 130 : failed ? 1 : 0;
}

/** Text on a terminal: live progress with node lines above it; text otherwise; or JSON events. */
function reporters(o: RunOptions, redactor: Redactor): { reporter: Reporter; text?: (line: string) => void } {
  const out = o.out ?? process.stdout;
  const line = (s: string) => void out.write(s + "\n");
  if (o.logFormat === "json") return { reporter: jsonReporter(line, redactor) };
  const tty = (out as NodeJS.WriteStream).isTTY ? ttyProgress(out as NodeJS.WriteStream, { color: !!o.color }) : undefined;
  const write = tty ? (s: string) => tty.write(s) : line;
  const plain = plainReporter({ write, redactor, color: !!o.color, verbose: !!o.verbose });
  // the live block goes first, so it is gone before the recap is written
  return { reporter: tty ? composite(tty, plain) : plain, text: (s) => write(redactor.text(s)) };
}
