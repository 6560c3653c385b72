// The shared contracts between layers. Each layer imports only the types of the
// layer below it: the compiler produces `Graph`; the scheduler runs `Graph` nodes by
// calling `StepPlugin`s with a `StepContext`; steps use a `Connection`.
import type { SourceLocation } from "./diagnostics.js";

/** JSON Schema (2020-12) object, as written in steps/*.ts and schemas/*.json. */
export type JSONSchema = Record<string, unknown>;

// ---------------------------------------------------------------- hosts

export type Arch = "amd64" | "arm64";

/** A machine of the cluster after the config loader applied defaults. `local` is the control machine. */
export interface HostRecord {
  name: string;
  address: string;
  /** internal addresses as written ("v4,v6" split); first is the primary */
  internalAddress: string[];
  internalAddressV4?: string;
  internalAddressV6?: string;
  port: number;
  user: string;
  arch: Arch;
  labels: Record<string, string>;
  /** role group names this host is in (etcd, master, worker, registry, loadbalancer, ...) */
  roles: string[];
  /** secrets: never printed, never stored in state, never passed to plugins */
  password?: string;
  privateKeyPath?: string;
  privateKeyPassphrase?: string;
  /** sudo password when it differs from `password` */
  becomePassword?: string;
  /** true for the control machine pseudo host "local" */
  local?: boolean;
}

/** What step plugins and expressions see of a host: no secrets. */
export type PublicHost = Omit<HostRecord, "password" | "privateKeyPassphrase" | "becomePassword" | "privateKeyPath">;

export const LOCAL_HOST = "local";

// ---------------------------------------------------------------- connections

export interface ExecOptions {
  /** run through sudo (become); the password goes to sudo's stdin after its unique prompt, never argv */
  sudo?: boolean;
  /** run as this user (sudo -u); implies sudo */
  user?: string;
  stdin?: string | Buffer;
  /**
   * milliseconds; on expiry the command's whole process group on the host is
   * killed (under sudo too) and the promise rejects with a timeout error
   */
  timeout?: number;
  /** environment for the command; values never appear in any process's argv on the host */
  env?: Record<string, string>;
  cwd?: string;
  /** aborting kills the command's whole process group on the host before the promise settles */
  signal?: AbortSignal;
  /** output as it arrives (for `-v`); the whole output is still returned in the result */
  onOutput?(stream: "stdout" | "stderr", chunk: string): void;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** set when the remote process died of a signal */
  signal?: string;
}

export interface FileStat {
  type: "file" | "dir" | "link" | "other";
  size: number;
  /** permission bits, e.g. 0o644 */
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
}

export interface PutOptions {
  mode?: string | number;
  owner?: string;
  group?: string;
  sudo?: boolean;
  signal?: AbortSignal;
}

/**
 * One host's connection (SSH or local), shared by every step on that host.
 *
 * Writing files (`put`, `writeFile`): the data goes to a temp file in the target's
 * own directory, which is then renamed over the target (atomic; no temp file is
 * left behind on failure). An existing file keeps its mode, owner and group unless
 * `mode`/`owner`/`group` are given; a new file gets `mode` or 0644, owned by the
 * writing user (root under sudo). Unchanged content is not sent again.
 */
