// B1 engine overhead: 20 sshd hosts on loopback, 30 `echo` commands each (600
// commands). kubexm (30 chained `command` steps, on: all) against the raw ssh2
// floor and Ansible's `raw` module, measured side by side in one run.
import { ansibleAvailable, runAnsible } from "./support/ansible.js";
import { runKubexm, runKubexmInProcess, writeFarmConfig } from "./support/kubexm.js";
import { rawFloor } from "./support/raw-ssh2.js";
import { startFarm } from "./support/sshd-farm.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const HOSTS = Number(process.env.B1_HOSTS ?? 20);
const STEPS = Number(process.env.B1_STEPS ?? 30);
const ROUNDS = Number(process.env.B1_ROUNDS ?? 3);

function playbook(): string {
  const steps = Array.from({ length: STEPS }, (_, i) =>
    [`  - id: echo${i + 1}`, "    run: command", ...(i ? [`    needs: [echo${i}]`] : []), "    with:", `      cmd: "echo ${i + 1}"`].join("\n"),
  );
  return ["kind: Task", "name: b1", "on: all", "become: false", "steps:", ...steps, ""].join("\n");
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function b1(): Promise<Record<string, number>> {
  console.log(`\nB1 engine overhead: ${HOSTS} hosts x ${STEPS} commands, median of ${ROUNDS} rounds`);
  const farm = await startFarm(HOSTS);
  try {
    const cfg = writeFarmConfig(farm, "b1");
    const pb = join(farm.dir, "b1.yaml");
    writeFileSync(pb, playbook());
    await runKubexm(pb, cfg, farm.dir); // warm-up: records host keys (accept-new)
    const raw: number[] = [];
    const kx: number[] = [];
    const cli: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      raw.push(await rawFloor(farm, () => Array.from({ length: STEPS }, (_, i) => `echo ${i + 1}`)));
      kx.push(await runKubexmInProcess(pb, cfg, farm.dir));
      cli.push((await runKubexm(pb, cfg, farm.dir)).wallMs);
    }
    const out: Record<string, number> = { rawMs: median(raw), kubexmMs: median(kx), cliMs: median(cli) };
    console.log(`  raw ssh2 floor       ${out.rawMs.toFixed(0).padStart(7)} ms`);
    console.log(`  kubexm (engine)      ${out.kubexmMs.toFixed(0).padStart(7)} ms   ${(out.kubexmMs / out.rawMs).toFixed(2)}x the floor (target <= 1.5x): config, compile, connect, run`);
    console.log(`  kubexm (CLI process) ${out.cliMs.toFixed(0).padStart(7)} ms   ${(out.cliMs / out.rawMs).toFixed(2)}x the floor (adds Node start-up and module loading)`);
    if (ansibleAvailable()) {
      const tasks = Array.from({ length: STEPS }, (_, i) => ({ name: `echo${i + 1}`, raw: `echo ${i + 1}` }));
      out.ansibleMs = runAnsible(farm, tasks, "b1");
      console.log(`  ansible raw          ${out.ansibleMs.toFixed(0).padStart(7)} ms   kubexm is ${(out.ansibleMs / out.kubexmMs).toFixed(1)}x faster (target >= 8x)`);
    }
    return out;
  } finally {
    await farm.stop();
  }
}
