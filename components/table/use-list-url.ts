import { parseAsString, useQueryStates } from "nuqs";
import { useEffect, useMemo, useTransition } from "react";
import { listSearch, type ListQuery, type SortOrder } from "@/lib/admin/list-query";

/**
 * Writes a table view's state to the URL with nuqs: a navigation that the server
 * renders (the page parses the URL with zod and sends the new rows). Only this
 * view's parameters are written, each as `listSearch` spells it, so the address
 * bar shows what the page's own links point to. `filterProps` are the props the
 * view can filter on: a filter left empty leaves the URL.
 *
 * While a navigation is under way the page still shows (and `query` still holds) the state before
 * it, so `go` builds on the state last asked for: "page 1", then at once "50 rows", asks for the
 * first 50 rows, not for the old page at 50 rows. `current()` is that state, for event handlers.
 * It is shared by the view's controls (the filters, the pager, the time control): one page shows one list.
 */
let requested: { on: string; query: ListQuery } | null = null;

export function useListUrl(query: ListQuery, defaultSort: SortOrder, filterProps: string[]) {
  const [pending, startTransition] = useTransition();
  const keys = Object.keys(listSearch(query, defaultSort, filterProps)).join(" ");
  const parsers = useMemo(() => Object.fromEntries(keys.split(" ").map((key) => [key, parseAsString])), [keys]);
  const [, setSearch] = useQueryStates(parsers, { startTransition });
  // What the last go asked for, and the state it was asked on: once the page shows another state (the answer), it is done.
  const shown = JSON.stringify(query);
  useEffect(() => {
    if (requested && requested.on !== shown) requested = null;
  }, [shown]);
  const current = () => (requested?.on === shown ? requested.query : query);
  const go = (change: Partial<ListQuery>) => {
    const next = { ...current(), ...change };
    requested = { on: shown, query: next };
    void setSearch(listSearch(next, defaultSort, filterProps));
  };
  return { go, pending, current };
}
