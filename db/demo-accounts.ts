import { env } from "@/lib/env";
import type { Role } from "./roles";

/**
 * The demo's people, one per role. Their passwords are public (README, and the
 * sign-in page in demo mode): never load them into a database that holds real data.
 */
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; password: string }[] = [
  { email: "auditor@demo.example", name: "Audrey Auditor", role: "auditor", password: "demo-auditor-2026" },
  { email: "editor@demo.example", name: "Eddie Editor", role: "editor", password: "demo-editor-2026" },
  { email: "admin@demo.example", name: "Ada Admin", role: "admin", password: "demo-admin-2026" },
];

/** Demo mode lists the demo accounts on the sign-in page. `npm run app` turns it on. */
export const isDemoMode = () => env().TEMPORAL_DEMO === "1";
