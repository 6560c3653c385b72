// etcd-health against a real 3-member etcd cluster on loopback, over TLS with
// certificates made by pki-ca / pki-cert. Uses Debian's etcd 3.4 binaries from
// PATH or /var/cache/kubexm-test/etcd-root (apt-get download etcd-server
// etcd-client; dpkg -x); skipped with a message when neither is there.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import etcdHealth, { parseHealth, parseMembers, parseStatus } from "../../../steps/etcd-health.js";
import pkiCa from "../../../steps/pki-ca.js";
import pkiCert from "../../../steps/pki-cert.js";
import { localContext, tempDir } from "./local-context.js";

const CACHE = "/var/cache/kubexm-test/etcd-root/usr/bin";
const bin = (name: string) => (existsSync(join(CACHE, name)) ? join(CACHE, name) : ["/usr/bin", "/usr/local/bin"].map((d) => join(d, name)).find(existsSync));
const etcd = bin("etcd");
const etcdctl = bin("etcdctl");
if (!etcd || !etcdctl) console.warn("etcd-health.test: no etcd/etcdctl binaries (apt-get download etcd-server etcd-client; dpkg -x into /var/cache/kubexm-test/etcd-root): skipped");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!etcd || !etcdctl)("etcd-health on a real TLS etcd cluster", () => {
  const dir = tempDir("kubexm-etcd-");
  const ctx = localContext(dir);
  const certs = join(dir, "certs");
  const procs = new Map<string, ChildProcess>();
  const members: { name: string; client: number; peer: number }[] = [];
  let params: Record<string, unknown>;

  beforeAll(async () => {
    await pkiCa.run(ctx, { dir: certs, cn: "etcd-ca" });
    for (const name of ["e1", "e2", "e3"]) {
      members.push({ name, client: await freePort(), peer: await freePort() });
      const sans = [name, "localhost", "127.0.0.1", "::1"];
      await pkiCert.run(ctx, { caDir: certs, name: `member-${name}`, cn: name, usages: "peer", sans });
    }
    await pkiCert.run(ctx, { caDir: certs, name: "admin", cn: "etcd-admin", usages: "client" });
    const initial = members.map((m) => `${m.name}=https://127.0.0.1:${m.peer}`).join(",");
    for (const m of members) {
      const c = join(certs, `member-${m.name}`);
      const p = spawn(etcd!, [
        `--name=${m.name}`,
        `--data-dir=${join(dir, m.name)}`,
        `--listen-client-urls=https://127.0.0.1:${m.client}`,
        `--advertise-client-urls=https://127.0.0.1:${m.client}`,
        `--listen-peer-urls=https://127.0.0.1:${m.peer}`,
        `--initial-advertise-peer-urls=https://127.0.0.1:${m.peer}`,
        `--initial-cluster=${initial}`,
        "--initial-cluster-state=new",
        "--initial-cluster-token=kubexm-test",
        `--cert-file=${c}.crt`, `--key-file=${c}.key`, `--trusted-ca-file=${certs}/ca.crt`, "--client-cert-auth",
        `--peer-cert-file=${c}.crt`, `--peer-key-file=${c}.key`, `--peer-trusted-ca-file=${certs}/ca.crt`, "--peer-client-cert-auth",
        "--log-level=error",
      ], { stdio: "ignore" });
      procs.set(m.name, p);
    }
    params = {
      endpoints: `https://127.0.0.1:${members[0].client}`,
      cacert: join(certs, "ca.crt"),
      cert: join(certs, "admin.crt"),
      key: join(certs, "admin.key"),
      etcdctl,
      expectMembers: 3,
    };
    // wait for the cluster to form: the step itself, retried as a playbook would
    for (let i = 0; ; i++) {
      try {
        await etcdHealth.run(ctx, params);
        break;
      } catch (e) {
        if (i > 60) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }, 60_000);

  afterAll(() => {
    for (const p of procs.values()) if (p.exitCode === null) p.kill("SIGTERM");
  });

  it("reports every member healthy, with names, URLs and a leader", async () => {
    const r = await etcdHealth.run(ctx, params);
    expect(r.changed).toBe(false);
    const o = r.outputs as any;
    expect(o.healthy).toBe(true);
    expect(o.memberNames).toEqual(["e1", "e2", "e3"]);
    expect(o.endpoints.map((e: any) => e.endpoint).sort()).toEqual(members.map((m) => `https://127.0.0.1:${m.client}`).sort());
    expect(o.members[0]).toMatchObject({ name: "e1", peerURLs: [`https://127.0.0.1:${members[0].peer}`], isLearner: false });
    expect(o.members[0].id).toMatch(/^[0-9a-f]+$/);
    expect(o.status).toHaveLength(3);
    expect(o.status.filter((s: any) => s.isLeader)).toHaveLength(1);
    expect(o.leader).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("a dry run does not probe etcd", async () => {
    const dry = { ...ctx, dryRun: true };
    expect(await etcdHealth.check!(dry, params)).toEqual({ done: false, message: "would check etcd health" });
  });

  it("fails on a wrong member count", async () => {
    await expect(etcdHealth.run(ctx, { ...params, expectMembers: 5 })).rejects.toThrow(/etcd has 3 member\(s\) \(e1, e2, e3\), want 5/);
  });

  it("fails without a client certificate the CA signed", async () => {
    await pkiCa.run(ctx, { dir: join(dir, "other"), cn: "other-ca" });
    await pkiCert.run(ctx, { caDir: join(dir, "other"), name: "admin", cn: "intruder", usages: "client" });
    await expect(etcdHealth.run(ctx, { ...params, cert: join(dir, "other/admin.crt"), key: join(dir, "other/admin.key"), commandTimeoutSeconds: 2 })).rejects.toThrow(/etcd unhealthy|failed/);
  }, 30_000);

  it("names the member that is down", async () => {
    const p = procs.get("e3")!;
    await new Promise<void>((r) => (p.once("exit", () => r()), p.kill("SIGTERM")));
    await expect(etcdHealth.run(ctx, { ...params, commandTimeoutSeconds: 2 })).rejects.toThrow(new RegExp(`etcd unhealthy: https://127\\.0\\.0\\.1:${members[2].client} \\(`));
  }, 30_000);
});

describe("etcdctl output parsing (etcd 3.4 / 3.5 shapes)", () => {
  it("health: log lines around the JSON are ignored; errors kept", () => {
    const out = `{"level":"warn","msg":"retrying"}\n[{"endpoint":"https://b:2379","health":false,"took":"5s","error":"context deadline exceeded"},{"endpoint":"https://a:2379","health":true,"took":"1ms"}]\n`;
    expect(parseHealth(out)).toEqual([
      { endpoint: "https://a:2379", health: true, took: "1ms" },
      { endpoint: "https://b:2379", health: false, took: "5s", error: "context deadline exceeded" },
    ]);
  });
  it("members: uint64 ids stay exact (hex)", () => {
    const out = `{"header":{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"raft_term":2},"members":[{"ID":10276657743932975437,"name":"n1","peerURLs":["https://10.0.0.1:2380"],"clientURLs":["https://10.0.0.1:2379"]}]}`;
    expect(parseMembers(out)).toEqual([{ id: "8e9e05c52164694d", name: "n1", peerURLs: ["https://10.0.0.1:2380"], clientURLs: ["https://10.0.0.1:2379"], isLearner: false }]);
  });
  it("status: the leader is the endpoint whose member id is the leader id", () => {
    const out = `[{"Endpoint":"https://a:2379","Status":{"header":{"member_id":10276657743932975437,"raft_term":3},"version":"3.5.21","dbSize":20480,"leader":10276657743932975437,"raftTerm":3}},{"Endpoint":"https://b:2379","Status":{"header":{"member_id":1,"raft_term":3},"version":"3.5.21","dbSize":20480,"leader":10276657743932975437,"raftTerm":3}}]`;
    expect(parseStatus(out)).toEqual([
      { endpoint: "https://a:2379", version: "3.5.21", dbSize: 20480, leader: "8e9e05c52164694d", isLeader: true, raftTerm: 3 },
      { endpoint: "https://b:2379", version: "3.5.21", dbSize: 20480, leader: "8e9e05c52164694d", isLeader: false, raftTerm: 3 },
    ]);
  });
});
