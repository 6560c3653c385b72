// `${{ expr }}` inside strings of `with:` (and anywhere a value is written): a
// string that is exactly one `${{ expr }}` yields the raw value (number, list,
// object); otherwise the results are joined into the string.
import { KubexmError, type Diagnostic } from "../diagnostics.js";
import { locateInScalar, type YamlPath } from "../source.js";
import { checkExpression, compileExpression, type CompiledExpr, type ExprWhere, type StepRefUse } from "./compile.js";
import type { ExprBindings, ExprContext } from "./types.js";

const OPEN = "${{";
const CLOSE = "}}";

export interface CompiledValue {
  /** false when the value holds no expression at all (it is returned as is) */
  dynamic: boolean;
  evaluate(ctx: ExprContext, bindings?: ExprBindings): Promise<unknown>;
  stepRefs: StepRefUse[];
  names: string[];
}

type Part = string | CompiledExpr;

/** Splits a string into literal parts and `${{ }}` expressions; reports unclosed ones. */
function split(s: string, where: ExprWhere, diags: Diagnostic[], compile: boolean): Part[] | undefined {
  if (!s.includes(OPEN)) return undefined;
  const parts: Part[] = [];
  let i = 0;
  while (i < s.length) {
    const start = s.indexOf(OPEN, i);
    if (start < 0) {
      parts.push(s.slice(i));
      break;
    }
    if (start > i) parts.push(s.slice(i, start));
    const end = findClose(s, start + OPEN.length);
    if (end < 0) {
      diags.push({ code: "expr-syntax", severity: "error", message: "unclosed `${{`: add `}}`", loc: checkLoc(where, start) });
      return parts;
    }
    const src = s.slice(start + OPEN.length, end);
    const lead = src.length - src.trimStart().length;
    const w: ExprWhere = { ...where, offset: (where.offset ?? 0) + start + OPEN.length + lead };
    const problems = checkExpression(src.trim(), w);
    if (problems.length) diags.push(...problems);
    else if (compile) parts.push(compileExpression(src.trim(), w));
    i = end + CLOSE.length;
  }
  return parts;
}

/** The `}}` closing an expression, skipping `}}` inside string literals. */
function findClose(s: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "}" && s[i + 1] === "}") {
      // `{a: {b: 1}}}`: the last two braces close the template
      let j = i;
      while (s[j + 2] === "}") j++;
      return j;
    }
  }
  return -1;
}

function checkLoc(where: ExprWhere, pos: number) {
  return locateInScalar(where.src, where.path, (where.offset ?? 0) + pos);
}

/** Every expression problem inside a value (for `kubexm validate`), without throwing. */
export function checkValue(raw: unknown, where: ExprWhere): Diagnostic[] {
  const diags: Diagnostic[] = [];
  walk(raw, where.path, (s, path) => void split(s, { ...where, path }, diags, false));
  return diags;
}

function walk(v: unknown, path: YamlPath, fn: (s: string, path: YamlPath) => void): void {
  if (typeof v === "string") fn(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], fn));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k], fn);
}

export function compileValue(raw: unknown, where: ExprWhere): CompiledValue {
  const diags: Diagnostic[] = [];
  const refs: StepRefUse[] = [];
  const names: string[] = [];
  const build = (v: unknown, path: YamlPath): ((ctx: ExprContext, b?: ExprBindings) => Promise<unknown>) | undefined => {
    if (typeof v === "string") {
      const parts = split(v, { ...where, path }, diags, true);
      if (!parts) return undefined;
      for (const p of parts) if (typeof p !== "string") (refs.push(...p.stepRefs), names.push(...p.names));
      if (parts.length === 1 && typeof parts[0] !== "string") {
        const only = parts[0];
        return (ctx, b) => only.evaluate(ctx, b);
      }
      return async (ctx, b) => {
        let out = "";
        for (const p of parts) {
          if (typeof p === "string") out += p;
          else {
            const r = await p.evaluate(ctx, b);
            out += r === undefined || r === null ? "" : typeof r === "object" ? JSON.stringify(r) : String(r);
          }
        }
        return out;
      };
    }
    if (Array.isArray(v)) {
      const items = v.map((x, i) => build(x, [...path, i]));
      if (items.every((f) => !f)) return undefined;
      return async (ctx, b) => Promise.all(v.map((x, i) => (items[i] ? items[i]!(ctx, b) : x)));
    }
    if (v && typeof v === "object") {
      const entries = Object.entries(v).map(([k, x]) => [k, x, build(x, [...path, k])] as const);
      if (entries.every(([, , f]) => !f)) return undefined;
      return async (ctx, b) => {
        const out: Record<string, unknown> = {};
        for (const [k, x, f] of entries) out[k] = f ? await f(ctx, b) : x;
        return out;
      };
    }
    return undefined;
  };
  const fn = build(raw, where.path);
  if (diags.length) throw new KubexmError(diags);
  return {
    dynamic: !!fn,
    stepRefs: refs,
    names,
    evaluate: fn ?? (async () => raw),
  };
}

/** True when a value is exactly one `${{ }}` (its type is only known at run time). */
export function isWholeExpression(v: unknown): boolean {
  return typeof v === "string" && v.trim().startsWith(OPEN) && v.trim().endsWith(CLOSE) && v.indexOf(OPEN, 1) < 0;
}
