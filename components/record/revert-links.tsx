import Link from "next/link";
import type { TickRevertLinks } from "@/lib/admin/revert";

/** A tick's links both ways: what its activity reverted, and the activities that reverted it. Nothing when neither. */
export function RevertLinkLine({ links, recordPath }: { links: TickRevertLinks; recordPath?: string }) {
  const { reverts, revertedBy } = links;
  if (!reverts && revertedBy.length === 0) return null;
  return (
    <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted" data-testid="revert-links">
      {reverts && "activity" in reverts ? (
        <span>
          <span aria-hidden="true">↩ </span>reverts{" "}
          <Link href={`/activity/${reverts.activity}`} className="font-medium text-accent hover:underline">
            activity #{reverts.activity}
          </Link>
        </span>
      ) : reverts ? (
        <span>
          <span aria-hidden="true">↩ </span>reverts to{" "}
          {recordPath ? (
            <Link href={`${recordPath}?version=${reverts.version}`} className="font-medium text-accent hover:underline">
              version {reverts.version}
            </Link>
          ) : (
            `version ${reverts.version}`
          )}
        </span>
      ) : null}
      {revertedBy.length > 0 ? (
        <span>
          reverted by{" "}
          {revertedBy.map((id, i) => (
            <span key={id}>
              {i > 0 ? ", " : null}
              <Link href={`/activity/${id}`} className="font-medium text-accent hover:underline">
                #{id}
              </Link>
            </span>
          ))}
        </span>
      ) : null}
    </p>
  );
}
