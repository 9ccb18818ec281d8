/**
 * The page-read half of the load: a few clients, each on its own kept-alive connection, reading
 * pages that need the database in turn with a pause between reads (a bounded, closed-loop load),
 * until told to stop. Every read is kept with when it started and what it showed.
 */
import { Agent } from "node:http";
import { get, type Timing } from "../app/pages";

export type Page = { path: string; expect: string };
export type Read = { at: number; path: string; kind: string; ms: number };

export const UNAVAILABLE_TEXT = "The database is unavailable right now";
export const UNEXPECTED_TEXT = "This page could not be shown";

/** What a person would have seen: the page, the outage page, the generic error page, or something else. */
export function readKind(answer: Timing, page: Page): string {
  if (answer.status === 200 && answer.body.includes(page.expect)) return "ok";
  if (answer.body.includes(UNAVAILABLE_TEXT)) return `"database unavailable" page (HTTP ${answer.status})`;
  if (answer.body.includes(UNEXPECTED_TEXT)) return `"something went wrong" page (HTTP ${answer.status})`;
  return `HTTP ${answer.status} without the page`;
}

/** One read with a deadline; a refused or unanswered request is a kind of its own. */
export async function readOnce(agent: Agent, port: number, page: Page, cookie: string, timeout: number): Promise<Read> {
  const at = performance.now();
  try {
    const answer = await get(agent, port, page.path, cookie, timeout);
    return { at, path: page.path, kind: readKind(answer, page), ms: performance.now() - at };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      at,
      path: page.path,
      kind: code ? `request failed: ${code}` : `request failed: ${(error as Error).message}`,
      ms: performance.now() - at,
    };
  }
}

export async function readLoop(options: {
  port: number;
  cookie: string;
  pages: Page[];
  clients: number;
  pauseMs: number;
  stopped: () => boolean;
  /** Where each read goes as it ends, for the caller to watch the run. */
  reads: Read[];
}): Promise<void> {
  const { reads } = options;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = client; !options.stopped(); i++) {
        reads.push(await readOnce(agent, options.port, options.pages[i % options.pages.length]!, options.cookie, 10_000));
        await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      }
      agent.destroy();
    }),
  );
}
