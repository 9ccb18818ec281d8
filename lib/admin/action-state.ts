import type { FieldErrors } from "./form";

/** What a server action returns to its form: safe to import from client components. */
export type ActionState =
  | { status: "idle" }
  | { status: "ok"; message: string; vclock?: number; id?: string }
  | {
      status: "error";
      message: string;
      /** The signed-in person's role may not do this: nothing was written. */
      forbidden?: boolean;
      fieldErrors?: FieldErrors;
      /** The record as it is now, when it changed since the form was loaded. */
      conflict?: { vclock: number; current: Record<string, unknown> };
    };

export const idle: ActionState = { status: "idle" };
