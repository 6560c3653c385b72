// Loads a playbook file and every file it `use:`s: YAML -> schema -> typed tree,
// with `use:` paths resolved relative to each file, use-cycles, duplicate ids,
// unknown `needs` and expression syntax reported at once, each at file:line:col.
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { DiagnosticBag, KubexmError } from "../diagnostics.js";
import { checkExpression } from "../expressions/compile.js";
import { checkValue } from "../expressions/template.js";
import { packageFile } from "../package-root.js";
import { didYouMean, schemaDiagnostics } from "../schema-errors.js";
import { loadYamlFile, locate, type SourceDoc, type YamlPath } from "../source.js";
import { durationMs } from "./duration.js";
import type { ModuleDef, NeedRef, PipelineDef, PlaybookDef, StepDef, StepSection, TaskDef, UnitRef } from "./types.js";

const KINDS = ["Pipeline", "Module", "Task"] as const;
type Kind = (typeof KINDS)[number];

let validators: Record<Kind, ValidateFunction> | undefined;
function validatorFor(kind: Kind): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    for (const f of ["task", "module", "pipeline"]) ajv.addSchema(JSON.parse(readFileSync(packageFile(`schemas/${f}.schema.json`), "utf8")));
    validators = {
      Task: ajv.getSchema("https://kubexm.dev/schemas/task.schema.json")!,
      Module: ajv.getSchema("https://kubexm.dev/schemas/module.schema.json")!,
      Pipeline: ajv.getSchema("https://kubexm.dev/schemas/pipeline.schema.json")!,
    };
  }
  return validators[kind];
}

/** Loads `file` and everything it uses; throws KubexmError with every problem found. */
export async function loadPlaybook(file: string): Promise<PlaybookDef> {
  const loader = new Loader();
  const def = loader.load(resolve(file), [], undefined);
  loader.bag.throwIfAny();
  return def!;
}

/** Like loadPlaybook but returns the diagnostics instead of throwing (for `kubexm validate`). */
export async function checkPlaybook(file: string): Promise<{ def?: PlaybookDef; bag: DiagnosticBag }> {
  const loader = new Loader();
  const def = loader.load(resolve(file), [], undefined);
  return { def: loader.bag.errors.length ? undefined : def, bag: loader.bag };
}

class Loader {
  readonly bag = new DiagnosticBag();
  private readonly done = new Map<string, PlaybookDef | undefined>();

