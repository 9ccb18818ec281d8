"use client";

import { useActionState, useState } from "react";
import { setActor } from "@/app/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export function ActorBox({ actor }: { actor?: string }) {
  const [editing, setEditing] = useState(!actor);
  const [state, submit, pending] = useActionState(async (prev: { error?: string }, form: FormData) => {
    const result = await setActor(prev, form);
    if (!result.error) setEditing(false);
    return result;
  }, {});
  if (actor && !editing) {
    return (
      <div className="flex items-center gap-2 text-sm">
        <span className="text-faint">Acting as</span>
        <span className="font-medium text-ink" data-testid="actor">
          {actor}
        </span>
        <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>
          Change
        </Button>
      </div>
    );
  }
  return (
    <form action={submit} className="flex items-center gap-2">
      <label htmlFor="actor" className="text-sm text-faint whitespace-nowrap">
        Acting as
      </label>
      <Input
        id="actor"
        name="actor"
        defaultValue={actor}
        placeholder="your name or email"
        className="h-8 w-52"
        aria-invalid={state.error ? true : undefined}
        aria-describedby={state.error ? "actor-error" : undefined}
        required
      />
      <Button type="submit" size="sm" variant="primary" disabled={pending}>
        Save
      </Button>
      {state.error ? (
        <span id="actor-error" role="alert" className="text-xs text-danger">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
