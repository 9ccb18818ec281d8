import { fileURLToPath } from "node:url";

/** The repository root and the git-ignored folder the demo writes its screenshots and video to. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEMO_OUTPUT = fileURLToPath(new URL("../../demo-output/", import.meta.url));
