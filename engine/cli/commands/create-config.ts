// kubexm create config [--name N] [--with-kubernetes v] [-o file [--force]]
import { existsSync, writeFileSync } from "node:fs";
import type { Argv } from "yargs";
import { sampleConfig } from "../../config/sample.js";
import { KubexmError } from "../../diagnostics.js";
import type { CommandFactory } from "./index.js";

export const createCommand: CommandFactory = () => ({
  command: "create <what>",
  describe: "create things: a sample cluster config",
  builder: (y: Argv) =>
    y
      .command({
        command: "config",
        describe: "write a valid, commented sample cluster config",
        builder: (a: Argv) =>
          a
            .option("name", { type: "string", default: "mycluster", describe: "metadata.name" })
            .option("with-kubernetes", { type: "string", describe: "Kubernetes version, e.g. v1.32.4" })
            .option("output", { alias: "o", type: "string", describe: "file to write (default: stdout)" })
            .option("force", { type: "boolean", describe: "overwrite an existing file" }),
        handler: (argv: any) => {
          if (argv.withKubernetes && !/^v\d+\.\d+\.\d+$/.test(argv.withKubernetes)) {
            throw new KubexmError({ code: "usage", severity: "error", message: `--with-kubernetes ${argv.withKubernetes}: write a version like v1.32.4` });
          }
          // metadata.name becomes a directory (.kubexm/<name>) and a DNS label
          if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(argv.name)) {
            throw new KubexmError({ code: "usage", severity: "error", message: `--name ${argv.name}: a cluster name is lower-case letters, digits and "-"`, hint: "e.g. --name prod-1" });
          }
          const text = sampleConfig({ name: argv.name, kubernetesVersion: argv.withKubernetes });
          if (!argv.output) return void process.stdout.write(text);
          if (existsSync(argv.output) && !argv.force) {
            throw new KubexmError({ code: "exists", severity: "error", message: `${argv.output} exists`, hint: "add --force to overwrite it" });
          }
          writeFileSync(argv.output, text);
          process.stdout.write(`wrote ${argv.output}\n`);
        },
      })
      .demandCommand(1, "name what to create: config"),
  handler: () => {},
});
