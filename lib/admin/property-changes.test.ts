/** The changes page's read on the committed migrations with the talk's friends (db/seed/friends.ts). */
import { beforeAll, describe, expect, it } from "vitest";
import { seedFriends } from "@/db/seed/friends";
import { appSchema, withTestDb } from "@/db/tests/database";
import { parseChangesParams } from "./changes-params";
import { loadPropertyChanges } from "./property-changes";
import { adminTable } from "./registry";

const friends = adminTable("friend")!;
const database = withTestDb(appSchema);
beforeAll(async () => {
  await seedFriends(database.db);
});

const load = (raw: Record<string, string>) => loadPropertyChanges(database.db, friends, parseChangesParams(friends, raw, "UTC"));

describe("loadPropertyChanges", () => {
  it("lists a property's changes across records, newest first, with each record's title and link and the activity", async () => {
    const page = await load({ property: "location", from: "2013-01-01T00:00:00Z", to: "2016-09-01T00:00:00Z" });
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((c) => [c.title, c.href, c.vclock, c.before, c.after, c.activity.reason])).toEqual([
      ["Dave", "/t/friend/1", 3, "San Francisco", "Berkeley", "Dave moved across the bay to Berkeley"],
      ["Rachel", "/t/friend/2", 2, "New York", "San Francisco", "Rachel moved from New York to San Francisco for a new job"],
      ["Will", "/t/friend/3", 1, undefined, "San Francisco", "Met Will in San Francisco"],
      ["Rachel", "/t/friend/2", 1, undefined, "New York", "Met Rachel in New York"],
      ["Dave", "/t/friend/1", 2, "Tucson", "San Francisco", "Dave moved to San Francisco"],
    ]);
    expect(page.items[0]!.activity).toMatchObject({
      actor: "joey@pycon2017.example",
      source: "talk",
      at: new Date("2016-08-19T15:00:00Z"),
    });
  });

  it("keeps only one actor's changes", async () => {
    expect((await load({ property: "name", actor: "joey@pycon2017.example" })).items.map((c) => c.after)).toEqual([
      "Will",
      "Rachel",
      "Dave",
    ]);
    expect((await load({ property: "name", actor: "someone-else" })).items).toEqual([]);
  });
});
