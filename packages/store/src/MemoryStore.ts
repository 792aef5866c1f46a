/**
 * The store in the process's memory: the same behaviour as the SQL backends, for tests and for a
 * single process that accepts forgetting everything on restart.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  type Begun,
  type InboxEntry,
  type Operation,
  type OperationKey,
  type OperationKind,
  Store,
  type StoreShape
} from "./Store.js"

const keyOf = (key: OperationKey) => JSON.stringify([key.merchantId, key.kind, key.reference])

interface Claimable extends InboxEntry {
  readonly owner: string | undefined
  readonly leaseUntil: Date | undefined
}

const publicEntry = ({ owner: _, leaseUntil: __, ...entry }: Claimable): InboxEntry => entry

export const make = (): StoreShape => {
  const operations = new Map<string, Operation>()
  /** When each open link was last looked at. */
  const touched = new Map<string, number>()
  const inbox = new Map<string, Claimable>()

  /** Ends `owner`'s claim of a pending event with `changes`; any other event is left as it is. */
  const release = (key: string, owner: string, changes: Partial<InboxEntry>) =>
    Effect.sync(() => {
      const entry = inbox.get(key)
      if (entry?.owner === owner && entry.status === "pending") {
        inbox.set(key, { ...entry, ...changes, owner: undefined, leaseUntil: undefined })
      }
    })

  return {
    begin: (key, money, now) =>
      Effect.sync((): Begun => {
        const existing = operations.get(keyOf(key))
        if (existing !== undefined && existing.status !== "failed") return { _tag: "Existing", operation: existing }
        const attempt = (existing?.attempt ?? 0) + 1
        operations.set(keyOf(key), {
          ...key,
          ...money,
          status: "in-flight",
          attempt,
          provider: undefined,
          providerId: undefined,
          result: undefined,
          error: undefined,
          open: false,
          startedAt: now,
          updatedAt: now
        })
        return { _tag: "Started", attempt }
      }),
    finish: (key, attempt, outcome, now) =>
      Effect.sync(() => {
        const existing = operations.get(keyOf(key))
        if (existing === undefined || existing.attempt !== attempt) return
        operations.set(keyOf(key), {
          ...existing,
          status: outcome.status,
          provider: outcome.provider ?? existing.provider,
          providerId: outcome.providerId ?? existing.providerId,
          result: outcome.result,
          error: outcome.error,
          open: outcome.open ?? false,
          updatedAt: now
        })
      }),
    operation: (key) => Effect.sync(() => operations.get(keyOf(key))),
    operationByProviderId: (merchantId: string, kind: OperationKind, providerId: string) =>
      Effect.sync(() =>
        // The one started last, as the SQL backend orders them.
        [...operations.values()]
          .filter((op) => op.merchantId === merchantId && op.kind === kind && op.providerId === providerId)
          .reduce<Operation | undefined>(
            (last, op) => (last === undefined || op.startedAt > last.startedAt ? op : last),
            undefined
          )
      ),
    unknownOperations: (startedBefore) =>
      Effect.sync(() =>
        [...operations.values()].filter(
          (op) => op.status === "unknown" || (op.status === "in-flight" && op.startedAt < startedBefore)
        )
      ),
    openLinks: (limit) =>
      Effect.sync(() =>
        [...operations.values()]
          .filter((op) => op.kind === "link" && op.status === "succeeded" && op.open)
          .sort((a, b) => (touched.get(keyOf(a)) ?? 0) - (touched.get(keyOf(b)) ?? 0))
          .slice(0, limit)
      ),
    touchLink: (key, open, now) =>
      Effect.sync(() => {
        const existing = operations.get(keyOf(key))
        if (existing === undefined) return
        touched.set(keyOf(key), now.getTime())
        operations.set(keyOf(key), { ...existing, open, updatedAt: now })
      }),

    enqueue: (entry, now) =>
      Effect.sync(() => {
        if (inbox.has(entry.key)) return "duplicate" as const
        inbox.set(entry.key, {
          key: entry.key,
          merchantId: entry.merchantId,
          provider: entry.provider,
          event: entry.event,
          status: entry.held === undefined ? "pending" : "held",
          attempts: 0,
          nextAttemptAt: now,
          lastError: undefined,
          heldReason: entry.held,
          receivedAt: now,
          handledAt: undefined,
          owner: undefined,
          leaseUntil: undefined
        })
        return "added" as const
      }),
    claim: (owner, limit, now, leaseUntil) =>
      Effect.sync(() => {
        const due = [...inbox.values()]
          .filter(
            (e) =>
              e.status === "pending" && e.nextAttemptAt <= now && (e.leaseUntil === undefined || e.leaseUntil <= now)
          )
          .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
          .slice(0, limit)
        for (const entry of due) inbox.set(entry.key, { ...entry, owner, leaseUntil, attempts: entry.attempts + 1 })
        return due.map((entry) => publicEntry(inbox.get(entry.key)!))
      }),
    complete: (key, owner, now) => release(key, owner, { status: "done", handledAt: now }),
    fail: (key, owner, error, retryAt, now) =>
      release(key, owner, {
        status: retryAt === undefined ? "dead" : "pending",
        nextAttemptAt: retryAt ?? now,
        lastError: error
      }),
    entry: (key) =>
      Effect.sync(() => {
        const entry = inbox.get(key)
        return entry === undefined ? undefined : publicEntry(entry)
      }),
    entries: (status, limit) =>
      Effect.sync(() =>
        [...inbox.values()]
          .filter((e) => e.status === status)
          .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
          .slice(0, limit)
          .map(publicEntry)
      ),
    prune: (before) =>
      Effect.sync(() => {
        let events = 0
        for (const [key, entry] of inbox) {
          if (entry.status === "done" && entry.handledAt !== undefined && entry.handledAt < before) {
            inbox.delete(key)
            events++
          }
        }
        let pruned = 0
        for (const [key, op] of operations) {
          if ((op.status === "succeeded" || op.status === "failed") && !op.open && op.updatedAt < before) {
            operations.delete(key)
            touched.delete(key)
            pruned++
          }
        }
        return { events, operations: pruned }
      }),
    replay: (key, now) =>
      Effect.sync(() => {
        const entry = inbox.get(key)
        if (entry === undefined || (entry.status !== "dead" && entry.status !== "held")) return false
        inbox.set(key, {
          ...entry,
          status: "pending",
          attempts: 0,
          nextAttemptAt: now,
          heldReason: undefined,
          owner: undefined,
          leaseUntil: undefined
        })
        return true
      })
  }
}

export const layer: Layer.Layer<Store> = Layer.sync(Store, make)
