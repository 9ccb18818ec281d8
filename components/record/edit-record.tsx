"use client";

import { RecordFields, type Choice } from "@/components/forms/record-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describedBy, Field as FormField } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import type { Field } from "@/lib/admin/registry";
import { ConflictPanel } from "./conflict-panel";
import { ReviewChangesDialog } from "./review-changes-dialog";
import { asInputs } from "./shown-input";
import { useRecordEdit } from "./use-record-edit";

type Props = {
  table: string;
  id: string;
  vclock: number;
  fields: Field[];
  values: Record<string, unknown>;
  options: Record<string, Choice[]>;
  /** The viewer's zone: the review shows values as the record page does. */
  timeZone: string;
  /** The library's limit on a reason (ACTIVITY_LIMITS.reason): the page passes it, the library is server-only. */
  reasonMax: number;
};

/** Without JavaScript there is no review dialog: the reason is asked for in the form, which saves at once. */
function ReasonWithoutScript({ reasonMax, error }: { reasonMax: number; error?: string }) {
  return (
    <noscript>
      <FormField id="edit-reason-now" label="Reason for this change" required error={error} hint="Saved at once with this reason.">
        <Textarea
          name="reason"
          maxLength={reasonMax}
          {...describedBy("edit-reason-now", error, "Saved at once with this reason.")}
          className="font-sans text-sm"
        />
      </FormField>
    </noscript>
  );
}

/**
 * Edit → review → save. The form remembers the version it was loaded at; Save shows a
 * field-by-field diff and asks for a reason; a stale save shows the newer values side
 * by side and lets the user re-apply or drop their edits. Nothing is overwritten silently.
 */
export function EditRecord({ options, timeZone, reasonMax, ...record }: Props) {
  const { fields } = record;
  const edit = useRecordEdit(record);
  return (
    <Card title="Edit" id="edit">
      {/* With JavaScript, submitting opens the review (the action runs from there); without, the form
          posts every field, the version and the reason to the same server action (never a GET). */}
      <form
        key={edit.generation}
        className="space-y-4 p-4"
        action={edit.submit}
        onSubmit={(event) => {
          event.preventDefault();
          edit.review(event.currentTarget);
        }}
      >
        <input type="hidden" name="vclock" value={edit.base.vclock} />
        {edit.result.status === "ok" ? <Alert tone="ok">{edit.result.message}</Alert> : null}
        {edit.errorMessage ? <Alert tone="danger">{edit.errorMessage}</Alert> : null}
        {edit.conflict && edit.drafts ? (
          <ConflictPanel
            fields={edit.edits.length > 0 ? edit.edits : fields}
            mine={edit.drafts}
            loaded={edit.base.inputs}
            theirs={asInputs(fields, edit.conflict.current)}
            options={options}
            timeZone={timeZone}
            onReapply={edit.reapply}
            onDrop={edit.drop}
            message={edit.result.status === "error" ? edit.result.message : ""}
          />
        ) : null}
        <RecordFields fields={fields} values={edit.formInputs} errors={edit.fieldErrors} choices={options} />
        <ReasonWithoutScript reasonMax={reasonMax} error={edit.fieldErrors?.reason} />
        <div className="flex items-center justify-between gap-3 border-t border-line pt-3">
          <p className="text-xs text-faint">
            Editing version {edit.base.vclock}. You will review the changes and give a reason before anything is saved.
          </p>
          <Button type="submit" variant="primary">
            Review changes…
          </Button>
        </div>
      </form>
      <ReviewChangesDialog
        open={edit.reviewing}
        onClose={edit.closeReview}
        onSave={edit.save}
        edits={edit.edits}
        before={edit.base.inputs}
        after={edit.drafts ?? {}}
        options={options}
        timeZone={timeZone}
        reasonMax={reasonMax}
        reasonError={edit.fieldErrors?.reason}
        pending={edit.pending}
      />
    </Card>
  );
}
