// The project config (cosmiconfig: .kubexmrc, .kubexmrc.json/.yaml/.yml, kubexm.config.js/.mjs/.cjs,
// or "kubexm" in package.json) records which plugins the project uses.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { cosmiconfig } from "cosmiconfig";
import { parseDocument, stringify } from "yaml";
import { KubexmError } from "../diagnostics.js";

export interface PluginRecord {
  /** npm package name (kubexm-plugin-foo or @scope/kubexm-plugin-foo) */
  package: string;
  version: string;
  /** what the user installed from: npm spec, path or tarball */
  source: string;
}

export interface ProjectConfig {
  /** folder holding installed plugins, relative to the project config (default .kubexm/plugins) */
  pluginDir?: string;
  plugins?: PluginRecord[];
}

export interface LoadedProjectConfig {
  config: ProjectConfig;
  /** the file it came from; undefined when the project has none yet */
  file?: string;
  /** the project root (the config's folder, or the cwd) */
  root: string;
  pluginDir: string;
}

const MODULE = "kubexm";
const SEARCH_PLACES = [
  "package.json",
  ".kubexmrc",
  ".kubexmrc.json",
  ".kubexmrc.yaml",
  ".kubexmrc.yml",
  "kubexm.config.json",
  "kubexm.config.yaml",
  "kubexm.config.js",
  "kubexm.config.mjs",
  "kubexm.config.cjs",
];

export async function loadProjectConfig(cwd = process.cwd()): Promise<LoadedProjectConfig> {
  const explorer = cosmiconfig(MODULE, { searchPlaces: SEARCH_PLACES, stopDir: resolve(cwd), cache: false });
  let found: { config: unknown; filepath: string } | null;
  try {
    found = await explorer.search(resolve(cwd));
  } catch (e) {
    throw new KubexmError({
      code: "project-config",
      severity: "error",
      message: `cannot read the project config: ${(e as Error).message.split("\n")[0]}`,
      hint: "fix or remove the .kubexmrc / kubexm.config.* file",
    });
  }
  const root = found ? dirname(found.filepath) : resolve(cwd);
  const config = (found?.config ?? {}) as ProjectConfig;
  if (config.plugins !== undefined && !Array.isArray(config.plugins)) {
    throw new KubexmError({
      code: "project-config",
      severity: "error",
      message: `${found!.filepath}: "plugins" must be a list`,
    });
  }
  return { config, file: found?.filepath, root, pluginDir: resolve(root, config.pluginDir ?? ".kubexm/plugins") };
}

/** Writes the plugin list back. JSON and YAML files are edited in place; JS configs must be edited by hand. */
export function saveProjectConfig(loaded: LoadedProjectConfig, plugins: PluginRecord[]): string {
  const file = loaded.file ?? join(loaded.root, ".kubexmrc.json");
  const name = basename(file);
  if (name === "package.json") {
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    pkg.kubexm = { ...(pkg.kubexm ?? {}), plugins };
    writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  } else if (/\.(c|m)?js$/.test(name)) {
    throw new KubexmError({
      code: "project-config",
      severity: "error",
      message: `${file} is JavaScript and cannot be edited by kubexm`,
      hint: `add ${JSON.stringify(plugins)} as "plugins" there yourself, or use a .kubexmrc.json`,
    });
  } else if (name.endsWith(".json") || (name === ".kubexmrc" && isJson(file))) {
    const cur = existsSync(file) ? JSON.parse(readFileSync(file, "utf8") || "{}") : {};
    cur.plugins = plugins;
    writeFileSync(file, JSON.stringify(cur, null, 2) + "\n");
  } else {
    // YAML: keep the user's comments
    const doc = parseDocument(existsSync(file) ? readFileSync(file, "utf8") : "");
    if (!doc.contents) writeFileSync(file, stringify({ plugins }));
    else {
      doc.set("plugins", plugins);
      writeFileSync(file, doc.toString());
    }
  }
  loaded.file = file;
  loaded.config.plugins = plugins;
  return file;
}

function isJson(file: string): boolean {
  if (!existsSync(file)) return true;
  return readFileSync(file, "utf8").trimStart().startsWith("{");
}
