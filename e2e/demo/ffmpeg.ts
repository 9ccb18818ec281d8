/**
 * Playwright records video with its own ffmpeg build, which cannot be downloaded here; Debian's
 * ffmpeg works when linked where Playwright looks for it:
 * <PLAYWRIGHT_BROWSERS_PATH or ~/.cache/ms-playwright>/ffmpeg-<revision>/ffmpeg-linux.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

const SYSTEM_FFMPEG = "/usr/bin/ffmpeg";

/** The revision of ffmpeg this Playwright expects (1013 for 1.65.1), from its browsers.json. */
function ffmpegRevision(coreDir: string): string {
  const browsers = JSON.parse(readFileSync(join(coreDir, "browsers.json"), "utf8")) as { browsers: { name: string; revision: string }[] };
  const ffmpeg = browsers.browsers.find((b) => b.name === "ffmpeg");
  if (!ffmpeg) throw new Error("playwright-core/browsers.json names no ffmpeg revision.");
  return ffmpeg.revision;
}

function browsersPath(coreDir: string): string {
  const configured = process.env.PLAYWRIGHT_BROWSERS_PATH;
  if (configured === "0") return join(coreDir, ".local-browsers");
  if (configured) return configured;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "ms-playwright");
}

/** Where Playwright looks for ffmpeg on this machine. */
export function playwrightFfmpegPath(): string {
  const coreDir = dirname(createRequire(import.meta.url).resolve("playwright-core/package.json"));
  return join(browsersPath(coreDir), `ffmpeg-${ffmpegRevision(coreDir)}`, "ffmpeg-linux");
}

/** True when video can be recorded: Linux with Debian's ffmpeg (or Playwright's own already in place). */
export function canRecordVideo(): boolean {
  if (process.platform !== "linux") return false;
  return existsSync(SYSTEM_FFMPEG) || existsSync(playwrightFfmpegPath());
}

/** Links Debian's ffmpeg where Playwright expects it; leaves a working ffmpeg that is already there alone. */
export function linkSystemFfmpeg(): string {
  const target = playwrightFfmpegPath();
  if (existsSync(target)) return target; // a real download, or our link from an earlier run
  if (lstatExists(target)) rmSync(target); // a dangling link
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(SYSTEM_FFMPEG, target);
  if (readlinkSync(target) !== SYSTEM_FFMPEG) throw new Error(`Could not link ${SYSTEM_FFMPEG} to ${target}.`);
  return target;
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
