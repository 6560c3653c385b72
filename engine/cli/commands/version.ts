import type { CommandFactory } from "./index.js";
import { KUBEXM_VERSION } from "../../version.js";

export const versionCommand: CommandFactory = () => ({
  command: "version",
  describe: "print kubexm's version",
  handler: () => {
    process.stdout.write(`kubexm ${KUBEXM_VERSION} (node ${process.version})\n`);
  },
});
