"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { Change } from "@/components/history/change";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describedBy, Field as FormField } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { DataTable, TableHead, td } from "@/components/ui/table";
import { idle, type ActionState } from "@/lib/admin/action-state";
import type { RevertField } from "@/lib/admin/revert";
import type { Labels } from "@/lib/admin/types";
import { RevertConflictPanel } from "./revert-conflict-panel";
import { Value } from "./value";

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  fields: RevertField[];
  labels: Labels;
  /** The version the record goes back to, and the one the preview was made against. */
  toVclock: number;
  latest: number;
  defaultReason: string;
  /** The library's limit on a reason (ACTIVITY_LIMITS.reason): the page passes it, the library is server-only. */
  reasonMax: number;
  historyHref: string;
  timeZone: string;
};

/**
 * The revert preview: each property now and at the chosen version, a checkbox for each
 * one that differs (all of them checked: the whole record), and a reason. The form sends
 * the version it was made against, so a save in between is refused and shown side by side.
 */
export function RevertRecordForm({ action, fields, labels, toVclock, latest, defaultReason, reasonMax, historyHref, timeZone }: Props) {
  const [result, submit, pending] = useActionState(action, idle);
  const [dismissed, setDismissed] = useState<ActionState | null>(null);
  const differing = fields.filter((f) => f.differs);
  const [chosen, setChosen] = useState(() => new Set(differing.map((f) => f.field.prop)));
  const router = useRouter();
  const failure = result.status === "error" && result !== dismissed ? result : undefined;
  const reasonError = failure?.fieldErrors?.reason;
  const propertyError = failure?.fieldErrors?.property;
  const count = differing.filter((f) => chosen.has(f.field.prop)).length;
  const toggle = (prop: string, on: boolean) =>
    setChosen((now) => {
      const next = new Set(now);
      if (on) next.add(prop);
      else next.delete(prop);
      return next;
    });
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => submit(data));
  };
  const value = (field: RevertField["field"], v: unknown) => <Value field={field} value={v} labels={labels} timeZone={timeZone} />;

  if (differing.length === 0) {
    return (
      <Alert tone="info" title={`Nothing to revert: every property already holds its value at version ${toVclock}.`}>
        <ButtonLink href={historyHref} size="sm" className="mt-2">
          Back to history
        </ButtonLink>
      </Alert>
    );
  }
  return (
    <form onSubmit={send} className="space-y-4">
      <input type="hidden" name="vclock" value={latest} />
      <input type="hidden" name="to" value={toVclock} />
      {failure?.conflict ? (
        <RevertConflictPanel
          message={failure.message}
          fields={differing.filter((f) => chosen.has(f.field.prop)).map((f) => f.field)}
          preview={Object.fromEntries(fields.map((f) => [f.field.prop, f.now]))}
          theirs={failure.conflict.current}
          target={Object.fromEntries(fields.map((f) => [f.field.prop, f.then]))}
          versions={{ preview: latest, theirs: failure.conflict.vclock, target: toVclock }}
          labels={labels}
          timeZone={timeZone}
          onPreviewAgain={() => {
            setDismissed(result);
            router.refresh();
          }}
          cancelHref={historyHref}
        />
      ) : null}
      {result.status === "ok" ? <Alert tone="ok">{result.message}</Alert> : null}
      {failure && !failure.conflict && !reasonError && !propertyError ? <Alert tone="danger">{failure.message}</Alert> : null}
      <Card
        title={`Version ${latest} (now) → version ${toVclock}`}
        id="revert-preview"
        actions={
          <>
            <Button size="sm" onClick={() => setChosen(new Set(differing.map((f) => f.field.prop)))}>
              Restore the whole record
            </Button>
            <Button size="sm" onClick={() => setChosen(new Set())}>
              Clear
            </Button>
          </>
        }
      >
        {propertyError ? (
          <p id="revert-property-error" role="alert" className="px-4 pt-2 text-xs font-medium text-danger">
            {propertyError}
          </p>
        ) : null}
        <DataTable aria-describedby={propertyError ? "revert-property-error" : undefined}>
          <caption className="sr-only">Each property now and at version {toVclock}: check the ones to restore</caption>
          <TableHead columns={["Restore", "Property", <>Now (v{latest})</>, <>At version {toVclock}</>, "After the revert"]} />
          <tbody>
            {fields.map((f) => {
              const prop = f.field.prop;
              const on = f.differs && chosen.has(prop);
              return (
                <tr key={prop} data-testid={`revert-${prop}`}>
                  <td className={td}>
                    {f.differs ? (
                      <input
                        type="checkbox"
                        name="property"
                        value={prop}
                        checked={on}
                        onChange={(event) => toggle(prop, event.target.checked)}
                        aria-label={`Restore ${f.field.label}`}
                        className="size-4 accent-accent"
                      />
                    ) : null}
                  </td>
                  <th scope="row" className={`${td} text-left text-xs font-medium text-muted`}>
                    {f.field.label}
                  </th>
                  <td className={td}>{value(f.field, f.now)}</td>
                  <td className={td}>
                    {f.notTracked ? <span className="text-xs text-faint">not tracked yet</span> : value(f.field, f.then)}
                  </td>
                  <td className={td}>
                    {on ? (
                      <Change before={value(f.field, f.now)} after={value(f.field, f.then)} />
                    ) : (
                      <span className="text-xs text-faint">
                        {f.differs ? "stays as now" : f.notTracked ? "stays as now" : "same in both"}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </DataTable>
      </Card>
      <FormField
        id="revert-reason"
        label="Reason for this revert"
        required
        error={reasonError}
        hint="Auditors will read this. Say why the old values are right."
      >
        <Textarea
          name="reason"
          defaultValue={defaultReason}
          maxLength={reasonMax}
          {...describedBy("revert-reason", reasonError, "Auditors will read this.")}
          className="font-sans text-sm"
        />
      </FormField>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <ButtonLink href={historyHref}>Cancel</ButtonLink>
        <Button type="submit" variant="primary" disabled={pending || count === 0}>
          {pending ? "Reverting…" : `Revert ${count} ${count === 1 ? "property" : "properties"} to version ${toVclock}`}
        </Button>
      </div>
    </form>
  );
}
