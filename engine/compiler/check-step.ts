// A step against the registry: unknown step names (with a guess) and `with:`
// schema errors at the exact key, ignoring values that are `${{ }}` expressions
// (their type is only known at run time).
import type { Diagnostic } from "../diagnostics.js";
import type { StepDef } from "../playbook/types.js";
import type { StepRegistry } from "../registry.js";
import { didYouMean, pointerToPath } from "../schema-errors.js";
import { locate } from "../source.js";

export function checkStep(s: StepDef, registry: StepRegistry): Diagnostic[] {
  if (!registry.has(s.run)) {
    const guess = didYouMean(s.run, registry.names());
    return [
      {
        code: "unknown-step",
        severity: "error",
        message: `unknown step "${s.run}"${guess ? ` (did you mean "${guess}"?)` : ""}`,
        hint: "kubexm steps list shows the registered steps; community steps come from kubexm plugin install",
        loc: locate(s.src, [...s.path, "run"]),
      },
    ];
  }
  const out: Diagnostic[] = [];
  for (const e of registry.validate(s.run, s.with ?? {})) {
    const rel = pointerToPath(e.instancePath);
    if (holdsExpression(s.with, rel)) continue;
    const m = /^unknown parameter "(.*)"$/.exec(e.message);
    const path = m ? [...s.path, "with", ...rel, m[1]] : [...s.path, s.with === undefined ? "run" : "with", ...rel];
    out.push({
      code: "step-params",
      severity: "error",
      message: `${s.run}: ${rel.length ? `${rel.join(".")}: ` : ""}${e.message}`,
      hint: `kubexm steps show ${s.run} prints its parameters`,
      loc: locate(s.src, path, { key: !!m }),
    });
  }
  return out;
}

function holdsExpression(v: unknown, path: (string | number)[]): boolean {
  let cur = v;
  for (let i = 0; ; i++) {
    if (typeof cur === "string") return cur.includes("${{");
    if (i >= path.length || cur === null || typeof cur !== "object") return false;
    cur = (cur as Record<string, unknown>)[path[i] as string];
  }
}
