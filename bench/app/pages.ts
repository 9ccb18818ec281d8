/**
 * Workload 7: the admin app's production server on the app's data set. Time to first byte
 * (and to the last byte: the pages stream) of the table page, the deep member's record page
 * and the activity log, signed in as an editor, one request at a time over a kept-alive
 * connection, then the same with several requests in flight; the auditor's pages (issue 10)
 * the same way, and a CSV export of the whole activity log: its rate and the server's RSS growth.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import type { Auth } from "@/lib/auth/server";
import { latency, rate, value, type Sink } from "../context";
import { BENCH_EDITOR, type AppData } from "./data";

export type Timing = { ttfb: number; total: number; status: number; body: string };

/** GET a page; with `timeout` (ms), a request the server leaves unanswered that long fails. */
export function get(agent: Agent, port: number, path: string, cookie: string, timeout = 0): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let ttfb = 0;
    const chunks: Buffer[] = [];
    const req = request({ host: "127.0.0.1", port, path, agent, headers: { cookie, accept: "text/html" } }, (res) => {
      res.on("data", (chunk: Buffer) => {
        if (!ttfb) ttfb = performance.now() - start;
        chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({ ttfb, total: performance.now() - start, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    if (timeout > 0) req.setTimeout(timeout, () => req.destroy(new Error(`no answer within ${timeout} ms`)));
    req.end();
  });
}

export async function waitForServer(port: number, server: ChildProcess): Promise<void> {
  const agent = new Agent();
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      const answer = await get(agent, port, "/sign-in", "");
      if (answer.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The app did not answer on port ${port} within 60 s.`);
}

/**
 * `next build` (unless skipped), then `next start` against the data set's database. The server's
 * stderr goes to ours, or with `output: "pipe"` its stdout and stderr to the caller (read from the child).
 */
export function startApp(url: string, port: number, secret: string, build: boolean, output: "inherit" | "pipe" = "inherit"): ChildProcess {
  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: url,
    BETTER_AUTH_SECRET: secret,
    BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
  } as NodeJS.ProcessEnv;
  if (build) {
    const started = Date.now();
    const result = spawnSync("node_modules/.bin/next", ["build"], { stdio: ["ignore", "ignore", "inherit"], env });
    if (result.status !== 0) throw new Error(`next build failed with ${result.status}`);
    console.log(`  next build: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return spawn("node_modules/.bin/next", ["start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", output === "pipe" ? "pipe" : "ignore", output],
    env,
  });
}

/** Signs the bench's editor in (through the library's auth, against the same database) and returns the Cookie header. */
async function signIn(auth: Auth): Promise<string> {
  const signedIn = await auth.api.signInEmail({
    body: { email: BENCH_EDITOR.email, password: BENCH_EDITOR.password },
    returnHeaders: true,
  });
  return [
    ...signedIn.headers.getSetCookie().map((line) => line.split(";")[0]!),
    // The time zone the browser would have reported (the pages show times in it).
    "tz=UTC",
  ].join("; ");
}

const sizeOf = (data: AppData) => `${Math.round(data.members / 1000)}k members, ${(data.historyCount / 1e6).toFixed(2)}M history rows`;

/** The export alone (`--only export`): on a server that has served nothing else, so its RSS growth is the export's. */
export async function appExport(sink: Sink, auth: Auth, data: AppData, options: { port: number; server: ChildProcess }) {
  await waitForServer(options.port, options.server);
  await exportRate(sink, options.port, options.server, await signIn(auth), sizeOf(data));
}

export async function appPages(sink: Sink, auth: Auth, data: AppData, options: { port: number; server: ChildProcess; requests: number }) {
  const { port, server, requests } = options;
  await waitForServer(port, server);
  const cookie = await signIn(auth);
  const size = sizeOf(data);
  const middle = data.moments[Math.floor(data.moments.length / 2)]!;
  const monthAgo = new Date(data.moments.at(-1)!.getTime() - 30 * 86_400_000);
  const pages: { name: string; path: string; expect: string }[] = [
    { name: "table page", path: "/t/member", expect: `${data.members.toLocaleString("en-US")}` },
    { name: "record page", path: `/t/member/${data.deepId}`, expect: "Premium correction" },
    { name: "activity log page", path: "/activity", expect: "Benchmark" },
    { name: "history page", path: `/t/member/${data.deepId}/history`, expect: "Premium correction" },
    // The auditor's pages (issue 10): a moment halfway through the bulk rounds, the deep member's first and last versions.
    {
      name: "record page as of a date",
      path: `/t/member/${data.deepId}?asOf=${encodeURIComponent(middle.toISOString())}`,
      expect: "Read-only history",
    },
    {
      name: "compare page (v1 to latest)",
      path: `/t/member/${data.deepId}/compare?from=1&to=${data.deepTicks + 1}`,
      expect: "Activities in between",
    },
    { name: "property timeline page", path: `/t/member/${data.deepId}/history?property=premium`, expect: "Over time" },
    {
      name: "table as of a date, sorted by premium",
      path: `/t/member?asOf=${encodeURIComponent(middle.toISOString())}&sort=premium&dir=desc`,
      expect: "Read-only history",
    },
    {
      name: "table compare mode",
      path: `/t/member?asOf=${encodeURIComponent((data.moments[1] ?? data.moments[0]!).toISOString())}&compareTo=${encodeURIComponent(data.moments.at(-1)!.toISOString())}`,
      expect: "Comparing the table as of",
    },
    {
      name: "changes across records (one month)",
      path: `/t/member/changes?property=premium&from=${encodeURIComponent(monthAgo.toISOString())}&to=${encodeURIComponent(data.moments.at(-1)!.toISOString())}`,
      expect: "Changes of Monthly premium",
    },
  ];
  for (const concurrency of [1, 4]) {
    for (const page of pages) {
      const agents = Array.from({ length: concurrency }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
      const check = await get(agents[0]!, port, page.path, cookie);
      if (check.status !== 200 || !check.body.includes(page.expect)) {
        throw new Error(`GET ${page.path} answered ${check.status} without "${page.expect}": the page bench would measure the wrong page.`);
      }
      for (let i = 0; i < 10; i++) await get(agents[0]!, port, page.path, cookie);
      const ttfb: number[] = [];
      const total: number[] = [];
      let next = 0;
      await Promise.all(
        agents.map(async (agent) => {
          while (next++ < requests) {
            const t = await get(agent, port, page.path, cookie);
            if (t.status !== 200) throw new Error(`GET ${page.path} answered ${t.status}`);
            ttfb.push(t.ttfb);
            total.push(t.total);
          }
        }),
      );
      agents.forEach((a) => a.destroy());
      const how = concurrency === 1 ? "" : ` (${concurrency} in flight)`;
      const where = new RegExp(`^/t/member/${data.deepId}(?:[/?]|$)`).test(page.path)
        ? `, the member with ${data.deepTicks.toLocaleString("en-US")} ticks`
        : "";
      latency(sink, `${page.name}: first byte${how}`, size, ttfb, `GET ${page.path}${where}; ${requests} requests`);
      latency(sink, `${page.name}: whole page${how}`, size, total, "the last byte (the page streams)");
    }
  }
  await exportRate(sink, port, server, cookie, size);
}

/** Resident set size of a process and its descendants (next start may run the server in a child), in bytes. */
function treeRss(pid: number): number {
  let rss = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    rss += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    for (const child of children ? children.split(/\s+/) : []) rss += treeRss(Number(child));
  } catch {
    // The process ended between the reads.
  }
  return rss;
}

/**
 * The whole activity log as CSV (over 100,000 activities), downloaded once to warm up and then
 * three times: rows per second over the whole download, and the server's peak RSS (sampled every
 * 20 ms) over what it held before the export.
 */
async function exportRate(sink: Sink, port: number, server: ChildProcess, cookie: string, size: string) {
  const until = new Date().toISOString();
  const path = `/activity/export?format=csv&until=${encodeURIComponent(until)}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  const growth: number[] = [];
  let rows = 0;
  let held = 0;
  for (let run = 0; run < 4; run++) {
    const before = treeRss(server.pid!);
    if (run === 0) held = before;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(server.pid!))), 20);
    const t = await get(agent, port, path, cookie).finally(() => clearInterval(sampler));
    if (t.status !== 200) throw new Error(`GET ${path} answered ${t.status}`);
    // RFC 4180 rows, each ending in CRLF (a reason's own line breaks are bare LF inside quotes); less the header.
    rows = t.body.split("\r\n").length - 2;
    if (run === 0) continue;
    times.push(t.total);
    growth.push((peak - before) / 2 ** 20);
  }
  agent.destroy();
  const note = `GET ${path.split("&")[0]}; ${rows.toLocaleString("en-US")} rows, 3 downloads after one to warm up`;
  rate(sink, "activity log CSV export", size, rows, times, note);
  value(
    sink,
    "activity log CSV export: server RSS growth",
    size,
    "MB",
    Math.max(...growth),
    `the largest of the 3 downloads' peaks over the server's RSS before it, sampled every 20 ms (${growth.map((g) => g.toFixed(0)).join(", ")} MB; the server held ${(held / 2 ** 20).toFixed(0)} MB before the first)`,
  );
}