export interface Connection {
  readonly hostName: string;
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  /** copy a local file (path) or bytes to the host; unchanged when the remote sha256 already matches */
  put(src: string | Buffer, remotePath: string, opts?: PutOptions): Promise<{ changed: boolean }>;
  /** copy a remote file to the control machine; unchanged when the local sha256 already matches */
  get(remotePath: string, localPath: string, opts?: { sudo?: boolean; signal?: AbortSignal }): Promise<{ changed: boolean }>;
  /** null when the file does not exist */
  readFile(remotePath: string, opts?: { sudo?: boolean }): Promise<Buffer | null>;
  writeFile(remotePath: string, data: string | Buffer, opts?: PutOptions): Promise<void>;
  /** null when the path does not exist */
  stat(remotePath: string, opts?: { sudo?: boolean }): Promise<FileStat | null>;
  /** hex sha256 of a remote file, null when missing */
  sha256(remotePath: string, opts?: { sudo?: boolean }): Promise<string | null>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- facts

export interface Facts {
  hostname: string;
  os: { id: string; versionId: string; codename?: string; prettyName: string; family: "debian" | "redhat" | "suse" | "other" };
  arch: string; // uname -m mapped: x86_64 -> amd64, aarch64 -> arm64
  kernel: string;
  cpus: number;
  memoryMB: number;
  initSystem: "systemd" | "other";
  packageManager: "apt" | "dnf" | "yum" | "zypper" | "none";
  disks: { name: string; sizeBytes: number }[];
}

// ---------------------------------------------------------------- work dir

/** The control machine's work dir layout fixed by the seeds: $(pwd)/.kubexm/<cluster>/... */
export interface WorkPaths {
  /** $(pwd)/.kubexm */
  root: string;
  /** $(pwd)/.kubexm/<cluster> */
  cluster: string;
  /** .../certs/<component> (etcd, kubernetes) */
  certs(component: string): string;
  /** .../<component>/<version>/<arch>; container runtimes: .../container_runtime/<name>/<version>/<arch> */
  artifact(component: string, version: string, arch?: string): string;
  /** .../runs */
  runs: string;
  /** .../known_hosts */
  knownHosts: string;
}

// ---------------------------------------------------------------- steps

export interface CheckResult {
  /** true: already in the wanted state, the node is `ok` and `run` is not called */
  done: boolean;
  /** what would change (shown by --dry-run) */
  message?: string;
  /** unified diff for file contents (template, line-in-file) */
  diff?: string;
  /** outputs to publish when done (so $output() works on a second run) */
  outputs?: Record<string, unknown>;
}

export interface StepRunResult<O = Record<string, unknown>> {
  changed: boolean;
  outputs?: O;
  message?: string;
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
}

/** Everything a step may use. Plugins never open connections or import engine internals. */
export interface StepContext {
  host: PublicHost;
  /** the connection to `host` (the local connection when host is "local") */
  conn: Connection;
  /** the control machine */
  local: Connection;
  /** `conn.exec` with `sudo` defaulting to `become` */
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  become: boolean;
  paths: WorkPaths;
  facts?: Facts;
  log: Logger;
  signal: AbortSignal;
  dryRun: boolean;
  /** --yes was given */
  assumeYes: boolean;
  /** stdin/stdout are a TTY (confirm may ask) */
  interactive: boolean;
  /** resolve a path written in a playbook relative to that playbook file's directory */
  resolve(path: string): string;
  /** the id of the node being run (module/task/step@host), for messages */
  nodeId: string;
  runId: string;
  /** registers values that must be redacted from every output (e.g. a generated token) */
  addSecret(value: string): void;
}

export type StepTarget = "remote" | "local" | "any";

export interface StepPlugin<P = any, O extends Record<string, unknown> = Record<string, unknown>> {
  /** "command", "template"; community steps: "<plugin>.<step>" */
  name: string;
  description: string;
  /** JSON Schema of `with:`; checked at compile time */
  schema: JSONSchema;
  /** local = control machine only; default remote */
  target?: StepTarget;
  /** keys of `with:` holding secrets (redacted from graph, logs and state) */
  secretParams?: string[];
  /**
   * The step never changes a host (facts, print, wait-port, http-check,
   * etcd-health): it needs no `check`, reports `ok`, never `changed`, and never
   * counts in a plan. A function decides from the parameters (a `command` with
   * `changed: false`). A step that is not read-only must have a `check`.
   */
  readOnly?: boolean | ((params: P) => boolean);
  /**
   * What a dry run does with a read-only step: "run" it (safe and quick, and its
   * outputs feed later expressions: facts, print) or "skip" it, reported `ok`
   * without running (the default: wait-port would wait for what the run starts).
   */
  dryRun?: "run" | "skip";
  /** the step's outputs are the host's facts (`facts` in expressions, `ctx.facts` in later steps) */
  providesFacts?: boolean;
  /** already done? Required for every step that changes a host (idempotency, dry-run) */
  check?(ctx: StepContext, params: P): Promise<CheckResult>;
  run(ctx: StepContext, params: P): Promise<StepRunResult<O>>;
}

/** Where a registered step came from: `kubexm steps list` shows it. */
export interface StepOrigin {
  kind: "builtin" | "plugin";
  plugin?: string;
  version?: string;
}

// ---------------------------------------------------------------- graph

/** Why an edge exists (drawn as its label by `kubexm graph`). */
export type EdgeRule = "host-local" | "barrier" | "local" | "data" | "serial" | "finally";

export type NodeStatus = "ok" | "changed" | "skipped" | "failed" | "blocked" | "cancelled";

/** One step on one host. Id: module/task/step[key]@host (pipeline files), task/step@host (a task file run alone). */
export interface GraphNode {
  id: string;
  /** id without "@host": all nodes of one step (and loop item) share it */
  unit: string;
  /** "<task path>/<step id>" as used by $output('task/step') */
  stepRef: string;
  host: string;
  run: string;
  /** raw `with:` as written (expressions unevaluated; evaluated per node at run time) */
  with: unknown;
  /** run-time condition (JSONata source), if any */
  when?: string;
  until?: string;
  retries: number;
  /** milliseconds */
  delay: number;
  /** milliseconds, 0 = none */
  timeout: number;
  ignoreErrors: boolean;
  become: boolean;
  register?: string;
  tags: string[];
  /** loop item and its key, for `item` / `loopKey` in expressions */
  item?: unknown;
  loopKey?: string;
  /** runs after every other node ends (pipeline or task finally) */
  finally: boolean;
  /** runs only on a host where a node of its task failed */
  onFailure?: boolean;
  /** the step's position in its YAML file */
  source: SourceLocation;
  /** directory of the file that declared the step (for relative paths) */
  baseDir: string;
  /** description for progress output */
  description?: string;
  /** compiled run-time expressions, shared by every node of the step (not serialized) */
  exprs?: NodeExprs;
  /** `$output('x/y')` as written -> the full step ref it names (shared per step) */
  refs?: Record<string, string>;
  /** the step plugin's secret parameter keys (masked in graphs, logs, state) */
  secretParams?: string[];
}

/** Opaque to the graph: the scheduler evaluates them per node. */
export interface NodeExprs {
  with: { dynamic: boolean; evaluate(ctx: any, bindings?: any): Promise<unknown> };
  when?: { evaluate(ctx: any, bindings?: any): Promise<unknown> };
  until?: { evaluate(ctx: any, bindings?: any): Promise<unknown> };
}

export interface GraphEdge {
  from: string;
  to: string;
  rule: EdgeRule;
}

export interface Graph {
  /** name of the pipeline / module / task compiled */
  name: string;
  /** nodes in deterministic order */
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** compile-time context values (vars after -e) the run needs */
  vars: Record<string, unknown>;
}

// ---------------------------------------------------------------- reporting

export interface NodeResult {
  id: string;
  host: string;
  status: NodeStatus;
  startedAt?: number;
  endedAt?: number;
  attempts?: number;
  outputs?: Record<string, unknown>;
  message?: string;
  diff?: string;
  error?: { message: string; stderr?: string; code?: number };
  /** dry-run: the check said something would change */
  wouldChange?: boolean;
  /** failed, but the step has `ignoreErrors`: dependents run on, the run does not fail */
  ignored?: boolean;
}

/** Output only through reporters (one per file, composed). All hooks optional. */
export interface Reporter {
  onPlan?(graph: Graph, info: { runId: string; dryRun: boolean; resumed: number }): void;
  onNodeStart?(node: GraphNode): void;
  onNodeEnd?(node: GraphNode, result: NodeResult): void;
  onLog?(node: GraphNode, level: "debug" | "info" | "warn", msg: string): void;
  onRunEnd?(summary: RunSummary): void | Promise<void>;
}

export interface RunSummary {
  runId: string;
  graph: Graph;
  results: Map<string, NodeResult>;
  wallMs: number;
  dryRun: boolean;
  cancelled: boolean;
  failed: boolean;
}
