"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { wallTimeIn } from "@/lib/admin/dates";
import { listParams, type ListQuery, type SortOrder } from "@/lib/admin/list-query";
import { useListUrl } from "./use-list-url";

const HINT_ID = "as-of-hint";

/** A wall-clock time in the viewer's zone as the instant the URL names; text that is no time goes as it is, for the page to explain. */
function instantOf(value: string, timeZone: string): string | undefined {
  const text = value.trim();
  if (text === "") return undefined;
  return wallTimeIn(text, timeZone)?.toISOString() ?? text;
}

/**
 * Picks the moment a table view is read at, and the one it is compared with: a GET form (without
 * JavaScript the server reads the wall-clock times in the viewer's zone and redirects to instants),
 * and with it the URL is written with nuqs. Filters, order and page size stay; the page starts at 1.
 */
export function AsOfControls({
  path,
  query,
  defaultSort,
  filterProps,
  timeZone,
  asOf,
  compareTo,
}: {
  path: string;
  query: ListQuery;
  defaultSort: SortOrder;
  filterProps: string[];
  timeZone: string;
  /** The datetime-local values (wall-clock time in `timeZone`) the inputs start with. */
  asOf?: string;
  compareTo?: string;
}) {
  const { go, pending } = useListUrl(query, defaultSort, filterProps);
  const past = query.asOf !== undefined;
  const keep = listParams({ ...query, asOf: undefined, compareTo: undefined, changedOnly: false, page: 1 }, defaultSort);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const at = instantOf(String(form.get("asOf") ?? ""), timeZone);
    const other = at ? instantOf(String(form.get("compareTo") ?? ""), timeZone) : undefined;
    go({ asOf: at, compareTo: other, changedOnly: other !== undefined && form.get("changed") === "1", page: 1 });
  }

  return (
    <form
      method="get"
      action={path}
      onSubmit={submit}
      aria-label="Moment in history"
      className="flex flex-wrap items-end gap-x-3 gap-y-2 px-4 py-3"
    >
      {keep.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="w-56">
        <Field id="as-of" label={past && compareTo !== undefined ? "Compare from (as of)" : "As of"}>
          <Input
            id="as-of"
            name="asOf"
            type="datetime-local"
            step={1}
            defaultValue={asOf ?? ""}
            required={past}
            aria-describedby={HINT_ID}
          />
        </Field>
      </div>
      {past ? (
        <>
          <div className="w-56">
            <Field id="compare-to" label="Compare to">
              <Input
                id="compare-to"
                name="compareTo"
                type="datetime-local"
                step={1}
                defaultValue={compareTo ?? ""}
                aria-describedby={HINT_ID}
              />
            </Field>
          </div>
          <label className="inline-flex h-9 items-center gap-2 text-sm text-ink">
            <input
              type="checkbox"
              name="changed"
              value="1"
              defaultChecked={query.changedOnly === true}
              className="size-4 rounded border-line accent-accent"
            />
            Only changed rows
          </label>
        </>
      ) : null}
      <Button type="submit" variant={past ? "primary" : "secondary"} disabled={pending}>
        {past ? "Show" : "Show the table then"}
      </Button>
      <p id={HINT_ID} className="basis-full text-xs text-faint">
        Times are in {timeZone}.{past ? " Leave Compare to empty to see one moment." : " History is read-only."}
      </p>
    </form>
  );
}
