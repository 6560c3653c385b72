// ajv errors -> Diagnostics at the YAML node they are about, with readable messages
// ("unknown field \"nedds\" (did you mean \"needs\"?)"). Shared by every loader.
import type { ErrorObject } from "ajv";
import type { Diagnostic } from "./diagnostics.js";
import { locate, type SourceDoc, type YamlPath } from "./source.js";

export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function dottedPath(path: YamlPath): string {
  return path.reduce<string>((acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : String(seg)), "");
}

export function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** The closest candidate, if it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Converts ajv errors into Diagnostics (deduplicated, one per location and kind). */
export function schemaDiagnostics(src: SourceDoc, errors: ErrorObject[], base: YamlPath = [], what = ""): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // oneOf/anyOf produce noise from every branch; keep their children only when nothing else is there
  const specific = errors.filter((e) => !["oneOf", "anyOf", "if", "not"].includes(e.keyword));
  for (const e of specific.length ? specific : errors) {
    const path = [...base, ...pointerToPath(e.instancePath)];
    const p = e.params as Record<string, any>;
    let message: string;
    let hint: string | undefined;
    let at = path;
    let key = false;
    const field = dottedPath(path.slice(base.length)) || what || "document";
    switch (e.keyword) {
      case "additionalProperties": {
        at = [...path, p.additionalProperty];
        key = true;
        const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
        const guess = didYouMean(p.additionalProperty, allowed);
        message = `unknown field "${p.additionalProperty}"${field !== "document" ? ` in ${field}` : ""}${guess ? ` (did you mean "${guess}"?)` : ""}`;
        if (!guess && allowed.length) hint = `allowed: ${allowed.join(", ")}`;
        break;
      }
      case "required":
        message = `missing required field "${p.missingProperty}"${field !== "document" ? ` in ${field}` : ""}`;
        break;
      case "enum": {
        const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
        message = `${field}: ${JSON.stringify(e.data)} is not one of ${allowed}`;
        hint = "pick exactly one of the allowed values";
        break;
      }
      case "const":
        message = `${field} must be ${JSON.stringify(p.allowedValue)}, not ${JSON.stringify(e.data)}`;
        break;
      case "type":
        message = `${field} must be ${p.type === "array" ? "a list" : p.type === "object" ? "a mapping" : p.type === "integer" ? "an integer" : `a ${p.type}`}, not ${describe(e.data)}`;
        break;
      case "pattern":
        message = `${field}: ${JSON.stringify(e.data)} has the wrong form (${(e.parentSchema as any)?.description ?? `pattern ${p.pattern}`})`;
        break;
      case "maxItems":
      case "minItems": {
        const n = Array.isArray(e.data) ? ` (${e.data.length} given)` : "";
        const what = p.limit === 1 ? "entry" : "entries";
        message = e.keyword === "maxItems" ? `${field} takes at most ${p.limit} ${what}${n}` : `${field} needs at least ${p.limit} ${what}${n}`;
        hint = (e.parentSchema as any)?.description;
        break;
      }
      case "maximum":
      case "minimum":
        message = `${field} must be ${e.keyword === "maximum" ? "at most" : "at least"} ${p.limit}${typeof e.data === "number" ? `, not ${e.data}` : ""}`;
        hint = (e.parentSchema as any)?.description;
        break;
      default:
        message = `${field} ${e.message}`;
    }
    const sig = `${at.join("/")}|${e.keyword}|${message}`;
    if (seen.has(sig)) continue;
    seen.add(sig);
    out.push({ code: "schema", severity: "error", message, hint, loc: locate(src, at, { key }) });
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}
