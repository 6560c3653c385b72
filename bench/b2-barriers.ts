// B2 no barriers: 8 hosts x 10 chained steps; host i sleeps 0.3 s at step i only.
// A per-host DAG finishes in about one sleep; a linear strategy (a barrier after
// every task across hosts, as Ansible, KubeKey and k0sctl do) pays eight.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ansibleAvailable, runAnsible } from "./support/ansible.js";
import { runKubexm, runKubexmInProcess, writeFarmConfig } from "./support/kubexm.js";
import { rawFloor } from "./support/raw-ssh2.js";
import { startFarm } from "./support/sshd-farm.js";

const HOSTS = 8;
const STEPS = 10;
const SLEEP = 0.3;

function playbook(): string {
  const steps = Array.from({ length: STEPS }, (_, i) => {
    const k = i + 1;
    return [
      `  - id: s${k}`,
      "    run: command",
      ...(i ? [`    needs: [s${i}]`] : []),
      "    with:",
      `      cmd: "\${{ host.name = 'bench${String(k).padStart(2, "0")}' ? 'sleep ${SLEEP}' : 'true' }}"`,
    ].join("\n");
  });
  return ["kind: Task", "name: b2", "on: all", "become: false", "steps:", ...steps, ""].join("\n");
}

export async function b2(): Promise<Record<string, number>> {
  console.log(`\nB2 no barriers: ${HOSTS} hosts x ${STEPS} steps, host i sleeps ${SLEEP}s at step i`);
  const farm = await startFarm(HOSTS);
  try {
    const cfg = writeFarmConfig(farm, "b2");
    const pb = join(farm.dir, "b2.yaml");
    writeFileSync(pb, playbook());
    await runKubexm(pb, cfg, farm.dir); // warm-up (host keys)
    const cmds = (i: number) => Array.from({ length: STEPS }, (_, k) => (k === i ? `sleep ${SLEEP}` : "true"));
    const out: Record<string, number> = {};
    out.floorMs = await rawFloor(farm, cmds);
    out.kubexmMs = await runKubexmInProcess(pb, cfg, farm.dir);
    const one = SLEEP * 1000;
    console.log(`  one sleep            ${one.toFixed(0).padStart(7)} ms`);
    console.log(`  raw ssh2, per host   ${out.floorMs.toFixed(0).padStart(7)} ms`);
    console.log(`  kubexm               ${out.kubexmMs.toFixed(0).padStart(7)} ms   sleeps paid: ${((out.kubexmMs - (out.floorMs - one)) / one).toFixed(2)} (target ~1, not ${HOSTS})`);
    if (ansibleAvailable()) {
      const tasks = Array.from({ length: STEPS }, (_, k) => ({
        name: `s${k + 1}`,
        raw: `{{ 'sleep ${SLEEP}' if inventory_hostname == 'bench${String(k + 1).padStart(2, "0")}' else 'true' }}`,
      }));
      out.ansibleLinearMs = runAnsible(farm, tasks, "b2");
      console.log(`  ansible (linear)     ${out.ansibleLinearMs.toFixed(0).padStart(7)} ms   (a barrier after every task)`);
    }
    return out;
  } finally {
    await farm.stop();
  }
}
