// Loads the cluster config: YAML with positions -> schema (defaults applied) ->
// host records and role groups -> the rules a schema cannot express. Every
// problem is reported at once, each at its file:line:col with a fix hint.
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { DiagnosticBag, KubexmError, registerSource } from "../diagnostics.js";
import { packageFile } from "../package-root.js";
import { schemaDiagnostics } from "../schema-errors.js";
import { parseYaml } from "../source.js";
import { applyDerivedDefaults } from "./defaults.js";
import { buildHosts, collectSecrets, type BuiltHosts } from "./hosts.js";
import { checkRules } from "./rules.js";
import { maskSpans, redactDiagnostics, secretSpans } from "./secrets.js";
import { fixFullWidthColons } from "./typos.js";
import type { ClusterSpec, LoadedCluster, LoadOptions } from "./types.js";

// compiled once per process: the compile is the slow part, a validation is cheap
let validator: ValidateFunction | undefined;
export function clusterValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(packageFile("schemas/cluster.schema.json"), "utf8"));
    validator = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, verbose: true }).compile(schema);
  }
  return validator;
}

/** Reads, validates and resolves a cluster config; throws a KubexmError with every problem. */
export async function loadClusterConfig(file: string, opts: LoadOptions = {}): Promise<LoadedCluster> {
  if (opts.text !== undefined) return loadClusterConfigText(file, opts.text);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new KubexmError({
      code: "file-not-found",
      severity: "error",
      message: err.code === "ENOENT" ? `cluster config not found: ${file}` : `cannot read ${file}: ${err.message}`,
      hint: "write one with: kubexm create config -o cluster.yaml",
    });
  }
  return loadClusterConfigText(file, text);
}

function throwIfAny(bag: DiagnosticBag, secrets: string[]): void {
  if (bag.errors.length) throw new KubexmError(redactDiagnostics(bag.errors, secrets));
}

/** The same from text already read (`file` names it in diagnostics). Synchronous. */
export function loadClusterConfigText(file: string, text: string, bag = new DiagnosticBag()): LoadedCluster {
  // a full-width colon is reported, then read as ":" so that the rest of the file
  // is still checked and every other problem shows up in the same pass
  const fixed = fixFullWidthColons(file, text, bag);
  const src = parseYaml(file, fixed, bag);
  // code frames show what the user wrote (same offsets: one UTF-16 unit each),
  // with the secrets blanked: a frame of a host line would show its password
  const secret = secretSpans(src);
  registerSource(file, maskSpans(text, secret.ranges));
  src.text = text;
  if (src.value === undefined || src.value === null || typeof src.value !== "object") {
    if (!bag.errors.length) bag.error("empty-config", `${file} is not a cluster config (expected a mapping with apiVersion, kind, metadata, spec)`, { file, line: 1, col: 1 }, { hint: "write one with: kubexm create config" });
    throwIfAny(bag, secret.values);
  }
  const doc = src.value as { metadata?: { name?: string }; spec?: ClusterSpec };
  const validate = clusterValidator();
  if (!validate(doc)) bag.items.push(...schemaDiagnostics(src, validate.errors ?? []));
  const spec = doc.spec;
  let built: BuiltHosts | undefined;
  if (spec && typeof spec === "object") {
    if (bag.errors.length) {
      // the schema failed: the deeper checks still run where the data allows, so the
      // user sees every problem at once; a shape they cannot read ends here
      try {
        built = deeper();
      } catch {
        /* malformed beyond what the rules can read: the schema errors say why */
      }
    } else built = deeper();
  }
  throwIfAny(bag, secret.values);

  applyDerivedDefaults(spec!);
  const { hosts, roles } = built!;
  const warnings = redactDiagnostics(bag.warnings, secret.values);
  return { name: doc.metadata!.name!, file, spec: spec!, hosts, roles, source: src, secrets: collectSecrets(spec!), warnings };

  function deeper(): BuiltHosts {
    const b = buildHosts(src, spec!, bag);
    checkRules(src, spec!, b.hosts, b.roles, bag);
    return b;
  }
}
