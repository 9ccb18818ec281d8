"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { describedBy, Field as FormField } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { idle, type ActionState } from "@/lib/admin/action-state";
import { formFields } from "@/lib/admin/form";
import type { Field } from "@/lib/admin/registry";
import { RecordFields, type Choice } from "./record-fields";

type Submitted = { values: Record<string, string>; reason: string; attempt: number };

/**
 * The create form of any table. On an error the form is rebuilt from what was
 * submitted (React resets a form after its action), so nothing typed is lost,
 * and focus moves to the first field to fix.
 */
export function CreateRecordForm({
  action,
  fields,
  initial,
  choices,
  singular,
  cancelHref,
  reasonMax,
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  fields: Field[];
  initial: Record<string, string>;
  choices: Record<string, Choice[]>;
  singular: string;
  cancelHref: string;
  /** The library's limit on a reason (ACTIVITY_LIMITS.reason): the page passes it, the library is server-only. */
  reasonMax: number;
}) {
  const [submitted, setSubmitted] = useState<Submitted>({ values: initial, reason: "", attempt: 0 });
  const [state, submit, pending] = useActionState(async (previous: ActionState, form: FormData) => {
    const result = await action(previous, form);
    setSubmitted((s) => ({ values: formFields(form), reason: String(form.get("reason") ?? ""), attempt: s.attempt + 1 }));
    return result;
  }, idle);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status !== "error") return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? alertRef.current)?.focus();
  }, [state]);

  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const reasonError = errors.reason;
  return (
    <form key={submitted.attempt} ref={formRef} action={submit} noValidate className="rounded-lg border border-line bg-panel shadow-sm">
      {state.status === "error" ? (
        <div ref={alertRef} tabIndex={-1} className="px-5 pt-4 focus:outline-none">
          <Alert tone="danger" title={`The ${singular.toLowerCase()} was not created`}>
            {state.message}
          </Alert>
        </div>
      ) : null}
      <div className="px-5 py-4">
        <RecordFields fields={fields} values={submitted.values} errors={errors} choices={choices} />
      </div>
      <div className="border-t border-line px-5 py-4">
        <FormField id="reason" label="Reason" required hint="Recorded with this first version, under your name." error={reasonError}>
          <Textarea
            {...describedBy("reason", reasonError, "hint")}
            name="reason"
            rows={2}
            defaultValue={submitted.reason}
            aria-required
            maxLength={reasonMax}
            placeholder={`Why are you adding this ${singular.toLowerCase()}?`}
            className="font-sans! text-sm!"
          />
        </FormField>
      </div>
      <div className="flex items-center justify-end gap-2 border-t border-line bg-slate-50/60 px-5 py-3">
        <ButtonLink href={cancelHref} variant="ghost">
          Cancel
        </ButtonLink>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Creating…" : `Create ${singular.toLowerCase()}`}
        </Button>
      </div>
    </form>
  );
}
