// The compiler: a playbook plus a cluster config become one DAG of step nodes,
// one per step per host (per loop item), following playbook-format.md:
// compile-time pruning, `on` -> hosts, host-local `needs`, `@all` barriers,
// entry/exit linking of tasks and modules, data edges from $output(),
// `serial` batches, `finally`, tags and --limit selection. It knows nothing of SSH.
import type { LoadedCluster } from "../config/types.js";
import { DiagnosticBag, KubexmError, type SourceLocation } from "../diagnostics.js";
import { compileExpression } from "../expressions/compile.js";
import { compileValue } from "../expressions/template.js";
import type { ExprContext } from "../expressions/types.js";
import { findCycle, indexDeps } from "../graph/deps.js";
import type { ModuleDef, NeedRef, PipelineDef, PlaybookDef, StepDef, TaskDef, UnitRef } from "../playbook/types.js";
import type { StepRegistry } from "../registry.js";
import { didYouMean } from "../schema-errors.js";
import { locate, type SourceDoc, type YamlPath } from "../source.js";
import { LOCAL_HOST, type Graph, type GraphNode, type NodeExprs } from "../types.js";
import { byHost, GraphBuilder, type Fragment } from "./builder.js";
import { compileContext } from "./context.js";
import { checkStep } from "./check-step.js";
import { linkFinally, linkLevel, serialBatches, type LevelUnit } from "./link.js";
import { dirname } from "node:path";

export interface CompileOptions {
  registry: StepRegistry;
  vars?: Record<string, unknown>;
  tags?: string[];
  skipTags?: string[];
  limit?: string[];
  workdir?: string;
}

/** What a step inherits from the units above it. */
interface Inherited {
  on?: { expr: string; src: SourceDoc; path: YamlPath };
  tags: string[];
  become?: boolean;
}

interface PendingData {
  nodes: GraphNode[];
  refs: { ref: string; fn: string }[];
  prefixes: string[];
  src: SourceDoc;
  path: YamlPath;
}

export async function compile(playbook: PlaybookDef, cluster: LoadedCluster, opts: CompileOptions): Promise<Graph> {
  const c = new Compiler(playbook, cluster, opts);
  return c.run();
}

class Compiler {
  private readonly bag = new DiagnosticBag();
  private readonly b = new GraphBuilder();
  private readonly ctx: ExprContext;
  private readonly vars: Record<string, unknown>;
  private readonly hostOrder: string[];
  private readonly limit?: Set<string>;
  private readonly pending: PendingData[] = [];
  /** per step ref: the `$output` resolution table shared by its nodes */

  constructor(private readonly playbook: PlaybookDef, private readonly cluster: LoadedCluster, private readonly opts: CompileOptions) {
    this.vars = { ...(playbook.kind === "Pipeline" ? playbook.vars : {}), ...(opts.vars ?? {}) };
    this.ctx = compileContext(cluster, this.vars, opts.workdir);
    this.hostOrder = [LOCAL_HOST, ...cluster.hosts.map((h) => h.name)];
    if (opts.limit?.length) {
      for (const h of opts.limit) {
        if (!cluster.hosts.some((x) => x.name === h) && h !== LOCAL_HOST) {
          const guess = didYouMean(h, cluster.hosts.map((x) => x.name));
          this.bag.error("unknown-host", `--limit names host "${h}", which is not in the cluster config${guess ? ` (did you mean "${guess}"?)` : ""}`);
        }
      }
      this.limit = new Set([...opts.limit, LOCAL_HOST]);
    }
  }

  async run(): Promise<Graph> {
    const p = this.playbook;
    let frag: Fragment | undefined;
    if (p.kind === "Pipeline") frag = await this.pipeline(p);
    else if (p.kind === "Module") frag = await this.module(p, "", { tags: [], on: this.onOf(p) });
    else frag = await this.task(p, p.name, { tags: [] });
    void frag;
    this.resolveData();
    this.bag.throwIfAny();
    const graph: Graph = { name: p.name, nodes: this.b.nodes, edges: this.b.edges, vars: this.vars };
    this.checkCycle(graph);
    return graph;
  }

  private onOf(def: { on?: string; src: SourceDoc; path: YamlPath }, parent?: Inherited["on"], at: YamlPath = ["on"]): Inherited["on"] {
    return def.on ? { expr: def.on, src: def.src, path: [...def.path, ...at] } : parent;
  }

  private async when(expr: string | undefined, src: SourceDoc, path: YamlPath): Promise<boolean> {
    if (!expr) return true;
    try {
      return Boolean(await compileExpression(expr, { src, path }).evaluate(this.ctx));
    } catch (e) {
      this.collect(e);
      return false;
    }
  }

