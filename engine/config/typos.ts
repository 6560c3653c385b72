// Typos a YAML parser reads "successfully" into something else. The seed's own
// sample has `version： 1.7.6` (U+FF1A FULLWIDTH COLON, typed with a Chinese input
// method): YAML reads the whole line as a plain string, and the user would get a
// confusing "must be object" error somewhere else. Name the real cause, at the
// exact character, and let the loader read it as ":" to keep checking the rest.
import type { DiagnosticBag } from "../diagnostics.js";

export const FULL_WIDTH_COLON = "\uFF1A";

// what may stand before a colon for it to be a mapping key: a plain or quoted word,
// after indentation, "- " sequence marks, or inside a flow mapping after "{" or ","
const KEY_BEFORE = /(?:^|[{,])\s*(?:-\s+)*(["']?)[A-Za-z0-9_.\/-]+\1\s*$/;

/** Reports every full-width colon used as a key separator; returns the text with them fixed. */
export function fixFullWidthColons(file: string, text: string, bag: DiagnosticBag): string {
  if (!text.includes(FULL_WIDTH_COLON)) return text;
  const lines = text.split("\n");
  let changed = false;
  lines.forEach((line, i) => {
    let from = 0;
    for (;;) {
      const col = line.indexOf(FULL_WIDTH_COLON, from);
      if (col < 0) break;
      from = col + 1;
      const before = line.slice(0, col);
      if (inComment(before)) break;
      if (!KEY_BEFORE.test(before)) continue;
      const key = before.replace(/^.*[{,]/, "").trim().replace(/^(-\s+)*/, "").replace(/^["']|["']$/g, "");
      const rest = line.slice(col + 1).replace(/\s+#.*$/, "").trim();
      bag.error("full-width-colon", `full-width colon "${FULL_WIDTH_COLON}" used instead of ":" after "${key}"`, { file, line: i + 1, col: col + 1, endLine: i + 1, endCol: col + 2 }, {
        hint: `write "${key}:${rest ? " " + rest : ""}" with an ASCII colon (switch the input method to half-width)`,
      });
      line = line.slice(0, col) + ":" + line.slice(col + 1);
      changed = true;
    }
    lines[i] = line;
  });
  return changed ? lines.join("\n") : text;
}

/** A "#" that starts a comment (at line start or after a space, outside quotes) comes before. */
function inComment(before: string): boolean {
  let quote = "";
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(before[i - 1]))) return true;
  }
  return false;
}
