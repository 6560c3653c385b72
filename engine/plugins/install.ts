// `kubexm plugin install|remove`: npm installs into the project's plugin folder
// (its own package.json + package-lock.json), never running install scripts unless
// asked, then the plugin is loaded once to prove it works before it is recorded.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { KubexmError, type Diagnostic } from "../diagnostics.js";
import type { StepRegistry } from "../registry.js";
import { checkPluginShape, loadPlugins, resolvePackageEntry } from "./load.js";
import { loadProjectConfig, saveProjectConfig, type LoadedProjectConfig, type PluginRecord } from "./project-config.js";

export interface InstallOptions {
  cwd?: string;
  /** never touch the network (tarballs and folders need none) */
  offline?: boolean;
  /** run the package's install scripts (off by default) */
  allowScripts?: boolean;
  /** a registry with the built-in steps, to detect name clashes */
  registry: () => StepRegistry;
}

export interface InstallResult {
  record: PluginRecord;
  steps: string[];
  configFile: string;
}

export const PLUGIN_NAME = /^(@[a-z0-9][\w.-]*\/)?kubexm-plugin-[a-z0-9][\w.-]*$/;

export async function installPlugin(spec: string, opts: InstallOptions): Promise<InstallResult> {
  const project = await loadProjectConfig(opts.cwd);
  ensurePluginDir(project.pluginDir);
  const local = isLocalSpec(spec, opts.cwd);
  const target = local ? resolve(opts.cwd ?? process.cwd(), spec) : spec;
  const before = dependencies(project.pluginDir);
  const args = ["install", target, "--prefix", project.pluginDir, "--save", "--no-audit", "--no-fund", "--install-links"];
  if (!opts.allowScripts) args.push("--ignore-scripts");
  if (opts.offline) args.push("--offline");
  npm(args, `install ${spec}`);
  const after = dependencies(project.pluginDir);
  const name = Object.keys(after).find((k) => before[k] !== after[k]) ?? guessName(spec, after);
  if (!name) throw usage(`npm installed nothing recognisable for ${spec}`);
  const version = installedVersion(project.pluginDir, name);

  const problems: string[] = [];
  if (!PLUGIN_NAME.test(name)) problems.push(`"${name}" is not a kubexm plugin name (kubexm-plugin-<name> or @scope/kubexm-plugin-<name>)`);
  const record: PluginRecord = { package: name, version, source: local ? spec : spec };
  // load it the way `run` will, next to the built-ins and the other plugins
  const registry = opts.registry();
  const others = (project.config.plugins ?? []).filter((p) => p.package !== name);
  const trial: LoadedProjectConfig = { ...project, config: { ...project.config, plugins: [...others, record] } };
  const { loaded, errors } = await loadPlugins(registry, trial);
  const mine = errors.filter((d) => d.message.startsWith(`plugin ${name}:`));
  problems.push(...mine.map((d) => d.message.replace(`plugin ${name}: `, "")));
  if (problems.length) {
    npm(["uninstall", name, "--prefix", project.pluginDir, "--no-audit", "--no-fund"], `uninstall ${name}`);
    throw new KubexmError(
      problems.map((p): Diagnostic => ({ code: "plugin", severity: "error", message: `plugin ${name}: ${p}`, hint: mine[0]?.hint })),
    );
  }
  const configFile = saveProjectConfig(project, [...others, record]);
  const plugin = loaded.find((l) => l.record.package === name)!.plugin;
  return { record, steps: plugin.steps.map((s) => s.name), configFile };
}

export async function removePlugin(name: string, cwd?: string): Promise<string> {
  const project = await loadProjectConfig(cwd);
  const plugins = project.config.plugins ?? [];
  if (!plugins.some((p) => p.package === name)) {
    throw usage(`plugin ${name} is not installed in this project`, `"kubexm plugin list" shows the installed ones`);
  }
  if (existsSync(join(project.pluginDir, "package.json"))) {
    npm(["uninstall", name, "--prefix", project.pluginDir, "--no-audit", "--no-fund"], `uninstall ${name}`);
  }
  return saveProjectConfig(project, plugins.filter((p) => p.package !== name));
}

/** Steps of an installed plugin without registering it (for `plugin list`). */
export async function describeInstalled(project: LoadedProjectConfig, name: string): Promise<string[]> {
  const entry = resolvePackageEntry(project.pluginDir, name);
  const mod = await import(new URL(`file://${entry}`).href);
  return checkPluginShape(mod, name).steps.map((s) => s.name);
}

function ensurePluginDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const pkg = join(dir, "package.json");
  if (!existsSync(pkg)) {
    writeFileSync(pkg, JSON.stringify({ name: "kubexm-project-plugins", private: true, dependencies: {} }, null, 2) + "\n");
  }
}

function dependencies(dir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies ?? {};
  } catch {
    return {};
  }
}

function installedVersion(dir: string, name: string): string {
  return JSON.parse(readFileSync(join(dir, "node_modules", ...name.split("/"), "package.json"), "utf8")).version;
}

function guessName(spec: string, deps: Record<string, string>): string | undefined {
  const bare = spec.replace(/@[^@/]+$/, "");
  return bare in deps ? bare : undefined;
}

function isLocalSpec(spec: string, cwd?: string): boolean {
  return /^(\.|\/|~)/.test(spec) || /\.t(ar\.)?gz$/.test(spec) || existsSync(resolve(cwd ?? process.cwd(), spec));
}

function npm(args: string[], what: string): void {
  const r = spawnSync("npm", args, { encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  if (r.error) throw usage(`cannot run npm to ${what}: ${r.error.message}`);
  if (r.status !== 0) {
    const lines = `${r.stderr}`.split("\n").filter((l) => /npm (error|ERR!)/.test(l) && !/A complete log/.test(l));
    throw usage(`npm could not ${what}: ${lines.slice(0, 4).map((l) => l.replace(/^npm (error|ERR!) ?/, "")).join("; ") || `exit ${r.status}`}`,
      /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(r.stderr) ? "no network: install from a tarball made by `npm pack`, or drop --offline" : undefined);
  }
}

function usage(message: string, hint?: string): KubexmError {
  return new KubexmError({ code: "plugin", severity: "error", message, hint });
}
