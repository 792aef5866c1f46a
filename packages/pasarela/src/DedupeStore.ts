/**
 * Remembers which notifications were handled, by their events' dedupe keys, so a re-delivery
 * (Autocore re-sends every 30 minutes until answered 200) reaches the application once. Pluggable:
 * provide your own (Redis, a database table with a unique key) for several processes.
 */
import { Context, Effect, Layer } from "effect"

export interface DedupeStoreShape {
  /** Claims `key`: true the first time (handle it), false if already claimed (a duplicate). */
  readonly claim: (key: string) => Effect.Effect<boolean>
  /** Gives a claim back after the handler failed, so the provider's next delivery is handled. */
  readonly release: (key: string) => Effect.Effect<void>
}

export class DedupeStore extends Context.Tag("pasarela/DedupeStore")<DedupeStore, DedupeStoreShape>() {}

/**
 * An in-process store keeping the most recent `capacity` keys (oldest forgotten first): enough for
 * one process; a duplicate arriving after that many newer events is handled again.
 */
export const makeMemory = (capacity = 100_000): DedupeStoreShape => {
  const keys = new Set<string>()
  return {
    claim: (key) =>
      Effect.sync(() => {
        if (keys.has(key)) return false
        keys.add(key)
        if (keys.size > capacity) keys.delete(keys.values().next().value as string)
        return true
      }),
    release: (key) => Effect.sync(() => void keys.delete(key))
  }
}

export const layerMemory = (capacity?: number) => Layer.sync(DedupeStore, () => makeMemory(capacity))
