/**
 * What the server's reads hand to the components: a record's current values, and
 * the names of the records its reference fields point to. Types only, so client
 * and server components alike may import them.
 */

/** A record's current values, keyed by property. */
export type Row = Record<string, unknown>;

/** Names of referenced records: `labels[prop].get(String(id))`. */
export type Labels = Record<string, Map<string, string>>;
