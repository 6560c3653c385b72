// report-table: a table in the run's output (preflight results, versions).
import type { StepPlugin } from "../engine/types.js";

interface Params {
  title?: string;
  columns: string[];
  rows: (unknown[] | Record<string, unknown>)[];
}

export function renderTable(columns: string[], rows: Params["rows"]): string {
  const cells = rows.map((r) => columns.map((c, i) => String((Array.isArray(r) ? r[i] : r[c]) ?? "")));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

const step: StepPlugin<Params> = {
  name: "report-table",
  description: "Print a table in the run's output",
  target: "local",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["columns", "rows"],
    properties: {
      title: { type: "string" },
      columns: { type: "array", items: { type: "string" }, minItems: 1 },
      rows: { type: "array", items: { type: ["array", "object"] } },
    },
  },
  async run(ctx, p) {
    const table = renderTable(p.columns, p.rows);
    ctx.log.info((p.title ? `${p.title}\n` : "") + table);
    return { changed: false, outputs: { table } };
  },
};
export default step;
