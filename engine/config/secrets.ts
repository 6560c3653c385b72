// Secrets in the config file itself: the values under secret-named keys (password,
// privateKeyPassphrase, becomePassword, registry auths' password/token). Error code
// frames quote the user's lines, and a host line usually carries its password, so
// the text registered for frames has those values blanked with same-length "*"
// (carets keep their columns); messages are passed through a Redactor.
import { isPair, isScalar, visit } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { Redactor, isSecretKey } from "../redact.js";
import type { SourceDoc } from "../source.js";

export interface SecretSpans {
  /** every secret scalar as written (also numbers: `password: 12345678`) */
  values: string[];
  /** [start, end) offsets of those scalars in the text */
  ranges: [number, number][];
}

export function secretSpans(src: SourceDoc): SecretSpans {
  const values: string[] = [];
  const ranges: [number, number][] = [];
  visit(src.doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !isSecretKey(String(pair.key.value))) return;
      const v = pair.value;
      if (isScalar(v) && v.range && v.value !== null && String(v.value) !== "") {
        values.push(String(v.value));
        ranges.push([v.range[0], v.range[1]]);
      }
    },
  });
  return { values, ranges };
}

/** The text with every secret scalar replaced by as many "*" (line and column stay). */
export function maskSpans(text: string, ranges: [number, number][]): string {
  if (!ranges.length) return text;
  let out = "";
  let at = 0;
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (a < at) continue;
    out += text.slice(at, a) + text.slice(a, b).replace(/[^\n]/g, "*");
    at = b;
  }
  return out + text.slice(at);
}

/** Diagnostics with any secret value masked in their messages, hints and related notes. */
export function redactDiagnostics(items: Diagnostic[], values: string[]): Diagnostic[] {
  if (!values.length) return items;
  const r = new Redactor(values);
  // short secrets are skipped by Redactor.text; in a message about the config they are still secrets
  const short = values.filter((v) => v.length < 4);
  const text = (s: string) => short.reduce((acc, v) => acc.split(JSON.stringify(v)).join('"******"'), r.text(s));
  return items.map((d) => ({
    ...d,
    message: text(d.message),
    hint: d.hint === undefined ? undefined : text(d.hint),
    related: d.related?.map((x) => ({ ...x, message: text(x.message) })),
  }));
}
