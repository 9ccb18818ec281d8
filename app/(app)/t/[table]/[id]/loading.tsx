import { HeaderSkeleton, SkeletonCard } from "@/components/layout/skeleton";

/** The record page's skeleton: values and edit on the left, the change feed on the right. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading record…</span>
      <HeaderSkeleton />
      <div className="grid gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <SkeletonCard rows={10} />
        <SkeletonCard rows={8} />
      </div>
    </div>
  );
}
