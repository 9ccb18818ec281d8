/**
 * The compare page's URL: `from` and `to` (a version or an ISO instant each), `view`
 * (side|inline) and `all` (show unchanged properties). Missing points default to the
 * previous and the current version; a bad one is replaced by its default with a message.
 */
import { z } from "zod";
import type { Point } from "@temporal-records/drizzle";
import { firstParam, parsePoint, pointParam } from "./point";

export type CompareParams = {
  from: Point;
  to: Point;
  /** Each point as the page's links write it. */
  fromParam: string;
  toParam: string;
  view: "side" | "inline";
  all: boolean;
  problems: string[];
};

const view = z.enum(["side", "inline"]).catch("side");

export function parseCompareParams(raw: Record<string, string | string[] | undefined>, latest: number): CompareParams {
  const problems: string[] = [];
  const point = (name: "from" | "to", fallback: number): Point => {
    const text = firstParam(raw[name]);
    if (text === undefined) return { vclock: fallback };
    const parsed = parsePoint(text);
    if (parsed.ok) return parsed.point;
    problems.push(`Ignored ${name}=: ${parsed.message}. Comparing version ${fallback} instead.`);
    return { vclock: fallback };
  };
  const from = point("from", Math.max(latest - 1, 1));
  const to = point("to", latest);
  for (const [name, p] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if ("vclock" in p && p.vclock > latest) problems.push(`This record has no version ${p.vclock} (${name}); its latest is ${latest}.`);
  }
  return {
    from,
    to,
    fromParam: pointParam(from),
    toParam: pointParam(to),
    view: view.parse(firstParam(raw.view)),
    all: firstParam(raw.all) === "1",
    problems,
  };
}
