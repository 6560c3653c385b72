// Loads the plugins recorded in the project config into the step registry.
// One bad plugin never stops the others: each problem is a Diagnostic naming the
// plugin and the fix; callers print them and exit 2.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { diag, type Diagnostic } from "../diagnostics.js";
import { SUPPORTED_API_VERSIONS, type KubexmPlugin } from "../plugin-api.js";
import type { StepRegistry } from "../registry.js";
import type { StepPlugin } from "../types.js";
import type { LoadedProjectConfig, PluginRecord } from "./project-config.js";

export interface LoadedPlugin {
  record: PluginRecord;
  plugin: KubexmPlugin;
  /** where its code was imported from */
  entry: string;
}

export interface PluginLoadResult {
  loaded: LoadedPlugin[];
  errors: Diagnostic[];
}

const TARGETS = new Set(["remote", "local", "any"]);

export async function loadPlugins(registry: StepRegistry, project: LoadedProjectConfig): Promise<PluginLoadResult> {
  const result: PluginLoadResult = { loaded: [], errors: [] };
  for (const record of project.config.plugins ?? []) {
    const where = project.file ? { file: project.file, line: 1, col: 1 } : undefined;
    try {
      const entry = resolvePackageEntry(project.pluginDir, record.package);
      const mod = await importPlugin(entry, record.package);
      const plugin = checkPluginShape(mod, record.package);
      registerPluginSteps(registry, plugin, record);
      result.loaded.push({ record, plugin, entry });
    } catch (e) {
      const err = e as PluginError;
      result.errors.push(
        diag("plugin", `plugin ${record.package}: ${err.message}`, where, {
          hint: err.hint ?? `reinstall it with "kubexm plugin install ${record.source}" or remove it with "kubexm plugin remove ${record.package}"`,
        }),
      );
    }
  }
  return result;
}

class PluginError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** The file to import for an installed package: exports["."] (import/default), module, main, index.js. */
export function resolvePackageEntry(pluginDir: string, pkgName: string): string {
  const dir = join(pluginDir, "node_modules", ...pkgName.split("/"));
  const pkgFile = join(dir, "package.json");
  if (!existsSync(pkgFile)) {
    throw new PluginError(`is recorded in the project config but not installed in ${pluginDir}`, `run "kubexm plugin install ${pkgName}"`);
  }
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
  let rel: unknown = pkg.exports;
  if (rel && typeof rel === "object" && !Array.isArray(rel)) rel = (rel as any)["."] ?? rel;
  if (rel && typeof rel === "object") rel = (rel as any).import ?? (rel as any).default ?? (rel as any).node;
  if (typeof rel !== "string") rel = pkg.module ?? pkg.main ?? "index.js";
  const entry = join(dir, rel as string);
  if (!existsSync(entry)) throw new PluginError(`its entry file ${rel} is missing from the package`);
  return entry;
}

async function importPlugin(entry: string, name: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(entry).href);
  } catch (e) {
    const msg = (e as Error).message?.split("\n")[0] ?? String(e);
    throw new PluginError(`threw while loading: ${msg}`, `fix the plugin (or ask its author), or remove it with "kubexm plugin remove ${name}"`);
  }
}

/** Accepts `export default definePlugin(...)` or a module whose named exports form the plugin. */
export function checkPluginShape(mod: unknown, pkgName: string): KubexmPlugin {
  const m = mod as Record<string, unknown>;
  const p = (m && typeof m.default === "object" && m.default !== null ? m.default : m) as Partial<KubexmPlugin>;
  if (p.apiVersion === undefined) {
    throw new PluginError(`exports no "apiVersion"`, `export default definePlugin({ apiVersion: 1, name, version, steps })`);
  }
  if (!SUPPORTED_API_VERSIONS.includes(p.apiVersion as number)) {
    throw new PluginError(
      `is written for plugin API ${p.apiVersion}; this kubexm supports ${SUPPORTED_API_VERSIONS.join(", ")}`,
      `install a version of ${pkgName} built for apiVersion ${SUPPORTED_API_VERSIONS.at(-1)}, or upgrade kubexm`,
    );
  }
  if (typeof p.name !== "string" || !/^[a-z][a-z0-9-]*$/.test(p.name)) {
    throw new PluginError(`exports no valid "name" (lowercase letters, digits and "-")`);
  }
  if (typeof p.version !== "string") throw new PluginError(`exports no "version"`);
  if (!Array.isArray(p.steps) || p.steps.length === 0) throw new PluginError(`exports no "steps" (a non-empty list)`);
  for (const s of p.steps as StepPlugin[]) {
    const label = `step ${JSON.stringify(s?.name ?? "?")}`;
    if (!s || typeof s.name !== "string") throw new PluginError(`has a step without a "name"`);
    if (!s.name.startsWith(`${p.name}.`)) {
      throw new PluginError(`${label} must be named "${p.name}.<step>" so it cannot clash with built-in steps`);
    }
    if (typeof s.run !== "function") throw new PluginError(`${label} has no run() function`);
    if (s.check !== undefined && typeof s.check !== "function") throw new PluginError(`${label}: check must be a function`);
    if (typeof s.description !== "string") throw new PluginError(`${label} has no description`);
    if (!s.schema || typeof s.schema !== "object") throw new PluginError(`${label} has no parameter schema`);
    if (s.target !== undefined && !TARGETS.has(s.target)) throw new PluginError(`${label}: target must be remote, local or any`);
  }
  return p as KubexmPlugin;
}

function registerPluginSteps(registry: StepRegistry, plugin: KubexmPlugin, record: PluginRecord): void {
  // all or nothing: check every name and schema before registering any step
  for (const s of plugin.steps) {
    if (registry.has(s.name)) {
      const other = registry.get(s.name)!.origin;
      throw new PluginError(
        `step "${s.name}" clashes with ${other.kind === "builtin" ? "a built-in step" : `plugin ${other.plugin}`}`,
        "rename the step in the plugin, or remove one of the two plugins",
      );
    }
  }
  const origin = { kind: "plugin" as const, plugin: record.package, version: plugin.version };
  const done: string[] = [];
  try {
    for (const s of plugin.steps) {
      // a frozen copy: a plugin cannot change a step after registration, nor reach others'
      registry.register(Object.freeze({ ...s }), origin);
      done.push(s.name);
    }
  } catch (e) {
    for (const n of done) registry.unregister(n);
    throw new PluginError((e as Error).message, "fix the step's JSON Schema in the plugin");
  }
}
