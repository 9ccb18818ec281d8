"use client";

import { createColumnHelper, useTable, type PaginationState, type SortingState, type Updater } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Empty } from "@/components/ui/empty";
import { td, th } from "@/components/ui/table";
import { EMPTY } from "@/lib/admin/format";
import { listHref, type ListQuery, type SortOrder } from "@/lib/admin/list-query";
import type { GridCell, GridColumn, GridRow } from "./grid-data";
import { gridFeatures, plainClick } from "./grid-features";
import { GridPagination } from "./grid-pagination";
import { useListUrl } from "./use-list-url";

const helper = createColumnHelper<typeof gridFeatures, GridRow>();
const NUMERIC = new Set(["integer", "decimal", "money"]);

function resolve<T>(updater: Updater<T>, old: T): T {
  return typeof updater === "function" ? (updater as (old: T) => T)(old) : updater;
}

function CellView({ column, cell, retired }: { column: GridColumn; cell: GridCell; retired: boolean }) {
  if (cell === null) return <span className="text-faint">{EMPTY}</span>;
  if ("tags" in cell) {
    return (
      <span className="flex gap-1">
        {cell.tags.map((tag) => (
          <Badge key={tag}>{tag}</Badge>
        ))}
      </span>
    );
  }
  if (!cell.href) return <>{cell.text}</>;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Link href={cell.href} prefetch={false} className={cn("hover:underline", column.title ? "font-medium text-accent" : "text-ink")}>
        {cell.text}
      </Link>
      {column.title && retired ? <Badge tone="warn">Retired</Badge> : null}
    </span>
  );
}

/**
 * One page of records with sortable headers. The server sorts and pages; the URL
 * holds the state, so every header and page control is a real link that also works
 * before hydration, and TanStack Table only mirrors that state.
 */
export function RecordGrid({
  path,
  columns,
  rows,
  total,
  query,
  defaultSort,
  label,
  noun,
}: {
  path: string;
  columns: GridColumn[];
  rows: GridRow[];
  total: number;
  query: ListQuery;
  defaultSort: SortOrder;
  label: string;
  noun: string;
}) {
  const { go, pending } = useListUrl(
    query,
    defaultSort,
    columns.map((c) => c.prop),
  );

  const tableColumns = useMemo(
    () =>
      helper.columns(
        columns.map((column) =>
          helper.accessor((row) => row.cells[column.prop] ?? null, {
            id: column.prop,
            header: column.label,
            cell: (info) => <CellView column={column} cell={info.getValue()} retired={info.row.original.retired} />,
          }),
        ),
      ),
    [columns],
  );
  const kinds = useMemo(() => new Map(columns.map((c) => [c.prop, c.kind])), [columns]);
  const sorting = useMemo<SortingState>(() => [{ id: query.sort.prop, desc: query.sort.desc }], [query.sort.prop, query.sort.desc]);
  const pagination = useMemo<PaginationState>(
    () => ({ pageIndex: query.page - 1, pageSize: query.pageSize }),
    [query.page, query.pageSize],
  );

  const table = useTable({
    features: gridFeatures,
    columns: tableColumns,
    data: rows,
    getRowId: (row) => row.id,
    state: { sorting, pagination },
    manualSorting: true,
    manualPagination: true,
    autoResetPageIndex: false,
    rowCount: total,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    onSortingChange: (updater) => {
      const next = resolve(updater, sorting)[0];
      if (next) go({ sort: { prop: next.id, desc: next.desc }, page: 1 });
    },
    onPaginationChange: (updater) => {
      const next = resolve(updater, pagination);
      go({ page: next.pageIndex + 1, pageSize: next.pageSize });
    },
  });

  return (
    <div className="rounded-lg border border-line bg-panel shadow-sm">
      <div className="max-h-[calc(100dvh-13rem)] min-h-48 overflow-auto" aria-busy={pending || undefined}>
        <table
          aria-label={label}
          className={cn("w-full border-separate border-spacing-0 text-sm transition-opacity", pending && "opacity-60")}
        >
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const column = header.column;
                  const sorted = column.getIsSorted();
                  const next = column.getNextSortingOrder();
                  const numeric = NUMERIC.has(kinds.get(column.id) ?? "text");
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className={cn(th, "sticky top-0 z-10", numeric && "text-right")}
                    >
                      <a
                        href={listHref(path, query, defaultSort, { sort: { prop: column.id, desc: next === "desc" }, page: 1 })}
                        onClick={(event) => {
                          if (!plainClick(event)) return;
                          event.preventDefault();
                          column.toggleSorting();
                        }}
                        className={cn("inline-flex items-center gap-1 hover:text-ink", sorted && "text-ink")}
                      >
                        <table.FlexRender header={header} />
                        <span aria-hidden="true" className={cn("text-[10px]", sorted ? "text-accent" : "text-slate-300")}>
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                        </span>
                        <span className="sr-only">{`, sort ${next === "desc" ? "descending" : "ascending"}`}</span>
                      </a>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className={cn("hover:bg-slate-50", row.original.retired && "bg-slate-50/70 text-muted")}>
                {row.getAllCells().map((cell) => {
                  const kind = kinds.get(cell.column.id) ?? "text";
                  return (
                    <td
                      key={cell.id}
                      className={cn(
                        td,
                        "py-1.5 whitespace-nowrap",
                        NUMERIC.has(kind) && "text-right",
                        kind === "json" && "font-mono text-xs",
                      )}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? (
          <Empty title={`No ${noun} match`}>
            {Object.keys(query.filters).length > 0 ? (
              <Link href={listHref(path, query, defaultSort, { filters: {}, page: 1 })} className="text-accent hover:underline">
                Clear the filters
              </Link>
            ) : (
              "Nothing here yet."
            )}
          </Empty>
        ) : null}
      </div>
      <GridPagination table={table} path={path} query={query} defaultSort={defaultSort} total={total} noun={noun} />
    </div>
  );
}
