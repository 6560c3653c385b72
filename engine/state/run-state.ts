// Run state under .kubexm/<cluster>/runs/<run-id>/: state.json (node results,
// outputs, timings, vars, status) and events.jsonl. Writes are batched (a timer
// and the end), never a disk sync per node. Everything passes the Redactor.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Redactor } from "../redact.js";
import type { Graph, NodeResult } from "../types.js";

export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";

export interface RunStateFile {
  runId: string;
  playbook: string;
  cluster: string;
  status: RunStatus;
  dryRun: boolean;
  startedAt: number;
  endedAt?: number;
  vars: Record<string, unknown>;
  nodes: string[];
  results: Record<string, NodeResult>;
  resumedFrom?: string;
}

export function newRunId(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${Math.random().toString(36).slice(2, 6)}`;
}

export class RunState {
  readonly dir: string;
  private readonly file: RunStateFile;
  private events: string[] = [];
  private timer?: NodeJS.Timeout;

  constructor(runsDir: string, init: Omit<RunStateFile, "results" | "status" | "startedAt" | "nodes"> & { graph: Graph }, private readonly redactor: Redactor) {
    this.dir = join(runsDir, init.runId);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const { graph, ...rest } = init;
    this.file = { ...rest, status: "running", startedAt: Date.now(), nodes: graph.nodes.map((n) => n.id), results: {} };
    this.flush();
  }

  event(e: Record<string, unknown>): void {
    this.events.push(this.redactor.text(JSON.stringify({ t: Date.now(), ...e })));
    this.schedule();
  }

  result(r: NodeResult): void {
    this.file.results[r.id] = r;
    this.schedule();
  }

  finish(status: RunStatus): void {
    this.file.status = status;
    this.file.endedAt = Date.now();
    this.flush();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), 500);
  }

  /** state.json is replaced atomically; events are appended. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tmp = join(this.dir, "state.json.tmp");
    writeFileSync(tmp, this.redactor.text(JSON.stringify(this.redactor.value(this.file), null, 1)), { mode: 0o600 });
    renameSync(tmp, join(this.dir, "state.json"));
    if (this.events.length) {
      appendFileSync(join(this.dir, "events.jsonl"), this.events.join("\n") + "\n", { mode: 0o600 });
      this.events = [];
    }
  }
}

export function readRun(runsDir: string, runId: string): RunStateFile | undefined {
  const f = join(runsDir, runId, "state.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as RunStateFile) : undefined;
}

/** The newest run of this playbook that did not succeed (what --resume continues). */
export function lastUnfinishedRun(runsDir: string, playbook: string): RunStateFile | undefined {
  if (!existsSync(runsDir)) return undefined;
  const ids = readdirSync(runsDir).sort().reverse();
  for (const id of ids) {
    const r = readRun(runsDir, id);
    if (r && r.playbook === playbook && !r.dryRun && (r.status === "failed" || r.status === "cancelled" || r.status === "running")) return r;
  }
  return undefined;
}
