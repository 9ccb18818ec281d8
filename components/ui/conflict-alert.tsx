import type { ReactNode } from "react";

/** A cell of a ConflictAlert's table (the last column has no right padding). */
export const conflictCell = "py-1 pr-2";

/**
 * A stale write, told as an alert: what happened, a table of what differs (the rows are the
 * caller's, in `conflictCell`s), and the ways forward. The edit form, the revert and the undo
 * all lay their conflicts out this way.
 */
export function ConflictAlert({
  id,
  title,
  heading: Heading = "h2",
  message,
  columns,
  children,
  actions,
}: {
  id: string;
  title: string;
  heading?: "h2" | "h3";
  message: ReactNode;
  columns: ReactNode[];
  /** The table's rows. */
  children: ReactNode;
  actions: ReactNode;
}) {
  return (
    <section role="alert" aria-labelledby={id} className="rounded-md border border-amber-300 bg-warn-soft p-3">
      <Heading id={id} className="text-sm font-semibold text-amber-900">
        {title}
      </Heading>
      <p className="mt-0.5 text-sm text-amber-900">{message}</p>
      <table className="mt-2 w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-amber-900">
            {columns.map((column, i) => (
              <th key={i} scope="col" className={`${conflictCell} font-medium`}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      <div className="mt-3 flex flex-wrap gap-2">{actions}</div>
    </section>
  );
}

/** A row of a ConflictAlert: the row's heading (a field or a record), then its cells. */
export function ConflictRow({ heading, children }: { heading: ReactNode; children: ReactNode }) {
  return (
    <tr className="border-t border-amber-200">
      <th scope="row" className={`${conflictCell} text-left font-medium`}>
        {heading}
      </th>
      {children}
    </tr>
  );
}
