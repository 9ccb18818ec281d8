/** Display text for values, the same on every screen. Pure: callable from server and client components. */
import type { Field } from "./registry";

export const EMPTY = "—";

export function humanEnum(value: string): string {
  return value.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** "Mar 3, 2024, 14:05 CET" in the given zone; the zone is always named. */
export function formatMoment(value: Date | string, timeZone: string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(date);
}

/**
 * A moment to the precision it was given in a zone, named twice ("Jan 8, 2016, 00:00 EST, America/New_York"):
 * minutes, and seconds or milliseconds only when they are not zero.
 */
export function formatInstant(value: Date, timeZone: string): string {
  const ms = value.getTime();
  const seconds = ms % 60_000 !== 0;
  const millis = ms % 1000 !== 0;
  const text = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" as const } : {}),
    ...(millis ? { fractionalSecondDigits: 3 as const } : {}),
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(value);
  return timeZone === "UTC" ? text : `${text}, ${timeZone}`;
}

export function formatDay(value: string): string {
  const [y, m, d] = value.split("-").map(Number);
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  );
}

/** Plain text for a value of a field (references are labelled by the caller). */
export function formatValue(field: Pick<Field, "kind">, value: unknown, timeZone: string): string {
  if (value === null || value === undefined) return EMPTY;
  switch (field.kind) {
    case "money":
      return money.format(Number(value));
    case "boolean":
      return value ? "Yes" : "No";
    case "date":
      return formatDay(String(value).slice(0, 10));
    case "datetime":
      return formatMoment(value as Date, timeZone);
    case "enum":
      return humanEnum(String(value));
    case "json":
      return JSON.stringify(value);
    case "tags":
      return (value as unknown[]).length === 0 ? EMPTY : (value as unknown[]).join(", ");
    default:
      return String(value);
  }
}

/** The value as an edit form shows it in an input. */
export function inputValue(field: Pick<Field, "kind">, value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (field.kind) {
    case "json":
      return JSON.stringify(value, null, 2);
    case "tags":
      return (value as unknown[]).join(", ");
    case "datetime":
      return (value as Date).toISOString();
    case "boolean":
      return value ? "true" : "false";
    default:
      return String(value);
  }
}
