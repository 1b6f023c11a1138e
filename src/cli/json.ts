/** JSON for --json: non-finite numbers (an infinite z) become null, as JSON has no Infinity. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}
