// Files shipped with kubexm (schemas/, playbooks/) are found from the package root,
// whether the code runs from engine/*.ts (tests) or dist/engine/*.js (the CLI).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "schemas"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("kubexm: cannot find the package root (schemas/ missing)");
    dir = up;
  }
  return (root = dir);
}

export function packageFile(rel: string): string {
  return join(packageRoot(), rel);
}
