// The CLI: yargs, verb-noun, one file per command under commands/.
// Bad input (KubexmError) prints file:line:col diagnostics and exits 2, never a stack trace.
import yargs from "yargs";
import { commands } from "./commands/index.js";
import { KubexmError, formatDiagnostic } from "../diagnostics.js";
import { KUBEXM_VERSION } from "../version.js";

/** Set by command handlers; main() returns it. */
export interface CliResult {
  exitCode: number;
}

export async function main(argv: string[]): Promise<number> {
  const result: CliResult = { exitCode: 0 };
  let cli = yargs(argv)
    .scriptName("kubexm")
    .usage("$0 <command> [options]\n\nCreate and run Kubernetes clusters over SSH from YAML playbooks.")
    .version(KUBEXM_VERSION)
    .strict()
    .demandCommand(1, "name a command (see --help)")
    .recommendCommands()
    .completion("completion", "print a shell completion script (bash/zsh): kubexm completion >> ~/.bashrc")
    .option("no-color", { type: "boolean", describe: "disable colours", global: true })
    .help()
    .alias("h", "help")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new KubexmError({ code: "usage", message: msg, severity: "error", hint: "run with --help for usage" });
    });
  for (const c of commands) cli = cli.command(c(result));
  try {
    await cli.parseAsync();
    return result.exitCode;
  } catch (e) {
    return reportError(e);
  }
}

export function reportError(e: unknown): number {
  if (e instanceof KubexmError) {
    process.stderr.write(e.diagnostics.map((d) => formatDiagnostic(d)).join("\n\n") + "\n");
    const n = e.diagnostics.filter((d) => d.severity === "error").length;
    if (n > 1) process.stderr.write(`\n${n} errors\n`);
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(`kubexm: ${err?.message ?? String(e)}\n`);
  if (process.env.KUBEXM_DEBUG && err?.stack) process.stderr.write(err.stack + "\n");
  return 1;
}
