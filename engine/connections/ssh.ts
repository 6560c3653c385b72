// One SSH connection per host (ssh2), reused by every step: Nagle off
// (setNoDelay: ~45 ms -> ~2 ms per command), keepalive, at most 8 channels at once,
// sudo with the password sent only after sudo's unique prompt (never in argv),
// host keys checked against the cluster's known_hosts.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";
import type { ClientChannel, ConnectConfig, SFTPWrapper } from "ssh2";
import type { Connection, ExecOptions, ExecResult, FileStat, HostRecord, PutOptions } from "../types.js";
import { describeConnectError, HostConnectionError } from "./errors.js";
import { KnownHosts } from "./known-hosts.js";
import { Semaphore } from "./semaphore.js";
import { octalMode, shq } from "./shell.js";
import { sha256File } from "./local.js";

export const MAX_CHANNELS = 8;

export interface SshOptions {
  knownHosts: KnownHosts;
  connectTimeoutMs?: number;
  keepaliveMs?: number;
}

export class SshConnection implements Connection {
  readonly hostName: string;
  private readonly client = new ssh2.Client();
  private readonly channels = new Semaphore(MAX_CHANNELS);
  private sftpP?: Promise<SFTPWrapper>;
  private closed = false;
  private dropped?: Error;
  private readonly isRoot: boolean;

  private constructor(private readonly host: HostRecord) {
    this.hostName = host.name;
    this.isRoot = host.user === "root";
  }

  static async connect(host: HostRecord, opts: SshOptions): Promise<SshConnection> {
    const c = new SshConnection(host);
    await c.open(opts);
    return c;
  }

