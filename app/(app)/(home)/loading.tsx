import { Bar, HeaderSkeleton, SkeletonCard } from "@/components/layout/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <HeaderSkeleton />
      <div className="grid grid-cols-1 items-start gap-4 xl:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <SkeletonCard rows={3} />
        <SkeletonCard rows={0}>
          <div className="px-4 pt-3 pb-2">
            <Bar className="h-4 w-2/3" />
            <Bar className="mt-3 h-64 w-full" />
          </div>
        </SkeletonCard>
        <SkeletonCard rows={10} className="xl:col-span-2" />
      </div>
    </div>
  );
}
