/**
 * Runs once when the server boots (never during `next build`): brings the
 * database up to date so the app never serves an unmigrated schema.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getDatabase }, { migrate }] = await Promise.all([import("@/db/client"), import("@/db/migrate")]);
  try {
    await migrate(await getDatabase());
  } catch (error) {
    // The app still starts: pages show a "database unavailable" error until it is back.
    console.error("Could not migrate the database at startup:", error instanceof Error ? error.message : error);
  }
}
