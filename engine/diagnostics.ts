// Diagnostics: every bad-input problem becomes a Diagnostic with a file:line:col,
// collected (all at once where possible) and thrown as one KubexmError. The CLI
// prints them with a code frame and exits 2 -- never a stack trace.
import { readFileSync } from "node:fs";

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  endLine?: number;
  endCol?: number;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** stable machine code, e.g. "yaml-syntax", "schema", "expr-syntax", "unknown-step", "cycle" */
  code: string;
  message: string;
  severity: Severity;
  loc?: SourceLocation;
  /** a short "how to fix it" line */
  hint?: string;
  /** more locations (e.g. every member of a cycle) */
  related?: { message: string; loc?: SourceLocation }[];
}

/** Thrown for bad input: the CLI prints `diagnostics` and exits with `exitCode` (2). */
export class KubexmError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly exitCode: number;
  constructor(diagnostics: Diagnostic[] | Diagnostic, exitCode = 2) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => formatDiagnostic(d, { frame: false })).join("\n"));
    this.name = "KubexmError";
    this.diagnostics = list;
    this.exitCode = exitCode;
  }
}

export function diag(
  code: string,
  message: string,
  loc?: SourceLocation,
  extra: Partial<Diagnostic> = {},
): Diagnostic {
  return { code, message, severity: "error", loc, ...extra };
}

/** Collects diagnostics; `throwIfAny()` raises them together. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(d: Diagnostic): void {
    this.items.push(d);
  }
  error(code: string, message: string, loc?: SourceLocation, extra: Partial<Diagnostic> = {}): void {
    this.items.push(diag(code, message, loc, extra));
  }
  warn(code: string, message: string, loc?: SourceLocation, extra: Partial<Diagnostic> = {}): void {
    this.items.push({ ...diag(code, message, loc, extra), severity: "warning" });
  }
  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "error");
  }
  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "warning");
  }
  throwIfAny(): void {
    if (this.errors.length) throw new KubexmError(this.errors);
  }
}

// Source texts by file, so a diagnostic can show a code frame. Loaders register
// the text they parsed; otherwise the file is read on demand.
const sourceTexts = new Map<string, string>();
export function registerSource(file: string, text: string): void {
  sourceTexts.set(file, text);
}
function sourceText(file: string): string | undefined {
  if (sourceTexts.has(file)) return sourceTexts.get(file);
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** `file:line:col: error: message` plus an optional 3-line code frame with a caret. */
export function formatDiagnostic(d: Diagnostic, opts: { frame?: boolean } = {}): string {
  const where = d.loc ? `${formatLocation(d.loc)}: ` : "";
  const lines = [`${where}${d.severity}: ${d.message} [${d.code}]`];
  if (opts.frame !== false && d.loc) {
    const frame = codeFrame(d.loc);
    if (frame) lines.push(frame);
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  for (const r of d.related ?? []) lines.push(`  ${r.loc ? formatLocation(r.loc) + ": " : ""}${r.message}`);
  return lines.join("\n");
}

export function codeFrame(loc: SourceLocation): string | undefined {
  const text = sourceText(loc.file);
  if (text === undefined) return undefined;
  const all = text.split(/\r?\n/);
  if (loc.line < 1 || loc.line > all.length) return undefined;
  const from = Math.max(1, loc.line - 1);
  const to = Math.min(all.length, loc.line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const mark = n === loc.line ? ">" : " ";
    out.push(`  ${mark} ${String(n).padStart(width)} | ${all[n - 1]}`);
    if (n === loc.line) {
      const span = loc.endLine === loc.line && loc.endCol && loc.endCol > loc.col ? loc.endCol - loc.col : 1;
      out.push(`    ${" ".repeat(width)} | ${" ".repeat(Math.max(0, loc.col - 1))}${"^".repeat(Math.min(span, 80))}`);
    }
  }
  return out.join("\n");
}
