/**
 * Where sign-in may send someone afterwards: a path of this app, never another site.
 * Pure: the sign-in page, the sign-in action and the session check all use it.
 *
 * Browsers read `/\evil.example`, `/%09/evil.example` (the tab is dropped) and
 * `//evil.example` as "another host", and a path such as `/.//evil.example` becomes
 * `//evil.example` once it is normalised. So the path is resolved the way a browser
 * would (`new URL(next, origin)`), must stay on that origin, and is returned in its
 * normalised form. A backslash or a control character anywhere, or in the path once
 * percent-decoded (up to three times, for anything downstream that decodes again), is
 * refused outright: no page of the app needs one.
 */

/** A stand-in origin: only "is it still this origin?" matters, never the name. */
const HERE = "http://app.invalid";
const MAX_LENGTH = 2000;
/** Control characters (C0, DEL, C1), line and paragraph separators, and the backslash. */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;
/** How many times a path is percent-decoded when looking for a hidden `//host` or backslash. */
const DECODE_DEPTH = 3;

/** The path part and every percent-decoded form of it, down to DECODE_DEPTH (stops at malformed input). */
function decodedPaths(next: string): string[] {
  const layers = [next.split(/[?#]/, 1)[0]!];
  for (let depth = 0; depth < DECODE_DEPTH; depth++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(layers.at(-1)!);
    } catch {
      break;
    }
    if (decoded === layers.at(-1)) break;
    layers.push(decoded);
  }
  return layers;
}

/** True when the path, raw or decoded, could be read as another host (`//host`, `/\\host`, `/%09/host`...). */
function hidesAnotherHost(next: string): boolean {
  if (FORBIDDEN.test(next)) return true;
  return decodedPaths(next).some((path) => FORBIDDEN.test(path) || path.startsWith("//"));
}

/**
 * The same-origin path (with its query and hash) to go to, or `fallback` when `next`
 * is missing or could lead anywhere else. Sign-in itself is never a destination.
 *
 * @example
 * safeRedirectPath("/t/member?sort=name") // "/t/member?sort=name"
 * safeRedirectPath("/%5Cevil.example/")   // "/"
 */
export function safeRedirectPath(next: string | null | undefined, fallback = "/"): string {
  if (typeof next !== "string" || next.length === 0 || next.length > MAX_LENGTH) return fallback;
  if (!next.startsWith("/") || next.startsWith("//")) return fallback;
  if (hidesAnotherHost(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return fallback;
  }
  if (url.origin !== HERE || url.username || url.password) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // After normalisation (dot segments removed) the path must still start with exactly one slash.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  if (url.pathname === "/sign-in" || url.pathname.startsWith("/sign-in/")) return fallback;
  return path;
}
