// Run state on disk: batched writes, redaction (a known password never reaches
// state.json or events.jsonl), and the resume plan: which run, which nodes are
// restored, which run again, which runs are refused.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KubexmError } from "../../../engine/diagnostics.js";
import { Redactor } from "../../../engine/redact.js";
import { lastResumableRun, listRuns, planResume } from "../../../engine/state/resume.js";
import { RunState, type RunStatus } from "../../../engine/state/run-state.js";
import type { Graph, GraphNode, NodeResult } from "../../../engine/types.js";
import { graph, node } from "../scheduler/harness.js";

const PASSWORD = "Pa55-w0rd-known";

function g(): Graph {
  //  a@h1 -> b@h1 -> c@h1
  return graph([node("a@h1", { x: 1 }), node("b@h1", { x: 2 }), node("c@h1", { x: 3 })], [["a@h1", "b@h1"], ["b@h1", "c@h1"]]);
}

function res(n: GraphNode, status: NodeResult["status"], extra: Partial<NodeResult> = {}): NodeResult {
  return { id: n.id, host: n.host, status, startedAt: 1000, endedAt: 1500, ...extra };
}

/** Writes one finished run: each node id -> status (outputs: { v: id }). */
function writeRun(runsDir: string, runId: string, gr: Graph, statuses: Record<string, NodeResult["status"]>, o: { status?: RunStatus; playbook?: string; dryRun?: boolean; startedAt?: number } = {}) {
  const st = new RunState({ runsDir, runId, playbook: o.playbook ?? "/p/pb.yaml", cluster: "c1", dryRun: !!o.dryRun, graph: gr, flushMs: 60_000 }, new Redactor([PASSWORD]));
  for (const n of gr.nodes) if (statuses[n.id]) st.result(n, res(n, statuses[n.id], { outputs: { v: n.id } }));
  st.finish(o.status ?? "failed");
  if (o.startedAt) {
    const f = join(runsDir, runId, "state.json");
    writeFileSync(f, JSON.stringify({ ...JSON.parse(readFileSync(f, "utf8")), startedAt: o.startedAt }));
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), "kx-state-"));

