/** PL/pgSQL functions and the pieces their bodies share: refusals, and listing an activity as one that ticked. */
import { DEFINER_SEARCH_PATH, TICKED_SETTING } from "./capture-settings";
import { quoteLiteral } from "./names";

export const list = (items: string[]) => items.join(", ");

export const raise = (code: string, message: string) =>
  `RAISE EXCEPTION USING ERRCODE = ${quoteLiteral(code)}, MESSAGE = ${quoteLiteral(message)}`;

/**
 * `definer`: runs as the function's owner (the role that migrates), with a pinned search path, so the
 * role the app connects as needs no write privilege on clock, history or activity rows. A definer
 * function is returned with the REVOKE that keeps anyone from attaching it to a table of their own.
 */
export function plpgsql(name: string, returns: string, body: string, options: { definer?: boolean } = {}): string {
  const security = options.definer ? ` SECURITY DEFINER SET search_path = ${DEFINER_SEARCH_PATH}` : "";
  return `CREATE OR REPLACE FUNCTION ${name}(${returns === "trigger" ? "" : returns}) RETURNS ${returns === "trigger" ? "trigger" : "record"} LANGUAGE plpgsql${security} AS $temporal$\n${body}\n$temporal$`;
}

export const definer = (name: string, body: string): string[] => [
  plpgsql(name, "trigger", body, { definer: true }),
  `REVOKE EXECUTE ON FUNCTION ${name}() FROM PUBLIC`,
];

/** Lists an activity as one that ticked in this transaction (see TICKED_SETTING), once. */
export const markTicked = (id: string) => {
  const list = `current_setting(${quoteLiteral(TICKED_SETTING)}, true)`;
  return `IF strpos(coalesce(${list}, ''), ',' || ${id} || ',') = 0 THEN
    PERFORM set_config(${quoteLiteral(TICKED_SETTING)}, coalesce(nullif(${list}, ''), ',') || ${id} || ',', true);
  END IF;`;
};

/** The call of temporal_refuse (a trigger function that raises `code` with `message`) for a CREATE TRIGGER. */
export function refuse(code: string, message: string): string {
  return `temporal_refuse(${quoteLiteral(code)}, ${quoteLiteral(message)})`;
}
