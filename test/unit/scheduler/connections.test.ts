// The scheduler over real connections: commands on the control machine that are
// cancelled or time out mid-command, and fake SSH hosts (ssh2 Server) that refuse
// channels or drop the connection: one-line failures naming the host, dependents
// blocked, independent branches finished, nothing hangs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../../../engine/connections/pool.js";
import type { HostRecord } from "../../../engine/types.js";
import { startFakeHost, type FakeHost } from "../../support/fake-host.js";
import { graph, harness, node, run } from "./harness.js";

describe("over the local connection", () => {
  it("a command's output becomes the node's outputs", async () => {
    const { data } = await run(graph([node("e@local", { cmd: "echo hello" }, { run: "t.exec" })]));
    expect(data.outputs.e.local).toEqual({ stdout: "hello" });
  });

  it("a failing command: failed with its exit code and stderr", async () => {
    const { results } = await run(graph([node("e@local", { cmd: "echo oops >&2; exit 3" }, { run: "t.exec" })]));
    expect(results.get("e@local")).toMatchObject({ status: "failed", error: { message: "exit 3", code: 3, stderr: "oops\n" } });
  });

  it("Ctrl-C mid-command: the command is killed, the node and its dependents are cancelled", async () => {
    const ac = new AbortController();
    const g = graph([node("s@local", { cmd: "sleep 30" }, { run: "t.exec" }), node("after@local", { cmd: "true" }, { run: "t.exec" })], [["s@local", "after@local"]]);
    const { status } = await run(g, harness(), { signal: ac.signal, reporter: { onNodeStart: () => setTimeout(() => ac.abort(), 100) } });
    expect(status).toEqual({ "s@local": "cancelled", "after@local": "cancelled" });
  });

  it("a timeout kills the command and fails the node", async () => {
    const { results } = await run(graph([node("s@local", { cmd: "sleep 30" }, { run: "t.exec", timeout: 200 })]));
    expect(results.get("s@local")).toMatchObject({ status: "failed", error: { message: "timed out after 200 ms" } });
  });
});

describe("over fake SSH hosts", () => {
  const hosts: FakeHost[] = [];
  const pools: ConnectionPool[] = [];
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.closeAll();
    for (const h of hosts.splice(0)) await h.close();
  });
  const pool = (port: number) => {
    const host: HostRecord = { name: "fake1", address: "127.0.0.1", internalAddress: ["127.0.0.1"], port, user: "root", arch: "amd64", labels: {}, roles: [], password: "fake-pw-9321" };
    const p = new ConnectionPool({ hosts: [host], knownHostsFile: join(mkdtempSync(join(tmpdir(), "kx-sched-")), "known_hosts") });
    pools.push(p);
    return p;
  };
  //  a@fake1 -> b@fake1      x@local -> y@local
  const g = () =>
    graph(
      [node("a@fake1", { cmd: "work" }, { run: "t.exec" }), node("b@fake1", { cmd: "more" }, { run: "t.exec" }), node("x@local", { cmd: "true" }, { run: "t.exec" }), node("y@local", { cmd: "true" }, { run: "t.exec" })],
      [["a@fake1", "b@fake1"], ["x@local", "y@local"]],
    );

  it("commands run over SSH", async () => {
    const h = await startFakeHost({ password: "fake-pw-9321", handler: (cmd) => ({ stdout: `did ${cmd}\n` }) });
    hosts.push(h);
    const p = pool(h.port);
    const { status, data } = await run(g(), harness(), { connect: (name) => p.get(name) });
    expect(status).toEqual({ "a@fake1": "changed", "b@fake1": "changed", "x@local": "changed", "y@local": "changed" });
    expect(data.outputs.a.fake1).toEqual({ stdout: "did work" });
  });

  it("a refused channel: failed with one line naming the host; dependents blocked; the other branch finishes", async () => {
    const h = await startFakeHost({ password: "fake-pw-9321", refuseChannels: true });
    hosts.push(h);
    const p = pool(h.port);
    const { status, results } = await run(g(), harness(), { connect: (name) => p.get(name) });
    expect(status).toEqual({ "a@fake1": "failed", "b@fake1": "blocked", "x@local": "changed", "y@local": "changed" });
    expect(results.get("a@fake1")!.error!.message).toMatch(/^fake1: cannot open a channel[^\n]*$/);
  });

  it("a connection dropped mid-command: failed naming the host, nothing hangs", async () => {
    const h = await startFakeHost({ password: "fake-pw-9321", handler: () => ({ delayMs: 60_000 }) });
    hosts.push(h);
    const p = pool(h.port);
    const { status, results } = await run(g(), harness(), { connect: (name) => p.get(name), reporter: { onNodeStart: (n) => n.host === "fake1" && setTimeout(() => h.dropAll(), 100) } });
    expect(status).toEqual({ "a@fake1": "failed", "b@fake1": "blocked", "x@local": "changed", "y@local": "changed" });
    expect(results.get("a@fake1")!.error!.message).toMatch(/^fake1: [^\n]*(dropped|reset|closed)/);
  });

  it("a host that cannot be reached: its nodes fail with the connect error", async () => {
    const h = await startFakeHost({ password: "another-password" });
    hosts.push(h);
    const p = pool(h.port);
    const { status, results } = await run(g(), harness(), { connect: (name) => p.get(name) });
    expect(status["a@fake1"]).toBe("failed");
    expect(results.get("a@fake1")!.error!.message).toMatch(/^fake1: authentication failed/);
    expect(results.get("a@fake1")!.error!.message).not.toContain("fake-pw-9321");
  });
});
