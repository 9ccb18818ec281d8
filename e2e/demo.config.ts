/**
 * `npm run demo`: the PyCon 2017 talk's story, walked through the app and recorded as numbered
 * screenshots and a video in demo-output/ (git-ignored). It runs on a database of its own
 * (temporal_demo on E2E_DATABASE_URL's server, or PGlite in data/demo) and on its own port,
 * so it never shares data with the e2e suite; it builds into .next-demo, so a running `npm run app` (.next) is
 * never disturbed. Video needs Debian's ffmpeg; without it the demo
 * saves screenshots only and says so.
 */
import { defineConfig, devices } from "@playwright/test";
import { canRecordVideo } from "./demo/ffmpeg";
import { DEMO_OUTPUT, ROOT } from "./demo/paths";

const PORT = Number(process.env.DEMO_PORT ?? 3101);
/** The demo's `next build` output (next.config.ts reads NEXT_DIST_DIR), apart from the app's .next. */
export const DEMO_BUILD = ".next-demo";
const SIZE = { width: 1280, height: 800 };

export default defineConfig({
  testDir: "./demo",
  testMatch: /.*\.demo\.ts/,
  outputDir: `${DEMO_OUTPUT}test-results`,
  globalSetup: "./demo/global-setup.ts",
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: SIZE,
    timezoneId: "America/New_York",
    video: canRecordVideo() ? { mode: "on", size: SIZE } : "off",
    // Slow enough to follow in the video.
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", slowMo: Number(process.env.DEMO_SLOWMO ?? 400) },
  },
  webServer: {
    command: "node_modules/.bin/tsx e2e/server.ts",
    cwd: ROOT,
    // Its own build directory too: rebuilding .next would break a running `npm run app` (its chunks would 404).
    env: { E2E_PORT: String(PORT), E2E_DB_NAME: "temporal_demo", E2E_PGLITE_DIR: "data/demo/pglite", NEXT_DIST_DIR: DEMO_BUILD },
    url: `http://127.0.0.1:${PORT}/`,
    timeout: 600_000,
    // Always a fresh database: the story starts from the talk's data.
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