  private collect(e: unknown): void {
    if (e instanceof KubexmError) this.bag.items.push(...e.diagnostics);
    else throw e;
  }

  private async pipeline(p: PipelineDef): Promise<Fragment> {
    const inherited: Inherited = { tags: [], on: this.onOf(p) };
    const main = await this.units(p.modules, inherited, "");
    const fin = await this.units(p.finally, inherited, "", true);
    linkFinally(this.b, main, fin);
    return { nodes: [...main.nodes, ...fin.nodes], entries: main.entries, exits: [...main.exits, ...fin.exits] };
  }

  /** Units of a pipeline (modules or tasks) or of a module (tasks). */
  private async units(list: UnitRef[], inherited: Inherited, prefix: string, isFinally = false): Promise<Fragment> {
    const level: LevelUnit[] = [];
    for (const u of list) {
      const def = u.resolved;
      const keep = (await this.when(u.when, u.src, [...u.path, "when"])) && (await this.when(def.when, def.src, ["when"]));
      const inh: Inherited = {
        tags: [...inherited.tags, ...u.tags, ...def.tags],
        on: this.onOf(def, this.onOf(u, inherited.on)),
        become: inherited.become,
      };
      const id = prefix ? `${prefix}/${u.id}` : u.id;
      let frag: Fragment | undefined;
      if (keep) frag = def.kind === "Module" ? await this.module(def, id, inh) : await this.task(def, id, inh, u.serial);
      if (frag && isFinally) for (const n of frag.nodes) n.finally = true;
      level.push({ id: u.id, needs: u.needs, frag });
    }
    return linkLevel(this.b, level);
  }

  private async module(m: ModuleDef, prefix: string, inherited: Inherited): Promise<Fragment> {
    const main = await this.units(m.tasks, inherited, prefix);
    const fin = await this.units(m.finally, inherited, prefix, true);
    linkFinally(this.b, main, fin);
    return { nodes: [...main.nodes, ...fin.nodes], entries: main.entries, exits: [...main.exits, ...fin.exits] };
  }

  private async task(t: TaskDef, prefix: string, inherited: Inherited, refSerial?: number | string): Promise<Fragment> {
    const inh: Inherited = { tags: [...inherited.tags, ...(prefix === t.name ? t.tags : [])], on: this.onOf(t, inherited.on), become: t.become ?? inherited.become };
    const stepNodes = new Map<string, GraphNode[]>();
    const hasDep = new Set<string>();
    const hasDependent = new Set<string>();
    // same-host edges inside the task, for `serial` batches of whole hosts
    const hostDep = new Set<string>();
    const hostDependent = new Set<string>();
    const edge = (from: GraphNode, to: GraphNode, rule: Parameters<GraphBuilder["addEdge"]>[2]) => {
      this.b.addEdge(from, to, rule);
      hasDep.add(to.id);
      hasDependent.add(from.id);
      if (from.host === to.host) {
        hostDep.add(to.id);
        hostDependent.add(from.id);
      }
    };
    const all = [...t.steps, ...t.finally, ...t.onFailure];
    for (const s of all) stepNodes.set(s.id, await this.stepNodes(s, t, prefix, inh));

    for (const s of t.steps) {
      const mine = stepNodes.get(s.id)!;
      for (const need of await this.needsOf(s)) {
        const deps = stepNodes.get(need.id);
        if (!deps?.length) continue; // unknown ids were reported by the loader; unselected = satisfied
        const depsByHost = byHost(deps);
        for (const n of mine) {
          const same = need.all ? undefined : depsByHost.get(n.host);
          if (same?.length) for (const d of same) edge(d, n, "host-local");
          else for (const d of deps) edge(d, n, d.host === LOCAL_HOST && n.host !== LOCAL_HOST ? "local" : "barrier");
        }
      }
      if (s.serial !== undefined) this.serialChain(mine, s.serial, edge);
    }
    const main = t.steps.flatMap((s) => stepNodes.get(s.id)!);
    const mainByHost = byHost(main);
    for (const s of [...t.finally, ...t.onFailure]) {
      for (const n of stepNodes.get(s.id)!) {
        if (s.section === "onFailure") n.onFailure = true;
        for (const d of mainByHost.get(n.host) ?? main) edge(d, n, "finally");
      }
    }
    const nodes = all.flatMap((s) => stepNodes.get(s.id)!);
    const frag: Fragment = { nodes, entries: nodes.filter((n) => !hasDep.has(n.id)), exits: nodes.filter((n) => !hasDependent.has(n.id)) };
    const serial = refSerial ?? t.serial;
    if (serial !== undefined) {
      this.taskSerial(
        nodes.filter((n) => !hostDep.has(n.id)),
        nodes.filter((n) => !hostDependent.has(n.id)),
        serial,
      );
    }
    return frag;
  }

