"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { EMPTY } from "@/lib/admin/format";
import type { RowChangeKind } from "@/lib/admin/row-compare";
import type { GridCell, GridChange, GridColumn } from "./grid-data";

export function CellView({ column, cell, retired }: { column: GridColumn; cell: GridCell; retired: boolean }) {
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
 * A cell whose value changed between the two moments: the new value, a marker (a shape and a name,
 * not colour alone), and the old value in a tooltip that opens on hover and on keyboard focus of the
 * marker, stays while the pointer is over it, and closes with Escape (WCAG 1.4.13).
 */
export function ChangedCell({
  id,
  label,
  was,
  from,
  children,
}: {
  id: string;
  label: string;
  was: string;
  from: string;
  children: ReactNode;
}) {
  const [dismissed, setDismissed] = useState(false);
  const tip = `${id}-was`;
  return (
    <span
      className="group relative inline-flex items-center gap-1.5"
      onMouseLeave={() => setDismissed(false)}
      onKeyDown={(event) => {
        if (event.key === "Escape") setDismissed(true);
      }}
    >
      <span className="underline decoration-amber-500 decoration-dotted decoration-2 underline-offset-4">{children}</span>
      <button
        type="button"
        aria-label={`${label} changed`}
        aria-describedby={tip}
        onBlur={() => setDismissed(false)}
        className="grid size-5 shrink-0 place-items-center rounded border border-amber-400 bg-warn-soft text-[11px] leading-none font-bold text-amber-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-accent"
      >
        <span aria-hidden="true">Δ</span>
      </button>
      <span
        role="tooltip"
        id={tip}
        className={cn(
          // Anchored at the marker's right edge and growing leftwards, so cells at the grid's right edge are not clipped.
          "absolute top-full right-0 z-20 mt-1 hidden w-max max-w-64 rounded-md border border-line bg-panel px-2.5 py-1.5 text-xs whitespace-normal text-ink shadow-lg",
          !dismissed && "group-focus-within:block group-hover:block",
        )}
      >
        was <span className="font-semibold">{was}</span> <span className="text-muted">as of {from}</span>
      </span>
    </span>
  );
}

const TONES: Record<RowChangeKind, "ok" | "accent" | "warn" | "neutral"> = {
  added: "ok",
  changed: "accent",
  retired: "warn",
  restored: "ok",
  "changed back": "neutral",
  unchanged: "neutral",
};

/** The compare column: what happened to the record between the two moments, in words. */
export function ChangeCell({ change }: { change: GridChange | undefined }) {
  if (!change || change.kind === "unchanged") {
    return (
      <span className="text-faint">
        <span aria-hidden="true">{EMPTY}</span>
        <span className="sr-only">Unchanged</span>
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge tone={TONES[change.kind]}>{change.text}</Badge>
      {change.detail ? <span className="text-xs text-muted">{change.detail}</span> : null}
    </span>
  );
}
