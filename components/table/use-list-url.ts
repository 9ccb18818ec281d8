import { parseAsString, useQueryStates } from "nuqs";
import { useMemo, useTransition } from "react";
import { listSearch, type ListQuery, type SortOrder } from "@/lib/admin/list-query";

/**
 * Writes a table view's state to the URL with nuqs: a navigation that the server
 * renders (the page parses the URL with zod and sends the new rows). Only this
 * view's parameters are written, each as `listSearch` spells it, so the address
 * bar shows what the page's own links point to. `filterProps` are the props the
 * view can filter on: a filter left empty leaves the URL.
 */
export function useListUrl(query: ListQuery, defaultSort: SortOrder, filterProps: string[]) {
  const [pending, startTransition] = useTransition();
  const keys = Object.keys(listSearch(query, defaultSort, filterProps)).join(" ");
  const parsers = useMemo(() => Object.fromEntries(keys.split(" ").map((key) => [key, parseAsString])), [keys]);
  const [, setSearch] = useQueryStates(parsers, { startTransition });
  const go = (change: Partial<ListQuery>) => void setSearch(listSearch({ ...query, ...change }, defaultSort, filterProps));
  return { go, pending };
}