describe("RunState", () => {
  it("writes state.json at once, node results batched (not per node), events appended", () => {
    const runs = tmp();
    const gr = g();
    const st = new RunState({ runsDir: runs, runId: "r1", playbook: "/p/pb.yaml", cluster: "c1", dryRun: false, graph: gr, flushMs: 60_000 }, new Redactor());
    const file = join(runs, "r1", "state.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1, runId: "r1", status: "running", results: {} });
    st.started(gr.nodes[0]);
    st.result(gr.nodes[0], res(gr.nodes[0], "changed", { outputs: { v: 1 } }));
    expect(JSON.parse(readFileSync(file, "utf8")).results).toEqual({}); // batched: not on disk yet
    expect(existsSync(join(runs, "r1", "events.jsonl"))).toBe(false);
    st.finish("succeeded");
    const s = JSON.parse(readFileSync(file, "utf8"));
    expect(s).toMatchObject({ status: "succeeded", results: { "a@h1": { status: "changed", outputs: { v: 1 } } } });
    expect(Object.keys(s.nodes)).toEqual(["a@h1", "b@h1", "c@h1"]);
    const events = readFileSync(join(runs, "r1", "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(events.map((e) => e.event)).toEqual(["node.start", "node.end", "run.end"]);
    expect(events[1]).toMatchObject({ id: "a@h1", host: "h1", status: "changed", changed: true, durationMs: 500 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(runs, "r1")).mode & 0o777).toBe(0o700);
  });

  it("a known password never reaches state.json or events.jsonl; outputs that held it are flagged", () => {
    const runs = tmp();
    const gr = g();
    gr.vars = { registryPassword: PASSWORD, plain: "fine" };
    const st = new RunState({ runsDir: runs, runId: "r1", playbook: "/p/pb.yaml", cluster: "c1", dryRun: false, graph: gr }, new Redactor([PASSWORD]));
    st.result(gr.nodes[0], res(gr.nodes[0], "changed", { outputs: { stdout: `pw is ${PASSWORD}` }, message: `used ${PASSWORD}` }));
    st.result(gr.nodes[1], res(gr.nodes[1], "failed", { error: { message: `exit 1`, stderr: `bad ${PASSWORD}` } }));
    st.result(gr.nodes[2], res(gr.nodes[2], "ok", { outputs: { token: "generated-but-secret-by-name" } }));
    st.finish("failed");
    const state = readFileSync(join(runs, "r1", "state.json"), "utf8");
    const events = readFileSync(join(runs, "r1", "events.jsonl"), "utf8");
    expect(state).not.toContain(PASSWORD);
    expect(events).not.toContain(PASSWORD);
    expect(state).not.toContain("generated-but-secret-by-name");
    const s = JSON.parse(state);
    expect(s.vars).toEqual({ registryPassword: "******", plain: "fine" });
    expect(s.results["a@h1"]).toMatchObject({ outputsMasked: true, outputs: { stdout: "pw is ******" } });
    expect(s.results["c@h1"].outputsMasked).toBe(true);
  });
});

describe("resume", () => {
  it("restores finished nodes, runs failed/blocked/never-run ones", () => {
    const runs = tmp();
    writeRun(runs, "r1", g(), { "a@h1": "changed", "b@h1": "failed", "c@h1": "blocked" });
    const plan = planResume(runs, "/p/pb.yaml", true, g());
    expect(plan.from.runId).toBe("r1");
    expect([...plan.restore.keys()]).toEqual(["a@h1"]);
    expect(plan.restore.get("a@h1")).toMatchObject({ status: "changed", outputs: { v: "a@h1" } });
  });

  it("a node whose parameters changed since runs again", () => {
    const runs = tmp();
    writeRun(runs, "r1", g(), { "a@h1": "ok", "b@h1": "ok", "c@h1": "failed" });
    const now = g();
    now.nodes[1].with = { x: 99 };
    const plan = planResume(runs, "/p/pb.yaml", true, now);
    expect([...plan.restore.keys()]).toEqual(["a@h1"]);
    expect(plan.changedSince).toEqual(["b@h1"]);
  });

  it("a node whose outputs held a secret runs again rather than restore a mask", () => {
    const runs = tmp();
    const st = new RunState({ runsDir: runs, runId: "r1", playbook: "/p/pb.yaml", cluster: "c1", dryRun: false, graph: g() }, new Redactor([PASSWORD]));
    st.result(g().nodes[0], res(g().nodes[0], "changed", { outputs: { joinCommand: `kubeadm join --token ${PASSWORD}` } }));
    st.finish("cancelled");
    const plan = planResume(runs, "/p/pb.yaml", true, g());
    expect(plan.restore.size).toBe(0);
    expect(plan.masked).toEqual(["a@h1"]);
  });

  it("the default is the newest failed or cancelled real run of this playbook", () => {
    const runs = tmp();
    writeRun(runs, "old-failed", g(), {}, { status: "failed", startedAt: 1 });
    writeRun(runs, "cancelled", g(), {}, { status: "cancelled", startedAt: 2 });
    writeRun(runs, "other-playbook", g(), {}, { status: "failed", startedAt: 3, playbook: "/p/other.yaml" });
    writeRun(runs, "a-dry-run", g(), {}, { status: "failed", startedAt: 4, dryRun: true });
    writeRun(runs, "succeeded", g(), {}, { status: "succeeded", startedAt: 5 });
    expect(lastResumableRun(runs, "/p/pb.yaml")?.runId).toBe("cancelled");
    expect(listRuns(runs).map((r) => r.runId)).toEqual(["succeeded", "a-dry-run", "other-playbook", "cancelled", "old-failed"]);
  });

  const refusals: [string, (runs: string) => void, string | true, Graph, RegExp][] = [
    ["nothing to resume", () => {}, true, g(), /no failed or cancelled run of \/p\/pb\.yaml/],
    ["an unknown run id", (r) => writeRun(r, "r1", g(), {}), "r9", g(), /no run "r9" under .*\n?.*/],
    ["a dry run", (r) => writeRun(r, "r1", g(), {}, { dryRun: true }), "r1", g(), /was a dry run/],
    ["another playbook's run", (r) => writeRun(r, "r1", g(), {}, { playbook: "/p/other.yaml" }), "r1", g(), /ran \/p\/other\.yaml, not \/p\/pb\.yaml/],
    ["nodes gone from the graph", (r) => writeRun(r, "r1", graph([node("gone@h1"), node("a@h1")]), { "gone@h1": "ok", "a@h1": "ok" }), true, g(), /playbook changed since run r1: 1 of its nodes are not in the graph any more \(gone@h1\)/],
  ];
  it.each(refusals)("refuses %s with exit code 2", (_name, setup, resume, gr, message) => {
    const runs = tmp();
    setup(runs);
    let err: unknown;
    try {
      planResume(runs, "/p/pb.yaml", resume, gr);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KubexmError);
    expect((err as KubexmError).exitCode).toBe(2);
    expect((err as KubexmError).diagnostics[0].message).toMatch(message);
  });
});
