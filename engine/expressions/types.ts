// The expression context of playbook-format.md: what `when`, `on`, `needs`, `until`,
// `loop` and `${{ }}` in strings can read.
import type { Facts, PublicHost, WorkPaths } from "../types.js";

export interface ExprContext {
  cluster: unknown;
  vars: Record<string, unknown>;
  roles: Record<string, string[]>;
  hosts: Record<string, PublicHost>;
  /** every host name */
  all: string[];
  /** the control machine's name: `on: local` */
  local: "local";
  /** the current host (per-host expressions) */
  host?: PublicHost;
  facts?: Record<string, Facts>;
  /** outputs[stepRef][host] */
  outputs?: Record<string, Record<string, Record<string, unknown>>>;
  paths: WorkPaths;
  run?: { id: string; dryRun: boolean };
  item?: unknown;
  loopKey?: string | number;
  /** in `until`: the outputs of the attempt that just ran */
  result?: Record<string, unknown>;
}

/** Functions bound at run time, per node. */
export interface ExprBindings {
  output?(ref: string, key?: string, host?: string): unknown;
  changed?(ref: string): boolean;
  status?(ref: string): string | undefined;
}

/** The names an expression may start from (anything else is an "unknown name"). */
export const CONTEXT_NAMES = ["cluster", "vars", "roles", "hosts", "all", "local", "host", "facts", "outputs", "paths", "run", "item", "loopKey", "result"];
