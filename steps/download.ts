// download: fetch a release artifact onto the control machine (HTTP(S) or file://),
// resuming a partial `.part` file, verifying its sha256; a file already there with
// the right checksum is a cache hit (`ok`). Downloads never go to hosts directly:
// `upload` distributes them.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync, unlinkSync, copyFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { StepContext, StepPlugin } from "../engine/types.js";

interface Params {
  url: string;
  dest: string;
  sha256?: string;
  sha256Url?: string;
  timeoutSeconds?: number;
}

export async function fileSha256(path: string): Promise<string | null> {
  if (!existsSync(path)) return null;
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

async function expectedSum(ctx: StepContext, p: Params): Promise<string | undefined> {
  if (p.sha256) return p.sha256.toLowerCase();
  if (!p.sha256Url) return undefined;
  const res = await fetch(p.sha256Url, { signal: ctx.signal });
  if (!res.ok) throw new Error(`${p.sha256Url}: HTTP ${res.status}`);
  const m = /\b([0-9a-fA-F]{64})\b/.exec(await res.text());
  if (!m) throw new Error(`${p.sha256Url} holds no sha256`);
  return m[1].toLowerCase();
}

const step: StepPlugin<Params> = {
  name: "download",
  description: "Download a file to the control machine (HTTP(S) or file://), resume, verify sha256; cached when present",
  target: "local",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["url", "dest"],
    properties: {
      url: { type: "string", pattern: "^(https?|file)://" },
      dest: { type: "string", description: "the file to write (its folder is created)" },
      sha256: { type: "string", pattern: "^[0-9a-fA-F]{64}$" },
      sha256Url: { type: "string", pattern: "^(https?|file)://", description: "a .sha256 / SHA256SUMS-style file holding the sum" },
      timeoutSeconds: { type: "number", minimum: 1, default: 600 },
    },
  },
  async check(ctx, p) {
    const dest = ctx.resolve(p.dest);
    if (!existsSync(dest)) return { done: false, message: `would download ${p.url}` };
    const want = await expectedSum(ctx, p);
    if (!want) return { done: true, message: `${dest} exists (no checksum given)` };
    const have = await fileSha256(dest);
    return have === want ? { done: true, outputs: { path: dest, sha256: have } } : { done: false, message: `${dest} has the wrong checksum: would download again` };
  },
  async run(ctx, p) {
    const dest = ctx.resolve(p.dest);
    mkdirSync(dirname(dest), { recursive: true });
    const want = await expectedSum(ctx, p);
    const part = `${dest}.part`;
    if (p.url.startsWith("file://")) copyFileSync(fileURLToPath(p.url), part);
    else await httpGet(ctx, p.url, part, (p.timeoutSeconds ?? 600) * 1000);
    const have = await fileSha256(part);
    if (want && have !== want) {
      unlinkSync(part);
      throw new Error(`checksum mismatch for ${p.url}: expected ${want}, got ${have}`);
    }
    renameSync(part, dest);
    return { changed: true, outputs: { path: dest, sha256: have } };
  },
};

/** GET into `part`, resuming from its current size with a Range request. */
async function httpGet(ctx: StepContext, url: string, part: string, timeout: number): Promise<void> {
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await fetch(url, {
    headers: have ? { range: `bytes=${have}-` } : {},
    signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeout)]),
  });
  if (res.status === 416) return; // the part file is already complete
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const resumed = res.status === 206;
  if (have && resumed) ctx.log.info(`resuming ${url} at ${have} bytes`);
  const total = Number(res.headers.get("content-length") ?? 0) + (resumed ? have : 0);
  const out = createWriteStream(part, { flags: resumed ? "a" : "w" });
  let got = resumed ? have : 0;
  let lastLog = Date.now();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      got += chunk.length;
      if (Date.now() - lastLog > 2000) {
        lastLog = Date.now();
        ctx.log.info(`${url}: ${(got / 1048576).toFixed(1)} MiB${total ? ` of ${(total / 1048576).toFixed(1)} MiB` : ""}`);
      }
    }
  } finally {
    await new Promise<void>((r) => out.end(r));
  }
}
export default step;
