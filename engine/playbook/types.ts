// Playbook files after loading: every element keeps its file and YAML path so any
// problem found later (compiler, run) can point at file:line:col.
import type { SourceDoc, YamlPath } from "../source.js";

export interface Located {
  src: SourceDoc;
  path: YamlPath;
}

/** `needs: [a, b@all]` entry */
export interface NeedRef extends Located {
  id: string;
  /** `x@all`: wait for x on every host (a barrier) */
  all: boolean;
}

export type StepSection = "steps" | "finally" | "onFailure";

export interface StepDef extends Located {
  id: string;
  run: string;
  with?: unknown;
  description?: string;
  on?: string;
  /** a list of sibling ids, or a JSONata expression (compile time) giving them */
  needs: NeedRef[] | string;
  when?: string;
  loop?: string;
  loopKey?: string;
  tags: string[];
  retries: number;
  /** milliseconds */
  delay: number;
  until?: string;
  /** milliseconds, 0 = none */
  timeout: number;
  ignoreErrors: boolean;
  become?: boolean;
  register?: string;
  serial?: number | string;
  section: StepSection;
}

export interface TaskDef extends Located {
  kind: "Task";
  name: string;
  file: string;
  description?: string;
  on?: string;
  when?: string;
  tags: string[];
  become?: boolean;
  serial?: number | string;
  steps: StepDef[];
  finally: StepDef[];
  onFailure: StepDef[];
}

export interface UnitRef extends Located {
  id: string;
  use: string;
  description?: string;
  needs: NeedRef[];
  when?: string;
  on?: string;
  tags: string[];
  serial?: number | string;
  resolved: ModuleDef | TaskDef;
}

export interface ModuleDef extends Located {
  kind: "Module";
  name: string;
  file: string;
  description?: string;
  on?: string;
  when?: string;
  tags: string[];
  tasks: UnitRef[];
  finally: UnitRef[];
}

export interface PipelineDef extends Located {
  kind: "Pipeline";
  name: string;
  file: string;
  description?: string;
  vars: Record<string, unknown>;
  on?: string;
  modules: UnitRef[];
  finally: UnitRef[];
}

export type PlaybookDef = PipelineDef | ModuleDef | TaskDef;

export type { SourceDoc, YamlPath };
