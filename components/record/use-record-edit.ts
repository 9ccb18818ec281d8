"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useReducer } from "react";
import { updateRecord } from "@/app/(app)/t/[table]/[id]/actions";
import { inputName } from "@/components/forms/record-fields";
import { idle, type ActionState } from "@/lib/admin/action-state";
import type { Field } from "@/lib/admin/registry";
import { asInputs, type Inputs } from "./shown-input";

/** A version of the record the form starts from, as input strings. */
type Base = { vclock: number; inputs: Inputs };

type EditState = {
  base: Base;
  /** What the person typed that differs from `base`, by property (null: nothing under review yet). */
  drafts: Inputs | null;
  reviewing: boolean;
  /** Bumped whenever `base` changes, to rebuild the form's inputs from it. */
  generation: number;
  /** The last save result this state has reacted to. */
  handled: ActionState;
  /** A result the person has moved past (re-applied or dropped a conflict): no longer shown. */
  dismissed: ActionState | null;
};

type EditEvent =
  | { type: "review"; drafts: Inputs }
  | { type: "close-review" }
  | { type: "result"; result: ActionState }
  | { type: "newer-version"; base: Base }
  | { type: "reapply"; base: Base; result: ActionState }
  | { type: "drop"; base: Base; result: ActionState };

function reduce(state: EditState, event: EditEvent): EditState {
  switch (event.type) {
    case "review":
      return { ...state, drafts: event.drafts, reviewing: true };
    case "close-review":
      return { ...state, reviewing: false };
    case "result": {
      // Keep the review open only to show a reason error; a save, a conflict or any other error closes it.
      const { result } = event;
      const reasonError = result.status === "error" && !result.conflict && result.fieldErrors?.reason;
      return { ...state, handled: result, reviewing: state.reviewing && Boolean(reasonError) };
    }
    case "newer-version":
      return { ...state, base: event.base, drafts: null, generation: state.generation + 1 };
    case "reapply":
      return { ...state, base: event.base, dismissed: event.result, generation: state.generation + 1, reviewing: true };
    case "drop":
      return { ...state, base: event.base, drafts: null, dismissed: event.result, generation: state.generation + 1 };
  }
}

type Props = { table: string; id: string; vclock: number; fields: Field[]; values: Record<string, unknown> };

/**
 * The state of a record's edit form: the version it edits, the person's drafts, the
 * review dialog and the last save's result, with what each step does to them.
 */
export function useRecordEdit({ table, id, vclock, fields, values }: Props) {
  const [result, submit, pending] = useActionState(updateRecord.bind(null, { table, id }), idle);
  const [edit, send] = useReducer(reduce, undefined, () => ({
    base: { vclock, inputs: asInputs(fields, values) },
    drafts: null,
    reviewing: false,
    generation: 0,
    handled: result,
    dismissed: null,
  }));
  const router = useRouter();
  const { base, drafts } = edit;

  // Reacting to props and results while rendering (not in an effect) keeps the first paint right.
  if (result !== edit.handled) send({ type: "result", result });
  // A newer version arrived from the server (our own save, or a refresh): start from it.
  if (vclock > base.vclock && result.status !== "error")
    send({ type: "newer-version", base: { vclock, inputs: asInputs(fields, values) } });

  // After a conflict, show the newer values in the rest of the page too.
  useEffect(() => {
    if (result.status === "error" && result.conflict) router.refresh();
  }, [result, router]);

  const failure = result.status === "error" && edit.dismissed !== result ? result : undefined;
  const conflict = failure?.conflict;
  const fieldErrors = failure && !conflict ? failure.fieldErrors : undefined;
  const edits = drafts ? fields.filter((f) => f.prop in drafts && drafts[f.prop] !== (base.inputs[f.prop] ?? "")) : [];
  const conflictBase = (): Base => ({ vclock: conflict!.vclock, inputs: asInputs(fields, conflict!.current) });

  return {
    /** The save action itself, for the form's `action`: without JavaScript, the browser posts to it. */
    submit,
    base,
    drafts,
    edits,
    result,
    pending,
    reviewing: edit.reviewing,
    generation: edit.generation,
    conflict,
    fieldErrors,
    /** The message of a failure that is not a conflict nor a reason to fill in (those show in their own place). */
    errorMessage: failure && !conflict && !fieldErrors?.reason ? failure.message : undefined,
    /** What the form shows: the base version with the person's drafts on top. */
    formInputs: drafts ? { ...base.inputs, ...drafts } : base.inputs,
    /** Opens the review with only what the person changed: re-applying after a conflict must not revert a colleague's other fields. */
    review(form: HTMLFormElement) {
      const data = new FormData(form);
      const entered = fields.map((f) => [f.prop, String(data.get(inputName(f)) ?? "")] as const);
      send({ type: "review", drafts: Object.fromEntries(entered.filter(([prop, text]) => text !== (base.inputs[prop] ?? ""))) });
    },
    closeReview: () => send({ type: "close-review" }),
    /** Sends the reviewed edits with the reason, against the version they were made on. */
    save(form: FormData) {
      const data = new FormData();
      data.set("vclock", String(base.vclock));
      data.set("reason", String(form.get("reason") ?? ""));
      for (const field of edits) data.set(inputName(field), drafts![field.prop] ?? "");
      startTransition(() => submit(data));
    },
    /** After a conflict: the person's edits, on top of the newer version, back to review. */
    reapply() {
      if (conflict) send({ type: "reapply", base: conflictBase(), result });
    },
    /** After a conflict: start again from the newer version. */
    drop() {
      if (conflict) send({ type: "drop", base: conflictBase(), result });
    },
  };
}
