// The step registry: name -> StepPlugin, with each step's `with:` schema compiled
// once. Built-in steps come from steps/index.ts; community plugins add theirs.
// The compiler only needs `has` / `get` / `validate`; the scheduler needs `get`.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import * as addFormatsNs from "ajv-formats";
import type { StepOrigin, StepPlugin } from "./types.js";

// ajv-formats is CommonJS: its default export sits on `.default` under ESM.
const addFormats = ((addFormatsNs as any).default ?? addFormatsNs) as (ajv: Ajv2020) => Ajv2020;

export interface ParamError {
  /** JSON pointer inside `with:` ("" = the whole block, "/dest") */
  instancePath: string;
  message: string;
}

export interface RegisteredStep {
  plugin: StepPlugin;
  origin: StepOrigin;
  validate: ValidateFunction;
}

export class StepRegistry {
  private readonly steps = new Map<string, RegisteredStep>();
  private readonly ajv: Ajv2020;

  constructor() {
    this.ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: false });
    addFormats(this.ajv);
  }

  /** Adds a step; throws on a name clash or a schema that does not compile. */
  register(plugin: StepPlugin, origin: StepOrigin = { kind: "builtin" }): void {
    const existing = this.steps.get(plugin.name);
    if (existing) {
      const by = existing.origin.kind === "builtin" ? "a built-in step" : `plugin ${existing.origin.plugin}`;
      throw new Error(`step "${plugin.name}" is already registered by ${by}`);
    }
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(plugin.schema);
    } catch (e) {
      throw new Error(`the schema of step "${plugin.name}" does not compile: ${(e as Error).message}`);
    }
    this.steps.set(plugin.name, { plugin, origin, validate });
  }

  /** Removes a step (used to undo a plugin's partial registration). */
  unregister(name: string): void {
    this.steps.delete(name);
  }

  has(name: string): boolean {
    return this.steps.has(name);
  }

  get(name: string): RegisteredStep | undefined {
    return this.steps.get(name);
  }

  list(): RegisteredStep[] {
    return [...this.steps.values()].sort((a, b) => a.plugin.name.localeCompare(b.plugin.name));
  }

  names(): string[] {
    return [...this.steps.keys()].sort();
  }

  /** Validates `with:` against the step's schema; [] when valid or the step is unknown. */
  validate(name: string, params: unknown): ParamError[] {
    const entry = this.steps.get(name);
    if (!entry) return [];
    if (entry.validate(params ?? {})) return [];
    return (entry.validate.errors ?? []).map(toParamError);
  }
}

function toParamError(e: ErrorObject): ParamError {
  let message = e.message ?? "is invalid";
  if (e.keyword === "additionalProperties") message = `unknown parameter "${(e.params as any).additionalProperty}"`;
  else if (e.keyword === "required") message = `missing required parameter "${(e.params as any).missingProperty}"`;
  else if (e.keyword === "enum") message = `must be one of ${(e.params as any).allowedValues.map((v: unknown) => JSON.stringify(v)).join(", ")}`;
  return { instancePath: e.instancePath, message };
}
