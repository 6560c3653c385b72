// Misbehaving hosts (in-process ssh2 Server): a refused channel and a connection
// dropped mid-command end as one-line failures naming the host; nothing hangs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../../../engine/connections/pool.js";
import type { HostRecord } from "../../../engine/types.js";
import { startFakeHost, type FakeHost } from "../../support/fake-host.js";

const hosts: FakeHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

function pool(port: number) {
  const host: HostRecord = { name: "fake1", address: "127.0.0.1", internalAddress: ["127.0.0.1"], port, user: "root", arch: "amd64", labels: {}, roles: [], password: "fake-pw" };
  return new ConnectionPool({ hosts: [host], knownHostsFile: join(mkdtempSync(join(tmpdir(), "kx-fake-")), "known_hosts") });
}

describe("fake hosts", () => {
  it("answers commands through the real SSH client code", async () => {
    const h = await startFakeHost({ password: "fake-pw", handler: (cmd) => ({ stdout: `ran ${cmd}\n`, code: 0 }) });
    hosts.push(h);
    const p = pool(h.port);
    const c = await p.get("fake1");
    expect(await c.exec("uptime")).toMatchObject({ code: 0, stdout: "ran uptime\n" });
    await p.closeAll();
  });

  it("a dropped connection fails the running command with a one-line message naming the host", async () => {
    const h = await startFakeHost({ password: "fake-pw", handler: () => ({ delayMs: 10_000 }) });
    hosts.push(h);
    const p = pool(h.port);
    const c = await p.get("fake1");
    setTimeout(() => h.dropAll(), 100);
    await expect(c.exec("sleep 10")).rejects.toThrow(/^fake1: .*(dropped|reset)/);
    await expect(c.exec("echo after")).rejects.toThrow(/^fake1: /); // later commands fail at once too
    await p.closeAll();
  });

  it("a refused channel is a one-line failure naming the host", async () => {
    const h = await startFakeHost({ password: "fake-pw", refuseChannels: true });
    hosts.push(h);
    const p = pool(h.port);
    const c = await p.get("fake1");
    await expect(c.exec("true")).rejects.toThrow(/^fake1: cannot open a channel/);
    await p.closeAll();
  });

  it("a wrong password names the host and the methods tried, never the password", async () => {
    const h = await startFakeHost({ password: "other-pw" });
    hosts.push(h);
    const err = await pool(h.port).get("fake1").catch((e: Error) => e);
    expect(String(err)).toMatch(/fake1: authentication failed for 127\.0\.0\.1:\d+ \(tried: password\)/);
    expect(String(err)).not.toContain("fake-pw");
  });
});
