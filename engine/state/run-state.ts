// Run state under .kubexm/<cluster>/runs/<run-id>/: state.json (graph
// fingerprint, node results with outputs and timings, vars after -e, status) and
// events.jsonl (one line per node start/end). Writes are batched — a timer, the
// end, and a signal flush — never a disk sync per node. Everything written passes
// the Redactor; outputs that held a secret are stored masked and flagged, so a
// resumed run runs their node again instead of restoring a mask (no secret is
// ever written to disk, not even in a 0600 side file).
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Redactor } from "../redact.js";
import type { Graph, GraphNode, NodeResult } from "../types.js";
import { graphFingerprints } from "./fingerprint.js";

export const STATE_VERSION = 1;
export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";

export interface StoredResult extends NodeResult {
  /** its outputs held a secret and were stored masked: a resume runs the node again */
  outputsMasked?: boolean;
}

export interface RunStateFile {
  version: number;
  runId: string;
  /** absolute path of the playbook file */
  playbook: string;
  cluster: string;
  status: RunStatus;
  dryRun: boolean;
  startedAt: number;
  endedAt?: number;
  /** vars after -e (redacted) */
  vars: Record<string, unknown>;
  fingerprint: string;
  /** node id -> node fingerprint */
  nodes: Record<string, string>;
  results: Record<string, StoredResult>;
  resumedFrom?: string;
}

export interface RunStateInit {
  runsDir: string;
  runId: string;
  playbook: string;
  cluster: string;
  dryRun: boolean;
  graph: Graph;
  resumedFrom?: string;
  /** milliseconds between batched writes */
  flushMs?: number;
}

export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const d = now;
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${Math.random().toString(36).slice(2, 6)}`;
}

export class RunState {
  readonly dir: string;
  private readonly file: RunStateFile;
  private readonly secretParams = new Map<string, string[] | undefined>();
  private events: string[] = [];
  private timer?: NodeJS.Timeout;
  private readonly flushMs: number;

  constructor(init: RunStateInit, private readonly redactor: Redactor) {
    this.dir = join(init.runsDir, init.runId);
    this.flushMs = init.flushMs ?? 500;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fp = graphFingerprints(init.graph);
    for (const n of init.graph.nodes) if (n.secretParams?.length) this.secretParams.set(n.id, n.secretParams);
    this.file = {
      version: STATE_VERSION,
      runId: init.runId,
      playbook: init.playbook,
      cluster: init.cluster,
      status: "running",
      dryRun: init.dryRun,
      startedAt: Date.now(),
      vars: init.graph.vars,
      fingerprint: fp.graph,
      nodes: fp.nodes,
      results: {},
      ...(init.resumedFrom ? { resumedFrom: init.resumedFrom } : {}),
    };
    this.flush();
  }

  get path(): string {
    return join(this.dir, "state.json");
  }

  started(n: GraphNode): void {
    this.event({ event: "node.start", id: n.id, host: n.host, step: n.run });
  }

  /** A node ended (or was restored from the run resumed). */
  result(n: GraphNode, r: NodeResult, restored = false): void {
    const stored: StoredResult = this.redactor.value(r, this.secretParams.get(n.id));
    if (r.outputs && JSON.stringify(stored.outputs) !== JSON.stringify(r.outputs)) stored.outputsMasked = true;
    this.file.results[r.id] = stored;
    this.event({
      event: restored ? "node.restored" : "node.end",
      id: r.id,
      host: r.host,
      status: r.status,
      changed: r.status === "changed",
      ...(r.ignored ? { ignored: true } : {}),
      ...(r.startedAt && r.endedAt ? { durationMs: r.endedAt - r.startedAt } : {}),
      ...(r.attempts && r.attempts > 1 ? { attempts: r.attempts } : {}),
      ...(r.error ? { error: r.error.message } : {}),
    });
  }

  finish(status: RunStatus): void {
    this.file.status = status;
    this.file.endedAt = Date.now();
    this.event({ event: "run.end", status });
    this.flush();
  }

  private event(e: Record<string, unknown>): void {
    this.events.push(this.redactor.text(JSON.stringify({ t: Date.now(), ...e })));
    this.timer ??= setTimeout(() => this.flush(), this.flushMs).unref();
  }

  /** state.json is replaced atomically (write + rename); events are appended. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tmp = join(this.dir, "state.json.tmp");
    writeFileSync(tmp, this.redactor.text(JSON.stringify(this.redactor.value(this.file), null, 1)) + "\n", { mode: 0o600 });
    renameSync(tmp, this.path);
    if (this.events.length) {
      appendFileSync(join(this.dir, "events.jsonl"), this.events.join("\n") + "\n", { mode: 0o600 });
      this.events = [];
    }
  }
}
