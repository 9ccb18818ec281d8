import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/** Dense data tables: the same look on every screen. */
export function DataTable({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="overflow-x-auto">
      <table className={cn("w-full border-collapse text-sm", className)} {...props} />
    </div>
  );
}

export const th =
  "border-b border-line bg-slate-50 px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted whitespace-nowrap";
export const td = "border-b border-line px-3 py-2 align-top text-ink";

/** A column heading: its text, or its text and extra classes (width, alignment). */
export type Column = ReactNode | { label: ReactNode; className?: string };

const isStyled = (column: Column): column is { label: ReactNode; className?: string } =>
  typeof column === "object" && column !== null && "label" in column;

/**
 * The heading row of a DataTable, one `<th scope="col">` per column.
 *
 * @example
 * <TableHead columns={["When", "Who", { label: "ID", className: "text-right" }]} />
 */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, i) => (
          <th key={i} scope="col" className={isStyled(column) ? cn(th, column.className) : th}>
            {isStyled(column) ? column.label : column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
