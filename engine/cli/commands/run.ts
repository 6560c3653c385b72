// kubexm run <playbook> -f <cluster.yaml> [flags]; kubexm plan = run --dry-run
import type { Argv } from "yargs";
import { DEFAULT_CONCURRENCY, runPlaybook } from "../../run.js";
import { csv, parseExtraVars } from "../common.js";
import type { CommandFactory } from "./index.js";

function runFlags(y: Argv): Argv {
  return y
    .positional("playbook", { type: "string", demandOption: true, describe: "a Pipeline, Module or Task file" })
    .option("file", { alias: "f", type: "string", demandOption: true, describe: "the cluster config" })
    .option("tags", { type: "string", array: true, describe: "only units with these tags (comma-separated)" })
    .option("skip-tags", { type: "string", array: true })
    .option("limit", { type: "string", array: true, describe: "only these hosts (comma-separated)" })
    .option("extra-vars", { alias: "e", type: "string", array: true, describe: "key=value (repeatable)" })
    .option("yes", { alias: "y", type: "boolean", describe: "answer yes to confirmations" })
    .option("concurrency", { type: "number", default: DEFAULT_CONCURRENCY, describe: "hosts in flight at once (the control machine counts as one)" })
    .option("fail-fast", { type: "boolean", describe: "stop starting new nodes after the first failure" })
    .option("ssh-private-key", { alias: "i", type: "string", describe: "use this key for every host" })
    .option("ssh-user", { type: "string", describe: "use this user for every host" })
    .option("workdir", { type: "string", describe: "where .kubexm/ lives (default: the current directory)" })
    .option("strict-host-keys", { type: "boolean", describe: "refuse hosts whose key is not in known_hosts yet" })
    .option("log-format", { choices: ["text", "json"] as const, default: "text", describe: "text: progress and a recap; json: one event per line" })
    .option("verbose", { alias: "v", type: "boolean", describe: "also skipped nodes, step messages and debug logs" });
}

function options(argv: any, dryRun: boolean) {
  return {
    playbook: argv.playbook,
    config: argv.file,
    dryRun,
    tags: csv(argv.tags),
    skipTags: csv(argv.skipTags),
    limit: csv(argv.limit),
    vars: parseExtraVars(argv.extraVars),
    yes: argv.yes,
    resume: argv.resume === "" ? (true as const) : argv.resume,
    concurrency: argv.concurrency,
    failFast: argv.failFast,
    sshUser: argv.sshUser,
    privateKey: argv.sshPrivateKey,
    workdir: argv.workdir,
    strictHostKeys: argv.strictHostKeys,
    logFormat: argv.logFormat,
    verbose: argv.verbose,
    color: argv.color !== false && !argv.noColor && !process.env.NO_COLOR && !!process.stdout.isTTY,
  };
}

export const runCommand: CommandFactory = (result) => ({
  command: "run <playbook>",
  describe: "compile a playbook against a cluster config and run it over SSH",
  builder: (y: Argv) =>
    runFlags(y)
      .option("dry-run", { type: "boolean", describe: "run each step's check only: what would change, nothing touched" })
      .option("resume", { type: "string", describe: "continue the last failed run (or the given run id)" })
      .example("$0 run playbooks/create-cluster.yaml -f cluster.yaml --tags etcd", ""),
  handler: async (argv: any) => {
    result.exitCode = await runPlaybook(options(argv, !!argv.dryRun));
  },
});

export const planCommand: CommandFactory = (result) => ({
  command: "plan <playbook>",
  describe: "what `run` would change, per host (run --dry-run)",
  builder: (y: Argv) => runFlags(y),
  handler: async (argv: any) => {
    result.exitCode = await runPlaybook(options(argv, true));
  },
});
