/**
 * The moments a table view is read at, from its URL: `?asOf=<ISO 8601 instant>` (the table as it
 * was then) and `&compareTo=<instant>&changed=1` (what changed from asOf to compareTo, optionally
 * only the records that did). Parsed with zod; a bad value becomes a message the page shows, never
 * an exception. A wall-clock time without a zone (what a datetime-local input sends when the form
 * is submitted without JavaScript) is read in the viewer's zone, and the page redirects to the
 * instant, so every link names one moment whoever opens it. Pure.
 */
import { z } from "zod";
import type { SearchParams } from "./list-query";
import { wallTimeIn } from "./dates";

export type PastView = {
  kind: "past";
  /** The moment the comparison starts from, or the only one. */
  asOf: Date;
  /** Where comparing ends: the moment whose values the grid shows in compare mode. */
  compareTo?: Date;
  /** Compare mode only: just the records created, changed, retired or restored in between. */
  changedOnly: boolean;
};

/** Now (the current table), a moment in the past (perhaps compared with another), or an asOf that cannot be read. */
export type TimeView = { kind: "now" } | PastView | { kind: "invalid" };

/** The URL's moments as they will be written back: the ISO text as given, or null. */
export type TimeSearch = { asOf?: string; compareTo?: string; changedOnly?: boolean };

export type TimeParams = {
  view: TimeView;
  search: TimeSearch;
  problems: string[];
  /** Set when a wall-clock time was given: the same view with instants, to redirect to. */
  canonical?: TimeSearch;
};

const instant = z.iso.datetime({ offset: true });
const SHOWN = 40;
const EXAMPLE = "2016-01-01T00:00:00Z";

/** A moment read from the URL: the instant, its text for links (an instant as ISO), whether it was a wall-clock time. */
export type Moment = { at: Date; text: string; converted: boolean } | { problem: string };

export const firstOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
export const shown = (text: string) => `“${text.length > SHOWN ? `${text.slice(0, SHOWN - 1)}…` : text}”`;

/** An ISO 8601 instant, or a wall-clock time in `timeZone`; refused in the future unless `future`. */
export function readMoment(label: string, text: string, timeZone: string, now: Date, future = false): Moment {
  let at: Date | undefined;
  let converted = false;
  if (instant.safeParse(text).success) at = new Date(text);
  else {
    at = wallTimeIn(text, timeZone);
    converted = at !== undefined;
  }
  if (!at || Number.isNaN(at.getTime())) {
    return { problem: `${label} ${shown(text)} is not a moment: write an ISO 8601 instant such as ${EXAMPLE}.` };
  }
  if (!future && at.getTime() > now.getTime()) {
    return { problem: `${label} ${shown(text)} is in the future: history ends now. Pick a moment up to now.` };
  }
  return { at, text: converted ? at.toISOString() : text, converted };
}

/** The moments in a table view's URL, with a message for each one that cannot be used. */
export function parseTimeParams(params: SearchParams, timeZone: string, now = new Date()): TimeParams {
  const asOfText = firstOf(params.asOf);
  const compareText = firstOf(params.compareTo);
  const changed = firstOf(params.changed) === "1";
  const problems: string[] = [];
  if (!asOfText) {
    if (compareText) problems.push("Comparing needs an As of moment to compare from; showing the table as it is now.");
    return { view: { kind: "now" }, search: {}, problems };
  }
  const asOf = readMoment("As of", asOfText, timeZone, now);
  if ("problem" in asOf) {
    problems.push(asOf.problem);
    return { view: { kind: "invalid" }, search: {}, problems };
  }
  const compareTo = compareText ? readMoment("Compare to", compareText, timeZone, now) : undefined;
  if (compareTo && "problem" in compareTo) problems.push(`${compareTo.problem} The comparison was left out.`);
  const compared = compareTo && !("problem" in compareTo) ? compareTo : undefined;
  if (changed && !compared) problems.push("Only changed rows needs a moment to compare to; showing every row.");
  const view: PastView = { kind: "past", asOf: asOf.at, compareTo: compared?.at, changedOnly: changed && compared !== undefined };
  const search: TimeSearch = { asOf: asOf.text, compareTo: compared?.text, changedOnly: view.changedOnly || undefined };
  return { view, search, problems, canonical: asOf.converted || compared?.converted ? search : undefined };
}

/** The moment whose values a past view shows: compareTo when comparing, else asOf. */
export function shownMoment(view: PastView): Date {
  return view.compareTo ?? view.asOf;
}