  private open(opts: SshOptions): Promise<void> {
    const h = this.host;
    const target = `${h.address}:${h.port}`;
    const methods: string[] = [];
    const cfg: ConnectConfig = {
      host: h.address,
      port: h.port,
      username: h.user,
      readyTimeout: opts.connectTimeoutMs ?? 20_000,
      keepaliveInterval: opts.keepaliveMs ?? 15_000,
      keepaliveCountMax: 3,
    };
    if (h.privateKeyPath) {
      try {
        cfg.privateKey = readFileSync(h.privateKeyPath);
      } catch (e) {
        return Promise.reject(new HostConnectionError(h.name, `cannot read private key ${h.privateKeyPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "key"));
      }
      cfg.passphrase = h.privateKeyPassphrase;
      methods.push("publickey");
    }
    if (h.password) {
      cfg.password = h.password;
      methods.push("password");
    }
    if (!h.privateKeyPath && !h.password && process.env.SSH_AUTH_SOCK) {
      cfg.agent = process.env.SSH_AUTH_SOCK;
      methods.push("agent");
    }
    let refusal: string | undefined;
    cfg.hostVerifier = (key: Buffer) => {
      const v = opts.knownHosts.verify(h.address, h.port, key);
      if (!v.ok) refusal = v.message;
      return v.ok;
    };
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        this.client.removeListener("ready", onReady);
        if (refusal) reject(new HostConnectionError(h.name, refusal, "hostkey"));
        else reject(describeConnectError(h.name, target, e, methods));
      };
      const onReady = () => {
        this.client.removeListener("error", onError);
        this.client.on("error", (e) => (this.dropped = describeConnectError(h.name, target, e, methods)));
        this.client.on("close", () => {
          if (!this.closed) this.dropped ??= new HostConnectionError(h.name, `the connection to ${target} dropped`, "dropped");
        });
        resolve();
      };
      this.client.once("ready", onReady);
      this.client.once("error", onError);
      try {
        this.client.connect(cfg);
        this.client.setNoDelay(true);
      } catch (e) {
        reject(describeConnectError(h.name, target, e, methods));
      }
    });
  }

  private check(): void {
    if (this.dropped) throw this.dropped;
    if (this.closed) throw new HostConnectionError(this.hostName, "the connection is closed", "closed");
  }

  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.channels.run(() => this.execNow(cmd, opts));
  }

  private async execNow(cmd: string, opts: ExecOptions, attempt = 0): Promise<ExecResult> {
    try {
      return await this.execOnce(cmd, opts);
    } catch (e) {
      // sshd counts a session until it has processed our close: right after a
      // burst, an open can be refused for a moment (MaxSessions). Retry briefly.
      if (e instanceof HostConnectionError && e.reason === "channel-busy" && attempt < 20) {
        await new Promise((r) => setTimeout(r, 10 + attempt * 5));
        return this.execNow(cmd, opts, attempt + 1);
      }
      throw e;
    }
  }

  private execOnce(cmd: string, opts: ExecOptions): Promise<ExecResult> {
    this.check();
    const sudo = opts.sudo && !this.isRoot;
    const prompt = `[kubexm-sudo-${randomBytes(6).toString("hex")}]`;
    let line = cmd;
    if (opts.env && Object.keys(opts.env).length) line = `${Object.entries(opts.env).map(([k, v]) => `export ${k}=${shq(v)};`).join(" ")} ${line}`;
    if (opts.cwd) line = `cd ${shq(opts.cwd)} && ${line}`;
    const full = sudo ? `sudo -S -p ${shq(prompt)} -- sh -c ${shq(line)}` : line;
    return new Promise((resolve, reject) => {
      this.client.exec(full, (err, ch: ClientChannel) => {
        if (err) {
          const busy = /open failed/i.test(err.message) && !this.dropped;
          return reject(new HostConnectionError(this.hostName, `cannot open a channel: ${err.message}`, busy ? "channel-busy" : "channel"));
        }
        const out: Buffer[] = [];
        let stderr = "";
        let code: number | undefined;
        let signal: string | undefined;
        let settled = false;
        let sentPassword = false;
        const finish = (e?: Error) => {
          if (settled) return;
          settled = true;
          if (timer) clearTimeout(timer);
          opts.signal?.removeEventListener("abort", onAbort);
          this.client.removeListener("close", onDrop);
          if (e) reject(e);
          else resolve({ code: code ?? (signal ? 128 : 255), stdout: Buffer.concat(out).toString("utf8"), stderr, signal });
        };
        const stop = (why: string) => {
          try {
            ch.signal("KILL");
          } catch {
            /* channel already gone */
          }
          ch.close();
          finish(new Error(why));
        };
        const timer = opts.timeout ? setTimeout(() => stop(`command timed out after ${opts.timeout} ms`), opts.timeout) : undefined;
        const onAbort = () => stop("cancelled");
        const onDrop = () => finish(new HostConnectionError(this.hostName, "the connection dropped while a command was running", "dropped"));
        opts.signal?.addEventListener("abort", onAbort, { once: true });
        this.client.once("close", onDrop);
        ch.on("data", (d: Buffer) => out.push(d));
        ch.stderr.on("data", (d: Buffer) => {
          stderr += d.toString("utf8");
          if (sudo && !sentPassword && stderr.includes(prompt)) {
            sentPassword = true;
            stderr = stderr.replace(prompt, "");
            const pw = this.host.becomePassword ?? this.host.password;
            if (pw === undefined) return stop(`sudo on ${this.hostName} asks for a password and none is configured`);
            ch.write(`${pw}\n`);
            if (opts.stdin !== undefined) ch.end(opts.stdin);
            else ch.end();
          } else if (sudo && sentPassword && stderr.includes(prompt)) {
            stop(`sudo on ${this.hostName}: wrong password`);
          }
        });
        ch.on("exit", (c: number | null, sig?: string) => {
          if (c !== null) code = c;
          if (sig) signal = sig;
        });
        ch.on("close", () => finish());
        // with sudo the stdin waits until the password went in (sudo may not prompt: NOPASSWD)
        if (!sudo) {
          if (opts.stdin !== undefined) ch.end(opts.stdin);
          else ch.end();
        } else {
          setTimeout(() => {
            if (!sentPassword && !settled) {
              sentPassword = true;
              if (opts.stdin !== undefined) ch.end(opts.stdin);
              else ch.end();
            }
          }, 1500).unref();
        }
      });
    });
  }

  private sftp(): Promise<SFTPWrapper> {
    this.check();
    this.sftpP ??= new Promise((resolve, reject) => this.client.sftp((err, s) => (err ? reject(err) : resolve(s))));
    return this.sftpP;
  }

  async sha256(path: string, opts: { sudo?: boolean } = {}): Promise<string | null> {
    const r = await this.exec(`if [ -f ${shq(path)} ]; then sha256sum ${shq(path)} | cut -d' ' -f1; else echo none; fi`, opts);
    const v = r.stdout.trim();
    return /^[0-9a-f]{64}$/.test(v) ? v : null;
  }

  async put(src: string | Buffer, remotePath: string, opts: PutOptions = {}): Promise<{ changed: boolean }> {
    const data = typeof src === "string" ? readFileSync(src) : src;
    const want = createHash("sha256").update(data).digest("hex");
    const have = await this.sha256(remotePath, { sudo: opts.sudo });
    const mode = octalMode(opts.mode);
    let changed = false;
    if (have !== want) {
      const sudo = opts.sudo && !this.isRoot;
      // write next to the target (or in /tmp when sudo must move it), then rename: never a half file
      const tmp = sudo ? `/tmp/.kubexm-${randomBytes(6).toString("hex")}` : `${remotePath}.kubexm-${randomBytes(4).toString("hex")}`;
      if (!sudo) await this.mustExec(`mkdir -p "$(dirname ${shq(remotePath)})"`, {});
      await this.channels.run(async () => {
        const s = await this.sftp();
        await new Promise<void>((resolve, reject) => {
          const ws = s.createWriteStream(tmp, { mode: 0o600 });
          ws.on("error", reject);
          ws.on("close", () => resolve());
          ws.end(data);
        });
      });
      const place = sudo
        ? `mkdir -p "$(dirname ${shq(remotePath)})" && install -m ${mode ?? "0644"} ${shq(tmp)} ${shq(remotePath)} && rm -f ${shq(tmp)}`
        : `chmod ${mode ?? "0644"} ${shq(tmp)} && mv -f ${shq(tmp)} ${shq(remotePath)}`;
      await this.mustExec(place, { sudo });
      changed = true;
    } else if (mode) {
      const st = await this.stat(remotePath, { sudo: opts.sudo });
      if (st && (st.mode & 0o7777) !== parseInt(mode, 8)) {
        await this.mustExec(`chmod ${mode} ${shq(remotePath)}`, { sudo: opts.sudo });
        changed = true;
      }
    }
    if (opts.owner || opts.group) {
      const r = await this.exec(`stat -c '%U:%G' ${shq(remotePath)}`, { sudo: opts.sudo });
      const [u, g] = r.stdout.trim().split(":");
      if ((opts.owner && opts.owner !== u) || (opts.group && opts.group !== g)) {
        await this.mustExec(`chown ${shq(`${opts.owner ?? u}:${opts.group ?? g}`)} ${shq(remotePath)}`, { sudo: opts.sudo });
        changed = true;
      }
    }
    return { changed };
  }

  private async mustExec(cmd: string, opts: ExecOptions): Promise<string> {
    const r = await this.exec(cmd, opts);
    if (r.code !== 0) throw new Error(`${this.hostName}: \`${cmd}\` failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
    return r.stdout;
  }

  async get(remotePath: string, localPath: string, opts: { sudo?: boolean } = {}): Promise<{ changed: boolean }> {
    const data = await this.readFile(remotePath, opts);
    if (data === null) throw new Error(`${this.hostName}: ${remotePath}: no such file`);
    const local = sha256File(localPath);
    if (local === createHash("sha256").update(data).digest("hex")) return { changed: false };
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const { dirname } = await import("node:path");
    mkdirSync(dirname(localPath), { recursive: true });
    writeFileSync(localPath, data, { mode: 0o600 });
    return { changed: true };
  }

  async readFile(remotePath: string, opts: { sudo?: boolean } = {}): Promise<Buffer | null> {
    // base64 keeps binary files intact through the text channel (and works with sudo)
    const r = await this.exec(`if [ -e ${shq(remotePath)} ]; then base64 -w0 ${shq(remotePath)}; else exit 44; fi`, opts);
    if (r.code === 44) return null;
    if (r.code !== 0) throw new Error(`${this.hostName}: cannot read ${remotePath}: ${r.stderr.trim()}`);
    return Buffer.from(r.stdout.trim(), "base64");
  }

  async writeFile(remotePath: string, data: string | Buffer, opts: PutOptions = {}): Promise<void> {
    await this.put(Buffer.from(data), remotePath, opts);
  }

  async stat(remotePath: string, opts: { sudo?: boolean } = {}): Promise<FileStat | null> {
    const r = await this.exec(`stat -c '%F|%s|%a|%u|%g|%Y' ${shq(remotePath)} 2>/dev/null || echo none`, opts);
    const v = r.stdout.trim();
    if (v === "none" || !v.includes("|")) return null;
    const [kind, size, mode, uid, gid, mtime] = v.split("|");
    const type = kind.includes("symbolic") ? "link" : kind.includes("directory") ? "dir" : kind.includes("regular") ? "file" : "other";
    return { type, size: Number(size), mode: parseInt(mode, 8), uid: Number(uid), gid: Number(gid), mtime: Number(mtime) * 1000 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
  }
}