  /** step `serial`: each batch of hosts waits for the previous batch of the same step. */
  private serialChain(nodes: GraphNode[], serial: number | string, edge: (a: GraphNode, b: GraphNode, r: "serial") => void): void {
    const hb = byHost(nodes);
    const hosts = this.hostOrder.filter((h) => hb.has(h));
    const batches = serialBatches(hosts, serial);
    for (let i = 1; i < batches.length; i++) {
      for (const h of batches[i]) for (const n of hb.get(h)!) for (const p of batches[i - 1]) for (const d of hb.get(p)!) edge(d, n, "serial");
    }
  }

  /** task `serial`: the task runs on a batch of hosts after the previous batch finished it (rolling). */
  private taskSerial(hostEntries: GraphNode[], hostExits: GraphNode[], serial: number | string): void {
    const entries = byHost(hostEntries);
    const exits = byHost(hostExits);
    const hosts = this.hostOrder.filter((h) => entries.has(h) || exits.has(h));
    const batches = serialBatches(hosts, serial);
    for (let i = 1; i < batches.length; i++) {
      for (const h of batches[i]) for (const n of entries.get(h) ?? []) for (const p of batches[i - 1]) for (const d of exits.get(p) ?? []) this.b.addEdge(d, n, "serial");
    }
  }

  private async needsOf(s: StepDef): Promise<NeedRef[]> {
    if (typeof s.needs !== "string") return s.needs;
    try {
      const v = await compileExpression(s.needs, { src: s.src, path: [...s.path, "needs"] }).evaluate(this.ctx);
      const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
      return list.map((x) => {
        const id = String(x);
        return { id: id.replace(/@all$/, ""), all: id.endsWith("@all"), src: s.src, path: [...s.path, "needs"] };
      });
    } catch (e) {
      this.collect(e);
      return [];
    }
  }

  private async hostsOf(s: StepDef, on: Inherited["on"], target: string | undefined): Promise<string[]> {
    const expr = s.on ? { expr: s.on, src: s.src, path: [...s.path, "on"] } : on;
    if (!expr) return target === "local" ? [LOCAL_HOST] : this.cluster.hosts.map((h) => h.name);
    let v: unknown;
    try {
      v = await compileExpression(expr.expr, { src: expr.src, path: expr.path }).evaluate(this.ctx);
    } catch (e) {
      this.collect(e);
      return [];
    }
    const names = v === undefined ? [] : Array.isArray(v) ? v : [v];
    const known = new Set(this.hostOrder);
    const out: string[] = [];
    for (const n of names) {
      const name = typeof n === "object" && n && "name" in n ? String((n as { name: unknown }).name) : String(n);
      if (!known.has(name)) {
        const guess = didYouMean(name, this.hostOrder);
        this.bag.error("unknown-host", `on: \`${expr.expr}\` gives "${name}", which is not a host of the cluster${guess ? ` (did you mean "${guess}"?)` : ""}`, locate(expr.src, expr.path), {
          hint: "on: names hosts (roles.etcd, all, local, a host name)",
        });
        continue;
      }
      if (!out.includes(name)) out.push(name);
    }
    // host order of the cluster config (local first): deterministic ids and batches
    return this.hostOrder.filter((h) => out.includes(h));
  }

  private async stepNodes(s: StepDef, t: TaskDef, prefix: string, inh: Inherited): Promise<GraphNode[]> {
    const reg = this.opts.registry.get(s.run);
    this.bag.items.push(...checkStep(s, this.opts.registry));
    const hosts = (await this.hostsOf(s, inh.on, reg?.plugin.target)).filter((h) => !this.limit || this.limit.has(h));
    if (reg?.plugin.target === "local" && hosts.some((h) => h !== LOCAL_HOST)) {
      this.bag.error("step-target", `step "${s.run}" runs on the control machine only: give it on: local`, locate(s.src, [...s.path, s.on ? "on" : "run"]));
    }
    const tags = [...new Set([...inh.tags, ...s.tags])];
    if (!this.selected(tags)) return [];
    const items = await this.loopItems(s);
    const stepRef = `${prefix}/${s.id}`;
    const exprs = this.exprs(s);
    const source: SourceLocation = locate(s.src, [...s.path, "id"]);
    const nodes: GraphNode[] = [];
    const prefixes = [prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "", prefix];
    for (const it of items) {
      const unit = it ? `${stepRef}[${it.key}]` : stepRef;
      for (const h of hosts) {
        const local = h === LOCAL_HOST;
        const n: GraphNode = {
          id: `${unit}@${h}`,
          unit,
          stepRef,
          host: h,
          run: s.run,
          with: s.with ?? {},
          when: s.when,
          until: s.until,
          retries: s.retries,
          delay: s.delay,
          timeout: s.timeout,
          ignoreErrors: s.ignoreErrors,
          become: s.become ?? (local ? false : inh.become ?? true),
          register: s.register,
          tags,
          item: it?.item,
          loopKey: it?.key,
          finally: false,
          source,
          baseDir: dirname(t.file),
          description: s.description,
          exprs,
          secretParams: reg?.plugin.secretParams,
        };
        if (this.b.addNode(n)) nodes.push(n);
      }
    }
    const refs = [...(exprs?.refs ?? [])];
    if (refs.length && nodes.length) this.pending.push({ nodes, refs, prefixes, src: s.src, path: s.path });
    return nodes;
  }

