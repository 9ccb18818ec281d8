import { Button, ButtonLink } from "@/components/ui/button";
import { ConflictAlert, ConflictRow, conflictCell } from "@/components/ui/conflict-alert";
import type { Field } from "@/lib/admin/registry";
import type { Labels } from "@/lib/admin/types";
import { Value } from "./value";

/**
 * A stale revert: the record changed after the preview was made. Laid out like the
 * edit form's conflict (ConflictPanel): what the preview showed, what was saved
 * meanwhile, and what the revert would set, with the two ways forward.
 */
export function RevertConflictPanel({
  message,
  fields,
  preview,
  theirs,
  target,
  versions,
  labels,
  timeZone,
  onPreviewAgain,
  cancelHref,
}: {
  message: string;
  /** The properties the revert would have set. */
  fields: Field[];
  preview: Record<string, unknown>;
  theirs: Record<string, unknown>;
  target: Record<string, unknown>;
  versions: { preview: number; theirs: number; target: number };
  labels: Labels;
  timeZone: string;
  onPreviewAgain: () => void;
  cancelHref: string;
}) {
  const shown = (field: Field, value: unknown) => <Value field={field} value={value} labels={labels} timeZone={timeZone} />;
  return (
    <ConflictAlert
      id="revert-conflict-title"
      title="This record changed since the preview was made"
      message={message}
      columns={[
        "Field",
        `In the preview (v${versions.preview})`,
        `Saved meanwhile (v${versions.theirs})`,
        `Your revert (v${versions.target})`,
      ]}
      actions={
        <>
          <Button variant="primary" onClick={onPreviewAgain}>
            Preview again against version {versions.theirs}
          </Button>
          <ButtonLink href={cancelHref}>Drop the revert</ButtonLink>
        </>
      }
    >
      {fields.map((field) => {
        const changedByThem = JSON.stringify(theirs[field.prop] ?? null) !== JSON.stringify(preview[field.prop] ?? null);
        return (
          <ConflictRow key={field.prop} heading={field.label}>
            <td className={conflictCell}>{shown(field, preview[field.prop])}</td>
            <td className={conflictCell}>
              {changedByThem ? <strong>{shown(field, theirs[field.prop])}</strong> : <span className="text-faint">unchanged</span>}
            </td>
            <td className="py-1">{shown(field, target[field.prop])}</td>
          </ConflictRow>
        );
      })}
    </ConflictAlert>
  );
}
