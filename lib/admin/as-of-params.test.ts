import { describe, expect, it } from "vitest";
import { parseTimeParams } from "./as-of-params";
import { wallTimeIn, wallTimeOf } from "./dates";
import { listHref, parseListQuery } from "./list-query";
import { adminTable } from "./registry";

const NOW = new Date("2026-01-01T12:00:00Z");
const NY = "America/New_York";
const parse = (params: Record<string, string>, zone = NY) => parseTimeParams(params, zone, NOW);

describe("parseTimeParams", () => {
  it("reads the table now when there is no asOf", () => {
    expect(parse({})).toEqual({ view: { kind: "now" }, search: {}, problems: [] });
  });

  it("reads an ISO 8601 instant, with a zone or an offset, and keeps its text for the links", () => {
    expect(parse({ asOf: "2016-01-01T05:00:00Z" })).toEqual({
      view: { kind: "past", asOf: new Date("2016-01-01T05:00:00Z"), compareTo: undefined, changedOnly: false },
      search: { asOf: "2016-01-01T05:00:00Z", compareTo: undefined, changedOnly: undefined },
      problems: [],
      canonical: undefined,
    });
    const compared = parse({ asOf: "2016-01-01T00:00:00-05:00", compareTo: "2016-06-01T00:00:00.250Z", changed: "1" });
    expect(compared.view).toEqual({
      kind: "past",
      asOf: new Date("2016-01-01T05:00:00Z"),
      compareTo: new Date("2016-06-01T00:00:00.250Z"),
      changedOnly: true,
    });
    expect(compared.search).toEqual({ asOf: "2016-01-01T00:00:00-05:00", compareTo: "2016-06-01T00:00:00.250Z", changedOnly: true });
    expect(compared.canonical).toBeUndefined();
  });

  it("reads a wall-clock time without a zone in the viewer's zone, and asks for a redirect to the instant", () => {
    const result = parse({ asOf: "2016-01-01T00:00", compareTo: "2016-07-01" });
    expect(result.view).toMatchObject({ asOf: new Date("2016-01-01T05:00:00Z"), compareTo: new Date("2016-07-01T04:00:00Z") });
    expect(result.canonical).toEqual({ asOf: "2016-01-01T05:00:00.000Z", compareTo: "2016-07-01T04:00:00.000Z", changedOnly: undefined });
  });

  it("refuses an asOf that is no moment, or in the future, with a message and no view", () => {
    for (const asOf of ["yesterday", "2016-02-30T00:00:00Z", "2016-01-01T25:00", "2027-01-01T00:00:00Z"]) {
      const result = parse({ asOf, compareTo: "2016-01-01T00:00:00Z" });
      expect(result.view, asOf).toEqual({ kind: "invalid" });
      expect(result.problems, asOf).toHaveLength(1);
    }
    expect(parse({ asOf: "yesterday" }).problems).toEqual([
      "As of “yesterday” is not a moment: write an ISO 8601 instant such as 2016-01-01T00:00:00Z.",
    ]);
    expect(parse({ asOf: "2027-01-01T00:00:00Z" }).problems[0]).toMatch(/is in the future/);
  });

  it("leaves out a compareTo it cannot read, and one without asOf, saying so", () => {
    const bad = parse({ asOf: "2016-01-01T00:00:00Z", compareTo: "soon", changed: "1" });
    expect(bad.view).toEqual({ kind: "past", asOf: new Date("2016-01-01T00:00:00Z"), compareTo: undefined, changedOnly: false });
    expect(bad.search).toEqual({ asOf: "2016-01-01T00:00:00Z", compareTo: undefined, changedOnly: undefined });
    expect(bad.problems).toEqual([
      "Compare to “soon” is not a moment: write an ISO 8601 instant such as 2016-01-01T00:00:00Z. The comparison was left out.",
      "Only changed rows needs a moment to compare to; showing every row.",
    ]);
    expect(parse({ compareTo: "2016-01-01T00:00:00Z" })).toEqual({
      view: { kind: "now" },
      search: {},
      problems: ["Comparing needs an As of moment to compare from; showing the table as it is now."],
    });
  });
});

describe("wall-clock times in a zone", () => {
  it("turn into the instant they name there, across daylight saving time, and back", () => {
    expect(wallTimeIn("2016-01-08T00:00", NY)).toEqual(new Date("2016-01-08T05:00:00Z"));
    expect(wallTimeIn("2016-07-08T00:00:30.5", NY)).toEqual(new Date("2016-07-08T04:00:30.500Z"));
    expect(wallTimeIn("2016-07-08", "UTC")).toEqual(new Date("2016-07-08T00:00:00Z"));
    expect(wallTimeIn("2016-02-30T00:00", NY)).toBeUndefined();
    expect(wallTimeIn("2016-01-08T24:00", NY)).toBeUndefined();
    expect(wallTimeOf(new Date("2016-07-08T04:00:30.500Z"), NY)).toBe("2016-07-08T00:00:30");
    expect(wallTimeOf(new Date("2016-01-08T05:00:00Z"), "Asia/Kolkata")).toBe("2016-01-08T10:30:00");
  });
});

describe("the list's links in a past view", () => {
  it("keep the moments, the comparison and only-changed, before the filters", () => {
    const member = adminTable("member")!;
    const query = {
      ...parseListQuery(member, { "f.plan": "gold", page: "2" }),
      asOf: "2025-01-01T00:00:00Z",
      compareTo: "2025-06-01T00:00:00Z",
      changedOnly: true,
    };
    expect(listHref("/t/member", query, member.defaultSort)).toBe(
      "/t/member?asOf=2025-01-01T00%3A00%3A00Z&compareTo=2025-06-01T00%3A00%3A00Z&changed=1&f.plan=gold&page=2",
    );
    expect(listHref("/t/member", query, member.defaultSort, { asOf: undefined, page: 1 })).toBe("/t/member?f.plan=gold");
  });
});
