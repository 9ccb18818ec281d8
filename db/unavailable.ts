/**
 * "The database is unreachable" as a stable error digest. Production strips
 * server error messages before they reach the browser, but keeps a digest that
 * is already set, so the error page can tell an outage from a bug. Pure: the
 * client error boundary imports it too.
 */
export const DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  // lib/temporal's ConnectionLostError: the connection went during a write.
  "CONNECTION_LOST",
]);
const CONNECTION_MESSAGES =
  /in use by process|Could not lock|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i;

/** True when an error (or one of its causes) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; digest?: unknown; cause?: unknown };
    if (candidate.digest === DATABASE_UNAVAILABLE) return true;
    if (typeof candidate.code === "string" && (CONNECTION_CODES.has(candidate.code) || candidate.code.startsWith("08"))) return true;
    if (typeof candidate.message === "string" && CONNECTION_MESSAGES.test(candidate.message)) return true;
    current = candidate.cause;
  }
  return false;
}
