/**
 * The one wrapper every server action goes through. In this order: it checks the
 * session and the role on the server (a direct POST gets the same check as a click),
 * parses the input with the action's zod schema (only for someone who may act, so
 * nobody else learns anything from validation), takes the actor from the session
 * (never from the request body), runs the action, and turns expected failures into a
 * result the form renders next to the field. Anything unexpected is thrown to the
 * route's error boundary.
 */
import { redirect, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type {
  InvalidActivityError,
  InvalidValueError,
  RevertConflictError,
  StaleVclockError,
  TemporalErrorCode,
} from "@temporal-records/drizzle";
import { ConnectionLostError, TemporalError } from "@temporal-records/drizzle";
import { can, ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { currentUser } from "@/lib/auth/session";
import { LastAdminError, type StaffMember } from "@/lib/auth/staff";
import { getDb } from "@/db/client";
import { onPrimary, rememberWrite } from "@/db/read-replica";
import { markUnavailable } from "@/db/health";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { flattenErrors } from "./form";
import { refusalOf } from "./refusals";
import type { ActionFailure, ActionState } from "./action-state";

export type { ActionState } from "./action-state";

/** Who the activity is recorded under: the person's stable id, and their name as shown today. */
export type Who = { actor: string; actorName: string };

export type ActionSpec<S extends z.ZodType> = {
  /**
   * The lowest role that may run the action (checked before anything is parsed), or a
   * lookup of it (when it depends on what the action is bound to and reads the database).
   */
  role: Role | (() => Promise<Role>);
  /** Parses everything the action receives: bound arguments and the submitted form. */
  input: S;
};

type Failure = Omit<ActionFailure, "status" | "code">;

/** The error class each code with extra fields belongs to (lib/temporal/errors.ts gives every class one code). */
type ErrorOf<C extends TemporalErrorCode> = C extends "STALE_VCLOCK"
  ? StaleVclockError
  : C extends "INVALID_VALUE"
    ? InvalidValueError
    : C extends "INVALID_ACTIVITY"
      ? InvalidActivityError
      : C extends "REVERT_CONFLICT"
        ? RevertConflictError
        : TemporalError;

const messageOnly = (error: TemporalError): Failure => ({ message: error.message });

/** The library errors a form can expect, by their stable code, and what the person sees. Every other code is a bug: thrown. */
const EXPECTED: { [C in TemporalErrorCode]?: (error: ErrorOf<C>) => Failure } = {
  STALE_VCLOCK: (error) => ({
    message: `Nothing was saved: someone saved version ${error.currentVclock} meanwhile. Compare the values, then re-apply your edits to the newer version or drop them.`,
    conflict: { vclock: error.currentVclock, current: error.current },
  }),
  INVALID_ACTIVITY: (error) => ({ message: error.message, fieldErrors: { [error.field]: error.message } }),
  INVALID_VALUE: (error) => ({ message: error.message, fieldErrors: error.column ? { [error.column]: error.message } : undefined }),
  CONSTRAINT_VIOLATION: messageOnly,
  RETIRED: messageOnly,
  ALREADY_RETIRED: messageOnly,
  NOT_RETIRED: messageOnly,
  NOT_FOUND: messageOnly,
  UNKNOWN_PROPERTY: messageOnly,
  REVERT_CONFLICT: (error) => ({
    message: `Nothing was undone: ${error.conflicts.length === 1 ? "a property was" : `${error.conflicts.length} properties were`} changed again since the preview. Review the newer values, choose again, then undo.`,
    revertConflicts: error.conflicts,
  }),
  WRITE_CONFLICT: messageOnly,
};

/** The result for an error the person can act on, or undefined for one that must reach the error boundary. */
function expectedFailure(error: unknown): ActionFailure | undefined {
  // A refusal of a known constraint goes on its field, before the library's generic wording.
  const refusal = refusalOf(error);
  if (refusal) return { status: "error", ...refusal };
  if (error instanceof TemporalError) {
    // Sound because each code belongs to exactly one class (the ErrorOf table above).
    const handle = EXPECTED[error.code] as ((error: TemporalError) => Failure) | undefined;
    if (handle) return { status: "error", code: error.code, ...handle(error) };
  }
  if (error instanceof LastAdminError) {
    return {
      status: "error",
      code: error.code,
      message: error.message,
      fieldErrors: error.field ? { [error.field]: error.message } : undefined,
    };
  }
  if (isDatabaseUnavailable(error)) return unavailableFailure(error);
  return undefined;
}

const unavailable: ActionFailure = {
  status: "error",
  code: "DATABASE_UNAVAILABLE",
  message: "The database is unavailable right now, so nothing was saved. Try again in a moment.",
};

/** An outage as a result; a connection lost while the COMMIT was in flight may have saved, so it says so rather than "nothing was saved". */
function unavailableFailure(error: unknown): ActionFailure {
  markUnavailable();
  if (!(error instanceof ConnectionLostError && error.outcome === "unknown")) return unavailable;
  return {
    ...unavailable,
    message:
      "The connection to the database was lost while saving, so it is not known whether this was saved. Reload the page to check before trying again.",
  };
}

/** A schema's issues as a result: field issues next to their fields, the rest (a malformed request) as the message. */
function invalidInput(error: z.ZodError): ActionFailure {
  const { formErrors, fieldErrors } = flattenErrors(error);
  return {
    status: "error",
    code: "INVALID_INPUT",
    message: formErrors[0] ?? "Nothing was saved: fix the fields marked below.",
    fieldErrors: Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined,
  };
}

/** Next's own signals (`redirect()`, `notFound()`): exactly what `unstable_rethrow` throws. */
function isNextSignal(error: unknown): boolean {
  try {
    unstable_rethrow(error);
    return false;
  } catch {
    return true;
  }
}

/**
 * Runs a server action for the signed-in person: role, then `spec.input` parses `input`,
 * then `fn` gets the parsed input and who acts. A visitor without a session is sent to
 * sign-in. `fn` may call `redirect()` and `revalidatePath()`: Next's own signals pass through.
 * Everything it reads is read on the primary, and after it has written, the person's next
 * reads see the write (db/read-replica.ts: never a stale read replica).
 *
 * @example
 * const renameSchema = formSchema({ name: z.string().min(1, "Enter a name."), reason: reasonSchema("Say why.") });
 * export async function rename(_: ActionState, form: FormData) {
 *   return runAction({ role: "editor", input: renameSchema }, form, async ({ name, reason }, who) => { ... });
 * }
 */
export function runAction<S extends z.ZodType>(
  spec: ActionSpec<S>,
  input: z.input<S>,
  fn: (input: z.output<S>, who: Who) => Promise<ActionState>,
): Promise<ActionState> {
  return onPrimary(() => act(spec, input, fn));
}

async function act<S extends z.ZodType>(
  spec: ActionSpec<S>,
  input: z.input<S>,
  fn: (input: z.output<S>, who: Who) => Promise<ActionState>,
): Promise<ActionState> {
  let user: StaffMember | null;
  let role: Role | undefined;
  try {
    user = await currentUser();
    if (user) role = typeof spec.role === "function" ? await spec.role() : spec.role;
  } catch (error) {
    // Who acts, and what they may do, cannot be known without the database: say so, as for a write.
    if (isDatabaseUnavailable(error)) return unavailableFailure(error);
    throw error;
  }
  if (!user || !role) redirect("/sign-in");
  if (!can(user.role, role)) {
    return {
      status: "error",
      code: "FORBIDDEN",
      forbidden: true,
      message: `Forbidden (403): this needs the ${ROLE_LABELS[role]} role or higher, and you are signed in as ${ROLE_LABELS[user.role]}. Nothing was saved.`,
    };
  }
  const parsed = await spec.input.safeParseAsync(input);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const state = await fn(parsed.data, { actor: user.id, actorName: user.name });
    if (state.status !== "error") await rememberWrite(await getDb());
    return state;
  } catch (error) {
    if (isNextSignal(error)) {
      // A redirect after the write (to the record just created): the next page must see it too.
      await rememberWrite(await getDb());
      throw error;
    }
    const failure = expectedFailure(error);
    if (failure) return failure;
    throw error;
  }
}
