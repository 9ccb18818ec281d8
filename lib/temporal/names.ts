/** Postgres truncates identifiers silently at 63 bytes; two long names could then collide. */
export const MAX_IDENTIFIER_BYTES = 63;

/** FNV-1a, 32 bit: small, deterministic, and the same on every platform. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * Returns `name` when it fits in 63 bytes, else a readable prefix plus a hash of the
 * whole name, so the result is deterministic and distinct names stay distinct.
 *
 * @example
 * shortIdentifier("friend_history_location") // "friend_history_location"
 * shortIdentifier("a".repeat(80))           // "aaaa…aaaa_3c4e9a0b" (63 bytes)
 */
export function shortIdentifier(name: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= MAX_IDENTIFIER_BYTES) return name;
  const suffix = `_${fnv1a(name)}`;
  const budget = MAX_IDENTIFIER_BYTES - suffix.length;
  let prefix = "";
  for (const char of name) {
    if (encoder.encode(prefix + char).length > budget) break;
    prefix += char;
  }
  return prefix + suffix;
}

/** Double-quotes an identifier for generated DDL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"` or `"name"`. */
export function qualified(schema: string | undefined, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** A single-quoted SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
