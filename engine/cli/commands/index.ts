// Every CLI command, one file each. A command factory receives the shared
// CliResult so its handler can set the exit code.
import type { CommandModule } from "yargs";
import type { CliResult } from "../main.js";
import { versionCommand } from "./version.js";
import { pluginCommand } from "./plugin.js";
import { graphCommand } from "./graph.js";
import { validateCommand } from "./validate.js";
import { createCommand } from "./create-config.js";
import { stepsCommand } from "./steps.js";
import { planCommand, runCommand } from "./run.js";

export type CommandFactory = (result: CliResult) => CommandModule<any, any>;

export const commands: CommandFactory[] = [
  runCommand,
  planCommand,
  versionCommand,
  pluginCommand,
  graphCommand,
  validateCommand,
  createCommand,
  stepsCommand,
];
