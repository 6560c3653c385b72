// kubexm plugin install|list|remove
import type { Argv } from "yargs";
import { KubexmError } from "../../diagnostics.js";
import { installPlugin, removePlugin } from "../../plugins/install.js";
import { loadPlugins } from "../../plugins/load.js";
import { loadProjectConfig } from "../../plugins/project-config.js";
import { defaultRegistry } from "../../steps-registry.js";
import type { CommandFactory } from "./index.js";

export const pluginCommand: CommandFactory = (result) => ({
  command: "plugin <command>",
  describe: "install, list and remove community step plugins",
  builder: (y: Argv) =>
    y
      .command({
        command: "install <spec>",
        describe: "install a plugin: npm name[@version], a local folder or a .tgz made by `npm pack`",
        builder: (a: Argv) =>
          a
            .positional("spec", { type: "string", demandOption: true })
            .option("offline", { type: "boolean", describe: "never use the network (tarballs and folders need none)" })
            .option("allow-scripts", { type: "boolean", describe: "run the package's install scripts (off by default)" }),
        handler: async (argv: any) => {
          const r = await installPlugin(argv.spec, { offline: argv.offline, allowScripts: argv.allowScripts, registry: defaultRegistry });
          process.stdout.write(
            `installed ${r.record.package}@${r.record.version} (steps: ${r.steps.join(", ")})\nrecorded in ${r.configFile}\n`,
          );
        },
      })
      .command({
        command: "list",
        describe: "list the project's plugins and their steps",
        builder: (a: Argv) => a.option("output", { choices: ["text", "json"] as const, default: "text" }),
        handler: async (argv: any) => {
          const project = await loadProjectConfig();
          const { loaded, errors } = await loadPlugins(defaultRegistry(), project);
          if (argv.output === "json") {
            const rows = loaded.map((l) => ({ package: l.record.package, version: l.plugin.version, source: l.record.source, steps: l.plugin.steps.map((s) => s.name) }));
            process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
          } else if (!loaded.length && !errors.length) {
            process.stdout.write(`no plugins installed (project: ${project.root})\n`);
          } else {
            for (const l of loaded) {
              process.stdout.write(`${l.record.package}@${l.plugin.version}  from ${l.record.source}\n`);
              for (const s of l.plugin.steps) process.stdout.write(`  ${s.name.padEnd(28)} ${s.description}\n`);
            }
          }
          if (errors.length) throw new KubexmError(errors);
        },
      })
      .command({
        command: "remove <name>",
        aliases: ["uninstall"],
        describe: "remove an installed plugin",
        builder: (a: Argv) => a.positional("name", { type: "string", demandOption: true }),
        handler: async (argv: any) => {
          const file = await removePlugin(argv.name);
          process.stdout.write(`removed ${argv.name}; updated ${file}\n`);
        },
      })
      .demandCommand(1, "name a plugin command: install, list or remove"),
  handler: () => {
    result.exitCode = 0;
  },
});
