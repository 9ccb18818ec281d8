"use client";

import { parseAsString, useQueryStates } from "nuqs";
import { useTransition, type FormEvent } from "react";
import { ButtonLink, Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { ActivityParams } from "@/lib/admin/activity-params";

const FILTERS = ["actor", "q", "table", "from", "to"] as const;
const parsers = Object.fromEntries([...FILTERS, "cursor"].map((name) => [name, parseAsString]));

/**
 * A GET form: every filter lives in the URL, works without JavaScript, and a
 * filtered log can be bookmarked or shared. With JavaScript the URL is written
 * without the empty fields (nuqs). Submitting starts at the newest page.
 */
export function ActivityFilters({
  params,
  actors,
  tables,
  timeZone,
}: {
  params: ActivityParams;
  actors: { actor: string; name: string | null }[];
  tables: { slug: string; label: string }[];
  timeZone: string;
}) {
  const [, startTransition] = useTransition();
  const [, setSearch] = useQueryStates(parsers, { startTransition });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = FILTERS.map((name) => [name, String(form.get(name) ?? "").trim() || null]);
    void setSearch({ ...Object.fromEntries(values), cursor: null });
  }

  const actorChoices =
    params.actor && !actors.some((a) => a.actor === params.actor) ? [{ actor: params.actor, name: null }, ...actors] : actors;
  const filtered = Boolean(params.actor || params.q || params.table || params.from || params.to);
  return (
    <form
      method="get"
      action="/activity"
      onSubmit={submit}
      role="search"
      aria-label="Filter the activity log"
      className="border-b border-line px-4 py-3"
    >
      <div className="grid grid-cols-1 items-start gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(12rem,1.2fr)_minmax(12rem,1.5fr)_minmax(9rem,1fr)_9.5rem_9.5rem_auto]">
        <Field id="filter-actor" label="Actor">
          <Select id="filter-actor" name="actor" defaultValue={params.actor ?? ""}>
            <option value="">All actors</option>
            {actorChoices.map(({ actor, name }) => (
              <option key={actor} value={actor}>
                {name ?? actor}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="filter-q" label="Reason contains">
          <Input id="filter-q" name="q" type="search" defaultValue={params.q ?? ""} placeholder="e.g. renewal" maxLength={200} />
        </Field>
        <Field id="filter-table" label="Touched table">
          <Select id="filter-table" name="table" defaultValue={params.table ?? ""}>
            <option value="">All tables</option>
            {tables.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="filter-from" label="From">
          <Input id="filter-from" name="from" type="date" defaultValue={params.from ?? ""} aria-describedby="filter-dates-hint" />
        </Field>
        <Field id="filter-to" label="To">
          <Input id="filter-to" name="to" type="date" defaultValue={params.to ?? ""} aria-describedby="filter-dates-hint" />
        </Field>
        <div className="flex gap-2 sm:pt-6">
          <Button type="submit" variant="primary">
            Apply
          </Button>
          {filtered ? (
            <ButtonLink href="/activity" variant="ghost">
              Clear
            </ButtonLink>
          ) : null}
        </div>
      </div>
      <p id="filter-dates-hint" className="mt-2 text-xs text-faint">
        Dates are whole days in {timeZone}, both included, and match when an activity happened (back-dated ones by the date they are about).
      </p>
    </form>
  );
}
