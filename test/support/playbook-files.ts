// Writes a set of playbook files into a fresh temp dir (for table-driven tests).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kubexm-pb-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text.replace(/^\n/, ""));
  }
  return dir;
}
