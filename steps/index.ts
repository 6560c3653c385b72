// The built-in steps, one file each (file name = step name). A unit test checks
// that every file in steps/ is listed here.
import type { StepPlugin } from "../engine/types.js";

export const builtinSteps: StepPlugin[] = [
];
