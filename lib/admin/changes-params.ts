/**
 * The changes page's URL: `/t/<table>/changes?property=<p>&from=<ISO>&to=<ISO>&actor=<id>&cursor=`.
 * Parsed with zod; a bad value is left out with a message saying why, never an exception. A
 * wall-clock time without a zone (a form sent without JavaScript) is read in the viewer's zone and
 * the page redirects to the instant. Pure.
 */
import { z } from "zod";
import { firstOf, readMoment, shown } from "./as-of-params";
import type { SearchParams } from "./list-query";
import type { AdminTable, Field } from "./registry";

/** The page's state as the URL spells it (instants as ISO text). */
export type ChangesSearch = { property: string; from?: string; to?: string; actor?: string; cursor?: string };

export type ChangesParams = {
  search: ChangesSearch;
  field: Field;
  from?: Date;
  to?: Date;
  actor?: string;
  cursor?: string;
  problems: string[];
  /** Set when a wall-clock time was given: the same state with instants, to redirect to. */
  canonical?: ChangesSearch;
};

const actorSchema = z.string().max(200);
const cursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,1000}$/);

/** The properties whose changes can be listed: every tracked one, and Retired (retirements and restorations). */
export function changeableFields(admin: AdminTable): Field[] {
  return admin.fields.filter((f) => f.tracked || f.prop === "retired");
}

export function parseChangesParams(admin: AdminTable, raw: SearchParams, timeZone: string, now = new Date()): ChangesParams {
  const problems: string[] = [];
  const fields = changeableFields(admin);
  const propertyText = firstOf(raw.property);
  let field = fields.find((f) => f.prop === propertyText);
  if (!field) {
    field = fields.find((f) => f.listed) ?? fields[0]!;
    if (propertyText) problems.push(`${admin.label} have no tracked property ${shown(propertyText)}; showing ${field.label}.`);
  }
  const search: ChangesSearch = { property: field.prop };
  const result: ChangesParams = { search, field, problems };
  let converted = false;
  for (const [name, label] of [
    ["from", "From"],
    ["to", "To"],
  ] as const) {
    const text = firstOf(raw[name]);
    if (!text) continue;
    const moment = readMoment(label, text, timeZone, now, true);
    if ("problem" in moment) {
      problems.push(`${moment.problem} The ${label} bound was left out.`);
      continue;
    }
    result[name] = moment.at;
    search[name] = moment.text;
    converted ||= moment.converted;
  }
  if (result.from && result.to && result.from.getTime() > result.to.getTime()) {
    problems.push("From is after To, so no change can match. Swap them to see results.");
  }
  const actor = firstOf(raw.actor);
  if (actor) {
    if (actorSchema.safeParse(actor).success) result.actor = search.actor = actor;
    else problems.push("Ignored the actor: at most 200 characters.");
  }
  const cursor = firstOf(raw.cursor);
  if (cursor) {
    if (cursorSchema.safeParse(cursor).success) result.cursor = search.cursor = cursor;
    else problems.push("That page link is not one of this list's; showing the newest changes.");
  }
  if (converted) result.canonical = search;
  return result;
}

/** The changes page's URL with this state (empty parts left out). */
export function changesHref(slug: string, search: ChangesSearch): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(search)) if (value) query.set(name, value);
  return `/t/${slug}/changes?${query.toString()}`;
}
