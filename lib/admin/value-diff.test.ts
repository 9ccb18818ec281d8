import { describe, expect, it } from "vitest";
import { elementChanges, jsonChanges, valueDiff } from "./value-diff";

describe("how two values of a field differ", () => {
  it("gives numbers their delta and percentage, to the precision they were written with", () => {
    expect(valueDiff({ kind: "money" }, "375.44", "382.95")).toEqual({ kind: "number", delta: 7.51, percent: 2 });
    expect(valueDiff({ kind: "integer" }, 200, 150)).toEqual({ kind: "number", delta: -50, percent: -25 });
    expect(valueDiff({ kind: "decimal" }, "0", "1.5")).toEqual({ kind: "number", delta: 1.5, percent: null });
    expect(valueDiff({ kind: "money" }, null, "1.00")).toEqual({ kind: "plain" });
  });

  it("lists added, removed and changed json keys by path", () => {
    const before = { dental: true, vision: false, limits: { yearly: 1000 }, gone: 1 };
    const after = { dental: true, vision: true, limits: { yearly: 1500, lifetime: 9 } };
    expect(jsonChanges(before, after)).toEqual([
      { path: "gone", change: "removed", before: 1 },
      { path: "limits.lifetime", change: "added", after: 9 },
      { path: "limits.yearly", change: "changed", before: 1000, after: 1500 },
      { path: "vision", change: "changed", before: false, after: true },
    ]);
    expect(valueDiff({ kind: "json" }, [1], [2])).toEqual({ kind: "plain" });
  });

  it("lists added and removed elements of arrays, counting repeats", () => {
    expect(elementChanges(["a", "b", "a"], ["b", "c", "a"])).toEqual({ added: ["c"], removed: ["a"] });
    expect(valueDiff({ kind: "tags" }, ["telehealth"], ["telehealth", "wellness"])).toEqual({
      kind: "elements",
      added: ["wellness"],
      removed: [],
    });
  });

  it("compares long text word by word and leaves short words whole", () => {
    const diff = valueDiff({ kind: "text" }, "Moved to SF for the new job", "Moved to Oakland for the new job");
    expect(diff).toEqual({
      kind: "words",
      parts: [
        { text: "Moved to ", change: "same" },
        { text: "SF", change: "removed" },
        { text: "Oakland", change: "added" },
        { text: " for the new job", change: "same" },
      ],
    });
    expect(valueDiff({ kind: "text" }, "Tucson", "Berkeley")).toEqual({ kind: "plain" });
    expect(valueDiff({ kind: "enum" }, "silver", "gold")).toEqual({ kind: "plain" });
  });
});
