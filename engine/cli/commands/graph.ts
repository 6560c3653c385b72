// kubexm graph <playbook> -f <cluster.yaml> [--dot | --format dot|mermaid|json] [--cluster-by host|module]
import type { Argv } from "yargs";
import { compile } from "../../compiler/compile.js";
import { loadClusterConfig } from "../../config/load.js";
import { KubexmError } from "../../diagnostics.js";
import { toDot, toJson, toMermaid } from "../../graph/render.js";
import { loadPlaybook } from "../../playbook/load.js";
import { Redactor } from "../../redact.js";
import { projectRegistry } from "../../steps-registry.js";
import { csv, parseExtraVars } from "../common.js";
import type { CommandFactory } from "./index.js";

export const graphCommand: CommandFactory = () => ({
  command: "graph <playbook>",
  describe: "print the compiled DAG of a playbook (Graphviz dot, Mermaid or JSON)",
  builder: (y: Argv) =>
    y
      .positional("playbook", { type: "string", demandOption: true, describe: "a Pipeline, Module or Task file" })
      .option("file", { alias: "f", type: "string", demandOption: true, describe: "the cluster config" })
      .option("dot", { type: "boolean", describe: "same as --format dot" })
      .option("format", { choices: ["dot", "mermaid", "json"] as const, default: "dot" })
      .option("cluster-by", { choices: ["host", "module"] as const, default: "host", describe: "group nodes by host or by module" })
      .option("tags", { type: "string", array: true, describe: "only units with these tags" })
      .option("skip-tags", { type: "string", array: true })
      .option("limit", { type: "string", array: true, describe: "only these hosts (comma-separated)" })
      .option("extra-vars", { alias: "e", type: "string", array: true, describe: "key=value (repeatable)" })
      .example("$0 graph playbooks/create-cluster.yaml -f cluster.yaml --dot | dot -Tsvg > plan.svg", ""),
  handler: async (argv: any) => {
    const [cluster, playbook, reg] = await Promise.all([loadClusterConfig(argv.file), loadPlaybook(argv.playbook), projectRegistry()]);
    if (reg.pluginErrors.length) throw new KubexmError(reg.pluginErrors);
    const graph = await compile(playbook, cluster, {
      registry: reg.registry,
      vars: parseExtraVars(argv.extraVars),
      tags: csv(argv.tags),
      skipTags: csv(argv.skipTags),
      limit: csv(argv.limit),
    });
    const format = argv.dot ? "dot" : argv.format;
    const out = format === "json" ? toJson(graph, new Redactor(cluster.secrets)) : format === "mermaid" ? toMermaid(graph, { clusterBy: argv.clusterBy }) : toDot(graph, { clusterBy: argv.clusterBy });
    process.stdout.write(new Redactor(cluster.secrets).text(out));
  },
});
