"use client";

import { parseAsString, useQueryStates } from "nuqs";
import { useTransition, type FormEvent } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { ChangesSearch } from "@/lib/admin/changes-params";
import { wallTimeIn } from "@/lib/admin/dates";

const NAMES = ["property", "from", "to", "actor", "cursor"] as const;
const parsers = Object.fromEntries(NAMES.map((name) => [name, parseAsString]));
const HINT_ID = "changes-dates-hint";

/** A wall-clock time in the viewer's zone as the instant the URL names; text that is no time goes as it is, for the page to explain. */
function instantOf(value: FormDataEntryValue | null, timeZone: string): string | null {
  const text = String(value ?? "").trim();
  if (text === "") return null;
  return wallTimeIn(text, timeZone)?.toISOString() ?? text;
}

/**
 * Which changes to list: a property, a window and an actor. A GET form that works without JavaScript
 * (the server reads the times in the viewer's zone and redirects to instants); with it the URL is
 * written with nuqs. Submitting starts at the newest page.
 */
export function ChangesFilters({
  path,
  search,
  properties,
  actors,
  timeZone,
  from,
  to,
}: {
  path: string;
  search: ChangesSearch;
  properties: { prop: string; label: string }[];
  actors: { actor: string; name: string | null }[];
  timeZone: string;
  /** The datetime-local values (wall-clock time in `timeZone`) the inputs start with. */
  from?: string;
  to?: string;
}) {
  const [pending, startTransition] = useTransition();
  const [, setSearch] = useQueryStates(parsers, { startTransition });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void setSearch({
      property: String(form.get("property") ?? "") || null,
      from: instantOf(form.get("from"), timeZone),
      to: instantOf(form.get("to"), timeZone),
      actor: String(form.get("actor") ?? "") || null,
      cursor: null,
    });
  }

  const actorChoices =
    search.actor && !actors.some((a) => a.actor === search.actor) ? [{ actor: search.actor, name: null }, ...actors] : actors;
  const filtered = Boolean(search.from || search.to || search.actor);
  return (
    <form
      method="get"
      action={path}
      onSubmit={submit}
      role="search"
      aria-label="Filter the changes"
      className="border-b border-line px-4 py-3"
    >
      <div className="grid grid-cols-1 items-start gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(10rem,1fr)_14rem_14rem_minmax(12rem,1.2fr)_auto]">
        <Field id="changes-property" label="Property">
          <Select id="changes-property" name="property" defaultValue={search.property}>
            {properties.map((p) => (
              <option key={p.prop} value={p.prop}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="changes-from" label="From">
          <Input id="changes-from" name="from" type="datetime-local" step={1} defaultValue={from ?? ""} aria-describedby={HINT_ID} />
        </Field>
        <Field id="changes-to" label="To">
          <Input id="changes-to" name="to" type="datetime-local" step={1} defaultValue={to ?? ""} aria-describedby={HINT_ID} />
        </Field>
        <Field id="changes-actor" label="Actor">
          <Select id="changes-actor" name="actor" defaultValue={search.actor ?? ""}>
            <option value="">Everyone</option>
            {actorChoices.map(({ actor, name }) => (
              <option key={actor} value={actor}>
                {name ?? actor}
              </option>
            ))}
          </Select>
        </Field>
        <div className="flex gap-2 sm:pt-6">
          <Button type="submit" variant="primary" disabled={pending}>
            Apply
          </Button>
          {filtered ? (
            <ButtonLink href={`${path}?property=${encodeURIComponent(search.property)}`} variant="ghost">
              Clear
            </ButtonLink>
          ) : null}
        </div>
      </div>
      <p id={HINT_ID} className="mt-2 text-xs text-faint">
        Times are in {timeZone}. From is included, To is not; leave either empty for no bound.
      </p>
    </form>
  );
}