  /** `stack`: the files being loaded above this one (use-cycle detection). */
  load(file: string, stack: string[], from: { src: SourceDoc; path: YamlPath } | undefined): PlaybookDef | undefined {
    if (stack.includes(file)) {
      const cycle = [...stack.slice(stack.indexOf(file)), file].map((f) => rel(f)).join(" -> ");
      this.bag.error("use-cycle", `use: cycle: ${cycle}`, from && locate(from.src, from.path), { hint: "a file cannot use itself, directly or through others" });
      return undefined;
    }
    if (this.done.has(file)) return this.done.get(file);
    const src = loadYamlFile(rel(file), this.bag); // diagnostics name files as the user sees them
    if (!src) {
      if (from) {
        const last = this.bag.items.pop()!;
        this.bag.error("use-not-found", `use: file not found: ${rel(file)}`, locate(from.src, from.path), { hint: "paths in use: are relative to the file that has them" });
        void last;
      }
      this.done.set(file, undefined);
      return undefined;
    }
    if (src.value === undefined) return undefined;
    const doc = src.value as Record<string, unknown>;
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
      this.bag.error("playbook-kind", "a playbook file is a mapping with kind: Pipeline, Module or Task", locate(src, []));
      return undefined;
    }
    const kind = doc.kind as Kind;
    if (!KINDS.includes(kind)) {
      const guess = typeof kind === "string" ? didYouMean(kind, KINDS) : undefined;
      this.bag.error("playbook-kind", kind === undefined ? "missing kind: (Pipeline, Module or Task)" : `unknown kind "${String(kind)}"${guess ? ` (did you mean "${guess}"?)` : ""}`, locate(src, doc.kind === undefined ? [] : ["kind"]), {
        hint: "kind is one of Pipeline, Module, Task",
      });
      return undefined;
    }
    const validate = validatorFor(kind);
    if (!validate(doc)) {
      this.bag.items.push(...schemaDiagnostics(src, validate.errors ?? []));
      this.done.set(file, undefined);
      return undefined;
    }
    const inner = [...stack, file];
    let def: PlaybookDef;
    if (kind === "Task") def = this.task(src, doc, file);
    else if (kind === "Module") def = this.module(src, doc, file, inner);
    else def = this.pipeline(src, doc, file, inner);
    this.done.set(file, def);
    return def;
  }

  private pipeline(src: SourceDoc, doc: any, file: string, stack: string[]): PipelineDef {
    this.expr(src, ["on"], doc.on);
    return {
      kind: "Pipeline",
      name: doc.name,
      file,
      description: doc.description,
      vars: doc.vars ?? {},
      on: doc.on,
      modules: this.units(src, doc.modules, ["modules"], file, stack, ["Module", "Task"]),
      finally: this.units(src, doc.finally ?? [], ["finally"], file, stack, ["Module", "Task"]),
      src,
      path: [],
    };
  }

  private module(src: SourceDoc, doc: any, file: string, stack: string[]): ModuleDef {
    this.expr(src, ["on"], doc.on);
    this.expr(src, ["when"], doc.when);
    return {
      kind: "Module",
      name: doc.name,
      file,
      description: doc.description,
      on: doc.on,
      when: doc.when,
      tags: doc.tags ?? [],
      tasks: this.units(src, doc.tasks, ["tasks"], file, stack, ["Task"]),
      finally: this.units(src, doc.finally ?? [], ["finally"], file, stack, ["Task"]),
      src,
      path: [],
    };
  }

  private units(src: SourceDoc, list: any[], base: YamlPath, file: string, stack: string[], allowed: Kind[]): UnitRef[] {
    const ids = new Set(list.map((u) => u.id));
    const seen = new Set<string>();
    const out: UnitRef[] = [];
    list.forEach((u, i) => {
      const path = [...base, i];
      if (seen.has(u.id)) this.bag.error("duplicate-id", `duplicate id "${u.id}"`, locate(src, [...path, "id"]), { hint: "ids must be unique among siblings" });
      seen.add(u.id);
      this.expr(src, [...path, "when"], u.when);
      this.expr(src, [...path, "on"], u.on);
      const needs = this.needList(src, u.needs ?? [], [...path, "needs"], ids, u.id);
      const target = resolve(dirname(file), u.use);
      const resolved = this.load(target, stack, { src, path: [...path, "use"] });
      if (resolved && !allowed.includes(resolved.kind)) {
        this.bag.error("use-kind", `use: ${u.use} is a ${resolved.kind}; here only ${allowed.join(" or ")} files can be used`, locate(src, [...path, "use"]));
        return;
      }
      if (!resolved) return;
      out.push({ id: u.id, use: u.use, description: u.description, needs, when: u.when, on: u.on, tags: u.tags ?? [], serial: u.serial, resolved: resolved as ModuleDef | TaskDef, src, path });
    });
    return out;
  }

  private task(src: SourceDoc, doc: any, file: string): TaskDef {
    this.expr(src, ["on"], doc.on);
    this.expr(src, ["when"], doc.when);
    const all = [...(doc.steps ?? []), ...(doc.finally ?? []), ...(doc.onFailure ?? [])].map((s: any) => s.id);
    const ids = new Set<string>(all);
    const seen = new Set<string>();
    const steps = (section: StepSection): StepDef[] =>
      (doc[section] ?? []).map((s: any, i: number) => this.step(src, s, [section, i], section, ids, seen));
    return {
      kind: "Task",
      name: doc.name,
      file,
      description: doc.description,
      on: doc.on,
      when: doc.when,
      tags: doc.tags ?? [],
      become: doc.become,
      serial: doc.serial,
      steps: steps("steps"),
      finally: steps("finally"),
      onFailure: steps("onFailure"),
      src,
      path: [],
    };
  }

  private step(src: SourceDoc, s: any, path: YamlPath, section: StepSection, ids: Set<string>, seen: Set<string>): StepDef {
    if (seen.has(s.id)) this.bag.error("duplicate-id", `duplicate step id "${s.id}"`, locate(src, [...path, "id"]), { hint: "step ids must be unique within the task" });
    seen.add(s.id);
    for (const k of ["on", "when", "loop", "loopKey", "until"] as const) this.expr(src, [...path, k], s[k]);
    if (typeof s.needs === "string") this.expr(src, [...path, "needs"], s.needs);
    if (s.with !== undefined) this.bag.items.push(...checkValue(s.with, { src, path: [...path, "with"] }));
    return {
      id: s.id,
      run: s.run,
      with: s.with,
      description: s.description,
      on: s.on,
      needs: typeof s.needs === "string" ? s.needs : this.needList(src, s.needs ?? [], [...path, "needs"], ids, s.id),
      when: s.when,
      loop: s.loop,
      loopKey: s.loopKey,
      tags: s.tags ?? [],
      retries: s.retries ?? 0,
      delay: durationMs(s.delay),
      until: s.until,
      timeout: durationMs(s.timeout),
      ignoreErrors: s.ignoreErrors ?? false,
      become: s.become,
      register: s.register,
      serial: s.serial,
      section,
      src,
      path,
    };
  }

  private needList(src: SourceDoc, needs: string[], base: YamlPath, ids: Set<string>, self: string): NeedRef[] {
    return needs.map((n, i) => {
      const all = n.endsWith("@all");
      const id = all ? n.slice(0, -4) : n;
      const path = [...base, i];
      if (id === self) this.bag.error("needs-self", `"${self}" needs itself`, locate(src, path));
      else if (!ids.has(id)) {
        const guess = didYouMean(id, [...ids].filter((x) => x !== self));
        this.bag.error("unknown-need", `needs "${id}", which is not a sibling${guess ? ` (did you mean "${guess}"?)` : ""}`, locate(src, path), {
          hint: `known here: ${[...ids].filter((x) => x !== self).join(", ") || "none"}`,
        });
      }
      return { id, all, src, path };
    });
  }

  private expr(src: SourceDoc, path: YamlPath, source: unknown): void {
    if (typeof source !== "string") return;
    this.bag.items.push(...checkExpression(source, { src, path }));
  }
}

function rel(f: string): string {
  const r = relative(process.cwd(), f);
  return r.startsWith("..") ? f : r;
}
