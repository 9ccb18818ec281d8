/**
 * The one wrapper every server action goes through: it checks the session and the
 * role on the server (a direct POST gets the same check as a click), takes the
 * actor from the session (never from the request body), runs the action, and turns
 * expected failures into a result the form renders next to the field. Anything
 * unexpected is thrown to the route's error boundary.
 */
import {
  AlreadyRetiredError,
  ConstraintViolationError,
  InvalidActivityError,
  InvalidValueError,
  NotFoundError,
  NotRetiredError,
  RetiredError,
  RevertConflictError,
  StaleVclockError,
  UnknownPropertyError,
  WriteConflictError,
} from "@/lib/temporal";
import { redirect } from "next/navigation";
import { can, ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { currentUser } from "@/lib/auth/session";
import { isDatabaseUnavailable } from "@/db/unavailable";
import type { ActionState } from "./action-state";

export type { ActionState } from "./action-state";

/** Who the activity is recorded under: the person's stable id, and their name as shown today. */
export type Who = { actor: string; actorName: string };

export async function runAction(role: Role, fn: (who: Who) => Promise<ActionState>): Promise<ActionState> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  if (!can(user.role, role)) {
    return {
      status: "error",
      forbidden: true,
      message: `Forbidden (403): this needs the ${ROLE_LABELS[role]} role or higher, and you are signed in as ${ROLE_LABELS[user.role]}. Nothing was saved.`,
    };
  }
  try {
    return await fn({ actor: user.id, actorName: user.name });
  } catch (error) {
    if (error instanceof StaleVclockError) {
      return {
        status: "error",
        message: `Nothing was saved: someone saved version ${error.currentVclock} meanwhile. Compare the values, then re-apply your edits to the newer version or drop them.`,
        conflict: { vclock: error.currentVclock, current: error.current as Record<string, unknown> },
      };
    }
    if (error instanceof InvalidActivityError) return { status: "error", message: error.message, fieldErrors: { reason: error.message } };
    if (error instanceof InvalidValueError) {
      return { status: "error", message: error.message, fieldErrors: error.column ? { [error.column]: error.message } : undefined };
    }
    if (error instanceof ConstraintViolationError) return { status: "error", message: error.message };
    if (
      error instanceof RetiredError ||
      error instanceof AlreadyRetiredError ||
      error instanceof NotRetiredError ||
      error instanceof NotFoundError ||
      error instanceof UnknownPropertyError ||
      error instanceof RevertConflictError ||
      error instanceof WriteConflictError
    ) {
      return { status: "error", message: error.message };
    }
    if (isDatabaseUnavailable(error)) {
      return { status: "error", message: "The database is unavailable right now, so nothing was saved. Try again in a moment." };
    }
    throw error;
  }
}
