import { HeaderSkeleton, SkeletonCard } from "@/components/layout/skeleton";

/** The undo preview's skeleton: the activity, then its records. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading the undo preview…</span>
      <HeaderSkeleton />
      <SkeletonCard rows={4} />
      <SkeletonCard rows={10} />
    </div>
  );
}
