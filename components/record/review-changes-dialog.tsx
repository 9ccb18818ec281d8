import type { Choice } from "@/components/forms/record-fields";
import { Change } from "@/components/history/change";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field as FormField } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import type { Field } from "@/lib/admin/registry";
import { shownInput, type Inputs } from "./shown-input";

/** Each edited field, was → now. */
function PendingChanges({
  edits,
  before,
  after,
  options,
  timeZone,
}: {
  edits: Field[];
  before: Inputs;
  after: Inputs;
  options: Record<string, Choice[]>;
  timeZone: string;
}) {
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">What will change</caption>
      <thead>
        <tr className="text-left text-xs text-muted">
          <th scope="col" className="pb-1 font-medium">
            Field
          </th>
          <th scope="col" className="pb-1 font-medium">
            Change
          </th>
        </tr>
      </thead>
      <tbody>
        {edits.map((field) => (
          <tr key={field.prop} className="border-t border-line">
            <th scope="row" className="py-1.5 pr-3 text-left font-medium">
              {field.label}
            </th>
            <td className="py-1.5">
              <Change
                before={shownInput(field, before[field.prop], options, timeZone)}
                after={shownInput(field, after[field.prop], options, timeZone)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The second step of an edit: what will change, and the reason, before anything is saved. */
export function ReviewChangesDialog({
  open,
  onClose,
  onSave,
  edits,
  before,
  after,
  options,
  timeZone,
  reasonMax,
  reasonError,
  pending,
}: {
  open: boolean;
  onClose: () => void;
  onSave: (form: FormData) => void;
  edits: Field[];
  before: Inputs;
  after: Inputs;
  options: Record<string, Choice[]>;
  timeZone: string;
  /** The library's limit on a reason (ACTIVITY_LIMITS.reason), which the server checks too. */
  reasonMax: number;
  reasonError?: string;
  pending: boolean;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Review your changes" labelledBy="review-title">
      {edits.length === 0 ? (
        <div className="space-y-3">
          <p className="text-sm text-muted">Nothing changed: every value is as it was.</p>
          <div className="flex justify-end">
            <Button onClick={onClose}>Back to editing</Button>
          </div>
        </div>
      ) : (
        <form action={onSave} className="space-y-4">
          <PendingChanges edits={edits} before={before} after={after} options={options} timeZone={timeZone} />
          <FormField
            id="edit-reason"
            label="Reason for this change"
            required
            error={reasonError}
            hint="Auditors will read this. Say why, not what."
          >
            <Textarea
              name="reason"
              maxLength={reasonMax}
              {...describedBy("edit-reason", reasonError, "Auditors will read this.")}
              className="font-sans text-sm"
              autoFocus
            />
          </FormField>
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Keep editing</Button>
            <Button type="submit" variant="primary" disabled={pending}>
              {pending ? "Saving…" : `Save ${edits.length} change${edits.length === 1 ? "" : "s"}`}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
