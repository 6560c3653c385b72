// The scheduler on hand-built graphs with test steps on the control machine:
// statuses, block propagation, retries/until/timeout, ignoreErrors, finally and
// onFailure, host concurrency, no barrier, fail-fast, abort, resume, dry run and
// the $output/$changed/$status bindings.
import { describe, expect, it } from "vitest";
import type { NodeResult } from "../../../engine/types.js";
import { exprNode, graph, harness, node, run } from "./harness.js";

describe("scheduler: statuses and propagation", () => {
  it("a failure blocks only its dependents; independent branches finish", async () => {
    //  a@h1(fail) -> b@h1 -> c@h1
    //  x@h2 -> y@h2
    const g = graph([node("a@h1", { fail: 9 }), node("b@h1"), node("c@h1"), node("x@h2"), node("y@h2")], [["a@h1", "b@h1"], ["b@h1", "c@h1"], ["x@h2", "y@h2"]]);
    const { status, results } = await run(g);
    expect(status).toEqual({ "a@h1": "failed", "b@h1": "blocked", "c@h1": "blocked", "x@h2": "changed", "y@h2": "changed" });
    expect(results.get("b@h1")!.message).toBe("a@h1 failed");
    expect(results.get("c@h1")!.message).toBe("b@h1 blocked");
    expect(results.get("a@h1")!.error).toEqual({ message: "boom 1", stderr: "line 1\nboom 1 on stderr\n" });
  });

  it.each([
    // name, node, expected status
    ["check says done -> ok, run not called", node("f@h1", { want: "a", have: "a" }, { run: "t.file" }), "ok"],
    ["check says not done -> run -> changed", node("f@h1", { want: "b", have: "a" }, { run: "t.file" }), "changed"],
    ["when false -> skipped", exprNode("w@h1", { when: "vars.enabled = true" }), "skipped"],
    ["when true -> runs", exprNode("w@h1", { when: "vars.enabled = false" }), "changed"],
    ["unknown step -> failed", node("u@h1", {}, { run: "t.nope" }), "failed"],
  ])("%s", async (_name, n, want) => {
    const { status } = await run(graph([n]), harness(), { vars: { enabled: false } });
    expect(status[n.id]).toBe(want);
  });

  it("check outputs are published when the node is already done", async () => {
    const { data } = await run(graph([node("f@h1", { want: "a", have: "a" }, { run: "t.file" })]));
    expect(data.outputs.f.h1).toEqual({ content: "a" });
  });

  it("an expression error fails the node with file:line:col", async () => {
    const { results } = await run(graph([exprNode("e@h1", { with: { x: "${{ $number('abc') }}" } })]));
    expect(results.get("e@h1")!.status).toBe("failed");
    expect(results.get("e@h1")!.error!.message).toMatch(/^e@h1\.yaml:2:\d+: expression `\$number\('abc'\)` failed/);
  });
});

describe("scheduler: retries, until, timeout, ignoreErrors", () => {
  it("retries until the step succeeds", async () => {
    const { status, h, results } = await run(graph([node("a@h1", { fail: 2 }, { retries: 3, delay: 5 })]));
    expect(status["a@h1"]).toBe("changed");
    expect(h.calls.get("a@h1")).toBe(3);
    expect(results.get("a@h1")!.attempts).toBe(3);
  });

  it("gives up after its retries with the last error", async () => {
    const { status, h, results } = await run(graph([node("a@h1", { fail: 9 }, { retries: 1 })]));
    expect(status["a@h1"]).toBe("failed");
    expect(h.calls.get("a@h1")).toBe(2);
    expect(results.get("a@h1")!.error!.message).toBe("boom 2");
  });

  it("until is evaluated against the step's outputs, with retries", async () => {
    const { status, h } = await run(graph([exprNode("u@h1", { until: "result.attempt >= 3" }, { retries: 5 })]));
    expect(status["u@h1"]).toBe("changed");
    expect(h.calls.get("u@h1")).toBe(3);
  });

  it("until still false after the retries -> failed", async () => {
    const { results } = await run(graph([exprNode("u@h1", { until: "result.attempt > 10" }, { retries: 1 })]));
    expect(results.get("u@h1")).toMatchObject({ status: "failed", attempts: 2, error: { message: "until: result.attempt > 10 is still false" } });
  });

  it("a timeout aborts the step's signal and fails the node", async () => {
    const { results } = await run(graph([node("t@h1", { sleep: 60_000 }, { timeout: 50, retries: 1 })]));
    expect(results.get("t@h1")).toMatchObject({ status: "failed", attempts: 2, error: { message: "timed out after 50 ms" } });
  });

  it("ignoreErrors: failed-ignored, dependents run", async () => {
    const { status, results } = await run(graph([node("a@h1", { fail: 9 }, { ignoreErrors: true }), node("b@h1")], [["a@h1", "b@h1"]]));
    expect(status).toEqual({ "a@h1": "failed", "b@h1": "changed" });
    expect(results.get("a@h1")!.ignored).toBe(true);
  });
});

