/** Which columns of tableAsOf's `then` alias a caller's filter or order reads (the analysis behind its two stages). */
import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { alias, QueryBuilder } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { referencedColumns } from "../sql-columns";
import { enrollment, friend } from "./fixtures";

const then = alias(friend, "then");
const columns = ["id", "name", "location", "nickname", "vclock", "retired"];
const read = (...expressions: unknown[]) => {
  const found = referencedColumns(expressions, "then", columns);
  return found && [...found].sort();
};

describe("referencedColumns", () => {
  it("finds the alias's columns in Drizzle operators, nested conditions and SQL templates", () => {
    expect(read(eq(then.location, "Oslo"), desc(then.name))).toEqual(["location", "name"]);
    expect(read(and(or(isNull(then.nickname), inArray(then.location, ["a", "b"])), sql`lower(${then.name}) < ${new Date(0)}`))).toEqual([
      "location",
      "name",
      "nickname",
    ]);
    expect(read([asc(then.vclock)], undefined)).toEqual(["vclock"]);
    expect(read(sql`CASE WHEN ${then.retired} THEN 0 ELSE 1 END`, sql.placeholder("p"))).toEqual(["retired"]);
  });

  it("ignores columns of other tables, and finds the alias's columns inside a subquery", () => {
    expect(read(eq(friend.location, "Oslo"))).toEqual([]);
    const members = new QueryBuilder()
      .select({ one: sql`1` })
      .from(enrollment)
      .where(eq(enrollment.memberId, then.id));
    expect(read(sql`EXISTS (${members})`)).toEqual(["id"]);
  });

  it("reads unqualified column names in raw SQL as the alias's columns", () => {
    expect(read(sql`location IS NULL OR Name = 'x'`)).toEqual(["location", "name"]);
    expect(read(sql`${sql.identifier("nickname")} IS NULL`)).toEqual(["nickname"]);
  });

  it("cannot tell when raw SQL quotes an identifier or names the alias itself", () => {
    expect(read(sql`"then"."location" = 'Oslo'`)).toBeNull();
    expect(read(sql`${sql.identifier("then")}.${sql.identifier("location")} = 'Oslo'`)).toBeNull();
    expect(read(sql`row_to_json(${then}) IS NOT NULL`)).toBeNull();
    expect(read(eq(then.name, "a"), sql.raw(`"location" = 'Oslo'`))).toBeNull();
  });
});
