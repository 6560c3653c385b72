// The pure parts of the scheduler: the ready queue (dependency counts, host
// bound) and the gate (blocked / cancelled / onFailure-skipped before running).
import { describe, expect, it } from "vitest";
import { gate } from "../../../engine/scheduler/gate.js";
import { ReadyQueue } from "../../../engine/scheduler/queue.js";
import type { NodeResult, NodeStatus } from "../../../engine/types.js";
import { graph, node } from "./harness.js";

const ids = (ns: { id: string }[]) => ns.map((n) => n.id);

describe("ReadyQueue", () => {
  //  a@h1 -> c@h1 <- b@h2
  const g = () => graph([node("a@h1"), node("b@h2"), node("c@h1")], [["a@h1", "c@h1"], ["b@h2", "c@h1", "barrier"]]);

  it("a node is ready when its last dependency ended", () => {
    const q = new ReadyQueue(g());
    expect(ids(q.roots())).toEqual(["a@h1", "b@h2"]);
    expect(ids(q.ended("a@h1"))).toEqual([]);
    expect(ids(q.ended("b@h2"))).toEqual(["c@h1"]);
  });

  it.each([
    // concurrency, queued (node@host), hosts already in flight, expected taken
    [1, ["a@h1", "b@h2", "c@h3"], [], ["a@h1"]],
    [2, ["a@h1", "b@h2", "c@h3"], [], ["a@h1", "b@h2"]],
    [1, ["a@h1", "b@h2", "x@h1"], [], ["a@h1", "x@h1"]],
    [1, ["b@h2", "c@h3"], ["h3"], ["c@h3"]],
    [2, ["b@h2", "c@h3"], ["h1"], ["b@h2"]],
    [0, ["a@h1"], [], ["a@h1"]],
  ])("concurrency %i, queued %j, in flight %j -> takes %j", (concurrency, queued, busy, want) => {
    const nodes = [...new Set([...queued, ...busy.map((h) => `busy@${h}`)])].map((id) => node(id));
    const q = new ReadyQueue(graph(nodes));
    for (const h of busy) {
      q.push(node(`busy@${h}`));
      q.take(99);
    }
    for (const id of queued) q.push(node(id));
    expect(ids(q.take(concurrency))).toEqual(want);
  });

  it("a finished host frees its slot", () => {
    const q = new ReadyQueue(graph([node("a@h1"), node("b@h2")]));
    q.push(node("a@h1"));
    q.push(node("b@h2"));
    expect(ids(q.take(1))).toEqual(["a@h1"]);
    expect(ids(q.take(1))).toEqual([]);
    q.finished("h1");
    expect(q.hostsInFlight).toBe(0);
    expect(ids(q.take(1))).toEqual(["b@h2"]);
  });
});

describe("gate", () => {
  const r = (id: string, status: NodeStatus, extra: Partial<NodeResult> = {}): [string, NodeResult] => [id, { id, host: id.split("@")[1], status, ...extra }];
  it.each([
    // dependency result, edge rule, onFailure node?, expected status (undefined: runs)
    ["ok", "host-local", false, undefined],
    ["changed", "barrier", false, undefined],
    ["skipped", "host-local", false, undefined],
    ["failed", "host-local", false, "blocked"],
    ["blocked", "data", false, "blocked"],
    ["cancelled", "host-local", false, "cancelled"],
    ["failed", "finally", false, undefined],
    ["cancelled", "finally", false, undefined],
    ["failed", "finally", true, undefined],
    ["ok", "finally", true, "skipped"],
    ["blocked", "finally", true, "skipped"],
  ] as const)("dependency %s over a %s edge (onFailure %s) -> %s", (dep, rule, onFailure, want) => {
    const n = node("t/x@h1", {}, { onFailure });
    const results = new Map([r("t/d@h1", dep)]);
    expect(gate(n, [{ from: "t/d@h1", to: n.id, rule }], results)?.status).toBe(want);
  });

  it("a failure with ignoreErrors lets dependents run and does not trigger onFailure", () => {
    const results = new Map([r("t/d@h1", "failed", { ignored: true })]);
    expect(gate(node("t/x@h1"), [{ from: "t/d@h1", to: "t/x@h1", rule: "host-local" }], results)).toBeUndefined();
    expect(gate(node("t/x@h1", {}, { onFailure: true }), [{ from: "t/d@h1", to: "t/x@h1", rule: "finally" }], results)?.status).toBe("skipped");
  });

  it("onFailure looks at its own host's nodes of the task", () => {
    const results = new Map([r("t/d@h1", "ok"), r("t/d@h2", "failed")]);
    const deps = [{ from: "t/d@h1", to: "t/x@h1", rule: "finally" as const }, { from: "t/d@h2", to: "t/x@h1", rule: "finally" as const }];
    expect(gate(node("t/x@h1", {}, { onFailure: true }), deps, results)?.status).toBe("skipped");
  });
});
