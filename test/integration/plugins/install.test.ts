// The example plugin as a user gets it: `npm pack`, installed from the tarball into a
// fresh project with no network (npm's registry points at a closed loopback port),
// used by a playbook that runs against a real sshd, validated, then removed.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunSshd, startSshd, type SshdHandle } from "../../support/sshd.js";

const repo = resolve(import.meta.dirname, "../../..");
const kubexm = join(repo, "bin/kubexm.js");
const isRoot = canRunSshd;

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [kubexm, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_registry: "http://127.0.0.1:9/", npm_config_update_notifier: "false", NO_COLOR: "1" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** async: the webhook server lives in this process and must keep answering */
function cliAsync(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [kubexm, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } }, (e, out, err) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

describe.skipIf(!isRoot)("plugin from a tarball, offline, used against real sshd", () => {
  let work = "";
  let project = "";
  let tgz = "";
  let sshd: SshdHandle;
  const messages: string[] = [];
  const hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      messages.push(body);
      res.end("ok");
    });
  });
  let hookUrl = "";

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "kubexm-plugin-e2e-"));
    project = join(work, "project");
    mkdirSync(project);
    execFileSync("npm", ["pack", join(repo, "plugins/kubexm-plugin-webhook"), "--pack-destination", work], { stdio: "ignore" });
    tgz = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
    sshd = await startSshd();
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    writeFileSync(
      join(project, "cluster.yaml"),
      [
        "apiVersion: kubexm.mensylisir.io/v1alpha1",
        "kind: Cluster",
        "metadata: { name: plugintest }",
        "spec:",
        "  hosts:",
        `    - { name: node1, address: 127.0.0.1, port: ${sshd.port}, user: ${sshd.user}, privateKeyPath: "${sshd.privateKeyPath}" }`,
        "  roleGroups:",
        "    etcd: [node1]",
        "    master: [node1]",
        "    worker: [node1]",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(project, "notify.yaml"),
      [
        "kind: Task",
        "name: notify",
        "steps:",
        "  - id: uptime",
        "    run: command",
        "    on: all",
        "    become: false",
        "    with: { cmd: \"cat /proc/uptime\" }",
        "  - id: tell",
        "    run: webhook.notify",
        "    on: local",
        "    needs: [uptime]",
        "    with:",
        "      url: ${{ vars.hook }}",
        "      text: \"node1 answered\"",
        "",
      ].join("\n"),
    );
  });

  afterAll(async () => {
    await sshd?.stop();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it("installs from the tarball without network and records it", () => {
    const r = cli(["plugin", "install", tgz, "--offline"], project);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("installed kubexm-plugin-webhook@1.0.0 (steps: webhook.notify)");
    const rc = JSON.parse(readFileSync(join(project, ".kubexmrc.json"), "utf8"));
    expect(rc.plugins[0]).toMatchObject({ package: "kubexm-plugin-webhook", version: "1.0.0" });
    expect(readdirSync(join(project, ".kubexm/plugins"))).toContain("package-lock.json");
  });

  it("lists the plugin and shows where its step comes from", () => {
    expect(cli(["plugin", "list"], project).out).toContain("webhook.notify");
    const steps = cli(["steps", "list"], project);
    expect(steps.code).toBe(0);
    expect(steps.out).toMatch(/webhook\.notify.*kubexm-plugin-webhook/);
  });

  it("validates the plugin step's with: against its schema, at file:line:col", () => {
    writeFileSync(join(project, "bad.yaml"), readFileSync(join(project, "notify.yaml"), "utf8").replace("text:", "txt:"));
    const r = cli(["validate", "bad.yaml"], project);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:15:7: error: .*unknown parameter "txt"/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("runs a playbook using the plugin against the real sshd", async () => {
    const r = await cliAsync(["run", "notify.yaml", "-f", "cluster.yaml", "-e", `hook=${hookUrl}`, "--yes"], project);
    expect(r.err + r.out).not.toContain(hookUrl); // the url is a secret parameter
    expect(r.code).toBe(0);
    expect(messages.map((m) => JSON.parse(m))).toEqual([{ text: "node1 answered" }]);
  });

  it("removes it", () => {
    expect(cli(["plugin", "remove", "kubexm-plugin-webhook"], project).code).toBe(0);
    expect(cli(["plugin", "list"], project).out).toContain("no plugins installed");
    expect(cli(["steps", "list"], project).out).not.toContain("webhook.notify");
  });
});
