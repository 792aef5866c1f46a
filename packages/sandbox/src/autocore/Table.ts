/**
 * A persistent map that remembers the order its keys were first added in: the simulator's records
 * are never removed and are listed oldest first. Adding or replacing a record costs the same
 * however many there are (a copied `Map` cost one step per record, which made long runs slow).
 */
import * as Chunk from "effect/Chunk"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"

export interface Table<K, V> {
  readonly byKey: HashMap.HashMap<K, V>
  readonly order: Chunk.Chunk<K>
}

export const empty = <K, V>(): Table<K, V> => ({ byKey: HashMap.empty(), order: Chunk.empty() })

export const get = <K, V>(table: Table<K, V>, key: K): V | undefined =>
  Option.getOrUndefined(HashMap.get(table.byKey, key))

export const has = <K, V>(table: Table<K, V>, key: K): boolean => HashMap.has(table.byKey, key)

/** Adds `value` under `key`, or replaces it keeping its place. */
export const set = <K, V>(table: Table<K, V>, key: K, value: V): Table<K, V> => ({
  byKey: HashMap.set(table.byKey, key, value),
  order: HashMap.has(table.byKey, key) ? table.order : Chunk.append(table.order, key)
})

/** Every value, oldest key first. */
export const values = <K, V>(table: Table<K, V>): Array<V> =>
  Chunk.toReadonlyArray(table.order).map((key) => get(table, key) as V)
