"use client";

import { useSyncExternalStore, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Select } from "@/components/ui/input";
import { listHref, listParams, PAGE_SIZES, type ListQuery, type SortOrder } from "@/lib/admin/list-query";
import { plainClick, type GridTable } from "./grid-features";

const number = new Intl.NumberFormat("en-US");
const noSubscription = () => () => {};

/** False in the server HTML and until hydration; true once this component's handlers are live. */
function useHydrated() {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** Page numbers to show: the first, the last, and the current one with its neighbours; null marks a gap. */
function pageWindow(current: number, count: number): (number | null)[] {
  const pages = [...new Set([1, current - 1, current, current + 1, count])].filter((p) => p >= 1 && p <= count).sort((a, b) => a - b);
  return pages.flatMap((page, i) => (i > 0 && page - pages[i - 1]! > 1 ? [null, page] : [page]));
}

function PageLink({
  href,
  onGo,
  label,
  current,
  disabled,
  children,
}: {
  href: string;
  onGo: () => void;
  label: string;
  current?: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  const className = cn(
    "grid h-7 min-w-7 place-items-center rounded-md px-2 text-xs font-medium",
    current ? "bg-accent text-white" : disabled ? "text-slate-300" : "text-muted hover:bg-slate-100 hover:text-ink",
  );
  if (disabled) {
    return (
      <span aria-disabled="true" aria-label={label} className={className}>
        {children}
      </span>
    );
  }
  return (
    <a
      href={href}
      aria-label={label}
      aria-current={current ? "page" : undefined}
      className={className}
      onClick={(event) => {
        if (!plainClick(event)) return;
        event.preventDefault();
        onGo();
      }}
    >
      {children}
    </a>
  );
}

/** Page x of y, the range shown, page links and the page size: real links and a GET form, driven by TanStack's pagination API. */
export function GridPagination({
  table,
  path,
  query,
  defaultSort,
  total,
  noun,
}: {
  table: GridTable;
  path: string;
  query: ListQuery;
  defaultSort: SortOrder;
  total: number;
  noun: string;
}) {
  const count = Math.max(1, table.getPageCount());
  const page = query.page;
  const first = total === 0 ? 0 : (page - 1) * query.pageSize + 1;
  const last = Math.min(total, page * query.pageSize);
  const hrefOf = (p: number) => listHref(path, query, defaultSort, { page: p });
  const hydrated = useHydrated();
  const keep = listParams({ ...query, page: 1 }, defaultSort).filter(([name]) => name !== "size");
  return (
    <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-t border-line px-3 py-2 text-xs text-muted">
      <p aria-live="polite">
        {total === 0 ? `No ${noun}` : `${number.format(first)}–${number.format(last)} of ${number.format(total)} ${noun}`}
        <span className="mx-2 text-slate-300" aria-hidden="true">
          ·
        </span>
        Page {number.format(page)} of {number.format(count)}
      </p>
      <nav aria-label="Pages" className="flex items-center gap-0.5">
        <PageLink href={hrefOf(page - 1)} onGo={() => table.previousPage()} label="Previous page" disabled={!table.getCanPreviousPage()}>
          ‹ Prev
        </PageLink>
        {pageWindow(page, count).map((p, i) =>
          p === null ? (
            <span key={`gap-${i}`} aria-hidden="true" className="px-1 text-slate-400">
              …
            </span>
          ) : (
            <PageLink key={p} href={hrefOf(p)} onGo={() => table.setPageIndex(p - 1)} label={`Page ${p}`} current={p === page}>
              {number.format(p)}
            </PageLink>
          ),
        )}
        <PageLink href={hrefOf(page + 1)} onGo={() => table.nextPage()} label="Next page" disabled={!table.getCanNextPage()}>
          Next ›
        </PageLink>
      </nav>
      <form key={query.pageSize} method="get" action={path} className="flex items-center gap-2">
        {keep.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <label htmlFor="page-size" className="whitespace-nowrap">
          Rows per page
        </label>
        <div className="w-20">
          <Select
            id="page-size"
            name="size"
            defaultValue={String(query.pageSize)}
            onChange={(event) => table.setPageSize(Number(event.currentTarget.value))}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </Select>
        </div>
        {hydrated ? null : (
          // Until the select can navigate by itself (no JavaScript yet), the form submits as a plain GET.
          <Button type="submit" size="sm">
            Apply
          </Button>
        )}
      </form>
    </div>
  );
}
