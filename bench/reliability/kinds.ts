/**
 * Failures counted by kind. A library error is known by its stable `code` (so a typed error the library
 * adds later is counted under its own code with no change here); anything else is "untyped", with its
 * driver code or class and the start of its message, so the report shows where typing is missing.
 */
import { TemporalError } from "@temporal-records/drizzle";

export type Counts = Map<string, number>;

export function kindOf(error: unknown): string {
  if (error instanceof TemporalError) return error.code;
  const e = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const message = String(e.message ?? error).slice(0, 60);
  return typeof e.code === "string" ? `untyped ${e.code}: ${message}` : `untyped ${String(e.name ?? typeof error)}: ${message}`;
}

export function count(counts: Counts, kind: string, by = 1): void {
  counts.set(kind, (counts.get(kind) ?? 0) + by);
}

export const total = (counts: Counts) => [...counts.values()].reduce((sum, n) => sum + n, 0);

/** "STALE_VCLOCK 5,412, untyped …: 2", most frequent first, or "none". */
export function formatCounts(counts: Counts): string {
  if (counts.size === 0) return "none";
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${n.toLocaleString("en-US")}`)
    .join(", ");
}
