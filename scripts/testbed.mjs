#!/usr/bin/env node
// The project's test bed: real Debian machines (systemd + sshd) on one Linux host,
// booted with systemd-nspawn on a private bridge (kxbr0, 10.213.0.0/24, no route
// out: an air-gapped site). Needs root.
//
//   npm run testbed -- up [--hosts 3] [--fresh]   boot (or reuse) node1..N, wait for SSH, write a cluster config
//   npm run testbed -- status                     hosts, PIDs, addresses, reachability
//   npm run testbed -- down                       stop exactly the machines it started, remove their overlays
//
// KUBEXM_TESTBED=<0-9> picks an independent test bed (default 0): bridge kxbr<k>,
// network 10.213.<k>.0/24, machines kx<k>-node<i> (kx-node<i> for 0), state in
// /var/lib/kubexm-testbed[/<k>]. Several can run at once on one machine; the base
// image and the artifact cache are shared.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

export const BED = testbedIndex(process.env.KUBEXM_TESTBED);
export const BRIDGE = `kxbr${BED}`;
export const GATEWAY = `10.213.${BED}.1`;
export const CACHE = "/var/cache/kubexm-testbed";
export const STATE_DIR = BED === 0 ? "/var/lib/kubexm-testbed" : `/var/lib/kubexm-testbed/${BED}`;
const MACHINE_PREFIX = BED === 0 ? "kx-" : `kx${BED}-`;
const STATE = join(STATE_DIR, "state.json");
const PACKAGES = ["systemd", "systemd-sysv", "dbus", "openssh-server", "iproute2", "procps", "sudo", "ca-certificates", "curl", "tar", "gzip", "iputils-ping", "less"];

const log = (m) => process.stderr.write(`testbed: ${m}\n`);
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts }).toString();

function testbedIndex(v) {
  if (v === undefined || v === "") return 0;
  if (!/^[0-9]$/.test(v)) throw new Error(`KUBEXM_TESTBED must be a digit 0-9 (got "${v}")`);
  return Number(v);
}

export function address(i) {
  return `10.213.${BED}.${10 + i}`;
}

function requireRoot() {
  if (process.platform !== "linux" || process.getuid?.() !== 0) {
    throw new Error("the test bed needs Linux and root (systemd-nspawn, a bridge, debootstrap)");
  }
}

