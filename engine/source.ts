// YAML files with positions: every loader keeps the Document and its LineCounter
// so that any value (by path) can be mapped back to file:line:col.
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, isNode, isMap, isSeq, isScalar, isPair, type Document, type Node } from "yaml";
import { DiagnosticBag, registerSource, type SourceLocation } from "./diagnostics.js";

export type YamlPath = readonly (string | number)[];

export interface SourceDoc {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** the plain JS value (undefined when the document had fatal errors) */
  value: unknown;
}

/** Parse YAML text; syntax errors go into `bag` with their positions. */
export function parseYaml(file: string, text: string, bag: DiagnosticBag): SourceDoc {
  registerSource(file, text);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  for (const e of doc.errors) {
    const [off] = e.pos;
    const p = lineCounter.linePos(off);
    bag.error("yaml-syntax", cleanYamlMessage(e.message), { file, line: p.line, col: p.col });
  }
  for (const w of doc.warnings) {
    const p = lineCounter.linePos(w.pos[0]);
    bag.warn("yaml-warning", cleanYamlMessage(w.message), { file, line: p.line, col: p.col });
  }
  const value = doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  return { file, text, doc, lineCounter, value };
}

export function loadYamlFile(file: string, bag: DiagnosticBag): SourceDoc | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    bag.error("file-not-found", err.code === "ENOENT" ? `file not found: ${file}` : `cannot read ${file}: ${err.message}`);
    return undefined;
  }
  return parseYaml(file, text, bag);
}

function cleanYamlMessage(m: string): string {
  // yaml appends " at line X, column Y" plus a frame; we print our own.
  return m.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

/** The YAML node at `path` (keys and indexes), or the deepest existing ancestor. */
export function nodeAt(src: SourceDoc, path: YamlPath, opts: { key?: boolean } = {}): Node | undefined {
  let cur: unknown = src.doc.contents;
  let last: Node | undefined = isNode(cur) ? cur : undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && keyString(p.key) === String(seg));
      if (!pair) return last;
      if (opts.key && i === path.length - 1 && isNode(pair.key)) return pair.key;
      cur = pair.value;
      if (isNode(cur)) last = cur;
      else return isNode(pair.key) ? pair.key : last; // `key:` with no value
    } else if (isSeq(cur)) {
      const item = cur.items[Number(seg)];
      if (!isNode(item)) return last;
      cur = item;
      last = item;
    } else return last;
  }
  return last;
}

function keyString(k: unknown): string {
  return isScalar(k) ? String(k.value) : String(k);
}

/** file:line:col of the value at `path` (or of its key with `{key:true}`). */
export function locate(src: SourceDoc, path: YamlPath, opts: { key?: boolean } = {}): SourceLocation {
  const node = nodeAt(src, path, opts);
  return locateNode(src, node);
}

export function locateNode(src: SourceDoc, node: Node | undefined): SourceLocation {
  const range = node?.range;
  if (!range) return { file: src.file, line: 1, col: 1 };
  const start = src.lineCounter.linePos(range[0]);
  const end = src.lineCounter.linePos(range[1]);
  return { file: src.file, line: start.line, col: start.col, endLine: end.line, endCol: end.col };
}

/** Location of a character offset inside a scalar value (e.g. an expression error position). */
export function locateInScalar(src: SourceDoc, path: YamlPath, offsetInValue: number): SourceLocation {
  const node = nodeAt(src, path);
  if (!node || !isScalar(node) || !node.range) return locate(src, path);
  const raw = src.text.slice(node.range[0], node.range[1]);
  const value = String(node.value);
  // Plain and single-line quoted scalars map 1:1 after the opening quote; for
  // block scalars and escapes fall back to searching the value's first line.
  let base = node.range[0];
  if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") base += 1;
  else if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
    const firstLine = value.split("\n")[0];
    const idx = firstLine ? raw.indexOf(firstLine) : -1;
    if (idx >= 0) base += idx;
  }
  const p = src.lineCounter.linePos(base + Math.max(0, offsetInValue));
  return { file: src.file, line: p.line, col: p.col };
}