describe("scheduler: finally, onFailure, fail-fast, abort", () => {
  it("finally nodes run after a failure; onFailure only where its task failed", async () => {
    //  a@h1(fail) -> cleanup@h1 (finally), rescue@h1 (onFailure);  a@h2 -> rescue@h2 (onFailure)
    const g = graph(
      [node("t/a@h1", { fail: 9 }), node("t/a@h2"), node("t/cleanup@h1", {}, { finally: true }), node("t/rescue@h1", {}, { onFailure: true }), node("t/rescue@h2", {}, { onFailure: true })],
      [["t/a@h1", "t/cleanup@h1", "finally"], ["t/a@h1", "t/rescue@h1", "finally"], ["t/a@h2", "t/rescue@h2", "finally"]],
    );
    const { status, results } = await run(g);
    expect(status).toEqual({ "t/a@h1": "failed", "t/a@h2": "changed", "t/cleanup@h1": "changed", "t/rescue@h1": "changed", "t/rescue@h2": "skipped" });
    expect(results.get("t/rescue@h2")!.message).toBe("nothing of its task failed on this host");
  });

  it("--fail-fast: running nodes finish, never-started ones are cancelled, finally still runs", async () => {
    //  a@h1(fail)   b@h2(slow) -> c@h2   ... -> fin@h3 (finally)
    const g = graph([node("a@h1", { fail: 9 }), node("b@h2", { sleep: 50 }), node("c@h2"), node("fin@h3", {}, { finally: true })], [["b@h2", "c@h2"], ["a@h1", "fin@h3", "finally"], ["c@h2", "fin@h3", "finally"]]);
    const { status } = await run(g, harness(), { failFast: true });
    expect(status).toEqual({ "a@h1": "failed", "b@h2": "changed", "c@h2": "cancelled", "fin@h3": "changed" });
  });

  it("an ignored failure does not trip --fail-fast", async () => {
    const g = graph([node("a@h1", { fail: 9 }, { ignoreErrors: true }), node("b@h1")], [["a@h1", "b@h1"]]);
    expect((await run(g, harness(), { failFast: true })).status).toEqual({ "a@h1": "failed", "b@h1": "changed" });
  });

  it("an abort cancels running steps and everything not started, finally included", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const g = graph([node("a@h1", { sleep: 60_000 }), node("b@h1"), node("fin@h1", {}, { finally: true })], [["a@h1", "b@h1"], ["b@h1", "fin@h1", "finally"]]);
    const { status } = await run(g, harness(), { signal: ac.signal });
    expect(status).toEqual({ "a@h1": "cancelled", "b@h1": "cancelled", "fin@h1": "cancelled" });
  });
});

describe("scheduler: concurrency and no barrier", () => {
  it.each([1, 2, 4])("runs at most %i hosts at once", async (concurrency) => {
    const nodes = Array.from({ length: 6 }, (_, i) => node(`s@h${i}`, { sleep: 20 }));
    const { h, status } = await run(graph(nodes), harness(), { concurrency });
    expect(h.maxHosts()).toBe(concurrency);
    expect(Object.values(status).every((s) => s === "changed")).toBe(true);
  });

  it("a host in flight runs all its ready nodes without taking another slot", async () => {
    // h0 has three independent nodes; with concurrency 1 they still run together
    const nodes = [node("a@h0", { sleep: 20 }), node("b@h0", { sleep: 20 }), node("c@h0", { sleep: 20 }), node("d@h1")];
    const seen: string[] = [];
    await run(graph(nodes), harness(), { concurrency: 1, reporter: { onNodeStart: (n) => seen.push(n.id) } });
    expect(seen.slice(0, 3).sort()).toEqual(["a@h0", "b@h0", "c@h0"]);
  });

  it("a ready node never waits for an unrelated slow host (no barrier)", async () => {
    const g = graph([node("slow@h1", { sleep: 200 }), node("a@h2"), node("b@h2"), node("c@h2")], [["a@h2", "b@h2"], ["b@h2", "c@h2"]]);
    const { results } = await run(g);
    expect(results.get("c@h2")!.endedAt!).toBeLessThanOrEqual(results.get("slow@h1")!.startedAt! + 200);
  });

  it("a long chain behind one failure is blocked without recursion limits", async () => {
    const n = 5000;
    const nodes = Array.from({ length: n }, (_, i) => node(`s${i}@h1`, i === 0 ? { fail: 1 } : {}));
    const edges = nodes.slice(1).map((x, i): [string, string] => [nodes[i].id, x.id]);
    const { status } = await run(graph(nodes, edges));
    expect(Object.values(status).filter((s) => s === "blocked")).toHaveLength(n - 1);
  });
});

