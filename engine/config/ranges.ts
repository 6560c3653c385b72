// Role group entries may name a range: node[5:6] -> node5, node6 (inclusive);
// node[01:03] keeps the zero padding -> node01, node02, node03.
const RANGE = /^(.*)\[(\d+):(\d+)\](.*)$/;

export type RangeResult = { names: string[] } | { error: string };

export function expandHostRange(entry: string): RangeResult {
  const m = RANGE.exec(entry.trim());
  if (!m) return { names: [entry.trim()] };
  const [, prefix, fromS, toS, suffix] = m;
  const from = Number(fromS);
  const to = Number(toS);
  if (from > to) return { error: `range ${entry} counts down: write ${prefix}[${toS}:${fromS}]${suffix}` };
  if (to - from > 10_000) return { error: `range ${entry} is larger than 10000 hosts` };
  const pad = fromS.length > 1 && fromS.startsWith("0") ? fromS.length : 0;
  const names: string[] = [];
  for (let i = from; i <= to; i++) names.push(`${prefix}${pad ? String(i).padStart(pad, "0") : i}${suffix}`);
  return { names };
}
