/**
 * Remembers which notifications were handled, by their events' dedupe keys, so a re-delivery
 * (Autocore re-sends every 30 minutes until answered 200) reaches the application once.
 *
 * A key is claimed for a lease while the application's handler runs: a second delivery of the same
 * event in that time is told the first is still in progress (the endpoint answers it with a non-200,
 * so the gateway delivers again later) instead of being answered 200 for work that may yet fail.
 * The handler's success completes the key; its failure, or the lease running out, frees it.
 *
 * Pluggable: provide your own (Redis, a table with a unique key) to share it between processes.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** What a claim found: the key is now yours, someone else's for a while, or handled already. */
export type Claim = "claimed" | "in-progress" | "done"

export interface DedupeStoreShape {
  /**
   * Claims `key` for `lease`: `claimed` the first time, or once an earlier claim was released or
   * its lease ran out (handle it); `in-progress` while another claim holds it; `done` once handled.
   */
  readonly claim: (key: string, lease: Duration.DurationInput) => Effect.Effect<Claim>
  /** Marks a claimed key handled: later deliveries are duplicates. */
  readonly complete: (key: string) => Effect.Effect<void>
  /** Gives a claim back after the handler failed, so the provider's next delivery is handled. */
  readonly release: (key: string) => Effect.Effect<void>
}

export class DedupeStore extends Context.Tag("pasarela/DedupeStore")<DedupeStore, DedupeStoreShape>() {}

/**
 * An in-process store keeping the most recent `capacity` handled keys (oldest forgotten first):
 * enough for one process; a duplicate arriving after that many newer events is handled again.
 * Keys being handled are kept until completed, released or past their lease.
 */
export const makeMemory = (capacity = 100_000): DedupeStoreShape => {
  const done = new Set<string>()
  /** Key → the time its claim's lease ends. */
  const inProgress = new Map<string, number>()
  return {
    claim: (key, lease) =>
      Effect.map(Clock.currentTimeMillis, (now): Claim => {
        if (done.has(key)) return "done"
        const until = inProgress.get(key)
        if (until !== undefined && until > now) return "in-progress"
        inProgress.set(key, now + Duration.toMillis(lease))
        return "claimed"
      }),
    complete: (key) =>
      Effect.sync(() => {
        inProgress.delete(key)
        done.add(key)
        if (done.size > capacity) done.delete(done.values().next().value as string)
      }),
    release: (key) => Effect.sync(() => void inProgress.delete(key))
  }
}

export const layerMemory = (capacity?: number) => Layer.sync(DedupeStore, () => makeMemory(capacity))
