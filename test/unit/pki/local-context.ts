// A StepContext on the control machine for PKI step tests: the real local
// connection, a temp work dir, a logger that keeps its lines.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalConnection } from "../../../engine/connections/local.js";
import { LOCAL_RECORD } from "../../../engine/compiler/context.js";
import { workPaths } from "../../../engine/paths.js";
import { Redactor } from "../../../engine/redact.js";
import { createStepContext } from "../../../engine/step-context.js";
import type { StepContext } from "../../../engine/types.js";

export function tempDir(prefix = "kubexm-pki-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function localContext(baseDir: string, logs: string[] = []): StepContext {
  const conn = new LocalConnection();
  return createStepContext({
    host: LOCAL_RECORD,
    conn,
    local: conn,
    become: false,
    paths: workPaths("test", baseDir),
    log: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(`warn: ${m}`) },
    signal: new AbortController().signal,
    dryRun: false,
    assumeYes: true,
    interactive: false,
    baseDir,
    nodeId: "test/pki@local",
    runId: "test",
    redactor: new Redactor(),
  });
}
