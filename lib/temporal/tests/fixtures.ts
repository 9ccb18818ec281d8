/** Tables the library's own tests run against: every column type, a composite key, a separate history schema. */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  pgEnum,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { temporalTable } from "../index";
import { int4range } from "../columns";

export const friend = temporalTable(
  "friend",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    location: text("location"),
    nickname: text("nickname"),
  },
  { track: ["name", "location"] },
);

export const mood = pgEnum("mood", ["happy", "ok", "sad"]);

export const sink = temporalTable(
  "kitchen_sink",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    count: integer("count").notNull().default(0),
    small: smallint("small"),
    big: bigint("big", { mode: "bigint" }),
    price: numeric("price", { precision: 10, scale: 2 }),
    ratio: doublePrecision("ratio"),
    active: boolean("active").notNull().default(true),
    label: text("label"),
    code: varchar("code", { length: 8 }),
    mood: mood("mood"),
    ref: uuid("ref"),
    seenAt: timestamp("seen_at", { withTimezone: true }),
    bornOn: date("born_on", { mode: "string" }),
    data: jsonb("data").$type<Record<string, unknown>>(),
    tags: text("tags").array(),
    span: int4range("span"),
    friendId: integer("friend_id").references(() => friend.id),
    stamp: text("stamp")
      .notNull()
      .default(sql`'server-' || 'default'`),
    note: text("note"),
  },
  {
    track: [
      "count",
      "small",
      "big",
      "price",
      "ratio",
      "active",
      "label",
      "code",
      "mood",
      "ref",
      "seenAt",
      "bornOn",
      "data",
      "tags",
      "span",
      "friendId",
      "stamp",
    ],
  },
);

export const enrollment = temporalTable(
  "enrollment",
  {
    memberId: integer("member_id").notNull(),
    year: integer("year").notNull(),
    plan: text("plan").notNull(),
    premium: numeric("premium", { precision: 10, scale: 2 }),
  },
  {
    track: ["plan", "premium"],
    schema: "audit",
    extraConfig: (t) => [primaryKey({ columns: [t.memberId, t.year] })],
  },
);

export const longNamed = temporalTable(
  "a_table_with_a_name_long_enough_to_push_generated_identifiers",
  {
    id: integer("id").primaryKey(),
    aPropertyWithAnEvenLongerNameThanTheTable: text("a_property_with_an_even_longer_name_than_the_table"),
  },
  { track: ["aPropertyWithAnEvenLongerNameThanTheTable"] },
);

export const fixtureSchema = { friend, mood, sink, enrollment, longNamed };
export const fixtureTables = [friend, sink, enrollment, longNamed];
