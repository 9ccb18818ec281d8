/**
 * Points in a record's history as the URL writes them: a version (`7`) or an ISO 8601
 * instant (`2025-06-01T09:30:00Z`, `2025-06-01T11:30+02:00`, or a bare day `2025-06-01`,
 * read as that day's start in UTC so a copied link means the same moment to every
 * viewer). Parsed with zod; a bad value becomes a message, never a library call.
 */
import { z } from "zod";
import type { Point } from "@temporal-records/drizzle";
import { isDay } from "./dates";

const version = z.coerce
  .number({ error: "a version is a whole number such as 7" })
  .int({ error: "a version is a whole number such as 7" })
  .min(1, { error: "versions start at 1" })
  .max(2_147_483_647, { error: "no record has that many versions" });

/** An instant with its zone (Z or an offset): a local time without one would mean something else to each viewer. */
const isoInstant = z.iso.datetime({ offset: true });

const INSTANT_HELP = "write a moment as an ISO 8601 date and time with its zone, such as 2025-06-01T09:30:00Z, or a day such as 2025-06-01";

export type ParsedPoint = { ok: true; point: Point } | { ok: false; message: string };

/** An instant in the URL, or a message that says how to write one. */
export function parseInstant(text: string): { ok: true; at: Date } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!isDay(trimmed) && !isoInstant.safeParse(trimmed).success) return { ok: false, message: INSTANT_HELP };
  const at = new Date(isDay(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1 || at.getUTCFullYear() > 9999) {
    return { ok: false, message: INSTANT_HELP };
  }
  return { ok: true, at };
}

/** A version in the URL, or a message. */
export function parseVersion(text: string): ParsedPoint {
  const parsed = version.safeParse(text.trim());
  return parsed.success ? { ok: true, point: { vclock: parsed.data } } : { ok: false, message: parsed.error.issues[0]!.message };
}

/** `from`/`to` of the compare page: digits are a version, anything else must be an instant. */
export function parsePoint(text: string): ParsedPoint {
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed)) return parseVersion(trimmed);
  const moment = parseInstant(trimmed);
  return moment.ok ? { ok: true, point: { at: moment.at } } : moment;
}

/** How a point is written back into a URL (instants always in UTC, to the millisecond). */
export function pointParam(point: Point): string {
  return "vclock" in point ? String(point.vclock) : point.at.toISOString();
}

/** The first value of a search param. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === "" ? undefined : text;
}

export type RecordPointParams = {
  point: Point | null;
  /** The moment the URL named (for the banner), when it named one. */
  moment: Date | null;
  /** Why a parameter was ignored, to show on the page. */
  problem: string | null;
};

/** `?version=<n>` or `?asOf=<ISO>` of a record page; neither is "now". */
export function parseRecordPoint(raw: Record<string, string | string[] | undefined>): RecordPointParams {
  const version = firstParam(raw.version);
  const asOf = firstParam(raw.asOf);
  if (version !== undefined) {
    const parsed = parseVersion(version);
    if (!parsed.ok) return { point: null, moment: null, problem: `Ignored ?version=: ${parsed.message}. Showing the current version.` };
    const both = asOf === undefined ? null : "The link names both a version and a moment; showing the version.";
    return { point: parsed.point, moment: null, problem: both };
  }
  if (asOf !== undefined) {
    const parsed = parseInstant(asOf);
    if (!parsed.ok) return { point: null, moment: null, problem: `Ignored ?asOf=: ${parsed.message}. Showing the current version.` };
    return { point: { at: parsed.at }, moment: parsed.at, problem: null };
  }
  return { point: null, moment: null, problem: null };
}

/** `?to=<n>` of a record's revert preview: the version to go back to, or why the link cannot say. */
export function parseRevertTo(
  raw: Record<string, string | string[] | undefined>,
): { ok: true; version: number } | { ok: false; message: string } {
  const text = firstParam(raw.to);
  if (text === undefined) return { ok: false, message: "This link does not say which version to revert to: pick one in the history." };
  const parsed = parseVersion(text);
  if (!parsed.ok) return { ok: false, message: `Ignored ?to=: ${parsed.message}. Pick a version in the history.` };
  return { ok: true, version: (parsed.point as { vclock: number }).vclock };
}
