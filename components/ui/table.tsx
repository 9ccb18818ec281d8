import type { ComponentProps } from "react";
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