function ensurePackages() {
  const need = [["/usr/sbin/debootstrap", "debootstrap"], ["/usr/bin/systemd-nspawn", "systemd-container"], ["/usr/sbin/ip", "iproute2"], ["/usr/bin/ssh", "openssh-client"]]
    .filter(([bin]) => !existsSync(bin))
    .map(([, p]) => p);
  if (!need.length) return;
  log(`installing ${need.join(" ")} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const r = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...need], { stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`apt-get install ${need.join(" ")} failed`);
}

function mirror() {
  for (const f of ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"]) {
    if (!existsSync(f)) continue;
    const m = /(?:URIs:|deb)\s+(https?:\/\/\S+\/debian)\b/.exec(readFileSync(f, "utf8"));
    if (m) return m[1];
  }
  return "http://deb.debian.org/debian";
}

/** The base root file system, built once per package list and cached. */
export function ensureBase() {
  const hash = createHash("sha256").update(PACKAGES.join(",")).digest("hex").slice(0, 12);
  const base = join(CACHE, `base-${hash}`);
  if (existsSync(join(base, ".complete"))) return base;
  mkdirSync(CACHE, { recursive: true });
  // one builder at a time: another test bed may be building the same image
  const lock = `${base}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), `${process.pid}\n`);
      break;
    } catch {
      const holder = Number(readFileSync(join(lock, "pid"), "utf8").trim() || 0);
      if (holder && !pidAlive(holder)) rmSync(lock, { recursive: true, force: true });
      else spawnSync("sleep", ["2"]);
      if (existsSync(join(base, ".complete"))) return base;
    }
  }
  try {
    return buildBase(base);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function buildBase(base) {
  if (existsSync(join(base, ".complete"))) return base;
  const tmp = `${base}.building-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  log(`building the base image (debootstrap bookworm, ~3 minutes, cached in ${base})`);
  const r = spawnSync("debootstrap", ["--variant=minbase", `--include=${PACKAGES.join(",")}`, "bookworm", tmp, mirror()], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error("debootstrap failed");
  sh("chroot", [tmp, "systemctl", "enable", "systemd-networkd", "ssh"]);
  // no password login, root by key only; quick boots
  writeFileSync(join(tmp, "etc/ssh/sshd_config.d/kubexm.conf"), "PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n");
  rmSync(join(tmp, "etc/hostname"), { force: true });
  writeFileSync(join(tmp, ".complete"), new Date().toISOString() + "\n");
  // an interrupted build is never reused: only a complete one is renamed into place
  rmSync(base, { recursive: true, force: true });
  renameSync(tmp, base);
  return base;
}

function ensureBridge() {
  const has = spawnSync("ip", ["link", "show", BRIDGE]).status === 0;
  if (!has) {
    sh("ip", ["link", "add", BRIDGE, "type", "bridge"]);
    sh("ip", ["addr", "add", `${GATEWAY}/24`, "dev", BRIDGE]);
  }
  sh("ip", ["link", "set", BRIDGE, "up"]);
  return !has;
}

function ensureKey() {
  const key = join(STATE_DIR, "id_ed25519");
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  if (!existsSync(key)) sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kubexm-testbed", "-f", key]);
  return key;
}

export function readState() {
  return existsSync(STATE) ? JSON.parse(readFileSync(STATE, "utf8")) : { hosts: [] };
}

function alive(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("systemd-nspawn");
  } catch {
    return false;
  }
}

function waitTcp(host, port, ms) {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      const s = connect({ host, port });
      s.once("connect", () => (s.destroy(), resolve()));
      s.once("error", () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`${host}:${port} did not answer within ${ms / 1000}s`));
        else setTimeout(tryOnce, 200);
      });
    };
    tryOnce();
  });
}

function sshOk(addr, key) {
  const r = spawnSync("ssh", ["-i", key, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=3", "-o", "LogLevel=ERROR", `root@${addr}`, "systemctl is-system-running --wait >/dev/null 2>&1; hostname"], { encoding: "utf8", timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export async function up({ hosts = 3, fresh = false } = {}) {
  requireRoot();
  ensurePackages();
  const base = ensureBase();
  ensureBridge();
  const key = ensureKey();
  const pub = readFileSync(`${key}.pub`, "utf8");
  const state = readState();
  const t0 = Date.now();
  const out = [];
  for (let i = 1; i <= hosts; i++) {
    const name = `node${i}`;
    const addr = address(i);
    const prev = state.hosts.find((h) => h.name === name);
    if (prev && alive(prev.pid) && !fresh) {
      out.push(prev);
      continue;
    }
    if (prev && alive(prev.pid)) stopHost(prev);
    const dir = join(STATE_DIR, "hosts", name);
    const upper = join(dir, "upper");
    if (fresh) rmSync(upper, { recursive: true, force: true });
    for (const d of ["etc/systemd/network", "root/.ssh"]) mkdirSync(join(upper, d), { recursive: true });
    writeFileSync(join(upper, "etc/hostname"), `${name}\n`);
    writeFileSync(join(upper, "etc/systemd/network/10-host0.network"), `[Match]\nName=host0\n\n[Network]\nAddress=${addr}/24\n`);
    writeFileSync(join(upper, "etc/hosts"), `127.0.0.1 localhost\n${addr} ${name}\n`);
    writeFileSync(join(upper, "root/.ssh/authorized_keys"), pub);
    chmodSync(join(upper, "root/.ssh"), 0o700);
    chmodSync(join(upper, "root/.ssh/authorized_keys"), 0o600);
    removeVeth(name);
    const logFd = openSync(join(dir, "console.log"), "a");
    const child = spawn(
      "systemd-nspawn",
      ["--register=no", "--keep-unit", "-D", base, `--overlay=${base}:${upper}:/`, "-b", `--network-bridge=${BRIDGE}`, `--machine=${MACHINE_PREFIX}${name}`, "--console=passive"],
      { detached: true, stdio: ["ignore", logFd, logFd] },
    );
    child.unref();
    out.push({ name, address: addr, pid: child.pid, started: Date.now() });
  }
  writeState({ hosts: out, key });
  for (const h of out) {
    await waitTcp(h.address, 22, 120_000);
    let hn;
    for (let i = 0; i < 60 && !(hn = sshOk(h.address, key)); i++) await new Promise((r) => setTimeout(r, 500));
    if (hn !== h.name) throw new Error(`${h.name} (${h.address}) does not answer over SSH`);
  }
  const config = writeClusterConfig(out, key);
  log(`${out.length} hosts up in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${out.map((h) => `${h.name}=${h.address}`).join(" ")}`);
  log(`cluster config: ${config}`);
  return { hosts: out, key, config, bootMs: Date.now() - t0 };
}

function writeState(s) {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(STATE, JSON.stringify(s, null, 2) + "\n");
}

export function writeClusterConfig(hosts, key, opts = {}) {
  const file = opts.file ?? join(STATE_DIR, "cluster.yaml");
  const names = hosts.map((h) => h.name);
  const lines = [
    "# written by scripts/testbed.mjs: the test bed's machines",
    "apiVersion: kubexm.mensylisir.io/v1alpha1",
    "kind: Cluster",
    `metadata: { name: ${opts.name ?? "testbed"} }`,
    "spec:",
    "  hosts:",
    ...hosts.map((h) => `    - { name: ${h.name}, address: ${h.address}, internalAddress: ${h.address}, user: root, privateKeyPath: "${key}" }`),
    "  roleGroups:",
    `    etcd: [${names.slice(0, Math.min(3, names.length)).join(", ")}]`,
    `    master: [${names[0]}]`,
    `    worker: [${names.join(", ")}]`,
    "  system:",
    "    timezone: UTC",
    "  etcd:",
    "    type: kubexm",
    `    version: ${opts.etcdVersion ?? "v3.4.23"}`,
    "    dataDir: /var/lib/etcd",
    "    heartbeatInterval: 250",
    "    electionTimeout: 5000",
    "    snapshotCount: 10000",
    "    autoCompactionRetention: 8",
    "    metrics: basic",
    "    quotaBackendBytes: 2147483648",
    "    maxRequestBytes: 1572864",
    "    maxSnapshots: 5",
    "    maxWals: 5",
    "    logLevel: info",
    "  network: { kubePodsCIDR: 10.233.64.0/18, kubeServiceCIDR: 10.233.0.0/18 }",
    ...(opts.mirror ? ["  artifacts:", `    mirror: ${opts.mirror}`] : []),
    "",
  ];
  writeFileSync(file, lines.join("\n"));
  return file;
}

/** The host side of a machine's veth pair: a SIGKILLed nspawn leaves it behind, and the next boot fails. */
function removeVeth(name) {
  const veth = `vb-${MACHINE_PREFIX}${name}`.slice(0, 15);
  if (spawnSync("ip", ["link", "show", veth]).status === 0) spawnSync("ip", ["link", "del", veth]);
}

function stopHost(h) {
  if (alive(h.pid)) {
    try {
      process.kill(h.pid, "SIGTERM"); // systemd-nspawn asks the machine to power off
    } catch {
      /* gone */
    }
    for (let i = 0; i < 300 && alive(h.pid); i++) spawnSync("sleep", ["0.1"]);
    if (alive(h.pid)) process.kill(h.pid, "SIGKILL");
  }
  removeVeth(h.name);
}

export function down() {
  requireRoot();
  const state = readState();
  for (const h of state.hosts) {
    stopHost(h);
    rmSync(join(STATE_DIR, "hosts", h.name), { recursive: true, force: true });
  }
  writeState({ hosts: [] });
  if (spawnSync("ip", ["link", "show", BRIDGE]).status === 0) spawnSync("ip", ["link", "del", BRIDGE]);
  log(`stopped ${state.hosts.length} hosts`);
}

export function status() {
  const state = readState();
  if (!state.hosts.length) return log("no hosts");
  for (const h of state.hosts) {
    const up = alive(h.pid);
    const ssh = up && state.key ? sshOk(h.address, state.key) : undefined;
    process.stdout.write(`${h.name}  ${h.address}  pid ${h.pid}  ${up ? "running" : "stopped"}  ssh ${ssh ? "ok" : "no"}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd = "status", ...rest] = process.argv.slice(2);
  const n = rest.indexOf("--hosts");
  try {
    if (cmd === "up") await up({ hosts: n >= 0 ? Number(rest[n + 1]) : 3, fresh: rest.includes("--fresh") });
    else if (cmd === "down") down();
    else if (cmd === "status") status();
    else throw new Error(`unknown command ${cmd}: up | down | status`);
  } catch (e) {
    log(e.message);
    process.exitCode = 2;
  }
}
