// The Ansible baseline: ansible-core from Debian, forks = hosts, pipelining,
// ControlPersist, the host keys of the farm in a known_hosts file of its own.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensurePackages, type Farm } from "./sshd-farm.js";

export interface AnsibleTask {
  name: string;
  /** raw command, may use {{ inventory_hostname }} */
  raw: string;
}

export function ansibleAvailable(): boolean {
  try {
    ensurePackages({ "/usr/bin/ansible-playbook": "ansible-core" });
    return true;
  } catch (e) {
    console.log(`  (Ansible baseline skipped: ${(e as Error).message})`);
    return false;
  }
}

/** Writes the inventory/config/playbook and returns the wall time of ansible-playbook in ms. */
export function runAnsible(farm: Farm, tasks: AnsibleTask[], label: string): number {
  const dir = farm.dir;
  const hostKey = readFileSync(join(dir, "ssh_host_ed25519_key.pub"), "utf8").trim().split(" ").slice(0, 2).join(" ");
  writeFileSync(join(dir, "known_hosts"), farm.hosts.map((h) => `[${h.address}]:${h.port} ${hostKey}`).join("\n") + "\n");
  writeFileSync(
    join(dir, "inventory.ini"),
    "[bench]\n" + farm.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`).join("\n") + "\n",
  );
  writeFileSync(
    join(dir, "ansible.cfg"),
    [
      "[defaults]",
      `forks = ${farm.hosts.length}`,
      "gathering = explicit",
      "host_key_checking = True",
      "interpreter_python = /usr/bin/python3",
      "stdout_callback = minimal",
      "[ssh_connection]",
      "pipelining = True",
      `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${join(dir, "known_hosts")}`,
      "",
    ].join("\n"),
  );
  const play = [
    "- hosts: bench",
    `  remote_user: ${farm.user}`,
    "  gather_facts: false",
    "  tasks:",
    ...tasks.flatMap((t) => [`    - name: ${JSON.stringify(t.name)}`, `      raw: ${JSON.stringify(t.raw)}`]),
    "",
  ].join("\n");
  writeFileSync(join(dir, `${label}.yml`), play);
  const t0 = performance.now();
  const r = spawnSync("ansible-playbook", ["-i", join(dir, "inventory.ini"), "--private-key", farm.privateKeyPath, join(dir, `${label}.yml`)], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ANSIBLE_CONFIG: join(dir, "ansible.cfg"), HOME: dir },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`ansible-playbook failed: ${(r.stdout + r.stderr).slice(-800)}`);
  return ms;
}