  private exprs(s: StepDef): (NodeExprs & { refs: { ref: string; fn: string }[] }) | undefined {
    try {
      const w = compileValue(s.with ?? {}, { src: s.src, path: [...s.path, "with"] });
      const when = s.when ? compileExpression(s.when, { src: s.src, path: [...s.path, "when"] }) : undefined;
      const until = s.until ? compileExpression(s.until, { src: s.src, path: [...s.path, "until"] }) : undefined;
      const refs = [...w.stepRefs, ...(when?.stepRefs ?? []), ...(until?.stepRefs ?? [])];
      return { with: w, when, until, refs };
    } catch (e) {
      this.collect(e);
      return undefined;
    }
  }

  private selected(tags: string[]): boolean {
    const { tags: want, skipTags } = this.opts;
    if (skipTags?.some((t) => tags.includes(t))) return false;
    if (want?.length && !want.some((t) => tags.includes(t))) return false;
    return true;
  }

  private async loopItems(s: StepDef): Promise<{ item: unknown; key: string }[] | [undefined]> {
    if (!s.loop) return [undefined];
    try {
      const v = await compileExpression(s.loop, { src: s.src, path: [...s.path, "loop"] }).evaluate(this.ctx);
      const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
      const keyExpr = s.loopKey ? compileExpression(s.loopKey, { src: s.src, path: [...s.path, "loopKey"] }) : undefined;
      const out: { item: unknown; key: string }[] = [];
      for (let i = 0; i < list.length; i++) {
        const key = keyExpr ? String(await keyExpr.evaluate({ ...this.ctx, item: list[i], loopKey: i })) : String(i);
        if (!/^[A-Za-z0-9_.:-]+$/.test(key)) {
          this.bag.error("loop-key", `loop key "${key}" must be letters, digits, '_', '.', ':' or '-'`, locate(s.src, [...s.path, s.loopKey ? "loopKey" : "loop"]));
          continue;
        }
        out.push({ item: list[i], key });
      }
      return out;
    } catch (e) {
      this.collect(e);
      return [];
    }
  }

  /** `$output('t/s')`, `$changed`, `$status`: an edge from every node of the named step. */
  private resolveData(): void {
    for (const p of this.pending) {
      const table: Record<string, string> = {};
      for (const { ref, fn } of p.refs) {
        const full = this.resolveRef(ref, p.prefixes);
        if (!full) {
          const guess = didYouMean(ref, this.b.byStep.keys());
          this.bag.error("unknown-output", `$output('${ref}'): no step "${ref}" in this playbook${guess ? ` (did you mean "${guess}"?)` : ""}`, locate(p.src, [...p.path, "with"]), {
            hint: "name it as task/step (or module/task/step)",
          });
          continue;
        }
        table[ref] = full;
        const deps = this.b.byStep.get(full)!;
        // $output reads every host's result; $changed/$status read the current host's when it ran there
        const depsByHost = fn === "output" ? undefined : byHost(deps);
        for (const n of p.nodes) for (const d of depsByHost?.get(n.host) ?? deps) this.b.addEdge(d, n, "data");
      }
      for (const n of p.nodes) n.refs = table;
    }
  }

  private resolveRef(ref: string, prefixes: string[]): string | undefined {
    if (this.b.byStep.has(ref)) return ref;
    for (const pre of prefixes) {
      const full = pre ? `${pre}/${ref}` : ref;
      if (this.b.byStep.has(full)) return full;
    }
    return undefined;
  }

  private checkCycle(graph: Graph): void {
    const cycle = findCycle(graph, indexDeps(graph));
    if (!cycle) return;
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const first = byId.get(cycle[0])!;
    throw new KubexmError({
      code: "cycle",
      severity: "error",
      message: `dependency cycle: ${cycle.join(" -> ")}`,
      loc: first.source,
      hint: "remove one of the needs (or $output references) in the cycle",
      related: cycle.slice(0, -1).map((id) => ({ message: id, loc: byId.get(id)!.source })),
    });
  }
}
