"use client";

import type { FormEvent } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { describedBy, Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { listHref, listParams, type ListQuery, type SortOrder } from "@/lib/admin/list-query";
import type { FilterControl } from "./grid-data";
import { useListUrl } from "./use-list-url";

const HINT_ID = "filter-compare-hint";
const PLACEHOLDERS: Partial<Record<FilterControl["kind"], string>> = {
  integer: ">100",
  decimal: "<=250.50",
  money: "<=250.50",
  date: ">=2024-01-01",
  tags: "Has tag…",
  reference: "Name or #ID",
};
const COMPARABLE = new Set<FilterControl["kind"]>(["integer", "decimal", "money", "date"]);

/** How to compare, with examples for the kinds this table has. */
function CompareHint({ kinds }: { kinds: Set<FilterControl["kind"]> }) {
  const examples = [">100", kinds.has("money") || kinds.has("decimal") ? "<=250.50" : "<=250", kinds.has("date") ? ">=2024-01-01" : "=42"];
  return (
    <p id={HINT_ID} className="text-xs text-faint">
      {kinds.has("date") ? "Numbers and dates" : "Numbers"} compare with &gt;, &lt;, &gt;=, &lt;= or =:{" "}
      {examples.map((example, i) => (
        <span key={example}>
          {i > 0 ? ", " : null}
          <code>{example}</code>
        </span>
      ))}
      .
    </p>
  );
}

function Control({ control, value }: { control: FilterControl; value: string }) {
  const id = `filter-${control.prop}`;
  const name = `f.${control.prop}`;
  if (control.choices) {
    return (
      <Field id={id} label={control.label}>
        <Select {...describedBy(id)} name={name} defaultValue={value} onChange={(event) => event.currentTarget.form?.requestSubmit()}>
          <option value="">Any</option>
          {control.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </Select>
      </Field>
    );
  }
  return (
    <Field id={id} label={control.label}>
      <Input
        id={id}
        aria-describedby={COMPARABLE.has(control.kind) ? HINT_ID : undefined}
        name={name}
        type="search"
        defaultValue={value}
        placeholder={PLACEHOLDERS[control.kind] ?? "Contains…"}
        maxLength={200}
        autoComplete="off"
      />
    </Field>
  );
}

/**
 * The filters, as a GET form: it works without JavaScript, and with it the URL is
 * written without the empty fields (nuqs). Keyed by the URL's filters so links that change
 * them (Clear) reset the inputs.
 */
export function FilterPanel({
  path,
  controls,
  query,
  defaultSort,
  noun,
}: {
  path: string;
  controls: FilterControl[];
  query: ListQuery;
  defaultSort: SortOrder;
  noun: string;
}) {
  const { go, pending } = useListUrl(
    query,
    defaultSort,
    controls.map((c) => c.prop),
  );
  const keep = listParams({ ...query, filters: {}, includeRetired: false, page: 1 }, defaultSort);
  const active = Object.keys(query.filters).length;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const filters = Object.fromEntries(controls.map((c) => [c.prop, String(form.get(`f.${c.prop}`) ?? "").trim()]));
    go({ filters, includeRetired: form.get("retired") === "1", page: 1 });
  }

  return (
    <form
      method="get"
      action={path}
      onSubmit={submit}
      role="search"
      aria-label={`Filter ${noun}`}
      className="mb-4 rounded-lg border border-line bg-panel shadow-sm"
    >
      {keep.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="grid grid-cols-[repeat(auto-fill,minmax(9.5rem,1fr))] gap-x-3 gap-y-2 px-4 pt-3 pb-3">
        {controls.map((control) => (
          <Control key={control.prop} control={control} value={query.filters[control.prop] ?? ""} />
        ))}
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-line px-4 py-2">
        <div className="flex flex-wrap items-center gap-x-5 gap-y-1">
          <label className="inline-flex items-center gap-2 text-sm text-ink">
            <input
              type="checkbox"
              name="retired"
              value="1"
              defaultChecked={query.includeRetired}
              onChange={(event) => event.currentTarget.form?.requestSubmit()}
              className="size-4 rounded border-line accent-accent"
            />
            Show retired
          </label>
          {controls.some((c) => COMPARABLE.has(c.kind)) ? <CompareHint kinds={new Set(controls.map((c) => c.kind))} /> : null}
        </div>
        <div className="flex items-center gap-2">
          {active > 0 || query.includeRetired ? (
            <ButtonLink
              href={listHref(path, query, defaultSort, { filters: {}, includeRetired: false, page: 1 })}
              variant="ghost"
              size="sm"
              scroll={false}
            >
              Clear
            </ButtonLink>
          ) : null}
          <Button type="submit" variant="primary" size="sm" disabled={pending}>
            {active > 0 ? `Apply filters (${active} active)` : "Apply filters"}
          </Button>
        </div>
      </div>
    </form>
  );
}
