// Managing a file's whole content on a host: compare (for check and the dry-run
// diff), then write atomically with mode/owner. Shared by template, hosts-file,
// sysctl, modprobe, service (unit files), line-in-file.
import { createTwoFilesPatch } from "diff";
import type { CheckResult, StepContext } from "../../engine/types.js";
import { octalMode, shq } from "../../engine/connections/shell.js";

export interface ContentOptions {
  mode?: string;
  owner?: string;
  group?: string;
  /** keep the previous file as <path>.<timestamp>.bak */
  backup?: boolean;
}

export async function currentContent(ctx: StepContext, path: string): Promise<string | null> {
  const buf = await ctx.conn.readFile(path, { sudo: ctx.become });
  return buf === null ? null : buf.toString("utf8");
}

export function unifiedDiff(path: string, before: string | null, after: string): string {
  return createTwoFilesPatch(before === null ? "/dev/null" : path, path, before ?? "", after, "", "", { context: 3 });
}

/** done when the content (and mode/owner when asked) already match */
export async function checkContent(ctx: StepContext, path: string, content: string, opts: ContentOptions = {}): Promise<CheckResult> {
  const before = await currentContent(ctx, path);
  if (before === content && (await attrsMatch(ctx, path, opts))) return { done: true };
  if (before === content) return { done: false, message: `would set mode/owner of ${path}` };
  return { done: false, message: before === null ? `would create ${path}` : `would change ${path}`, diff: unifiedDiff(path, before, content) };
}

export async function attrsMatch(ctx: StepContext, path: string, opts: ContentOptions): Promise<boolean> {
  if (!opts.mode && !opts.owner && !opts.group) return true;
  const st = await ctx.conn.stat(path, { sudo: ctx.become });
  if (!st) return false;
  const mode = octalMode(opts.mode);
  if (mode && (st.mode & 0o7777) !== parseInt(mode, 8)) return false;
  if (opts.owner || opts.group) {
    const r = await ctx.exec(`stat -c '%U:%G' ${shq(path)}`);
    const [u, g] = r.stdout.trim().split(":");
    if ((opts.owner && opts.owner !== u) || (opts.group && opts.group !== g)) return false;
  }
  return true;
}

export async function writeContent(ctx: StepContext, path: string, content: string, opts: ContentOptions = {}): Promise<void> {
  if (opts.backup) {
    await ctx.exec(`if [ -f ${shq(path)} ]; then cp -p ${shq(path)} ${shq(path)}.$(date +%Y%m%dT%H%M%S).bak; fi`);
  }
  await ctx.conn.writeFile(path, content, { mode: opts.mode, owner: opts.owner, group: opts.group, sudo: ctx.become });
}

/** Runs a command and throws with its stderr tail when it fails. */
export async function must(ctx: StepContext, cmd: string, what = cmd): Promise<string> {
  const r = await ctx.exec(cmd);
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${tail(r.stderr || r.stdout)}`);
  return r.stdout;
}

export function tail(s: string, lines = 5): string {
  return s.trim().split("\n").slice(-lines).join("\n");
}

/** A managed block between markers inside a file's content. */
export function withBlock(content: string, block: string | null, marker: string): string {
  const begin = marker.replace("{mark}", "BEGIN");
  const end = marker.replace("{mark}", "END");
  const lines = content.split("\n");
  const b = lines.indexOf(begin);
  const e = lines.indexOf(end);
  const rest = b >= 0 && e > b ? [...lines.slice(0, b), ...lines.slice(e + 1)] : lines;
  if (block === null) return rest.join("\n");
  const body = [begin, ...block.replace(/\n$/, "").split("\n"), end];
  if (b >= 0 && e > b) return [...lines.slice(0, b), ...body, ...lines.slice(e + 1)].join("\n");
  const base = rest.join("\n");
  return (base && !base.endsWith("\n") ? base + "\n" : base) + body.join("\n") + "\n";
}
