/**
 * The table view keeps all of its state in the URL:
 * `?page=&size=&sort=<prop>&dir=asc|desc&f.<prop>=<text>&retired=1`, and the moments it is read at
 * (`asOf=&compareTo=&changed=1`, parsed with their messages in ./as-of-params.ts).
 * Parsed with zod; a bad value falls back to its default instead of failing the page.
 * Pure: the URL builders are shared by the server page and the client grid.
 */
import { z } from "zod";
import type { AdminTable, Field } from "./registry";

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
const MAX_FILTER_LENGTH = 200;

export type SearchParams = Record<string, string | string[] | undefined>;
export type SortOrder = { prop: string; desc: boolean };

/** A table view's state: which page of which filtered, sorted list. */
export type ListQuery = {
  page: number;
  pageSize: number;
  sort: SortOrder;
  filters: Record<string, string>;
  includeRetired: boolean;
  /** The table as it was at this moment (ISO 8601, as the URL has it); absent: now. */
  asOf?: string;
  /** Compared with the table at this moment. */
  compareTo?: string;
  /** In compare mode, only the rows that changed in between. */
  changedOnly?: boolean;
};

const firstOf = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/** The fields a table view lists, sorts and filters by. */
export function listedFields(admin: AdminTable): Field[] {
  return admin.fields.filter((f) => f.listed);
}

/** The fields a past table view lists: a column whose past is not kept (untracked) cannot be shown as it was. */
export function pastFields(admin: AdminTable): Field[] {
  return listedFields(admin).filter((f) => f.tracked || admin.key.includes(f));
}

/** The fields a past table view sorts by: the key and the sortable properties, which the library reads from an index. */
export function pastSortFields(admin: AdminTable): Field[] {
  return pastFields(admin).filter((f) => f.pastSortable);
}

function listQuerySchema(fields: Field[], sortFields: Field[]) {
  const listed = new Set(fields.map((f) => f.prop));
  const sortable = new Set(sortFields.map((f) => f.prop));
  const filterText = z.preprocess(firstOf, z.string().trim().max(MAX_FILTER_LENGTH)).catch("");
  return z.object({
    page: z.preprocess(firstOf, z.coerce.number().int().min(1).max(10_000_000)).catch(1),
    size: z.preprocess(firstOf, z.coerce.number().pipe(z.literal(PAGE_SIZES))).catch(DEFAULT_PAGE_SIZE),
    sort: z
      .preprocess(
        firstOf,
        z
          .string()
          .refine((prop) => sortable.has(prop))
          .optional(),
      )
      .catch(undefined),
    dir: z.preprocess(firstOf, z.enum(["asc", "desc"]).optional()).catch(undefined),
    retired: z.preprocess(firstOf, z.literal("1").optional()).catch(undefined),
    filters: z.object(Object.fromEntries([...listed].map((prop) => [prop, filterText]))),
  });
}

/**
 * Reads a table view's URL into a list query (filtering by `fields`, sorting by `sortFields`, by default the same);
 * never throws: a sort it cannot use falls back to the default.
 */
export function parseListQuery(
  admin: AdminTable,
  params: SearchParams,
  fields: Field[] = listedFields(admin),
  sortFields: Field[] = fields,
): ListQuery {
  const filters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name.startsWith("f.")) filters[name.slice(2)] = value;
  }
  const parsed = listQuerySchema(fields, sortFields).parse({ ...params, filters });
  const sortable = sortFields.some((f) => f.prop === admin.defaultSort.prop);
  const fallback = sortable ? admin.defaultSort : { prop: admin.key[0]!.prop, desc: false };
  const sort = parsed.sort ? { prop: parsed.sort, desc: parsed.dir === "desc" } : fallback;
  return {
    page: parsed.page,
    pageSize: parsed.size,
    sort,
    filters: Object.fromEntries(Object.entries(parsed.filters as Record<string, string>).filter(([, text]) => text !== "")),
    includeRetired: parsed.retired === "1",
  };
}

/**
 * The query as URL parameters in a stable order, `null` for each one at its default
 * (left out of the URL). `filterProps` names filters to clear when the query has none
 * for them. The one description of the URL: links are built from it, and the client
 * writes it to the address bar as it is.
 */
export function listSearch(query: ListQuery, defaultSort: SortOrder, filterProps: string[] = []): Record<string, string | null> {
  const search: Record<string, string | null> = {};
  for (const prop of filterProps) search[`f.${prop}`] = null;
  for (const [prop, text] of Object.entries(query.filters)) search[`f.${prop}`] = text.trim() === "" ? null : text;
  const sorted = query.sort.prop !== defaultSort.prop || query.sort.desc !== defaultSort.desc;
  return {
    asOf: query.asOf ?? null,
    compareTo: query.asOf && query.compareTo ? query.compareTo : null,
    changed: query.asOf && query.compareTo && query.changedOnly ? "1" : null,
    ...search,
    retired: query.includeRetired ? "1" : null,
    sort: sorted ? query.sort.prop : null,
    dir: sorted ? (query.sort.desc ? "desc" : "asc") : null,
    size: query.pageSize !== DEFAULT_PAGE_SIZE ? String(query.pageSize) : null,
    page: query.page > 1 ? String(query.page) : null,
  };
}

/** The query's URL parameters, defaults left out, in a stable order. */
export function listParams(query: ListQuery, defaultSort: SortOrder): [string, string][] {
  return Object.entries(listSearch(query, defaultSort)).filter((entry): entry is [string, string] => entry[1] !== null);
}

/** The URL of a table view with some of its state changed. */
export function listHref(path: string, query: ListQuery, defaultSort: SortOrder, change: Partial<ListQuery> = {}): string {
  const search = new URLSearchParams(listParams({ ...query, ...change }, defaultSort)).toString();
  return search ? `${path}?${search}` : path;
}
