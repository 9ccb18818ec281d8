/** Before the demo: a clean demo-output/ folder, and ffmpeg where Playwright records video with it. */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { canRecordVideo, linkSystemFfmpeg } from "./ffmpeg";
import { DEMO_OUTPUT } from "./paths";

export default function globalSetup() {
  mkdirSync(DEMO_OUTPUT, { recursive: true });
  for (const name of readdirSync(DEMO_OUTPUT)) {
    if (/\.(png|webm)$/.test(name)) rmSync(join(DEMO_OUTPUT, name));
  }
  if (canRecordVideo()) {
    console.log(`[demo] recording video with ffmpeg at ${linkSystemFfmpeg()}`);
  } else {
    console.log(
      "[demo] ffmpeg not found: saving screenshots only. For the video, install Debian's ffmpeg (apt-get install -y ffmpeg) and run again.",
    );
  }
}
