import { describe, expect, it } from "vitest";
import { startOfDay, wallTimeIn, wallTimeOf } from "./dates";

describe("wall-clock times in a zone", () => {
  it("turns a datetime-local value into the moment it names in the viewer's zone, and back", () => {
    expect(wallTimeIn("2025-06-01T11:30", "Europe/Berlin")).toEqual(new Date("2025-06-01T09:30:00Z"));
    expect(wallTimeIn("2025-01-15T11:30", "Europe/Berlin")).toEqual(new Date("2025-01-15T10:30:00Z"));
    expect(wallTimeIn("2025-06-01T11:30:15", "UTC")).toEqual(new Date("2025-06-01T11:30:15Z"));
    expect(wallTimeIn("2025-06-01T01:00", "America/Los_Angeles")).toEqual(new Date("2025-06-01T08:00:00Z"));
    expect(wallTimeOf(new Date("2025-06-01T09:30:00Z"), "Europe/Berlin")).toBe("2025-06-01T11:30:00");
    expect(wallTimeOf(new Date("2025-12-31T23:59:59Z"), "Asia/Tokyo")).toBe("2026-01-01T08:59:59");
  });

  it("agrees with startOfDay across a DST change", () => {
    expect(wallTimeIn("2025-03-30T00:00", "Europe/Berlin")).toEqual(startOfDay("2025-03-30", "Europe/Berlin"));
    expect(wallTimeIn("2025-03-30T03:30", "Europe/Berlin")).toEqual(new Date("2025-03-30T01:30:00Z"));
  });

  it("refuses what is not a wall-clock time", () => {
    for (const text of ["", "2025-02-30T10:00", "2025-06-01T24:00", "2025-06-01 10:00", "10:00"]) {
      expect(wallTimeIn(text, "UTC"), text).toBeUndefined();
    }
  });
});
