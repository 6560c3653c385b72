// Host keys are checked, never silently accepted: an unknown key is recorded
// (accept-new, the default) or refused (strict); a changed key is always refused.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export type HostKeyPolicy = "accept-new" | "strict";

export function hostPattern(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyType(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString("ascii");
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

export type HostKeyVerdict = { ok: true; added: boolean } | { ok: false; message: string };

export class KnownHosts {
  constructor(private readonly file: string, private readonly policy: HostKeyPolicy = "accept-new") {}

  private entries(): { pattern: string; type: string; key: string }[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => {
        const [pattern, type, key] = l.split(/\s+/);
        return { pattern, type, key };
      });
  }

  verify(address: string, port: number, blob: Buffer): HostKeyVerdict {
    const pattern = hostPattern(address, port);
    const type = keyType(blob);
    const key = blob.toString("base64");
    const mine = this.entries().filter((e) => e.pattern.split(",").includes(pattern));
    if (mine.some((e) => e.type === type && e.key === key)) return { ok: true, added: false };
    const sameType = mine.find((e) => e.type === type);
    if (sameType) {
      return {
        ok: false,
        message: `the host key of ${pattern} CHANGED (now ${type} ${fingerprint(blob)}): refusing to connect. If the machine was really reinstalled, remove its line from ${this.file}`,
      };
    }
    if (this.policy === "strict") {
      return { ok: false, message: `unknown host key for ${pattern} (${type} ${fingerprint(blob)}) and --strict-host-keys is set: add it to ${this.file}` };
    }
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${pattern} ${type} ${key}\n`, { mode: 0o600 });
    return { ok: true, added: true };
  }
}
