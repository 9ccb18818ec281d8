import { Bar, HeaderSkeleton, SkeletonCard } from "@/components/layout/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading change set…</span>
      <HeaderSkeleton />
      <SkeletonCard rows={0}>
        <div className="grid gap-x-6 gap-y-3 px-4 py-3 sm:grid-cols-2 lg:grid-cols-4">
          <Bar className="h-10 sm:col-span-2 lg:col-span-4" />
          {Array.from({ length: 6 }, (_, i) => (
            <Bar key={i} className="h-9" />
          ))}
        </div>
      </SkeletonCard>
      <SkeletonCard rows={12} />
    </div>
  );
}
