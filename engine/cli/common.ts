// Shared CLI option handling: -e k=v (values read as YAML scalars), lists.
import { parse } from "yaml";
import { KubexmError } from "../diagnostics.js";

export function parseExtraVars(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of ([] as unknown[]).concat(list ?? [])) {
    const s = String(raw);
    const i = s.indexOf("=");
    if (i <= 0) {
      throw new KubexmError({ code: "usage", severity: "error", message: `-e expects key=value, got "${s}"` });
    }
    const key = s.slice(0, i);
    const text = s.slice(i + 1);
    let value: unknown;
    try {
      value = text === "" ? "" : parse(text);
    } catch {
      value = text;
    }
    // nested keys: -e etcd.version=v3 -> { etcd: { version: "v3" } }
    const parts = key.split(".");
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[parts.at(-1)!] = value;
  }
  return out;
}

/** `--tags a,b --tags c` -> [a, b, c] */
export function csv(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const out = ([] as unknown[]).concat(v).flatMap((x) => String(x).split(",")).map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}
