// Loads the cluster config: YAML with positions -> schema (defaults applied) ->
// host records and role groups -> the rules a schema cannot express. Every
// problem is reported at once, each at its file:line:col with a fix hint.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { DiagnosticBag, KubexmError, registerSource } from "../diagnostics.js";
import { didYouMean, schemaDiagnostics } from "../schema-errors.js";
import { packageFile } from "../package-root.js";
import { locate, parseYaml, type SourceDoc } from "../source.js";
import type { HostRecord } from "../types.js";
import { checkRules } from "./rules.js";
import { expandHostRange } from "./ranges.js";
import { KNOWN_ROLES, type ClusterSpec, type LoadedCluster } from "./types.js";

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(packageFile("schemas/cluster.schema.json"), "utf8"));
    validator = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, verbose: true }).compile(schema);
  }
  return validator;
}

export async function loadClusterConfig(file: string): Promise<LoadedCluster> {
  const bag = new DiagnosticBag();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KubexmError({
      code: "file-not-found",
      severity: "error",
      message: code === "ENOENT" ? `cluster config not found: ${file}` : `cannot read ${file}: ${(e as Error).message}`,
      hint: "write one with: kubexm create config -o cluster.yaml",
    });
  }
  return loadClusterConfigText(file, text, bag);
}

export function loadClusterConfigText(file: string, text: string, bag = new DiagnosticBag()): LoadedCluster {
  // A full-width colon ("version： 1.7.6") is reported, then read as ":" so that the
  // rest of the file is still checked and every other error shows up in one pass.
  const fullWidth = fullWidthColons(file, text, bag);
  const yamlBag = new DiagnosticBag();
  const src = parseYaml(file, fullWidth ? text.replaceAll("：", ":") : text, yamlBag);
  registerSource(file, text);
  src.text = text;
  bag.items.push(...yamlBag.items);
  if (bag.errors.length && src.value === undefined) bag.throwIfAny();
  const doc = src.value as { metadata?: { name?: string }; spec?: ClusterSpec };
  if (!validate()(doc)) bag.items.push(...schemaDiagnostics(src, validate().errors ?? []));
  const spec = doc.spec!;
  if (bag.errors.length) {
    // the schema failed: the deeper checks still run where the data allows, so the
    // user sees every problem at once, but a shape they cannot handle ends here
    try {
      const { hosts, roles } = buildHosts(src, spec, bag);
      checkRules(src, spec, hosts, roles, bag);
    } catch {
      /* malformed beyond what the rules can read: the schema errors say why */
    }
    bag.throwIfAny();
  }
  const { hosts, roles } = buildHosts(src, spec, bag);
  checkRules(src, spec, hosts, roles, bag);
  bag.throwIfAny();
  const secrets = collectSecrets(spec);
  return { name: doc.metadata!.name!, file, spec, hosts, roles, source: src, secrets, warnings: bag.warnings };
}

/** `version： 1.7.6` (U+FF1A) reads as text, not a key: name the real cause. Returns the lines. */
function fullWidthColons(file: string, text: string, bag: DiagnosticBag): boolean {
  let found = false;
  text.split(/\r?\n/).forEach((line, i) => {
    const hash = line.indexOf("#");
    const col = line.indexOf("：");
    if (col >= 0 && (hash < 0 || col < hash)) {
      found = true;
      const key = line.slice(0, col).trim().replace(/^-\s*/, "");
      bag.error("full-width-colon", `full-width colon "：" after "${key}": YAML needs an ASCII colon ":"`, { file, line: i + 1, col: col + 1 }, {
        hint: `write "${key}: ${line.slice(col + 1).trim()}"`,
      });
    }
  });
  return found;
}

function buildHosts(src: SourceDoc, spec: ClusterSpec, bag: DiagnosticBag): { hosts: HostRecord[]; roles: Record<string, string[]> } {
  const byName = new Map<string, HostRecord>();
  const hosts: HostRecord[] = spec.hosts.map((h, i) => {
    const internal = (h.internalAddress ?? h.address).split(",").map((s) => s.trim()).filter(Boolean);
    const rec: HostRecord = {
      name: h.name,
      address: h.address,
      internalAddress: internal,
      internalAddressV4: internal.find((a) => !a.includes(":")),
      internalAddressV6: internal.find((a) => a.includes(":")),
      port: h.port ?? 22,
      user: h.user ?? "root",
      arch: h.arch ?? "amd64",
      labels: h.labels ?? {},
      roles: [],
      password: h.password,
      privateKeyPath: h.privateKeyPath ? expandHome(h.privateKeyPath) : undefined,
      privateKeyPassphrase: h.privateKeyPassphrase,
    };
    if (byName.has(h.name)) {
      bag.error("duplicate-host", `host name "${h.name}" is used twice`, locateHost(src, i, "name"), { hint: "host names must be unique" });
    }
    byName.set(h.name, rec);
    return rec;
  });
  const roles: Record<string, string[]> = {};
  for (const r of KNOWN_ROLES) roles[r] = [];
  for (const [role, entries] of Object.entries(spec.roleGroups ?? {})) {
    const names: string[] = [];
    (entries ?? []).forEach((entry, i) => {
      const r = expandHostRange(String(entry));
      const at = locateHost(src, -1, "", ["spec", "roleGroups", role, i]);
      if ("error" in r) return bag.error("host-range", r.error, at);
      for (const n of r.names) {
        const host = byName.get(n);
        if (!host) {
          const guess = didYouMean(n, byName.keys());
          bag.error("unknown-host", `role "${role}" names host "${n}", which is not in spec.hosts${guess ? ` (did you mean "${guess}"?)` : ""}`, at, {
            hint: entry !== n ? `the range ${entry} includes ${n}` : "add the host to spec.hosts or fix the name",
          });
          continue;
        }
        if (names.includes(n)) continue;
        names.push(n);
        host.roles.push(role);
      }
    });
    roles[role] = names;
  }
  return { hosts, roles };
}

function locateHost(src: SourceDoc, index: number, field: string, path?: (string | number)[]) {
  return locate(src, path ?? ["spec", "hosts", index, field]);
}

function expandHome(p: string): string {
  return p.startsWith("~/") ? resolve(homedir(), p.slice(2)) : p;
}

function collectSecrets(spec: ClusterSpec): string[] {
  const out: string[] = [];
  for (const h of spec.hosts) for (const s of [h.password, h.privateKeyPassphrase]) if (s) out.push(s);
  for (const a of Object.values(spec.registry?.auths ?? {})) if (a?.password) out.push(a.password);
  return out;
}
