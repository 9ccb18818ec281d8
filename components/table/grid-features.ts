import { rowPaginationFeature, rowSortingFeature, tableFeatures, type ReactTable } from "@tanstack/react-table";
import type { MouseEvent } from "react";
import type { GridRow } from "./grid-data";

/** The record grid's TanStack features: sorting and pagination, both owned by the server. */
export const gridFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature });

export type GridTable = ReactTable<typeof gridFeatures, GridRow>;

/** A plain left click: the app navigates itself; modified clicks keep the browser's new-tab behaviour. */
export function plainClick(event: MouseEvent) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
