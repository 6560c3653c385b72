// The first real slice end to end: three Debian machines (systemd-nspawn, real
// sshd and systemd) booted by the test bed, etcd release tarballs built from
// Debian's packages and served by a local HTTP mirror on the bridge, and
// `kubexm run playbooks/create-cluster.yaml --tags os,etcd` preparing the OS
// (hostname, /etc/hosts, time zone, swap) and creating a TLS etcd
// cluster. Checked from the control machine with etcdctl and the client cert.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM scripts without types
import { buildEtcd, ARTIFACTS } from "../../scripts/build-artifacts.mjs";
// @ts-expect-error plain ESM scripts without types
import { startMirror } from "../../scripts/mirror.mjs";
// @ts-expect-error plain ESM scripts without types
import { down, GATEWAY, up, writeClusterConfig } from "../../scripts/testbed.mjs";

const repo = resolve(import.meta.dirname, "../..");
const canBoot = process.getuid?.() === 0 && process.platform === "linux";
const timings: Record<string, number> = {};

type Ev = { event: string; id: string; host: string; status: string; changed: boolean; wouldChange: boolean };

function kubexm(args: string[], cwd: string): Promise<{ code: number; out: string; err: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((res) =>
    execFile(process.execPath, [join(repo, "bin/kubexm.js"), ...args], { cwd, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } }, (e, out, err) =>
      res({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err, ms: Date.now() - t0 }),
    ),
  );
}
/** the failed nodes with their errors, for assertion messages */
const failures = (out: string) =>
  out.split("\n").filter((l) => l.includes('"status":"failed"')).join("\n") || out.slice(-2000);
const ends = (out: string): Ev[] => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((e: Ev) => e.event === "node.end");

describe.skipIf(!canBoot)("etcd slice on three real machines", () => {
  let tb: { hosts: { name: string; address: string }[]; key: string; bootMs: number };
  let mirror: { url: string; stop(): Promise<void> };
  let work: string;
  let cfg: string;
  const run = (extra: string[] = []) => kubexm(["run", join(repo, "playbooks/create-cluster.yaml"), "-f", cfg, "--tags", "os,etcd", "--yes", "--log-format", "json", ...extra], work);
  const ssh = (host: string, cmd: string) =>
    execFileSync("ssh", ["-i", tb.key, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", `root@${host}`, cmd]).toString();
  const etcdctl = (...args: string[]) => {
    const certs = join(work, ".kubexm/testbed/certs/etcd");
    const eps = tb.hosts.map((h) => `https://${h.address}:2379`).join(",");
    return execFileSync(join(ARTIFACTS, "etcd-bin/etcdctl"), [`--endpoints=${eps}`, `--cacert=${certs}/ca.crt`, `--cert=${certs}/admin-node1.crt`, `--key=${certs}/admin-node1.key`, ...args], {
      env: { ...process.env, ETCDCTL_API: "3" },
    }).toString();
  };

  beforeAll(async () => {
    tb = await up({ hosts: 3, fresh: true });
    timings.bootMs = tb.bootMs;
    const etcd = buildEtcd();
    // the control machine's own etcdctl, from the same tarball
    execFileSync("sh", ["-c", `mkdir -p ${ARTIFACTS}/etcd-bin && tar -xzf ${etcd.file} -C ${ARTIFACTS}/etcd-bin --strip-components=1`]);
    mirror = await startMirror({ root: ARTIFACTS, host: GATEWAY, port: 0 });
    work = mkdtempSync(join(tmpdir(), "kubexm-e2e-"));
    cfg = writeClusterConfig(tb.hosts, tb.key, { file: join(work, "cluster.yaml"), mirror: mirror.url, etcdVersion: etcd.version });
  }, 900_000);

  afterAll(async () => {
    await mirror?.stop();
    if (canBoot) down();
    console.log(`e2e timings: ${JSON.stringify(timings)}`);
  });

  it("creates a healthy 3-member TLS etcd cluster; a written key reads back", async () => {
    const r = await run();
    timings.firstRunMs = r.ms;
    expect(r.err).toBe("");
    expect(r.code, failures(r.out)).toBe(0);
    const health = etcdctl("endpoint", "health", "-w", "json");
    expect(JSON.parse(health).filter((h: { health: boolean }) => h.health)).toHaveLength(3);
    const names = etcdctl("member", "list").trim().split("\n").map((l) => l.split(", ")[2]).sort();
    expect(names).toEqual(["node1", "node2", "node3"]);
    etcdctl("put", "kubexm-e2e", "hello");
    expect(etcdctl("get", "kubexm-e2e", "--print-value-only").trim()).toBe("hello");
  });

  it("a second run changes nothing", async () => {
    const r = await run();
    timings.secondRunMs = r.ms;
    expect(r.code).toBe(0);
    expect(ends(r.out).filter((e) => e.changed).map((e) => e.id)).toEqual([]);
  });

  it("--dry-run touches nothing", async () => {
    ssh(tb.hosts[2].address, "systemctl stop etcd");
    const before = ssh(tb.hosts[2].address, "stat -c %Y /etc/etcd/etcd.conf.yml");
    const r = await run(["--dry-run"]);
    expect(r.code).toBe(0);
    const would = ends(r.out).filter((e) => e.wouldChange).map((e) => e.id);
    expect(would).toContain("etcd/install/service@node3");
    expect(ends(r.out).filter((e) => e.changed && !e.wouldChange)).toEqual([]);
    expect(ssh(tb.hosts[2].address, "systemctl is-active etcd || true").trim()).toBe("inactive");
    expect(ssh(tb.hosts[2].address, "stat -c %Y /etc/etcd/etcd.conf.yml")).toBe(before);
  });

  it("a stopped member is repaired, and only that host changes", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    const changed = ends(r.out).filter((e) => e.changed);
    expect(changed.map((e) => e.id)).toEqual(["etcd/install/service@node3"]);
    expect(ssh(tb.hosts[2].address, "systemctl is-active etcd").trim()).toBe("active");
  });

  it("a wrong SSH password fails with a clear message naming the host", async () => {
    const bad = join(work, "bad.yaml");
    writeFileSync(bad, `apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Cluster\nmetadata: { name: bad }\nspec:\n  hosts:\n    - { name: node1, address: ${tb.hosts[0].address}, password: "not-the-password" }\n  roleGroups: { etcd: [node1] }\n`);
    writeFileSync(join(work, "ping.yaml"), "kind: Task\nname: ping\nsteps:\n  - { id: ping, run: command, on: all, with: { cmd: \"true\" } }\n");
    const r = await kubexm(["run", "ping.yaml", "-f", bad], work);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/node1: authentication failed for 10\.213\.0\.11:22 \(tried: password\)/);
    expect(r.out + r.err).not.toContain("not-the-password");
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
