import { friend } from "@/db/schema";
import { create, tick, type TemporalDb } from "@temporal-records/drizzle";
import { day } from "./vocabulary";

/** The talk's example, exactly: three friends, seven changes, on their real dates. */
export async function seedFriends(db: TemporalDb) {
  const who = (at: string, reason: string) => ({ at: day(at), reason, actor: "joey@pycon2017.example", source: "talk" });
  const dave = await create(db, friend, { name: "Dave", location: "Tucson" }, who("2010-09-13", "Met Dave in Tucson"));
  await tick(db, friend, dave.id, { location: "San Francisco" }, who("2013-05-02", "Dave moved to San Francisco"));
  const rachel = await create(db, friend, { name: "Rachel", location: "New York" }, who("2014-10-08", "Met Rachel in New York"));
  const will = await create(db, friend, { name: "Will", location: "San Francisco" }, who("2015-09-22", "Met Will in San Francisco"));
  await tick(
    db,
    friend,
    rachel.id,
    { location: "San Francisco" },
    who("2016-01-08", "Rachel moved from New York to San Francisco for a new job"),
  );
  await tick(db, friend, dave.id, { location: "Berkeley" }, who("2016-08-19", "Dave moved across the bay to Berkeley"));
  await tick(db, friend, will.id, { location: "Oakland" }, who("2016-09-29", "Will moved to Oakland"));
}
