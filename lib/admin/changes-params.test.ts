import { describe, expect, it } from "vitest";
import { changeableFields, changesHref, parseChangesParams } from "./changes-params";
import { adminTable } from "./registry";

const member = adminTable("member")!;
const NOW = new Date("2026-01-01T12:00:00Z");
const parse = (raw: Record<string, string>) => parseChangesParams(member, raw, "America/New_York", NOW);

describe("parseChangesParams", () => {
  it("offers every tracked property and Retired, and starts at the first listed one", () => {
    expect(changeableFields(member).map((f) => f.prop)).toEqual([
      "fullName",
      "dateOfBirth",
      "plan",
      "premium",
      "primaryCareProviderId",
      "coverage",
      "tags",
      "renewsOn",
      "retired",
    ]);
    const start = parse({});
    expect(start.field.prop).toBe("fullName");
    expect(start.search).toEqual({ property: "fullName" });
    expect(start.problems).toEqual([]);
  });

  it("reads the property, the window as instants, the actor and the cursor", () => {
    const result = parse({
      property: "premium",
      from: "2025-01-01T00:00:00Z",
      to: "2025-02-01T00:00:00-05:00",
      actor: "maria.ops@cloverhealth.example",
      cursor: "WyIyMDI1Il0",
    });
    expect(result).toMatchObject({
      field: { prop: "premium" },
      from: new Date("2025-01-01T00:00:00Z"),
      to: new Date("2025-02-01T05:00:00Z"),
      actor: "maria.ops@cloverhealth.example",
      cursor: "WyIyMDI1Il0",
      problems: [],
    });
    expect(result.canonical).toBeUndefined();
    expect(changesHref("member", result.search)).toBe(
      "/t/member/changes?property=premium&from=2025-01-01T00%3A00%3A00Z&to=2025-02-01T00%3A00%3A00-05%3A00&actor=maria.ops%40cloverhealth.example&cursor=WyIyMDI1Il0",
    );
  });

  it("reads wall-clock times in the viewer's zone and asks for a redirect to instants", () => {
    const result = parse({ property: "plan", from: "2025-01-01T00:00", to: "2025-07-01" });
    expect(result.canonical).toEqual({ property: "plan", from: "2025-01-01T05:00:00.000Z", to: "2025-07-01T04:00:00.000Z" });
  });

  it("says what it left out: an unknown property, a bound that is no moment, a reversed window, a forged cursor", () => {
    const result = parse({ property: "memberNumber", from: "soon", to: "2024-01-01T00:00:00Z", cursor: "not a cursor!" });
    expect(result.field.prop).toBe("fullName");
    expect(result.from).toBeUndefined();
    expect(result.cursor).toBeUndefined();
    expect(result.problems).toEqual([
      "Members have no tracked property “memberNumber”; showing Name.",
      "From “soon” is not a moment: write an ISO 8601 instant such as 2016-01-01T00:00:00Z. The From bound was left out.",
      "That page link is not one of this list's; showing the newest changes.",
    ]);
    expect(parse({ from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }).problems).toEqual([
      "From is after To, so no change can match. Swap them to see results.",
    ]);
  });
});
