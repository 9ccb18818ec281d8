import type { Choice } from "@/components/forms/record-fields";
import { Button } from "@/components/ui/button";
import { ConflictAlert, ConflictRow, conflictCell } from "@/components/ui/conflict-alert";
import type { Field } from "@/lib/admin/registry";
import { shownInput as shown } from "./shown-input";

/** A stale save: the user's edits next to what a colleague saved meanwhile, with the two ways forward. */
export function ConflictPanel({
  fields,
  mine,
  loaded,
  theirs,
  options,
  timeZone,
  message,
  onReapply,
  onDrop,
}: {
  fields: Field[];
  mine: Record<string, string>;
  loaded: Record<string, string>;
  theirs: Record<string, string>;
  options: Record<string, Choice[]>;
  /** The viewer's zone, for moments (as the record page shows them). */
  timeZone: string;
  message: string;
  onReapply: () => void;
  onDrop: () => void;
}) {
  return (
    <ConflictAlert
      id="conflict-title"
      heading="h3"
      title="This record changed while you were editing"
      message={message || "Nothing was saved. Compare the values, then re-apply your edits to the newer version or drop them."}
      columns={["Field", "When you loaded it", "Saved meanwhile", "Your edit"]}
      actions={
        <>
          <Button variant="primary" onClick={onReapply}>
            Re-apply my edits to the newer version
          </Button>
          <Button onClick={onDrop}>Drop my edits</Button>
        </>
      }
    >
      {fields.map((field) => {
        const changedByThem = (theirs[field.prop] ?? "") !== (loaded[field.prop] ?? "");
        return (
          <ConflictRow key={field.prop} heading={field.label}>
            <td className={conflictCell}>{shown(field, loaded[field.prop], options, timeZone)}</td>
            <td className={conflictCell}>
              {changedByThem ? (
                <strong>{shown(field, theirs[field.prop], options, timeZone)}</strong>
              ) : (
                <span className="text-faint">unchanged</span>
              )}
            </td>
            <td className="py-1">{shown(field, mine[field.prop], options, timeZone)}</td>
          </ConflictRow>
        );
      })}
    </ConflictAlert>
  );
}
