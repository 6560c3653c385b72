// A REAL OpenSSH sshd on 127.0.0.1 (a free port) for the integration tests, with
// a test user that has a plain shell (no rc files), a key AND a password, and sudo
// that asks for that password. Needs root (tests skip otherwise) and
// openssh-server + sudo (scripts/ensure-test-deps.sh installs them).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const TEST_USER = "kubexm-test";
export const TEST_PASSWORD = "kx-test-Pa55word";

export interface SshdHandle {
  host: "127.0.0.1";
  port: number;
  user: string;
  password: string;
  privateKeyPath: string;
  /** `[127.0.0.1]:port type key` */
  hostKeyLine: string;
  dir: string;
  stop(): Promise<void>;
}

export const canRunSshd = process.getuid?.() === 0 && existsSync("/usr/sbin/sshd") && existsSync("/usr/bin/sudo");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function ensureUser(): string {
  if (spawnSync("id", [TEST_USER]).status !== 0) {
    const r = spawnSync("useradd", ["--create-home", "--shell", "/bin/sh", TEST_USER]);
    if (r.status !== 0) throw new Error(`useradd: ${r.stderr}`);
  }
  spawnSync("chpasswd", [], { input: `${TEST_USER}:${TEST_PASSWORD}\n` });
  writeFileSync(`/etc/sudoers.d/${TEST_USER}`, `${TEST_USER} ALL=(ALL) ALL\nDefaults:${TEST_USER} !requiretty, timestamp_timeout=0\n`, { mode: 0o440 });
  return `/home/${TEST_USER}`;
}

export async function startSshd(): Promise<SshdHandle> {
  if (!canRunSshd) throw new Error("startSshd needs root, /usr/sbin/sshd and sudo");
  const dir = mkdtempSync(join(tmpdir(), "kubexm-sshd-"));
  const home = ensureUser();
  const privateKeyPath = join(dir, "id_ed25519");
  spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kubexm-test", "-f", privateKeyPath]);
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(home, ".ssh/authorized_keys"), readFileSync(`${privateKeyPath}.pub`));
  spawnSync("chown", ["-R", `${TEST_USER}:${TEST_USER}`, join(home, ".ssh")]);
  chmodSync(join(home, ".ssh"), 0o700);
  chmodSync(join(home, ".ssh/authorized_keys"), 0o600);
  const hostKey = join(dir, "ssh_host_ed25519_key");
  spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  mkdirSync("/run/sshd", { recursive: true });
  const port = await freePort();
  const conf = join(dir, "sshd_config");
  writeFileSync(
    conf,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "PasswordAuthentication yes",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin no",
      `AllowUsers ${TEST_USER}`,
      "MaxSessions 10",
      "UseDNS no",
      "PrintMotd no",
      "Subsystem sftp internal-sftp",
      "",
    ].join("\n"),
  );
  const proc: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", conf], { stdio: ["ignore", "ignore", "ignore"] });
  await waitPort(port);
  const [type, key] = readFileSync(`${hostKey}.pub`, "utf8").trim().split(" ");
  return {
    host: "127.0.0.1",
    port,
    user: TEST_USER,
    password: TEST_PASSWORD,
    privateKeyPath,
    hostKeyLine: `[127.0.0.1]:${port} ${type} ${key}`,
    dir,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await new Promise((r) => proc.once("exit", r));
      }
    },
  };
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: "127.0.0.1", port });
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}`);
}
