"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { updateRecord } from "@/app/(app)/t/[table]/[id]/actions";
import { RecordFields, inputName, type Choice } from "@/components/forms/record-fields";
import { Change } from "@/components/history/change";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field as FormField } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { idle } from "@/lib/admin/action-state";
import { EMPTY, inputValue } from "@/lib/admin/format";
import type { Field } from "@/lib/admin/registry";
import { ConflictPanel } from "./conflict-panel";

type Props = {
  table: string;
  id: string;
  vclock: number;
  fields: Field[];
  values: Record<string, unknown>;
  options: Record<string, Choice[]>;
};

const asInputs = (fields: Field[], values: Record<string, unknown>) =>
  Object.fromEntries(fields.map((f) => [f.prop, inputValue(f, values[f.prop])]));

function shown(field: Field, text: string, options: Record<string, Choice[]>): string {
  if (text === "") return EMPTY;
  if (field.kind === "reference") return options[field.prop]?.find((o) => o.value === text)?.label ?? `#${text}`;
  if (field.kind === "boolean") return text === "true" ? "Yes" : "No";
  return text;
}

/**
 * Edit → review → save. The form remembers the version it was loaded at; Save shows a
 * field-by-field diff and asks for a reason; a stale save shows the newer values side
 * by side and lets the user re-apply or drop their edits. Nothing is overwritten silently.
 */
export function EditRecord({ table, id, vclock, fields, values, options }: Props) {
  const formRef = useRef<HTMLFormElement>(null);
  const [base, setBase] = useState(() => ({ vclock, inputs: asInputs(fields, values) }));
  const [drafts, setDrafts] = useState<Record<string, string> | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [state, dispatch, pending] = useActionState(updateRecord.bind(null, { table, id }), idle);
  const router = useRouter();
  const [handled, setHandled] = useState(state);
  const [dismissed, setDismissed] = useState<typeof state | null>(null);

  // A result arrived: close the review on success or conflict; keep it open to show a reason error.
  if (state !== handled) {
    setHandled(state);
    if (state.status === "ok" || (state.status === "error" && state.conflict)) setReviewing(false);
    if (state.status === "error" && !state.conflict && !state.fieldErrors?.reason) setReviewing(false);
  }

  // A newer version arrived from the server (our own save, or a refresh): start from it.
  if (vclock > base.vclock && state.status !== "error") {
    setBase({ vclock, inputs: asInputs(fields, values) });
    setDrafts(null);
    setGeneration((g) => g + 1);
  }

  // After a conflict, show the newer values in the rest of the page too.
  useEffect(() => {
    if (state.status === "error" && state.conflict) router.refresh();
  }, [state, router]);

  const edits = drafts ? fields.filter((f) => f.prop in drafts && drafts[f.prop] !== (base.inputs[f.prop] ?? "")) : [];
  const conflict = state.status === "error" && dismissed !== state ? state.conflict : undefined;
  const fieldErrors = state.status === "error" && !state.conflict && dismissed !== state ? state.fieldErrors : undefined;
  const reasonError = fieldErrors?.reason;

  function review() {
    const form = new FormData(formRef.current!);
    // Only what the user changed: re-applying after a conflict must not revert a colleague's other fields.
    const entered = fields.map((f) => [f.prop, String(form.get(inputName(f)) ?? "")] as const);
    setDrafts(Object.fromEntries(entered.filter(([prop, text]) => text !== (base.inputs[prop] ?? ""))));
    setReviewing(true);
  }

  function save(form: FormData) {
    const data = new FormData();
    data.set("vclock", String(base.vclock));
    data.set("reason", String(form.get("reason") ?? ""));
    for (const field of edits) data.set(inputName(field), drafts![field.prop] ?? "");
    startTransition(() => dispatch(data));
  }

  function reapply() {
    if (!conflict) return;
    setBase({ vclock: conflict.vclock, inputs: asInputs(fields, conflict.current) });
    setDismissed(state);
    setGeneration((g) => g + 1);
    setReviewing(true);
  }

  function drop() {
    if (!conflict) return;
    setBase({ vclock: conflict.vclock, inputs: asInputs(fields, conflict.current) });
    setDrafts(null);
    setDismissed(state);
    setGeneration((g) => g + 1);
  }

  const formInputs = drafts ? { ...base.inputs, ...drafts } : base.inputs;

  return (
    <Card title="Edit" id="edit">
      <form
        ref={formRef}
        key={generation}
        className="space-y-4 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          review();
        }}
      >
        {state.status === "ok" ? <Alert tone="ok">{state.message}</Alert> : null}
        {state.status === "error" && !state.conflict && !reasonError && dismissed !== state ? (
          <Alert tone="danger">{state.message}</Alert>
        ) : null}
        {conflict && drafts ? (
          <ConflictPanel
            fields={edits.length > 0 ? edits : fields}
            mine={drafts}
            loaded={base.inputs}
            theirs={asInputs(fields, conflict.current)}
            options={options}
            onReapply={reapply}
            onDrop={drop}
            message={state.status === "error" ? state.message : ""}
          />
        ) : null}
        <RecordFields fields={fields} values={formInputs} errors={fieldErrors} choices={options} />
        <div className="flex items-center justify-between gap-3 border-t border-line pt-3">
          <p className="text-xs text-faint">
            Editing version {base.vclock}. You will review the changes and give a reason before anything is saved.
          </p>
          <Button type="submit" variant="primary">
            Review changes…
          </Button>
        </div>
      </form>
      <Dialog open={reviewing} onClose={() => setReviewing(false)} title="Review your changes" labelledBy="review-title">
        {edits.length === 0 ? (
          <div className="space-y-3">
            <p className="text-sm text-muted">Nothing changed: every value is as it was.</p>
            <div className="flex justify-end">
              <Button onClick={() => setReviewing(false)}>Back to editing</Button>
            </div>
          </div>
        ) : (
          <form action={save} className="space-y-4">
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
                        before={shown(field, base.inputs[field.prop] ?? "", options)}
                        after={shown(field, drafts![field.prop] ?? "", options)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FormField
              id="edit-reason"
              label="Reason for this change"
              required
              error={reasonError}
              hint="Auditors will read this. Say why, not what."
            >
              <Textarea
                name="reason"
                {...describedBy("edit-reason", reasonError, "Auditors will read this.")}
                className="font-sans text-sm"
                autoFocus
              />
            </FormField>
            <div className="flex justify-end gap-2">
              <Button onClick={() => setReviewing(false)}>Keep editing</Button>
              <Button type="submit" variant="primary" disabled={pending}>
                {pending ? "Saving…" : `Save ${edits.length} change${edits.length === 1 ? "" : "s"}`}
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </Card>
  );
}
