import { Bar, HeaderSkeleton } from "@/components/layout/skeleton";

/** The create form's skeleton (without it the table view's skeleton would show while the form loads). */
export default function Loading() {
  return (
    <div className="max-w-3xl" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading form…</span>
      <HeaderSkeleton />
      <div className="grid gap-x-4 gap-y-3 rounded-lg border border-line bg-panel px-5 py-4 shadow-sm sm:grid-cols-2" aria-hidden="true">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="space-y-1.5">
            <Bar className="h-3.5 w-24" />
            <Bar className="h-9 w-full" />
          </div>
        ))}
      </div>
    </div>
  );
}