describe("scheduler: data between steps", () => {
  it("$output, $changed, $status and register", async () => {
    //  gen@local -> use@h1 (with: $output), restart@h1 (when: $changed), rescue@h1 (when: $status = failed), reg@h1 (vars.r)
    const g = graph(
      [
        node("t/gen@local", { out: "v1" }, { register: "genned" }),
        exprNode("t/use@h1", { with: { out: "${{ $output('t/gen', 'value') }}-used" } }),
        exprNode("t/restart@h1", { when: "$changed('t/gen')" }),
        exprNode("t/rescue@h1", { when: "$status('t/gen') = 'failed'" }),
        exprNode("t/reg@h1", { with: { out: "${{ vars.genned.value }}" } }),
      ],
      [["t/gen@local", "t/use@h1", "data"], ["t/gen@local", "t/restart@h1", "data"], ["t/gen@local", "t/rescue@h1", "data"], ["t/gen@local", "t/reg@h1", "data"]],
    );
    const { status, data } = await run(g);
    expect(status).toEqual({ "t/gen@local": "changed", "t/use@h1": "changed", "t/restart@h1": "changed", "t/rescue@h1": "skipped", "t/reg@h1": "changed" });
    expect(data.outputs["t/use"].h1.value).toBe("v1-used");
    expect(data.outputs["t/reg"].h1.value).toBe("v1");
  });

  it("$output of a step that ran on several hosts needs a host", async () => {
    const g = graph([node("a@h1"), node("a@h2"), exprNode("b@h3", { with: { out: "${{ $output('a', 'value') }}" } })], [["a@h1", "b@h3", "data"], ["a@h2", "b@h3", "data"]]);
    const { results } = await run(g);
    expect(results.get("b@h3")!.error!.message).toMatch(/\$output\('a'\) ran on 2 hosts \(h1, h2\): name one/);
  });

  it("resume: restored nodes are not run again and their outputs come back", async () => {
    const g = graph([node("a@h1", { out: "first" }, { register: "areg" }), exprNode("b@h1", { with: { out: "${{ $output('a', 'value') }}+${{ vars.areg.value }}" } })], [["a@h1", "b@h1"]]);
    const restore = new Map<string, NodeResult>([["a@h1", { id: "a@h1", host: "h1", status: "changed", outputs: { value: "from-before" } }]]);
    const { status, h, data } = await run(g, harness(), { restore });
    expect(h.calls.get("a@h1")).toBeUndefined();
    expect(status).toEqual({ "a@h1": "changed", "b@h1": "changed" });
    expect(data.outputs.b.h1.value).toBe("from-before+from-before");
  });
});

describe("scheduler: dry run", () => {
  it("calls only check: would-change with message and diff; steps without check (read-only) run", async () => {
    const g = graph([node("f@h1", { want: "new", have: "old" }, { run: "t.file" }), node("same@h1", { want: "x", have: "x" }, { run: "t.file" }), node("facts@h1")]);
    const { results, h } = await run(g, harness(), { dryRun: true });
    expect(results.get("f@h1")).toMatchObject({ status: "changed", wouldChange: true, message: "would rewrite /etc/t.conf" });
    expect(results.get("f@h1")!.diff).toContain("+new");
    expect(h.calls.has("file:new")).toBe(false);
    expect(results.get("same@h1")!.status).toBe("ok");
    expect(results.get("facts@h1")!.status).toBe("changed");
  });
});
