/**
 * Runs once when the server boots (never during `next build`): checks the
 * configuration, then brings the database up to date so the app never serves an
 * unmigrated schema, when its role owns the schema; a least-privilege role only
 * checks that it is current and says what to run if not.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ exitOnBadEnv }, { getDatabase }, { migrateOrCheck }] = await Promise.all([
    import("@/lib/env"),
    import("@/db/client"),
    import("@/db/migrate"),
  ]);
  // A bad setting stops the server here, naming the variable, instead of failing the first request that reads it.
  exitOnBadEnv();
  try {
    await migrateOrCheck(await getDatabase());
  } catch (error) {
    // The app still starts: pages show a "database unavailable" error until it is back.
    console.error("Could not migrate the database at startup:", error instanceof Error ? error.message : error);
  }
}
