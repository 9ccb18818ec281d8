import type { ReactNode } from "react";

/** Grey blocks in the shape of a page, so nothing jumps when the data arrives. */
export function Bar({ className }: { className: string }) {
  return <div className={`animate-pulse rounded bg-slate-200/70 ${className}`} />;
}

/** A card with a title bar, optional content on top, then `rows` table-like rows. */
export function SkeletonCard({ rows = 5, className, children }: { rows?: number; className?: string; children?: ReactNode }) {
  return (
    <div className={`rounded-lg border border-line bg-panel shadow-sm ${className ?? ""}`}>
      <div className="border-b border-line px-4 py-3">
        <Bar className="h-4 w-32" />
      </div>
      {children}
      {rows > 0 ? (
        <div className="divide-y divide-line">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="flex gap-4 px-4 py-2.5">
              <Bar className="h-4 w-36" />
              <Bar className="h-4 w-40" />
              <Bar className="h-4 flex-1" />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function HeaderSkeleton() {
  return (
    <div className="mb-5 space-y-2">
      <Bar className="h-6 w-48" />
      <Bar className="h-4 w-96 max-w-full" />
    </div>
  );
}
