// --resume [run-id]: which earlier run to continue and what of it to keep.
// Kept (not run again, outputs restored): nodes that ended ok, changed or skipped
// and are still the same node (same fingerprint) with outputs that were stored
// whole. Everything else runs: failed, blocked, cancelled, never started, changed
// since, or with outputs that held a secret. A run whose nodes are not all in the
// graph any more is refused (exit 2): the playbook changed under it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KubexmError } from "../diagnostics.js";
import type { Graph, NodeResult } from "../types.js";
import { graphFingerprints } from "./fingerprint.js";
import { STATE_VERSION, type RunStateFile } from "./run-state.js";

export interface ResumePlan {
  from: RunStateFile;
  /** node id -> its earlier result (with outputs) */
  restore: Map<string, NodeResult>;
  /** finished nodes that run again: their step, host or parameters changed since */
  changedSince: string[];
  /** finished nodes that run again: their outputs held a secret (never stored) */
  masked: string[];
}

export function readRun(runsDir: string, runId: string): RunStateFile | undefined {
  const f = join(runsDir, runId, "state.json");
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, "utf8")) as RunStateFile;
  } catch {
    return undefined; // a state file cut short by a crash: not resumable
  }
}

/** Every readable run of the cluster, newest first. */
export function listRuns(runsDir: string): RunStateFile[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir)
    .map((id) => readRun(runsDir, id))
    .filter((r): r is RunStateFile => !!r)
    .sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : -1));
}

/** The newest failed or cancelled (or crashed: still "running") real run of this playbook. */
export function lastResumableRun(runsDir: string, playbook: string): RunStateFile | undefined {
  return listRuns(runsDir).find((r) => r.playbook === playbook && !r.dryRun && r.status !== "succeeded");
}

const refuse = (message: string, hint?: string) => new KubexmError({ code: "resume", severity: "error", message, ...(hint ? { hint } : {}) });

export function planResume(runsDir: string, playbook: string, resume: string | true, graph: Graph): ResumePlan {
  const from = resume === true ? lastResumableRun(runsDir, playbook) : readRun(runsDir, resume);
  if (!from) {
    throw resume === true
      ? refuse(`--resume: no failed or cancelled run of ${playbook} under ${runsDir}`, "run it without --resume")
      : refuse(`--resume: no run "${resume}" under ${runsDir}`, `runs: ${listRuns(runsDir).slice(0, 5).map((r) => r.runId).join(", ") || "none"}`);
  }
  if (from.version !== STATE_VERSION) throw refuse(`--resume: run ${from.runId} was written by another kubexm version (state v${from.version}, this one reads v${STATE_VERSION})`);
  if (from.dryRun) throw refuse(`--resume: run ${from.runId} was a dry run; there is nothing to continue`);
  if (from.playbook !== playbook) throw refuse(`--resume: run ${from.runId} ran ${from.playbook}, not ${playbook}`);
  const now = graphFingerprints(graph).nodes;
  const unknown = Object.keys(from.results).filter((id) => !(id in now));
  if (unknown.length) {
    const shown = unknown.slice(0, 5).join(", ") + (unknown.length > 5 ? `, ... (${unknown.length} in all)` : "");
    throw refuse(`--resume: the playbook changed since run ${from.runId}: ${unknown.length} of its nodes are not in the graph any more (${shown})`, "run it again without --resume (finished steps report ok through their checks)");
  }
  const restore = new Map<string, NodeResult>();
  const changedSince: string[] = [];
  const masked: string[] = [];
  for (const [id, r] of Object.entries(from.results)) {
    if (r.status !== "ok" && r.status !== "changed" && r.status !== "skipped") continue;
    if (from.nodes[id] !== now[id]) changedSince.push(id);
    else if (r.outputsMasked) masked.push(id);
    else {
      const { outputsMasked: _m, ...result } = r;
      restore.set(id, result);
    }
  }
  return { from, restore, changedSince, masked };
}
