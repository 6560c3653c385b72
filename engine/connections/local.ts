// The control machine as a Connection: commands through bash, files on the local
// file system. Steps with `on: local` (downloads, certificates) use it.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Connection, ExecOptions, ExecResult, FileStat, PutOptions } from "../types.js";
import { octalMode, shq } from "./shell.js";

export function sha256File(path: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return null;
  }
}

const isRoot = process.getuid?.() === 0;

export class LocalConnection implements Connection {
  readonly hostName = "local";

  constructor(private readonly opts: { becomePassword?: string } = {}) {}

  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const sudo = opts.sudo && !isRoot;
    const prompt = `[kubexm-sudo-${randomBytes(6).toString("hex")}]`;
    const argv = sudo ? ["sudo", "-S", "-p", prompt, "--", "bash", "-c", cmd] : ["bash", "-c", cmd];
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env, LC_ALL: "C" },
        stdio: ["pipe", "pipe", "pipe"],
        detached: true, // its own process group: a timeout kills the whole tree
      });
      let stdout = "";
      let stderr = "";
      let done = false;
      const kill = (why: string) => {
        if (done) return;
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
        finish(new Error(why));
      };
      const timer = opts.timeout ? setTimeout(() => kill(`command timed out after ${opts.timeout} ms`), opts.timeout) : undefined;
      const onAbort = () => kill("cancelled");
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      const finish = (err?: Error, res?: ExecResult) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve(res!);
      };
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => {
        stderr += d;
        if (sudo && stderr.includes(prompt)) {
          stderr = stderr.replace(prompt, "");
          child.stdin.write(`${this.opts.becomePassword ?? ""}\n`);
        }
      });
      child.on("error", (e) => finish(e));
      child.on("close", (code, signal) => finish(undefined, { code: code ?? 128, stdout, stderr, signal: signal ?? undefined }));
      if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
      else if (!sudo) child.stdin.end();
    });
  }

  async put(src: string | Buffer, remotePath: string, opts: PutOptions = {}): Promise<{ changed: boolean }> {
    const data = typeof src === "string" ? readFileSync(src) : src;
    const want = createHash("sha256").update(data).digest("hex");
    let changed = sha256File(remotePath) !== want;
    if (changed) {
      mkdirSync(dirname(remotePath), { recursive: true });
      const tmp = `${remotePath}.kubexm-${randomBytes(4).toString("hex")}`;
      if (typeof src === "string") copyFileSync(src, tmp);
      else writeFileSync(tmp, data);
      renameSync(tmp, remotePath);
    }
    changed = (await this.attrs(remotePath, opts)) || changed;
    return { changed };
  }

  /** mode/owner; true when something changed */
  private async attrs(path: string, opts: PutOptions): Promise<boolean> {
    let changed = false;
    const mode = octalMode(opts.mode);
    const st = statSync(path);
    if (mode && (st.mode & 0o7777) !== parseInt(mode, 8)) {
      chmodSync(path, parseInt(mode, 8));
      changed = true;
    }
    if (opts.owner || opts.group) {
      const r = await this.exec(`stat -c '%U:%G' ${shq(path)}`);
      const [u, g] = r.stdout.trim().split(":");
      if ((opts.owner && opts.owner !== u) || (opts.group && opts.group !== g)) {
        const c = await this.exec(`chown ${shq(`${opts.owner ?? u}:${opts.group ?? g}`)} ${shq(path)}`, { sudo: opts.sudo });
        if (c.code !== 0) throw new Error(`chown ${path}: ${c.stderr.trim()}`);
        changed = true;
      }
    }
    return changed;
  }

  async get(remotePath: string, localPath: string): Promise<{ changed: boolean }> {
    if (!existsSync(remotePath)) throw new Error(`${remotePath}: no such file`);
    if (sha256File(remotePath) === sha256File(localPath)) return { changed: false };
    mkdirSync(dirname(localPath), { recursive: true });
    copyFileSync(remotePath, localPath);
    return { changed: true };
  }

  async readFile(remotePath: string): Promise<Buffer | null> {
    try {
      return readFileSync(remotePath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async writeFile(remotePath: string, data: string | Buffer, opts: PutOptions = {}): Promise<void> {
    await this.put(Buffer.from(data), remotePath, opts);
  }

  async stat(remotePath: string): Promise<FileStat | null> {
    try {
      const st = lstatSync(remotePath);
      return {
        type: st.isSymbolicLink() ? "link" : st.isDirectory() ? "dir" : st.isFile() ? "file" : "other",
        size: st.size,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: st.mtimeMs,
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async sha256(remotePath: string): Promise<string | null> {
    return sha256File(remotePath);
  }

  async close(): Promise<void> {}
}

