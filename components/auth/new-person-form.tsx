"use client";

import { useActionState } from "react";
import { createPerson } from "@/app/(app)/people/new/actions";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describedBy, Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { idle } from "@/lib/admin/action-state";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from "@/lib/auth/roles";

/** `reasonMax`: the library's limit on a reason (ACTIVITY_LIMITS.reason); the page passes it, the library is server-only. */
export function NewPersonForm({ reasonMax }: { reasonMax: number }) {
  const [state, submit, pending] = useActionState(createPerson, idle);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <Card>
      <form action={submit} className="space-y-4 p-5">
        {state.status === "error" ? <Alert tone="danger">{state.message}</Alert> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="person-name" label="Name" required error={errors.name}>
            <Input name="name" autoComplete="off" required {...describedBy("person-name", errors.name)} />
          </Field>
          <Field id="person-email" label="Email" required error={errors.email}>
            <Input name="email" type="email" autoComplete="off" required {...describedBy("person-email", errors.email)} />
          </Field>
          <Field id="person-role" label="Role" required error={errors.role} hint="One role per person.">
            <Select name="role" required defaultValue="" {...describedBy("person-role", errors.role, "One role per person.")}>
              <option value="" disabled>
                Choose…
              </option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}: {ROLE_DESCRIPTIONS[role]}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id="person-password"
            label="First password"
            required
            error={errors.password}
            hint="Give it to them in person; at least 10 characters."
          >
            <Input
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              {...describedBy("person-password", errors.password, "hint")}
            />
          </Field>
        </div>
        <Field id="person-reason" label="Reason" required error={errors.reason} hint="Why this person gets this access.">
          <Textarea
            name="reason"
            className="font-sans text-sm"
            required
            maxLength={reasonMax}
            {...describedBy("person-reason", errors.reason, "hint")}
          />
        </Field>
        <div className="flex justify-end gap-2 border-t border-line pt-3">
          <ButtonLink href="/t/staff">Cancel</ButtonLink>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Adding…" : "Add person"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
