// N real OpenSSH sshd processes on loopback addresses 127.0.0.{2..N+1}, port 2222,
// for the benchmarks. A dedicated user with a plain shell (/bin/sh, no rc files):
// root's bash runs `pyenv init` per command here, which would swamp the figures.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BENCH_USER = "kubexm-bench";
export const PORT = 2222;

export interface Farm {
  hosts: { name: string; address: string; port: number }[];
  user: string;
  privateKeyPath: string;
  dir: string;
  stop(): Promise<void>;
}

export function ensurePackages(pkgs: Record<string, string>): void {
  const missing = Object.entries(pkgs).filter(([bin]) => !existsSync(bin)).map(([, pkg]) => pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`the benchmarks need ${missing.join(", ")} (run as root to install them)`);
  console.log(`installing ${missing.join(" ")} from Debian...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const r = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed`);
}

function ensureUser(): string {
  if (spawnSync("id", [BENCH_USER]).status !== 0) {
    const r = spawnSync("useradd", ["--create-home", "--shell", "/bin/sh", BENCH_USER]);
    if (r.status !== 0) throw new Error(`useradd ${BENCH_USER} failed: ${r.stderr}`);
  }
  // an unlocked account with no password: key auth only ("*" would lock it for sshd)
  spawnSync("usermod", ["-p", "*NP*", "--shell", "/bin/sh", BENCH_USER]);
  return `/home/${BENCH_USER}`;
}

export async function startFarm(count: number): Promise<Farm> {
  ensurePackages({ "/usr/sbin/sshd": "openssh-server" });
  const dir = mkdtempSync(join(tmpdir(), "kubexm-bench-farm-"));
  const home = ensureUser();
  const privateKeyPath = join(dir, "id_ed25519");
  spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kubexm-bench", "-f", privateKeyPath]);
  const pubLine = readFileSync(`${privateKeyPath}.pub`, "utf8").trim();
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(home, ".ssh/authorized_keys"), pubLine + "\n");
  spawnSync("chown", ["-R", `${BENCH_USER}:${BENCH_USER}`, join(home, ".ssh")]);
  chmodSync(join(home, ".ssh"), 0o700);
  chmodSync(join(home, ".ssh/authorized_keys"), 0o600);
  mkdirSync("/run/sshd", { recursive: true });
  const hostKey = join(dir, "ssh_host_ed25519_key");
  spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);

  const procs: ChildProcess[] = [];
  const hosts: Farm["hosts"] = [];
  for (let i = 0; i < count; i++) {
    const address = `127.0.0.${i + 2}`;
    const conf = join(dir, `sshd_${i}.conf`);
    writeFileSync(
      conf,
      [
        `ListenAddress ${address}:${PORT}`,
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, `sshd_${i}.pid`)}`,
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "PermitRootLogin no",
        `AllowUsers ${BENCH_USER}`,
        "MaxSessions 10",
        "MaxStartups 100:30:200",
        "UseDNS no",
        "PrintMotd no",
        "Subsystem sftp internal-sftp",
        "",
      ].join("\n"),
    );
    procs.push(spawn("/usr/sbin/sshd", ["-D", "-e", "-f", conf], { stdio: ["ignore", "ignore", "pipe"] }));
    hosts.push({ name: `bench${String(i + 1).padStart(2, "0")}`, address, port: PORT });
  }
  await Promise.all(hosts.map((h) => waitPort(h.address, h.port, 10_000)));
  return {
    hosts,
    user: BENCH_USER,
    privateKeyPath,
    dir,
    async stop() {
      for (const p of procs) p.kill("SIGTERM");
      await Promise.all(procs.map((p) => (p.exitCode !== null ? undefined : new Promise((r) => p.once("exit", r)))));
    },
  };
}

async function waitPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port });
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd on ${host}:${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
