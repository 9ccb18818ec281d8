/**
 * The one wrapper every server action goes through: it finds the actor, runs the
 * action, and turns expected failures into a result the form renders next to the
 * field. Anything unexpected is thrown to the route's error boundary.
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
import { currentActor } from "./actor";
import { isDatabaseUnavailable } from "./unavailable";
import type { ActionState } from "./action-state";

export type { ActionState } from "./action-state";

export async function runAction(fn: (actor: string) => Promise<ActionState>): Promise<ActionState> {
  const actor = await currentActor();
  if (!actor)
    return {
      status: "error",
      message: "Say who you are first (the “Acting as” box at the top) so your change is recorded under your name.",
    };
  try {
    return await fn(actor);
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
