// kubexm steps list | steps show <name>
import type { Argv } from "yargs";
import { KubexmError } from "../../diagnostics.js";
import { didYouMean } from "../../schema-errors.js";
import { projectRegistry } from "../../steps-registry.js";
import type { CommandFactory } from "./index.js";

export const stepsCommand: CommandFactory = () => ({
  command: "steps <command>",
  describe: "the step registry: built-in and plugin steps",
  builder: (y: Argv) =>
    y
      .command({
        command: "list",
        describe: "list every registered step and where it comes from",
        builder: (a: Argv) => a.option("output", { choices: ["text", "json"] as const, default: "text" }),
        handler: async (argv: any) => {
          const { registry, pluginErrors } = await projectRegistry();
          const rows = registry.list().map((s) => ({
            name: s.plugin.name,
            target: s.plugin.target ?? "remote",
            origin: s.origin.kind === "builtin" ? "built-in" : `${s.origin.plugin}@${s.origin.version}`,
            description: s.plugin.description,
          }));
          if (argv.output === "json") process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
          else {
            const w = Math.max(...rows.map((r) => r.name.length), 4);
            const o = Math.max(...rows.map((r) => r.origin.length), 6);
            process.stdout.write(`${"STEP".padEnd(w)}  ${"TARGET".padEnd(6)}  ${"ORIGIN".padEnd(o)}  DESCRIPTION\n`);
            for (const r of rows) process.stdout.write(`${r.name.padEnd(w)}  ${r.target.padEnd(6)}  ${r.origin.padEnd(o)}  ${r.description}\n`);
          }
          if (pluginErrors.length) throw new KubexmError(pluginErrors);
        },
      })
      .command({
        command: "show <name>",
        describe: "a step's description and parameter schema",
        builder: (a: Argv) => a.positional("name", { type: "string", demandOption: true }),
        handler: async (argv: any) => {
          const { registry } = await projectRegistry();
          const s = registry.get(argv.name);
          if (!s) {
            const guess = didYouMean(argv.name, registry.names());
            throw new KubexmError({ code: "unknown-step", severity: "error", message: `unknown step "${argv.name}"${guess ? ` (did you mean "${guess}"?)` : ""}`, hint: "kubexm steps list" });
          }
          const origin = s.origin.kind === "builtin" ? "built-in" : `plugin ${s.origin.plugin}@${s.origin.version}`;
          process.stdout.write(`${s.plugin.name} (${origin}, target: ${s.plugin.target ?? "remote"})\n${s.plugin.description}\n`);
          process.stdout.write(`idempotent check: ${s.plugin.check ? "yes" : "no (changes nothing on hosts)"}\n\nparameters (JSON Schema):\n`);
          process.stdout.write(JSON.stringify(s.plugin.schema, null, 2) + "\n");
        },
      })
      .demandCommand(1, "name a steps command: list or show"),
  handler: () => {},
});
