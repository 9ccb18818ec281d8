/** What the action tests submit: a form's controls as a browser sends them, and the state a form starts in. */
import type { ActionState } from "@/lib/admin/action-state";

export const idle: ActionState = { status: "idle" };

/** A submitted form with these controls (numbers as the text an input holds). */
export function form(values: Record<string, string | number>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, String(value));
  return data;
}
