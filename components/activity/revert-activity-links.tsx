import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { ActivityRevertLinks } from "@/lib/admin/revert";

/** On a change set: what this activity reverted, and the activities that reverted it. Nothing when neither. */
export function RevertActivityLinks({ links }: { links: ActivityRevertLinks }) {
  const { reverts, revertedBy } = links;
  if (!reverts && revertedBy.length === 0) return null;
  return (
    <Alert tone="info">
      <ul className="space-y-0.5" data-testid="revert-links">
        {reverts && "activity" in reverts ? (
          <li>
            This activity reverts{" "}
            <Link href={`/activity/${reverts.activity}`} className="font-medium underline">
              activity #{reverts.activity}
            </Link>
            .
          </li>
        ) : reverts ? (
          <li>
            This activity reverts{" "}
            {reverts.record ? (
              <Link href={`${reverts.record.href}?version=${reverts.version}`} className="font-medium underline">
                {reverts.record.title} to version {reverts.version}
              </Link>
            ) : (
              `a record to version ${reverts.version}`
            )}
            .
          </li>
        ) : null}
        {revertedBy.map((by) => (
          <li key={by.id}>
            Reverted by{" "}
            <Link href={`/activity/${by.id}`} className="font-medium underline">
              #{by.id}
            </Link>
            : “{by.reason}”
          </li>
        ))}
      </ul>
    </Alert>
  );
}
