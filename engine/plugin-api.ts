// The public API for community step plugins: `import { definePlugin, defineStep } from "kubexm/plugin"`.
// Plugins get a StepContext and nothing else of the engine: they never open SSH
// connections of their own and never import engine internals.
import type { StepPlugin } from "./types.js";

export type {
  CheckResult,
  Connection,
  ExecOptions,
  ExecResult,
  Facts,
  FileStat,
  JSONSchema,
  Logger,
  PublicHost,
  PutOptions,
  StepContext,
  StepPlugin,
  StepRunResult,
  StepTarget,
  WorkPaths,
} from "./types.js";

/** The plugin API versions this kubexm can load. */
export const SUPPORTED_API_VERSIONS: readonly number[] = [1];
export const PLUGIN_API_VERSION = 1;

export interface KubexmPlugin {
  /** the plugin API the plugin was written for (1) */
  apiVersion: number;
  /** short name; every step is called "<name>.<step>" */
  name: string;
  version: string;
  steps: StepPlugin[];
}

/** A step as a plugin defines it: the same contract as the built-in steps. */
export type StepDefinition<P = any, O extends Record<string, unknown> = Record<string, unknown>> = StepPlugin<P, O>;

/** Typed identity helper: `export default definePlugin({ apiVersion: 1, name, version, steps })`. */
export function definePlugin(plugin: KubexmPlugin): KubexmPlugin {
  return plugin;
}

/** Typed identity helper for one step; `P` is the type of its `with:` parameters. */
export function defineStep<P = any, O extends Record<string, unknown> = Record<string, unknown>>(
  step: StepDefinition<P, O>,
): StepPlugin<P, O> {
  return step;
}
