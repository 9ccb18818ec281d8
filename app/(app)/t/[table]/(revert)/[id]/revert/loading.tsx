import { HeaderSkeleton, SkeletonCard } from "@/components/layout/skeleton";

/** The revert preview's skeleton: the table of properties. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading the revert preview…</span>
      <HeaderSkeleton />
      <SkeletonCard rows={8} />
    </div>
  );
}
