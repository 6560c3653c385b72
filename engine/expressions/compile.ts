// JSONata expressions and `${{ expr }}` templates: compiled once (cached by source),
// evaluated with a timeout and a stack guard; every error points at the exact
// line:col inside the YAML scalar that holds the expression.
import jsonata from "jsonata";
import { KubexmError, type Diagnostic, type SourceLocation } from "../diagnostics.js";
import { locateInScalar, type SourceDoc, type YamlPath } from "../source.js";
import { CONTEXT_NAMES, type ExprBindings, type ExprContext } from "./types.js";

// a guard against runaway expressions, not a performance limit: the clock is wall time
// across awaits, so other nodes' work (SSH handshakes) counts too
export const EVAL_TIMEOUT_MS = 10_000;
export const EVAL_MAX_DEPTH = 200;

/** Where an expression lives: the YAML scalar, and its offset inside that scalar's value. */
export interface ExprWhere {
  src: SourceDoc;
  path: YamlPath;
  offset?: number;
}

export interface StepRefUse {
  fn: "output" | "changed" | "status";
  ref: string;
}

export interface CompiledExpr {
  source: string;
  evaluate(ctx: ExprContext, bindings?: ExprBindings): Promise<unknown>;
  /** $output('t/s') / $changed / $status references with a literal first argument */
  stepRefs: StepRefUse[];
  /** top-level names read from the context */
  names: string[];
}

type JsonataExpr = ReturnType<typeof jsonata>;
const cache = new Map<string, { expr?: JsonataExpr; error?: { position: number; message: string } }>();

function parse(source: string) {
  let hit = cache.get(source);
  if (!hit) {
    try {
      hit = { expr: jsonata(source, { timeout: EVAL_TIMEOUT_MS, stack: EVAL_MAX_DEPTH } as any) };
    } catch (e) {
      const err = e as { position?: number; message?: string; token?: string };
      hit = { error: { position: err.position ?? 0, message: err.message ?? String(e) } };
    }
    cache.set(source, hit);
  }
  return hit;
}

/** Syntax problems of an expression (empty when fine), located in the YAML file. */
export function checkExpression(source: string, where: ExprWhere, allowed: readonly string[] = CONTEXT_NAMES): Diagnostic[] {
  const hit = parse(source);
  if (hit.error) {
    // jsonata reports the position just after the offending token (1-based end)
    const pos = Math.max(0, Math.min(source.length, hit.error.position) - 1);
    return [{ code: "expr-syntax", severity: "error", message: `expression error: ${hit.error.message} in \`${source}\``, loc: at(where, pos) }];
  }
  const out: Diagnostic[] = [];
  for (const n of topLevelNames(hit.expr!.ast() as any)) {
    if (!allowed.includes(n.name)) {
      out.push({
        code: "expr-unknown-name",
        severity: "error",
        message: `unknown name "${n.name}" in \`${source}\``,
        hint: `an expression starts from one of: ${allowed.join(", ")}`,
        loc: at(where, n.position),
      });
    }
  }
  return out;
}

export function compileExpression(source: string, where: ExprWhere): CompiledExpr {
  const problems = checkExpression(source, where);
  if (problems.length) throw new KubexmError(problems);
  const expr = parse(source).expr!;
  const ast = expr.ast() as any;
  return {
    source,
    stepRefs: stepRefs(ast),
    names: topLevelNames(ast).map((n) => n.name),
    async evaluate(ctx, bindings = {}) {
      const b: Record<string, unknown> = {};
      if (bindings.output) b.output = bindings.output;
      if (bindings.changed) b.changed = bindings.changed;
      if (bindings.status) b.status = bindings.status;
      try {
        // the guards' clock and depth are per evaluate() call, so one compiled
        // expression serves every node concurrently
        return await expr.evaluate(ctx, b);
      } catch (e) {
        const err = e as { position?: number; message?: string; code?: string };
        const msg = err.code === "D1011" || err.code === "D1012" ? `took longer than ${EVAL_TIMEOUT_MS} ms or recursed too deep` : err.message ?? String(e);
        throw new KubexmError({
          code: "expr-eval",
          severity: "error",
          message: `expression \`${source}\` failed: ${msg}`,
          loc: at(where, Math.max(0, (err.position ?? 1) - 1)),
        });
      }
    },
  };
}

function at(where: ExprWhere, pos: number): SourceLocation {
  return locateInScalar(where.src, where.path, (where.offset ?? 0) + pos);
}

/** Names read from the root context: the first step of top-level paths (not inside predicates or lambdas). */
function topLevelNames(ast: any): { name: string; position: number }[] {
  const out: { name: string; position: number }[] = [];
  const visit = (n: any) => {
    if (!n || typeof n !== "object") return;
    switch (n.type) {
      case "name":
        out.push({ name: n.value, position: Math.max(0, n.position - n.value.length) });
        return;
      case "path":
        if (n.steps?.[0]?.type === "name") {
          const s = n.steps[0];
          out.push({ name: s.value, position: Math.max(0, s.position - s.value.length) });
          for (const st of n.steps[0].stages ?? []) void st; // predicates read relative data
        } else if (n.steps?.[0]) visit(n.steps[0]);
        return;
      case "binary":
        visit(n.lhs);
        visit(n.rhs);
        return;
      case "condition":
        visit(n.condition);
        visit(n.then);
        visit(n.else);
        return;
      case "function":
      case "partial":
        (n.arguments ?? []).forEach(visit);
        if (n.procedure?.type === "path") visit(n.procedure);
        return;
      case "unary":
        if (n.value === "-") visit(n.expression);
        else if (n.value === "[") (n.expressions ?? []).forEach(visit);
        else if (n.value === "{") (n.lhs ?? []).forEach((p: any[]) => p.forEach(visit));
        return;
      case "block":
        (n.expressions ?? []).forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(ast);
  return out;
}

function stepRefs(ast: any): StepRefUse[] {
  const out: StepRefUse[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === "function" && n.procedure?.type === "variable" && ["output", "changed", "status"].includes(n.procedure.value)) {
      const a = n.arguments?.[0];
      if (a?.type === "string") out.push({ fn: n.procedure.value, ref: a.value });
    }
    for (const v of Object.values(n)) if (v && typeof v === "object") walk(v);
  };
  walk(ast);
  return out;
}
