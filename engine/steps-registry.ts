// The registry every command uses: built-in steps plus the project's plugins.
import { builtinSteps } from "../steps/index.js";
import type { Diagnostic } from "./diagnostics.js";
import { loadPlugins, type LoadedPlugin } from "./plugins/load.js";
import { loadProjectConfig } from "./plugins/project-config.js";
import { StepRegistry } from "./registry.js";

/** Built-in steps only (compile-time checks in tests, plugin clash detection). */
export function defaultRegistry(): StepRegistry {
  const registry = new StepRegistry();
  for (const step of builtinSteps) registry.register(step, { kind: "builtin" });
  return registry;
}

export interface ProjectRegistry {
  registry: StepRegistry;
  plugins: LoadedPlugin[];
  /** one per plugin that failed to load; the others are registered */
  pluginErrors: Diagnostic[];
}

/** Built-ins plus the plugins recorded in the project config found from `cwd`. */
export async function projectRegistry(cwd = process.cwd()): Promise<ProjectRegistry> {
  const registry = defaultRegistry();
  const project = await loadProjectConfig(cwd);
  const { loaded, errors } = await loadPlugins(registry, project);
  return { registry, plugins: loaded, pluginErrors: errors };
}
