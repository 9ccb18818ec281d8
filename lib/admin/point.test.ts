import { describe, expect, it } from "vitest";
import { parseInstant, parsePoint, parseRecordPoint, parseVersion, pointParam } from "./point";

describe("points in the URL", () => {
  it("reads versions and instants with their zone, and a bare day as its UTC start", () => {
    expect(parsePoint("7")).toEqual({ ok: true, point: { vclock: 7 } });
    expect(parsePoint("2025-06-01T09:30:00Z")).toEqual({ ok: true, point: { at: new Date("2025-06-01T09:30:00Z") } });
    expect(parsePoint("2025-06-01T11:30:00+02:00")).toEqual({ ok: true, point: { at: new Date("2025-06-01T09:30:00Z") } });
    expect(parsePoint("2025-06-01T09:30:00.123Z")).toEqual({ ok: true, point: { at: new Date("2025-06-01T09:30:00.123Z") } });
    expect(parsePoint("2025-06-01")).toEqual({ ok: true, point: { at: new Date("2025-06-01T00:00:00Z") } });
  });

  it("refuses what cannot be meant, with a message that says how to write it", () => {
    for (const text of ["0", "-1", "1.5", "99999999999", "v7"]) {
      expect(parsePoint(text).ok).toBe(false);
    }
    expect(parseVersion("0")).toEqual({ ok: false, message: "versions start at 1" });
    for (const text of ["2025-06-01T09:30:00", "2025-02-30", "yesterday", "2025-13-01T00:00:00Z", "<script>", ""]) {
      const parsed = parseInstant(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/ISO 8601 date and time with its zone/);
    }
  });

  it("writes a point back as the URL reads it", () => {
    expect(pointParam({ vclock: 3 })).toBe("3");
    expect(pointParam({ at: new Date("2025-06-01T11:30:00+02:00") })).toBe("2025-06-01T09:30:00.000Z");
    const round = parsePoint(pointParam({ at: new Date("2025-06-01T09:30:00.456Z") }));
    expect(round).toEqual({ ok: true, point: { at: new Date("2025-06-01T09:30:00.456Z") } });
  });
});

describe("a record page's point", () => {
  it("is now without parameters, a version, or a moment", () => {
    expect(parseRecordPoint({})).toEqual({ point: null, moment: null, problem: null });
    expect(parseRecordPoint({ version: "4" })).toEqual({ point: { vclock: 4 }, moment: null, problem: null });
    const at = new Date("2025-06-01T00:00:00Z");
    expect(parseRecordPoint({ asOf: "2025-06-01" })).toEqual({ point: { at }, moment: at, problem: null });
    expect(parseRecordPoint({ asOf: ["2025-06-01", "2024-01-01"] })).toEqual({ point: { at }, moment: at, problem: null });
  });

  it("says why a parameter was ignored, and prefers the version when both are given", () => {
    expect(parseRecordPoint({ version: "x" })).toMatchObject({ point: null, problem: expect.stringMatching(/^Ignored \?version=/) });
    expect(parseRecordPoint({ asOf: "June" })).toMatchObject({ point: null, problem: expect.stringMatching(/^Ignored \?asOf=.*ISO 8601/) });
    expect(parseRecordPoint({ version: "2", asOf: "2025-06-01" })).toMatchObject({
      point: { vclock: 2 },
      problem: expect.stringMatching(/both a version and a moment/),
    });
  });
});
