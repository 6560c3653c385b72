// kubexm validate <files...> [-f cluster.yaml]: schema and compile checks of
// playbooks (and the cluster config); every problem at file:line:col, exit 2.
import { readFileSync } from "node:fs";
import type { Argv } from "yargs";
import { compile } from "../../compiler/compile.js";
import { checkStep } from "../../compiler/check-step.js";
import { loadClusterConfig } from "../../config/load.js";
import type { LoadedCluster } from "../../config/types.js";
import { KubexmError, formatDiagnostic, type Diagnostic } from "../../diagnostics.js";
import { checkPlaybook } from "../../playbook/load.js";
import type { PlaybookDef, TaskDef } from "../../playbook/types.js";
import { projectRegistry } from "../../steps-registry.js";
import type { StepRegistry } from "../../registry.js";
import { parseExtraVars } from "../common.js";
import type { CommandFactory } from "./index.js";

export const validateCommand: CommandFactory = (result) => ({
  command: "validate <files..>",
  describe: "check playbooks (and with -f, compile them against a cluster config)",
  builder: (y: Argv) =>
    y
      .positional("files", { type: "string", array: true, demandOption: true })
      .option("file", { alias: "f", type: "string", describe: "a cluster config to compile against (also validated)" })
      .option("extra-vars", { alias: "e", type: "string", array: true }),
  handler: async (argv: any) => {
    const errors: Diagnostic[] = [];
    const reg = await projectRegistry();
    errors.push(...reg.pluginErrors);
    let cluster: LoadedCluster | undefined;
    if (argv.file) {
      try {
        cluster = await loadClusterConfig(argv.file);
        for (const w of cluster.warnings) process.stderr.write(formatDiagnostic(w) + "\n");
        process.stdout.write(`${argv.file}: ok (${cluster.hosts.length} hosts)\n`);
      } catch (e) {
        if (!(e instanceof KubexmError)) throw e;
        errors.push(...e.diagnostics);
      }
    }
    for (const file of argv.files as string[]) {
      if (isClusterConfig(file)) {
        try {
          const c = await loadClusterConfig(file);
          for (const w of c.warnings) process.stderr.write(formatDiagnostic(w) + "\n");
          process.stdout.write(`${file}: ok (cluster config, ${c.hosts.length} hosts)\n`);
        } catch (e) {
          if (!(e instanceof KubexmError)) throw e;
          errors.push(...e.diagnostics);
        }
        continue;
      }
      const { def, bag } = await checkPlaybook(file);
      for (const w of bag.warnings) process.stderr.write(formatDiagnostic(w) + "\n");
      const problems = [...bag.errors];
      if (def) problems.push(...stepProblems(def, reg.registry));
      if (def && !problems.length && cluster) {
        try {
          const g = await compile(def, cluster, { registry: reg.registry, vars: parseExtraVars(argv.extraVars) });
          process.stdout.write(`${file}: ok (${g.nodes.length} nodes, ${g.edges.length} edges)\n`);
        } catch (e) {
          if (!(e instanceof KubexmError)) throw e;
          problems.push(...e.diagnostics);
        }
      } else if (def && !problems.length) process.stdout.write(`${file}: ok\n`);
      errors.push(...problems);
    }
    if (errors.length) throw new KubexmError(errors);
    result.exitCode = 0;
  },
});

/** A file with `kind: Cluster` is a cluster config, not a playbook. */
function isClusterConfig(file: string): boolean {
  try {
    return /^kind:\s*Cluster\s*(#.*)?$/m.test(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
}

/** Unknown steps and `with:` schema errors in every task of the playbook. */
function stepProblems(def: PlaybookDef, registry: StepRegistry): Diagnostic[] {
  const tasks = new Set<TaskDef>();
  const visit = (d: PlaybookDef) => {
    if (d.kind === "Task") tasks.add(d);
    else for (const u of d.kind === "Module" ? [...d.tasks, ...d.finally] : [...d.modules, ...d.finally]) visit(u.resolved);
  };
  visit(def);
  return [...tasks].flatMap((t) => [...t.steps, ...t.finally, ...t.onFailure].flatMap((s) => checkStep(s, registry)));
}
