"use client";

import { createColumnHelper, useTable, type PaginationState, type SortingState, type Updater } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { cn } from "@/components/ui/cn";
import { Empty } from "@/components/ui/empty";
import { td, th } from "@/components/ui/table";
import { listHref, type ListQuery, type SortOrder } from "@/lib/admin/list-query";
import { CellView, ChangeCell, ChangedCell } from "./grid-cell";
import type { GridColumn, GridRow } from "./grid-data";
import { gridFeatures, plainClick } from "./grid-features";
import { GridPagination } from "./grid-pagination";
import { useListUrl } from "./use-list-url";

const helper = createColumnHelper<typeof gridFeatures, GridRow>();
const NUMERIC = new Set(["integer", "decimal", "money"]);
const CHANGE_COLUMN = "__change";

function resolve<T>(updater: Updater<T>, old: T): T {
  return typeof updater === "function" ? (updater as (old: T) => T)(old) : updater;
}

/**
 * One page of records with sortable headers. The server sorts and pages; the URL
 * holds the state, so every header and page control is a real link that also works
 * before hydration, and TanStack Table only mirrors that state. In compare mode (`compare`, naming the
 * earlier moment) a first column says what happened to each record, and changed cells show the old value.
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
  compare,
  empty,
}: {
  path: string;
  columns: GridColumn[];
  rows: GridRow[];
  total: number;
  query: ListQuery;
  defaultSort: SortOrder;
  label: string;
  noun: string;
  compare?: { from: string };
  /** What an empty list says when no filter is set. */
  empty?: string;
}) {
  const { go, pending, current } = useListUrl(
    query,
    defaultSort,
    columns.map((c) => c.prop),
  );

  const from = compare?.from;
  const tableColumns = useMemo(
    () => [
      ...(from === undefined
        ? []
        : [
            helper.display({
              id: CHANGE_COLUMN,
              header: "Change",
              enableSorting: false,
              cell: (info) => <ChangeCell change={info.row.original.change} />,
            }),
          ]),
      ...helper.columns(
        columns.map((column) =>
          helper.accessor((row) => row.cells[column.prop] ?? null, {
            id: column.prop,
            header: column.label,
            enableSorting: column.sortable,
            cell: (info) => {
              const row = info.row.original;
              const view = <CellView column={column} cell={info.getValue()} retired={row.retired} />;
              const was = row.was?.[column.prop];
              if (was === undefined || from === undefined) return view;
              return (
                <ChangedCell id={`cell-${row.id}-${column.prop}`} label={column.label} was={was} from={from}>
                  {view}
                </ChangedCell>
              );
            },
          }),
        ),
      ),
    ],
    [columns, from],
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
    // Each change builds on the state last asked for (useListUrl), not on the page still shown while it loads.
    onSortingChange: (updater) => {
      const { sort } = current();
      const next = resolve<SortingState>(updater, [{ id: sort.prop, desc: sort.desc }])[0];
      if (next) go({ sort: { prop: next.id, desc: next.desc }, page: 1 });
    },
    onPaginationChange: (updater) => {
      const { page, pageSize } = current();
      const next = resolve<PaginationState>(updater, { pageIndex: page - 1, pageSize });
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
                  if (!column.getCanSort()) {
                    return (
                      <th key={header.id} scope="col" className={cn(th, "sticky top-0 z-10")}>
                        <table.FlexRender header={header} />
                      </th>
                    );
                  }
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
              (empty ?? "Nothing here yet.")
            )}
          </Empty>
        ) : null}
      </div>
      <GridPagination table={table} path={path} query={query} defaultSort={defaultSort} total={total} noun={noun} />
    </div>
  );
}
