/**
 * The conformance suite every `Store` backend passes (memory, embedded, PostgreSQL):
 * the journal's idempotency and attempts, the inbox's claims, leases, retries, dead letters and
 * held events, and atomicity under concurrent callers. Every test uses keys of its own, so one
 * store instance serves the whole suite.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { type OperationKey, Store } from "../src/index.js"

let counter = 0
/** Keys no other test (or earlier run on a shared database) uses. */
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${(++counter).toString(36)}`

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds))
const cop = { amount: "120000.00", currency: "COP" }

const linkKey = (merchantId = unique("hotel")): OperationKey => ({
  merchantId,
  kind: "link",
  reference: unique("BK")
})

export const suite = (name: string, storeLayer: Layer.Layer<Store, unknown>) =>
  layer(storeLayer, { timeout: 60_000 })(`Store conformance: ${name}`, (it) => {
    describe("journal", () => {
      it.effect("begins a new operation, in flight, attempt 1", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = linkKey()
          expect(yield* store.begin(key, cop, at(0))).toEqual({ _tag: "Started", attempt: 1 })
          expect(yield* store.operation(key)).toMatchObject({
            ...key,
            ...cop,
            status: "in-flight",
            attempt: 1,
            open: false,
            provider: undefined,
            providerId: undefined,
            startedAt: at(0)
          })
        })
      )

      it.effect("answers a second begin with the operation as it stands", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = linkKey()
          yield* store.begin(key, cop, at(0))
          const again = yield* store.begin(key, { amount: "1.00", currency: "USD" }, at(1))
          expect(again).toMatchObject({ _tag: "Existing", operation: { status: "in-flight", ...cop } })
          const result = {
            id: "lnk_1",
            amount: { amount: "120000.00", currency: "COP" },
            nested: { ñ: ["é", 1, null] }
          }
          yield* store.finish(
            key,
            1,
            { status: "succeeded", provider: "memory", providerId: "lnk_1", result, open: true },
            at(2)
          )
          const done = yield* store.begin(key, cop, at(3))
          expect(done).toMatchObject({
            _tag: "Existing",
            operation: { status: "succeeded", provider: "memory", providerId: "lnk_1", result, open: true }
          })
        })
      )

      it.effect("begins a failed operation again, as a new attempt, and ignores an old attempt's outcome", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = linkKey()
          yield* store.begin(key, cop, at(0))
          yield* store.finish(key, 1, { status: "failed", error: { reason: "ProviderUnavailable" } }, at(1))
          expect((yield* store.operation(key))?.error).toEqual({ reason: "ProviderUnavailable" })
          expect(yield* store.begin(key, { amount: "130000.00", currency: "COP" }, at(2))).toEqual({
            _tag: "Started",
            attempt: 2
          })
          // The first attempt's late answer does not overwrite the second's record.
          yield* store.finish(key, 1, { status: "succeeded", providerId: "stale" }, at(3))
          expect(yield* store.operation(key)).toMatchObject({
            status: "in-flight",
            attempt: 2,
            amount: "130000.00",
            providerId: undefined,
            error: undefined
          })
          yield* store.finish(key, 2, { status: "unknown", error: { reason: "OutcomeUnknown" } }, at(4))
          expect(yield* store.begin(key, cop, at(5))).toMatchObject({
            _tag: "Existing",
            operation: { status: "unknown" }
          })
        })
      )

      it.effect("starts exactly one of many concurrent begins of one key", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = linkKey()
          const results = yield* Effect.all(
            Array.from({ length: 12 }, (_, i) => store.begin(key, cop, at(i))),
            { concurrency: "unbounded" }
          )
          expect(results.filter((r) => r._tag === "Started")).toHaveLength(1)
        })
      )

      it.effect("keeps merchants and kinds apart: the same reference is a different operation", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = linkKey()
          yield* store.begin(key, cop, at(0))
          expect((yield* store.begin({ ...key, kind: "charge" }, cop, at(0)))._tag).toBe("Started")
          expect((yield* store.begin({ ...key, merchantId: unique("other") }, cop, at(0)))._tag).toBe("Started")
          expect(yield* store.operation({ ...key, reference: unique("none") })).toBeUndefined()
        })
      )

      it.effect("finds an operation by the provider's id, for its merchant and kind only", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = linkKey()
          const providerId = unique("lnk")
          yield* store.begin(key, cop, at(0))
          yield* store.finish(key, 1, { status: "succeeded", provider: "placetopay", providerId }, at(1))
          expect(yield* store.operationByProviderId(key.merchantId, "link", providerId)).toMatchObject(key)
          expect(yield* store.operationByProviderId(key.merchantId, "charge", providerId)).toBeUndefined()
          expect(yield* store.operationByProviderId(unique("other"), "link", providerId)).toBeUndefined()
        })
      )

      it.effect("of two operations with one provider id, finds the one started last", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const merchantId = unique("hotel")
          // Begun in either order, so neither insertion order can pass for time order.
          for (const laterFirst of [false, true]) {
            const providerId = unique("lnk")
            const [earlier, later] = [linkKey(merchantId), linkKey(merchantId)]
            const begins = [store.begin(earlier, cop, at(10)), store.begin(later, cop, at(20))]
            yield* Effect.all(laterFirst ? begins.reverse() : begins)
            for (const key of [earlier, later])
              yield* store.finish(key, 1, { status: "succeeded", provider: "placetopay", providerId }, at(30))
            expect(yield* store.operationByProviderId(merchantId, "link", providerId)).toMatchObject(later)
          }
        })
      )

      it.effect("lists unknown operations, and ones in flight since before a time", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const merchantId = unique("hotel")
          const stuck = linkKey(merchantId)
          const fresh = linkKey(merchantId)
          const unknown = linkKey(merchantId)
          yield* store.begin(stuck, cop, at(0))
          yield* store.begin(fresh, cop, at(50))
          yield* store.begin(unknown, cop, at(50))
          yield* store.finish(unknown, 1, { status: "unknown" }, at(51))
          const listed = (yield* store.unknownOperations(at(30))).filter((op) => op.merchantId === merchantId)
          expect(listed.map((op) => op.reference).sort()).toEqual([stuck.reference, unknown.reference].sort())
        })
      )

      it.effect("lists open links, least recently looked at first, until closed", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const merchantId = unique("hotel")
          const keys = [linkKey(merchantId), linkKey(merchantId), linkKey(merchantId)]
          for (const key of keys) {
            yield* store.begin(key, cop, at(0))
            yield* store.finish(key, 1, { status: "succeeded", providerId: key.reference, open: true }, at(1))
          }
          const mine = Effect.map(store.openLinks(1000), (ops) =>
            ops.filter((op) => op.merchantId === merchantId).map((op) => op.reference)
          )
          yield* store.touchLink(keys[0]!, true, at(10))
          yield* store.touchLink(keys[1]!, true, at(5))
          expect(yield* mine).toEqual([keys[2]!.reference, keys[1]!.reference, keys[0]!.reference])
          yield* store.touchLink(keys[1]!, false, at(11))
          expect(yield* mine).toEqual([keys[2]!.reference, keys[0]!.reference])
        })
      )
    })

    describe("inbox", () => {
      const event = (key: string) => ({ dedupeKey: key, type: "payment.approved", amount: { amount: "1.00" } })
      const enqueue = (store: Store["Type"], key: string, now = at(0), held?: string) =>
        store.enqueue({ key, merchantId: "hotel-a", provider: "memory", event: event(key), held }, now)
      /** This test's entries among what `claim` returned (other tests' may be due too). */
      const only = (keys: ReadonlyArray<string>, claimed: ReadonlyArray<{ readonly key: string }>) =>
        claimed.filter((entry) => keys.includes(entry.key)).map((entry) => entry.key)

      it.effect("adds an event once; its key again is a duplicate", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = unique("evt")
          expect(yield* enqueue(store, key)).toBe("added")
          expect(yield* enqueue(store, key)).toBe("duplicate")
          expect(yield* store.entry(key)).toMatchObject({
            key,
            merchantId: "hotel-a",
            provider: "memory",
            event: event(key),
            status: "pending",
            attempts: 0,
            receivedAt: at(0)
          })
        })
      )

      it.effect("claims due events for a lease; a claimed one waits for its lease to run out", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = unique("evt")
          yield* enqueue(store, key)
          expect(only([key], yield* store.claim("a", 1000, at(1), at(31)))).toEqual([key])
          expect(only([key], yield* store.claim("b", 1000, at(2), at(32)))).toEqual([])
          // The owner died: after the lease, another takes it, and the first one's answer is ignored.
          const retaken = (yield* store.claim("b", 1000, at(40), at(70))).filter((e) => e.key === key)
          expect(retaken).toMatchObject([{ key, attempts: 2 }])
          yield* store.complete(key, "a", at(41))
          expect((yield* store.entry(key))?.status).toBe("pending")
          yield* store.complete(key, "b", at(42))
          expect(yield* store.entry(key)).toMatchObject({ status: "done", handledAt: at(42) })
          expect(only([key], yield* store.claim("c", 1000, at(100), at(130)))).toEqual([])
        })
      )

      it.effect("retries a failed event from its retry time, and dead-letters one with none", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = unique("evt")
          yield* enqueue(store, key)
          yield* store.claim("a", 1000, at(1), at(31))
          // Only the owner's failure counts: another process's is ignored.
          yield* store.fail(key, "b", "not its event", undefined, at(2))
          expect(yield* store.entry(key)).toMatchObject({ status: "pending", lastError: undefined })
          yield* store.fail(key, "a", "database down", at(20), at(2))
          expect(yield* store.entry(key)).toMatchObject({ status: "pending", lastError: "database down", attempts: 1 })
          expect(only([key], yield* store.claim("a", 1000, at(10), at(40)))).toEqual([])
          expect(only([key], yield* store.claim("a", 1000, at(20), at(50)))).toEqual([key])
          yield* store.fail(key, "a", "still down", undefined, at(21))
          expect(yield* store.entry(key)).toMatchObject({ status: "dead", lastError: "still down", attempts: 2 })
          expect((yield* store.entries("dead", 10_000)).map((e) => e.key)).toContain(key)
          expect(only([key], yield* store.claim("a", 1000, at(100), at(130)))).toEqual([])
          expect(yield* store.replay(key, at(101))).toBe(true)
          expect(yield* store.entry(key)).toMatchObject({ status: "pending", attempts: 0 })
          expect(only([key], yield* store.claim("a", 1000, at(101), at(131)))).toEqual([key])
          expect(yield* store.replay(key, at(102))).toBe(false)
        })
      )

      it.effect("never hands over a held event until it is replayed", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const key = unique("evt")
          yield* enqueue(store, key, at(0), "names no operation Pasarela created")
          expect(yield* store.entry(key)).toMatchObject({
            status: "held",
            heldReason: "names no operation Pasarela created"
          })
          expect(only([key], yield* store.claim("a", 1000, at(1), at(31)))).toEqual([])
          expect((yield* store.entries("held", 10_000)).map((e) => e.key)).toContain(key)
          expect(yield* store.replay(key, at(2))).toBe(true)
          expect(only([key], yield* store.claim("a", 1000, at(2), at(32)))).toEqual([key])
        })
      )

      it.effect("prunes what is finished and old, never what is still to do", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const done = unique("evt")
          const dead = unique("evt")
          const pending = unique("evt")
          for (const key of [done, dead, pending]) yield* enqueue(store, key, new Date(Date.UTC(2001, 0, 1)))
          const old = (s: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, s))
          yield* store.claim("a", 1000, old(1), old(30))
          yield* store.complete(done, "a", old(2))
          yield* store.fail(dead, "a", "gone", undefined, old(2))
          yield* store.fail(pending, "a", "again", old(3), old(2))
          const merchantId = unique("hotel")
          const closed = linkKey(merchantId)
          const open = linkKey(merchantId)
          const unknown = linkKey(merchantId)
          for (const key of [closed, open, unknown]) yield* store.begin(key, cop, old(0))
          yield* store.finish(closed, 1, { status: "succeeded", open: false }, old(1))
          yield* store.finish(open, 1, { status: "succeeded", open: true }, old(1))
          yield* store.finish(unknown, 1, { status: "unknown" }, old(1))
          const pruned = yield* store.prune(new Date(Date.UTC(2001, 0, 2)))
          expect(pruned.events).toBeGreaterThanOrEqual(1)
          expect(yield* store.entry(done)).toBeUndefined()
          expect((yield* store.entry(dead))?.status).toBe("dead")
          expect((yield* store.entry(pending))?.status).toBe("pending")
          expect(yield* store.operation(closed)).toBeUndefined()
          expect((yield* store.operation(open))?.status).toBe("succeeded")
          expect((yield* store.operation(unknown))?.status).toBe("unknown")
        })
      )

      it.effect("hands each event to exactly one of many concurrent claimers", () =>
        Effect.gen(function* () {
          const store = yield* Store
          const keys = Array.from({ length: 40 }, () => unique("evt"))
          for (const key of keys) yield* enqueue(store, key)
          const claims = yield* Effect.all(
            Array.from({ length: 8 }, (_, owner) =>
              Effect.map(store.claim(`owner-${owner}`, 7, at(1), at(60)), (claimed) => only(keys, claimed))
            ),
            { concurrency: "unbounded" }
          )
          const all = claims.flat()
          expect(new Set(all).size).toBe(all.length)
          // Whatever is left is claimed by the next round; nothing is lost.
          const rest = only(keys, yield* store.claim("late", 1000, at(2), at(60)))
          expect([...all, ...rest].sort()).toEqual([...keys].sort())
        })
      )
    })
  })
