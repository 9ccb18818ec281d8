/**
 * How two values of one field differ, by the field's kind: words for long text, keys for
 * json, elements for arrays, the delta and percentage for numbers. Pure, so the compare
 * page renders it on the server and tests check it without a browser.
 */
import { diffWords } from "diff";
import type { Field } from "./registry";

export type WordPart = { text: string; change: "same" | "added" | "removed" };
export type JsonChange = { path: string; change: "added" | "removed" | "changed"; before?: unknown; after?: unknown };

export type ValueDiff =
  | { kind: "words"; parts: WordPart[] }
  | { kind: "number"; delta: number; percent: number | null }
  | { kind: "json"; changes: JsonChange[] }
  | { kind: "elements"; added: unknown[]; removed: unknown[] }
  /** Shown as before → after. */
  | { kind: "plain" };

/** Text at least this long, or with several words, is compared word by word. */
const LONG_TEXT = 40;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Added, removed and changed keys of two json values, by path (`coverage.dental`, `limits[2]` is one value). */
export function jsonChanges(before: unknown, after: unknown, path = ""): JsonChange[] {
  if (!isObject(before) || !isObject(after))
    return same(before, after) ? [] : [{ path: path || "(value)", change: "changed", before, after }];
  const changes: JsonChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in after)) changes.push({ path: at, change: "removed", before: before[key] });
    else if (!(key in before)) changes.push({ path: at, change: "added", after: after[key] });
    else changes.push(...jsonChanges(before[key], after[key], at));
  }
  return changes;
}

/** Elements in `after` and not in `before` and the reverse, each occurrence counted (["a","a"] → ["a"] removes one). */
export function elementChanges(before: unknown[], after: unknown[]): { added: unknown[]; removed: unknown[] } {
  const remaining = new Map<string, number>();
  for (const item of before) remaining.set(JSON.stringify(item), (remaining.get(JSON.stringify(item)) ?? 0) + 1);
  const added: unknown[] = [];
  for (const item of after) {
    const key = JSON.stringify(item);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else added.push(item);
  }
  const removed: unknown[] = [];
  const counted = new Map(remaining);
  for (const item of before) {
    const key = JSON.stringify(item);
    const left = counted.get(key) ?? 0;
    if (left > 0) {
      removed.push(item);
      counted.set(key, left - 1);
    }
  }
  return { added, removed };
}

export function valueDiff(field: Pick<Field, "kind">, before: unknown, after: unknown): ValueDiff {
  if (before === null || before === undefined || after === null || after === undefined) return { kind: "plain" };
  switch (field.kind) {
    case "integer":
    case "decimal":
    case "money": {
      const from = Number(before);
      const to = Number(after);
      if (!Number.isFinite(from) || !Number.isFinite(to)) return { kind: "plain" };
      // Decimal strings: round the delta to the precision the values were written with.
      const digits = Math.max(decimals(before), decimals(after));
      const delta = Number((to - from).toFixed(digits));
      return { kind: "number", delta, percent: from === 0 ? null : Number(((delta / Math.abs(from)) * 100).toFixed(1)) };
    }
    case "json":
      return isObject(before) && isObject(after) ? { kind: "json", changes: jsonChanges(before, after) } : { kind: "plain" };
    case "tags":
      return Array.isArray(before) && Array.isArray(after) ? { kind: "elements", ...elementChanges(before, after) } : { kind: "plain" };
    case "text": {
      const a = String(before);
      const b = String(after);
      if (Math.max(a.length, b.length) < LONG_TEXT && !(a.includes(" ") && b.includes(" "))) return { kind: "plain" };
      const parts = diffWords(a, b).map((part) => ({
        text: part.value,
        change: part.added ? ("added" as const) : part.removed ? ("removed" as const) : ("same" as const),
      }));
      return { kind: "words", parts };
    }
    default:
      return { kind: "plain" };
  }
}

function decimals(value: unknown): number {
  const text = String(value);
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : Math.min(text.length - dot - 1, 10);
}
