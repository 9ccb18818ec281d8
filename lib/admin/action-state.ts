import type { RevertConflict, TemporalErrorCode } from "@temporal-records/drizzle";
import type { FieldErrors } from "./form";

/**
 * Why an action refused: the library's stable code for an expected library error, or one of
 * the wrapper's own (lib/admin/action.ts).
 */
export type ActionErrorCode = TemporalErrorCode | "FORBIDDEN" | "INVALID_INPUT" | "DATABASE_UNAVAILABLE" | "LAST_ADMIN";

export type ActionFailure = {
  status: "error";
  code: ActionErrorCode;
  message: string;
  /** The signed-in person's role may not do this: nothing was written. */
  forbidden?: boolean;
  fieldErrors?: FieldErrors;
  /** The record as it is now, when it changed since the form was loaded. */
  conflict?: { vclock: number; current: Record<string, unknown> };
  /** The later changes an undo would overwrite that no choice settled (made since its preview). */
  revertConflicts?: RevertConflict[];
};

/** What a server action returns to its form: safe to import from client components. */
export type ActionState = { status: "idle" } | { status: "ok"; message: string; vclock?: number; id?: string } | ActionFailure;

export const idle: ActionState = { status: "idle" };
