"use client";

import { useActionState, useState } from "react";
import { setRetired } from "@/app/(app)/t/[table]/[id]/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { idle } from "@/lib/admin/action-state";

/** Retire (or restore) with a required reason, in a dialog. */
export function RetireButton({
  table,
  id,
  vclock,
  retired,
  singular,
  reasonMax,
}: {
  table: string;
  id: string;
  vclock: number;
  retired: boolean;
  singular: string;
  /** The library's limit on a reason (ACTIVITY_LIMITS.reason): the page passes it, the library is server-only. */
  reasonMax: number;
}) {
  const [open, setOpen] = useState(false);
  const [state, submit, pending] = useActionState(setRetired.bind(null, { table, id }), idle);
  const verb = retired ? "Restore" : "Retire";
  const error = state.status === "error" ? state : undefined;
  const reasonError = error?.fieldErrors?.reason;
  return (
    <>
      <Button variant={retired ? "secondary" : "danger"} onClick={() => setOpen(true)}>
        {verb}…
      </Button>
      <Dialog
        open={open && state.status !== "ok"}
        onClose={() => setOpen(false)}
        title={`${verb} this ${singular.toLowerCase()}`}
        labelledBy="retire-title"
      >
        <form action={submit} className="space-y-3">
          <p className="text-sm text-muted">
            {retired
              ? "The record exists again from now on; its history shows when it was retired and restored."
              : "Retiring hides the record from current lists. Nothing is deleted: its history stays, and you can restore it later."}
          </p>
          <input type="hidden" name="vclock" value={vclock} />
          <input type="hidden" name="retired" value={retired ? "false" : "true"} />
          <Field id="retire-reason" label="Reason" required error={reasonError}>
            <Textarea
              name="reason"
              required
              maxLength={reasonMax}
              {...describedBy("retire-reason", reasonError)}
              className="font-sans text-sm"
              autoFocus
            />
          </Field>
          {error && !reasonError ? <Alert tone="danger">{error.message}</Alert> : null}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant={retired ? "primary" : "danger"} disabled={pending}>
              {pending ? `${verb.replace(/e$/, "")}ing…` : verb}
            </Button>
          </div>
        </form>
      </Dialog>
      {state.status === "ok" ? (
        <Alert tone="ok" className="sr-only">
          {state.message}
        </Alert>
      ) : null}
    </>
  );
}
