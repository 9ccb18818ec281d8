import { Bar } from "@/components/layout/skeleton";

/** The table view's skeleton: its header, filter panel and grid frame, so nothing jumps when the rows arrive. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading records…</span>
      <div className="mb-5 flex items-end justify-between gap-3" aria-hidden="true">
        <div className="space-y-2">
          <Bar className="h-6 w-40" />
          <Bar className="h-4 w-96 max-w-full" />
        </div>
        <Bar className="h-9 w-32 rounded-md" />
      </div>
      <div className="mb-4 rounded-lg border border-line bg-panel shadow-sm" aria-hidden="true">
        <div className="grid grid-cols-[repeat(auto-fill,minmax(9.5rem,1fr))] gap-x-3 gap-y-2 px-4 py-3">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="space-y-1.5">
              <Bar className="h-3.5 w-16" />
              <Bar className="h-9 w-full" />
            </div>
          ))}
        </div>
        <div className="flex justify-between border-t border-line px-4 py-2.5">
          <Bar className="h-5 w-28" />
          <Bar className="h-7 w-28 rounded-md" />
        </div>
      </div>
      <div className="rounded-lg border border-line bg-panel shadow-sm" aria-hidden="true">
        <div className="h-9 border-b border-line bg-slate-50" />
        <div className="divide-y divide-line">
          {Array.from({ length: 12 }, (_, i) => (
            <div key={i} className="flex h-9 items-center gap-6 px-3">
              <Bar className="h-3.5 w-10" />
              <Bar className="h-3.5 w-40" />
              <Bar className="h-3.5 w-24" />
              <Bar className="h-3.5 w-16" />
              <Bar className="hidden h-3.5 flex-1 sm:block" />
            </div>
          ))}
        </div>
        <div className="h-12 border-t border-line" />
      </div>
    </div>
  );
}
