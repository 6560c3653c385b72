// Runs kubexm on the farm: the CLI as a user runs it (one process per run), timed
// from spawn to exit, so start-up, compile, connect and run are all counted.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Farm } from "./sshd-farm.js";

const repo = resolve(import.meta.dirname, "../..");

export function writeFarmConfig(farm: Farm, name: string): string {
  const file = join(farm.dir, `${name}-cluster.yaml`);
  const hosts = farm.hosts.map(
    (h) => `    - { name: ${h.name}, address: ${h.address}, port: ${h.port}, user: ${farm.user}, privateKeyPath: "${farm.privateKeyPath}" }`,
  );
  const names = farm.hosts.map((h) => h.name);
  writeFileSync(
    file,
    [
      "apiVersion: kubexm.mensylisir.io/v1alpha1",
      "kind: Cluster",
      `metadata: { name: ${name} }`,
      "spec:",
      "  hosts:",
      ...hosts,
      "  roleGroups:",
      `    etcd: [${names[0]}]`,
      `    master: [${names[0]}]`,
      `    worker: [${names.join(", ")}]`,
      "",
    ].join("\n"),
  );
  return file;
}

export async function runKubexm(playbook: string, config: string, cwd: string, extra: string[] = []): Promise<{ wallMs: number; out: string }> {
  const t0 = performance.now();
  const args = [join(repo, "bin/kubexm.js"), "run", playbook, "-f", config, "--yes", "--concurrency", "64", "--log-format", "json", ...extra];
  const { code, out } = await new Promise<{ code: number | null; out: string }>((res) => {
    const p = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (c) => res({ code: c, out }));
  });
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`kubexm run failed (exit ${code}):\n${out.slice(-1500)}`);
  return { wallMs, out };
}

/** In-process: what the engine adds (config, compile, connect, schedule, run), without Node's start-up. */
export async function runKubexmInProcess(playbook: string, config: string, cwd: string): Promise<number> {
  const { runPlaybook } = await import("../../engine/run.js");
  const { Writable } = await import("node:stream");
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const t0 = performance.now();
  const code = await runPlaybook({ playbook, config, workdir: cwd, yes: true, concurrency: 64, out: sink });
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`kubexm run failed (exit ${code})`);
  return ms;
}
