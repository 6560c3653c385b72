// The local demo without nspawn: three real sshd daemons on 127.0.0.2-4 (port 2222,
// a user with a plain shell and key login), a cluster config for them, and
// examples/demo run twice, then its graph.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startFarm } from "../bench/support/sshd-farm.js";

const repo = resolve(import.meta.dirname, "..");
const work = join(repo, ".kubexm-demo");
mkdirSync(work, { recursive: true });
// the demo's hosts are new machines with new host keys every time: forget the old ones
rmSync(join(work, ".kubexm/demo/known_hosts"), { force: true });
const farm = await startFarm(3);
const stop = () => farm.stop();
process.on("SIGINT", () => void stop().then(() => process.exit(130)));
try {
  const config = join(work, "cluster.yaml");
  writeFileSync(
    config,
    [
      "apiVersion: kubexm.mensylisir.io/v1alpha1",
      "kind: Cluster",
      "metadata: { name: demo }",
      "spec:",
      "  hosts:",
      ...farm.hosts.map((h, i) => `    - { name: node${i + 1}, address: ${h.address}, port: ${h.port}, user: ${farm.user}, privateKeyPath: "${farm.privateKeyPath}" }`),
      "  roleGroups: { etcd: [node1, node2, node3], master: [node1], worker: [node2, node3] }",
      "",
    ].join("\n"),
  );
  const kubexm = (args: string[]) => spawnSync(process.execPath, [join(repo, "bin/kubexm.js"), ...args], { cwd: work, stdio: "inherit" }).status;
  const site = join(repo, "examples/demo/site.yaml");
  console.log(`\n== kubexm demo: 3 sshd hosts on ${farm.hosts.map((h) => h.address).join(", ")} (port 2222)\n`);
  kubexm(["validate", site, "-f", config]);
  console.log("\n== first run: the hosts change\n");
  kubexm(["run", site, "-f", config, "--yes", "-e", "root=/var/tmp/kubexm-demo"]);
  console.log("\n== second run: nothing to change (idempotent)\n");
  kubexm(["run", site, "-f", config, "--yes", "-e", "root=/var/tmp/kubexm-demo"]);
  console.log("\n== the plan as Graphviz (kubexm graph --dot | dot -Tsvg)\n");
  const dot = spawnSync(process.execPath, [join(repo, "bin/kubexm.js"), "graph", site, "-f", config, "--dot"], { cwd: work }).stdout;
  writeFileSync(join(work, "plan.dot"), dot);
  try {
    execFileSync("dot", ["-Tsvg", "-o", join(work, "plan.svg"), join(work, "plan.dot")]);
    console.log(`wrote ${join(work, "plan.svg")}`);
  } catch {
    console.log(`wrote ${join(work, "plan.dot")} (install graphviz for the SVG)`);
  }
  console.log(`\nrun state: ${join(work, ".kubexm/demo/runs")}`);
} finally {
  await stop();
}
