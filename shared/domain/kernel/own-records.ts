/**
 * Maps keyed by caller-chosen names (tags, params, latest metrics), as plain records that are safe for every key.
 * A plain `{}` swallows `obj['__proto__'] = v` and answers `obj['toString']` with Object.prototype's function, so
 * such a record is built here with a null prototype (assignment then always makes an own property) and read with
 * `ownValue` (never an inherited member, whatever prototype the record has). Spreads, Object.entries/keys/fromEntries
 * and JSON already deal only in own properties.
 */
export const recordOf = <V>(entries: Iterable<readonly [string, V]> = []): Record<string, V> => {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return record;
};

/** The value under `key` when the record itself has it; undefined otherwise (never an inherited member). */
export const ownValue = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** A copy with `key` set to `value`. */
export const withEntry = <V>(record: Readonly<Record<string, V>>, key: string, value: V): Record<string, V> =>
  recordOf([...Object.entries(record), [key, value]]);

/** A copy without `key`. */
export const withoutKey = <V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> =>
  recordOf(Object.entries(record).filter(([k]) => k !== key));
