"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { startTransition, useActionState, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { ConflictAlert, ConflictRow, conflictCell } from "@/components/ui/conflict-alert";
import { describedBy, Field as FormField } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { idle, type ActionState } from "@/lib/admin/action-state";
import type { RevertConflict } from "@temporal-records/drizzle";

/** Table slug → its singular and its properties' labels. */
export type Names = Record<string, { singular: string; fields: Record<string, string> }>;

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  activityId: string;
  defaultReason: string;
  /** The library's limit on a reason (ACTIVITY_LIMITS.reason): the page passes it, the library is server-only. */
  reasonMax: number;
  conflictCount: number;
  /** How each table and property is named, for conflicts the preview did not list. */
  names: Names;
  /** The preview (server-rendered): each record and property, with a choice per conflict. */
  children: ReactNode;
};

/** Later changes made since the preview that no choice covers: laid out like the edit form's conflict. */
function NewConflicts({
  message,
  conflicts,
  names,
  onPreviewAgain,
}: {
  message: string;
  conflicts: RevertConflict[];
  names: Names;
  onPreviewAgain: () => void;
}) {
  return (
    <ConflictAlert
      id="undo-conflict-title"
      title="These records changed since the preview was made"
      message={message}
      columns={["Record", "Property", "Changed meanwhile"]}
      actions={
        <Button variant="primary" onClick={onPreviewAgain}>
          Preview again with the newer values
        </Button>
      }
    >
      {conflicts.map((c) => (
        <ConflictRow
          key={`${c.table}.${JSON.stringify(c.key)}.${c.property}.${c.changedAtVclock}`}
          heading={`${names[c.table]?.singular ?? c.table} #${Object.values(c.key).map(String).join("~")}`}
        >
          <td className={conflictCell}>{names[c.table]?.fields[c.property] ?? c.property}</td>
          <td className="py-1">
            version {c.changedAtVclock}, by{" "}
            <Link href={`/activity/${c.activityId}`} className="underline">
              activity #{c.activityId}
            </Link>
          </td>
        </ConflictRow>
      ))}
    </ConflictAlert>
  );
}

/**
 * The undo form around its preview: a choice for every conflict (keep now, or take the old
 * value), the reason, and the result. The preview's choices travel with the versions they
 * were made against, so a change made since is refused and shown instead of overwritten.
 */
export function RevertActivityForm({ action, activityId, defaultReason, reasonMax, conflictCount, names, children }: Props) {
  const [result, submit, pending] = useActionState(action, idle);
  const [dismissed, setDismissed] = useState<ActionState | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const router = useRouter();
  const failure = result.status === "error" && result !== dismissed ? result : undefined;
  const reasonError = failure?.fieldErrors?.reason;
  const unchosen = Object.keys(failure?.fieldErrors ?? {}).filter((name) => name.startsWith("conflict.")).length;
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => submit(data));
  };
  const chooseAll = (take: "now" | "old") => {
    for (const radio of form.current?.querySelectorAll<HTMLInputElement>(`input[type="radio"][value="${take}"]`) ?? [])
      radio.checked = true;
  };
  return (
    <form ref={form} onSubmit={send} className="space-y-4">
      {failure?.revertConflicts ? (
        <NewConflicts
          message={failure.message}
          conflicts={failure.revertConflicts}
          names={names}
          onPreviewAgain={() => {
            setDismissed(result);
            router.refresh();
          }}
        />
      ) : null}
      {failure && !failure.revertConflicts && !reasonError ? (
        <Alert tone="danger">
          {unchosen > 0 ? `Choose keep now or take the old value for ${unchosen} more conflicts.` : failure.message}
        </Alert>
      ) : null}
      {conflictCount > 0 ? (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-warn-soft px-3 py-2 text-sm text-amber-900">
          <p className="mr-auto">
            {conflictCount === 1 ? "One property was" : `${conflictCount} properties were`} changed again by a later activity. Choose for
            each: keep it as it is now, or take the old value.
          </p>
          <Button size="sm" onClick={() => chooseAll("now")}>
            Keep now for all
          </Button>
          <Button size="sm" onClick={() => chooseAll("old")}>
            Take the old value for all
          </Button>
        </div>
      ) : null}
      {children}
      <FormField
        id="undo-reason"
        label="Reason for this undo"
        required
        error={reasonError}
        hint="Auditors will read this. Say why the activity is undone."
      >
        <Textarea
          name="reason"
          defaultValue={defaultReason}
          maxLength={reasonMax}
          {...describedBy("undo-reason", reasonError, "Auditors will read this.")}
          className="font-sans text-sm"
        />
      </FormField>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <ButtonLink href={`/activity/${activityId}`}>Cancel</ButtonLink>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Undoing…" : `Undo activity #${activityId}`}
        </Button>
      </div>
    </form>
  );
}
