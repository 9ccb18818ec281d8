import type { ReactNode } from "react";

/** A moment shown as the caller formats it (`children`), with the exact UTC timestamp on hover and for machines. */
export function Time({ value, className, children }: { value: Date | string; className?: string; children: ReactNode }) {
  const iso = (typeof value === "string" ? new Date(value) : value).toISOString();
  return (
    <time dateTime={iso} title={iso} className={className}>
      {children}
    </time>
  );
}
