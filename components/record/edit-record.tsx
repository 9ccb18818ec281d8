"use client";

import { RecordFields, type Choice } from "@/components/forms/record-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
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
};

/**
 * Edit → review → save. The form remembers the version it was loaded at; Save shows a
 * field-by-field diff and asks for a reason; a stale save shows the newer values side
 * by side and lets the user re-apply or drop their edits. Nothing is overwritten silently.
 */
export function EditRecord({ options, ...record }: Props) {
  const { fields } = record;
  const edit = useRecordEdit(record);
  return (
    <Card title="Edit" id="edit">
      <form
        key={edit.generation}
        className="space-y-4 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          edit.review(event.currentTarget);
        }}
      >
        {edit.result.status === "ok" ? <Alert tone="ok">{edit.result.message}</Alert> : null}
        {edit.errorMessage ? <Alert tone="danger">{edit.errorMessage}</Alert> : null}
        {edit.conflict && edit.drafts ? (
          <ConflictPanel
            fields={edit.edits.length > 0 ? edit.edits : fields}
            mine={edit.drafts}
            loaded={edit.base.inputs}
            theirs={asInputs(fields, edit.conflict.current)}
            options={options}
            onReapply={edit.reapply}
            onDrop={edit.drop}
            message={edit.result.status === "error" ? edit.result.message : ""}
          />
        ) : null}
        <RecordFields fields={fields} values={edit.formInputs} errors={edit.fieldErrors} choices={options} />
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
        reasonError={edit.fieldErrors?.reason}
        pending={edit.pending}
      />
    </Card>
  );
}
