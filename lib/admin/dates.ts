/**
 * Calendar days ("YYYY-MM-DD") in a time zone. Pure: filters and charts count
 * whole days in the viewer's zone, so a day starts at that zone's midnight.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar day written as YYYY-MM-DD. */
export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function utcOfDay(day: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function dayOfUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day `days` after (or before, when negative) a day. */
export function addDays(day: string, days: number): string {
  return dayOfUtc(utcOfDay(day) + days * MS_PER_DAY);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcOfDay(to) - utcOfDay(from)) / MS_PER_DAY);
}

/** The calendar day a moment falls on in a zone. */
export function dayIn(moment: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(moment);
}

/** How far a zone's wall clock is ahead of UTC at a moment, in milliseconds. */
function zoneOffset(moment: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(moment);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return wall - Math.floor(moment / 1000) * 1000;
}

/** The moment a day starts in a zone (its midnight, or the first moment after a DST gap). */
export function startOfDay(day: string, timeZone: string): Date {
  const wall = utcOfDay(day);
  let guess = wall - zoneOffset(wall, timeZone);
  // Once more at the guess: the offset can differ there when DST changes that night.
  guess = wall - zoneOffset(guess, timeZone);
  return new Date(guess);
}

const WALL_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * The moment a wall-clock time ("YYYY-MM-DD", "YYYY-MM-DDTHH:mm", with seconds and milliseconds
 * optional: what a datetime-local input sends) names in a zone, or undefined when it is no such time.
 */
export function wallTimeIn(text: string, timeZone: string): Date | undefined {
  const match = WALL_TIME.exec(text);
  if (!match || !isDay(match[1]!)) return undefined;
  const [h = 0, min = 0, s = 0] = [match[2], match[3], match[4]].map((part) => (part === undefined ? undefined : Number(part)));
  if (h > 23 || min > 59 || s > 59) return undefined;
  const ms = match[5] === undefined ? 0 : Number(match[5].padEnd(3, "0"));
  const wall = utcOfDay(match[1]!) + ((h * 60 + min) * 60 + s) * 1000 + ms;
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  return new Date(guess);
}

/** A moment as a zone's wall clock, "YYYY-MM-DDTHH:mm:ss": the value a datetime-local input shows. */
export function wallTimeOf(moment: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(moment);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}:${part("second")}`;
}
