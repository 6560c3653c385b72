// A playbook of the generic steps against a real sshd (through sudo): the first
// run changes the host, the second reports no `changed` node; --dry-run after a
// local edit shows the diff and touches nothing; bad parameters are refused.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunSshd, startSshd, type SshdHandle } from "../../support/sshd.js";

const repo = resolve(import.meta.dirname, "../../..");
const playbook = join(repo, "test/fixtures/steps/generic.yaml");

function kubexm(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res) =>
    execFile(process.execPath, [join(repo, "bin/kubexm.js"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } }, (e, out, err) =>
      res({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
    ),
  );
}

function events(out: string) {
  return out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((e) => e.event === "node.end");
}

describe.skipIf(!canRunSshd)("generic steps against a real sshd", () => {
  let sshd: SshdHandle;
  let work: string;
  let server: Server;
  let mirror = "";
  const root = `/var/tmp/kubexm-steps-${process.pid}`;
  let args: string[] = [];

  beforeAll(async () => {
    sshd = await startSshd();
    work = mkdtempSync(join(tmpdir(), "kubexm-steps-"));
    // a release-style tarball served over real HTTP on loopback
    const src = join(work, "src/tool-1.0");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "run.sh"), "echo tool ran\n");
    execFileSync("tar", ["-czf", join(work, "tool-1.0.tar.gz"), "-C", join(work, "src"), "tool-1.0"]);
    const tgz = readFileSync(join(work, "tool-1.0.tar.gz"));
    const sum = createHash("sha256").update(tgz).digest("hex");
    server = createServer((req, res) => {
      if (req.url === "/tool-1.0.tar.gz") res.end(tgz);
      else if (req.url === "/tool-1.0.tar.gz.sha256") res.end(`${sum}  tool-1.0.tar.gz\n`);
      else (res.statusCode = 404), res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(
      join(work, "cluster.yaml"),
      `apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Cluster\nmetadata: { name: steps }\nspec:\n  hosts:\n    - { name: node1, address: 127.0.0.1, port: ${sshd.port}, user: ${sshd.user}, privateKeyPath: "${sshd.privateKeyPath}", password: "${sshd.password}" }\n  roleGroups: { etcd: [node1], master: [node1], worker: [node1] }\n`,
    );
    args = [playbook, "-f", "cluster.yaml", "--yes", "--log-format", "json", "-e", `root=${root}`, "-e", `mirror=${mirror}`, "-e", `cache=${join(work, "cache")}`, "-e", `sshPort=${sshd.port}`];
  });

  afterAll(async () => {
    execFileSync("rm", ["-rf", root]);
    await sshd?.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("first run: changes, as root through sudo with the password", async () => {
    const r = await kubexm(["run", ...args], work);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const byId = Object.fromEntries(events(r.out).map((e) => [e.id, e.status]));
    expect(byId).toMatchObject({
      "generic/artifact@local": "changed",
      "generic/dir@node1": "changed",
      "generic/put@node1": "changed",
      "generic/verify@node1": "ok",
      "generic/unpack@node1": "changed",
      "generic/conf@node1": "changed",
      "generic/once@node1": "changed",
      "generic/hosts@node1": "changed",
    });
    expect(readFileSync(`${root}/app/app.conf`, "utf8")).toBe("# managed by kubexm\nname = node1\nport = 8080\nos = debian\n");
    expect(readFileSync(`${root}/app/ran`, "utf8")).toBe("tool ran\n");
    expect(readFileSync(`${root}/app/settings`, "utf8")).toBe("debug = false\n# BEGIN KUBEXM MANAGED BLOCK\na = 1\nb = 2\n# END KUBEXM MANAGED BLOCK\n");
    expect(execFileSync("stat", ["-c", "%U %a", `${root}/app/app.conf`]).toString().trim()).toBe("root 640");
    expect(readFileSync(join(work, "cache/fetched/node1.conf"), "utf8")).toContain("name = node1");
  });

  it("second run: no changed node (idempotent)", async () => {
    const r = await kubexm(["run", ...args], work);
    expect(r.code).toBe(0);
    const changed = events(r.out).filter((e) => e.changed).map((e) => e.id);
    expect(changed).toEqual([]);
  });

  it("--dry-run shows what would change, with a diff, and touches nothing", async () => {
    execFileSync("sh", ["-c", `echo 'port = 9999' >> ${root}/app/app.conf`]);
    const before = readFileSync(`${root}/app/app.conf`, "utf8");
    const r = await kubexm(["run", ...args.filter((a) => a !== "json" && a !== "--log-format"), "--dry-run"], work);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/would change\s+generic\/conf@node1/);
    expect(r.out).toContain("-port = 9999");
    expect(readFileSync(`${root}/app/app.conf`, "utf8")).toBe(before);
  });

  it("secrets never reach the output or the run state", async () => {
    const runs = join(work, ".kubexm/steps/runs");
    const all = execFileSync("sh", ["-c", `cat ${runs}/*/*`]).toString();
    expect(all).not.toContain(sshd.password);
  });

  it("bad parameters are refused before anything runs, at file:line:col", async () => {
    writeFileSync(join(work, "bad.yaml"), "kind: Task\nname: bad\nsteps:\n  - id: f\n    run: file\n    with: { path: /x, state: folder }\n");
    const r = await kubexm(["run", "bad.yaml", "-f", "cluster.yaml"], work);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.yaml:6:30: error: file: state: must be one of "directory", "absent", "touch", "link"');
  });
});
