import { describe, expect, it } from "vitest";
import { editableFields, parseValues } from "./form";
import { listHref, listSearch, parseListQuery, pastFields, pastSortFields } from "./list-query";
import { adminTable } from "./registry";

const member = adminTable("member")!;

describe("parseListQuery", () => {
  it("reads page, size, sort, direction, filters and retired from the URL", () => {
    expect(
      parseListQuery(member, {
        page: "3",
        size: "50",
        sort: "premium",
        dir: "desc",
        "f.plan": "gold",
        "f.fullName": " chen ",
        retired: "1",
      }),
    ).toEqual({
      page: 3,
      pageSize: 50,
      sort: { prop: "premium", desc: true },
      filters: { plan: "gold", fullName: "chen" },
      includeRetired: true,
    });
  });

  it("falls back to the defaults for values it cannot use", () => {
    expect(
      parseListQuery(member, {
        page: "-2",
        size: "33",
        sort: "coverage",
        dir: "sideways",
        retired: "yes",
        "f.nope": "x",
        "f.fullName": "x".repeat(201),
      }),
    ).toEqual({ page: 1, pageSize: 25, sort: { prop: "fullName", desc: false }, filters: {}, includeRetired: false });
  });

  it("sorts a past view only by the key and the sortable properties, falling back to the default otherwise", () => {
    expect(pastSortFields(member).map((f) => f.prop)).toEqual(["id", "fullName", "dateOfBirth", "plan", "premium", "renewsOn"]);
    const past = (params: Record<string, string>) => parseListQuery(member, params, pastFields(member), pastSortFields(member)).sort;
    expect(past({ sort: "premium", dir: "desc" })).toEqual({ prop: "premium", desc: true });
    expect(past({ sort: "id" })).toEqual({ prop: "id", desc: false });
    // Listed then, filtered by, but not sortable (no sort index): the default order, as for any sort the list cannot use.
    expect(past({ sort: "primaryCareProviderId", dir: "desc" })).toEqual({ prop: "fullName", desc: false });
    expect(parseListQuery(member, { sort: "tags" }, pastFields(member), pastSortFields(member)).filters).toEqual({});
    expect(parseListQuery(member, { "f.tags": "wellness" }, pastFields(member), pastSortFields(member)).filters).toEqual({
      tags: "wellness",
    });
    // Now, every listed column sorts.
    expect(parseListQuery(member, { sort: "primaryCareProviderId" }).sort).toEqual({ prop: "primaryCareProviderId", desc: false });
  });

  it("takes the first of repeated parameters", () => {
    expect(parseListQuery(member, { page: ["2", "9"], "f.plan": ["silver", "gold"] })).toMatchObject({
      page: 2,
      filters: { plan: "silver" },
    });
  });
});

describe("listHref", () => {
  it("leaves defaults out of the URL and keeps a stable order", () => {
    const query = parseListQuery(member, {});
    expect(listHref("/t/member", query, member.defaultSort)).toBe("/t/member");
    expect(
      listHref("/t/member", query, member.defaultSort, { sort: { prop: "premium", desc: true }, page: 2, filters: { plan: "gold" } }),
    ).toBe("/t/member?f.plan=gold&sort=premium&dir=desc&page=2");
  });

  it("round-trips through parseListQuery", () => {
    const query = parseListQuery(member, { page: "4", size: "100", sort: "dateOfBirth", dir: "asc", "f.premium": ">100", retired: "1" });
    const search = new URLSearchParams(listHref("/t/member", query, member.defaultSort).split("?")[1]);
    expect(parseListQuery(member, Object.fromEntries(search))).toEqual(query);
  });
});

describe("listSearch", () => {
  it("names every parameter of the view, null where the URL leaves it out, in the order of listHref", () => {
    const query = parseListQuery(member, { "f.plan": "gold", sort: "premium", dir: "desc", page: "3" });
    expect(
      listSearch({ ...query, filters: { plan: "gold", fullName: " " }, page: 1 }, member.defaultSort, ["fullName", "plan", "tags"]),
    ).toEqual({
      asOf: null,
      compareTo: null,
      changed: null,
      "f.fullName": null,
      "f.plan": "gold",
      "f.tags": null,
      retired: null,
      sort: "premium",
      dir: "desc",
      size: null,
      page: null,
    });
    expect(Object.keys(listSearch(query, member.defaultSort)).filter((k) => k.startsWith("f."))).toEqual(["f.plan"]);
  });
});

describe("parseValues for a create form", () => {
  it("says Required for blank required fields instead of a type error", () => {
    const result = parseValues(editableFields(member), { fullName: " ", plan: "", premium: "", primaryCareProviderId: "", tags: "" });
    expect(result).toEqual({ ok: false, errors: { fullName: "Required.", plan: "Required.", premium: "Required." } });
  });
});
