import { Bar, HeaderSkeleton, SkeletonCard } from "@/components/layout/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading changes…</span>
      <HeaderSkeleton />
      <SkeletonCard rows={12}>
        <div className="flex flex-wrap gap-3 border-b border-line px-4 py-3">
          {["w-40", "w-56", "w-56", "w-48"].map((w, i) => (
            <div key={i} className="space-y-1.5">
              <Bar className="h-3.5 w-16" />
              <Bar className={`h-9 ${w}`} />
            </div>
          ))}
        </div>
      </SkeletonCard>
    </div>
  );
}
