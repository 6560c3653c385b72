// Shell helpers shared by connections and steps.

/** POSIX shell single-quoting. */
export function shq(s: string | number): string {
  const v = String(s);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

export function octalMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined) return undefined;
  const m = typeof mode === "number" ? mode.toString(8) : mode.replace(/^0o/, "");
  if (!/^[0-7]{3,4}$/.test(m)) throw new Error(`bad file mode "${mode}" (write it like "0644")`);
  return m.padStart(4, "0");
}
