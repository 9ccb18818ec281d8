import { defineConfig, devices } from "@playwright/test";
import { EDITOR, TIME_ZONE } from "./e2e/support";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const desktop = { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 900 } };

/**
 * The end-to-end suite: e2e/*.spec.ts against the production build (`next build` + `next start`)
 * on a freshly migrated and seeded database (see e2e/server.ts). The talk's demo has its own
 * config (e2e/demo.config.ts) and is never picked up here.
 */
export default defineConfig({
  testDir: "./e2e",
  testIgnore: ["demo/**"],
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  // CI has a time budget: never let a hung run eat it (a full run takes about 3 minutes, build included).
  globalTimeout: process.env.CI ? 20 * 60_000 : undefined,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    timezoneId: TIME_ZONE,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
  projects: [
    // Signs each demo person in once through the sign-in page, saving the cookies the specs start with
    // (an editor unless a spec says otherwise).
    { name: "setup", testMatch: /.*\.setup\.ts/, use: desktop },
    { name: "chromium", testMatch: /.*\.spec\.ts/, dependencies: ["setup"], use: { ...desktop, storageState: EDITOR.state } },
  ],
  webServer: {
    command: "node_modules/.bin/tsx e2e/server.ts",
    url: `http://127.0.0.1:${PORT}/`,
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
  },
});
