// Durations in playbooks: a number of seconds, or "500ms", "3s", "2m", "1h".
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function durationMs(v: number | string | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === "number") return Math.round(v * 1000);
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) throw new Error(`bad duration "${v}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]]);
}
