// The SSH connection against a real OpenSSH sshd on loopback.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KnownHosts } from "../../../engine/connections/known-hosts.js";
import { SshConnection } from "../../../engine/connections/ssh.js";
import type { HostRecord } from "../../../engine/types.js";
import { canRunSshd, startSshd, type SshdHandle } from "../../support/sshd.js";

describe.skipIf(!canRunSshd)("ssh connection (real sshd)", () => {
  let sshd: SshdHandle;
  let dir: string;
  const host = (over: Partial<HostRecord> = {}): HostRecord => ({
    name: "node1",
    address: "127.0.0.1",
    internalAddress: ["127.0.0.1"],
    port: sshd.port,
    user: sshd.user,
    arch: "amd64",
    labels: {},
    roles: [],
    privateKeyPath: sshd.privateKeyPath,
    password: sshd.password,
    ...over,
  });
  const known = () => new KnownHosts(join(dir, "known_hosts"));

  beforeAll(async () => {
    sshd = await startSshd();
    dir = mkdtempSync(join(tmpdir(), "kubexm-ssh-"));
  });
  afterAll(async () => sshd?.stop());

  it("connects with a key, records the host key (accept-new), runs commands", async () => {
    const c = await SshConnection.connect(host({ password: undefined }), { knownHosts: known() });
    const r = await c.exec("echo hello; echo oops >&2; exit 3");
    expect(r).toMatchObject({ code: 3, stdout: "hello\n", stderr: "oops\n" });
    expect(readFileSync(join(dir, "known_hosts"), "utf8")).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519`);
    const many = await Promise.all(Array.from({ length: 30 }, (_, i) => c.exec(`echo ${i}`)));
    expect(many.map((m) => m.stdout.trim())).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    await c.close();
  });

  it("connects with a password, and sudo gets it only after its prompt", async () => {
    const c = await SshConnection.connect(host({ privateKeyPath: undefined }), { knownHosts: known() });
    const r = await c.exec("id -u", { sudo: true });
    expect(r.stdout.trim()).toBe("0");
    expect(r.stderr).not.toContain(sshd.password);
    const s = await c.exec("cat", { sudo: true, stdin: "through sudo" });
    expect(s.stdout).toBe("through sudo");
    await c.close();
  });

  it("a wrong sudo password fails clearly", async () => {
    const c = await SshConnection.connect(host({ becomePassword: "wrong-one" }), { knownHosts: known() });
    await expect(c.exec("id -u", { sudo: true })).rejects.toThrow("wrong password");
    await c.close();
  });

  it("a wrong SSH password is a one-line error naming the host", async () => {
    await expect(SshConnection.connect(host({ privateKeyPath: undefined, password: "nope-nope" }), { knownHosts: known() })).rejects.toThrow(
      /^node1: authentication failed for 127\.0\.0\.1:\d+ \(tried: password\)/,
    );
  });

  it("refuses a changed host key", async () => {
    const file = join(dir, "changed_known_hosts");
    writeFileSync(file, `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNvbWUta2V5LXRoYXQtaXMtbm90LXRoZS1yZWFsLW9uZQ\n`);
    await expect(SshConnection.connect(host(), { knownHosts: new KnownHosts(file) })).rejects.toThrow(/host key of \[127\.0\.0\.1\]:\d+ CHANGED/);
  });

  it("strict host keys refuse an unknown host", async () => {
    await expect(SshConnection.connect(host(), { knownHosts: new KnownHosts(join(dir, "empty"), "strict") })).rejects.toThrow(/unknown host key/);
  });

  it("a refused port is a one-line error", async () => {
    await expect(SshConnection.connect(host({ port: 9 }), { knownHosts: known() })).rejects.toThrow("node1: connection refused by 127.0.0.1:9");
  });

  it("put skips a file whose sha256 already matches; sudo writes root-owned files; readFile/stat", async () => {
    const c = await SshConnection.connect(host(), { knownHosts: known() });
    const dest = `/tmp/kubexm-put-${process.pid}/a.txt`;
    expect(await c.put(Buffer.from("one\n"), dest, { mode: "0640" })).toEqual({ changed: true });
    expect(await c.put(Buffer.from("one\n"), dest, { mode: "0640" })).toEqual({ changed: false });
    expect((await c.readFile(dest))!.toString()).toBe("one\n");
    expect(await c.stat(dest)).toMatchObject({ type: "file", size: 4, mode: 0o640 });
    expect(await c.readFile("/nope/nothing")).toBeNull();
    const root = `/tmp/kubexm-put-root-${process.pid}`;
    expect(await c.put(Buffer.from([0, 1, 2, 255]), root, { sudo: true, mode: "0600" })).toEqual({ changed: true });
    expect((await c.exec(`stat -c %U ${root}`)).stdout.trim()).toBe("root");
    expect([...(await c.readFile(root, { sudo: true }))!]).toEqual([0, 1, 2, 255]);
    await c.close();
  });

  it("timeouts and aborts end the command, nothing hangs", async () => {
    const c = await SshConnection.connect(host(), { knownHosts: known() });
    await expect(c.exec("sleep 30", { timeout: 300 })).rejects.toThrow("timed out after 300 ms");
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await expect(c.exec("sleep 30", { signal: ac.signal })).rejects.toThrow("cancelled");
    expect((await c.exec("echo still-usable")).stdout).toBe("still-usable\n");
    await c.close();
  });
});
