/**
 * What a payment needs to survive a crash, a deploy or a second instance, as one service:
 *
 * - the **operation journal**: every create (link, charge, cash order, gift card) is begun before
 *   its request is sent and finished with its outcome, keyed by merchant, kind and reference — the
 *   reference is the idempotency key;
 * - the **inbox**: verified events, unique on their dedupe key, claimed by a dispatcher for a lease,
 *   completed, retried with backoff, dead-lettered, or held as suspicious.
 *
 * Backends: `MemoryStore` (one process, forgets on restart: tests), `SqlStore` over any PostgreSQL
 * `SqlClient` — embedded (`EmbeddedStore`, PGlite: no server) or a PostgreSQL server
 * (`PostgresStore`, several processes). Every backend passes the same conformance suite.
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"

/** What an operation creates. */
export type OperationKind = "link" | "charge" | "order" | "giftCard"
export const operationKinds: ReadonlyArray<OperationKind> = ["link", "charge", "order", "giftCard"]

/** An operation's identity: the reference is the idempotency key, per merchant and kind. */
export interface OperationKey {
  readonly merchantId: string
  readonly kind: OperationKind
  readonly reference: string
}

/**
 * - `in-flight`: begun, its outcome not recorded (still running — or the process died: see `unknown`)
 * - `succeeded`: the provider created it; `result` holds what it answered
 * - `failed`: proven not to have happened; the same reference may be sent again
 * - `unknown`: it may have happened; sending it again could duplicate it
 */
export type OperationStatus = "in-flight" | "succeeded" | "failed" | "unknown"

export interface Operation extends OperationKey {
  /** Decimal text, as `Money.toFixed` writes it. */
  readonly amount: string
  readonly currency: string
  readonly status: OperationStatus
  /** How many times it was begun (a failed one may be begun again). */
  readonly attempt: number
  /** The provider that answered, once known. */
  readonly provider: string | undefined
  /** The provider's id of what was created (link id, transaction id, gift-card code). */
  readonly providerId: string | undefined
  /** The result as JSON (the neutral `PaymentLinkJson`, `ChargeJson`…), once succeeded. */
  readonly result: unknown
  /** Why it failed or is unknown: `{ reason, message }`. */
  readonly error: unknown
  /** A link the reconciler should still look at (not yet paid, expired or disabled). */
  readonly open: boolean
  readonly startedAt: Date
  readonly updatedAt: Date
}

/** What `begin` found. */
export type Begun =
  /** Recorded as in flight (new, or a failed one begun again): send it. */
  | { readonly _tag: "Started"; readonly attempt: number }
  /** Already there and not failed: the caller decides (return the result, refuse, report unknown). */
  | { readonly _tag: "Existing"; readonly operation: Operation }

export interface Outcome {
  readonly status: "succeeded" | "failed" | "unknown"
  readonly provider?: string | undefined
  readonly providerId?: string | undefined
  readonly result?: unknown
  readonly error?: unknown
  readonly open?: boolean | undefined
}

/** An event waiting for, or done with, the application's handler. */
export type InboxStatus =
  /** To be handled (again, from `nextAttemptAt`). */
  | "pending"
  | "done"
  /** Failed `maxAttempts` times: kept for a person to look at and replay. */
  | "dead"
  /** Not handed over: it names no operation Pasarela created, or disagrees with it. */
  | "held"

export interface InboxEntry {
  /** The event's dedupe key. */
  readonly key: string
  readonly merchantId: string
  readonly provider: string
  /** The event as JSON (`PaymentEventJson`). */
  readonly event: unknown
  readonly status: InboxStatus
  readonly attempts: number
  readonly nextAttemptAt: Date
  readonly lastError: string | undefined
  /** Why it is held. */
  readonly heldReason: string | undefined
  readonly receivedAt: Date
  readonly handledAt: Date | undefined
}

export interface NewEntry {
  readonly key: string
  readonly merchantId: string
  readonly provider: string
  readonly event: unknown
  /** `held` with a reason keeps it from the handler. Default `pending`. */
  readonly held?: string | undefined
}

/** The store could not be reached or answered something unexpected. */
export class StoreError extends Data.TaggedError("StoreError")<{
  readonly operation: string
  readonly cause: unknown
}> {
  override get message() {
    const cause = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return `the store failed to ${this.operation}: ${cause}`
  }
}

export interface StoreShape {
  // ---- journal

  /**
   * Records `key` as in flight, unless it is already there and not failed: then returns it as is.
   * Atomic: of two concurrent `begin`s of one key, one starts and the other sees it in flight.
   */
  readonly begin: (
    key: OperationKey,
    money: { readonly amount: string; readonly currency: string },
    now: Date
  ) => Effect.Effect<Begun, StoreError>
  /** Records the outcome of attempt `attempt` (a later attempt's record is never overwritten). */
  readonly finish: (key: OperationKey, attempt: number, outcome: Outcome, now: Date) => Effect.Effect<void, StoreError>
  readonly operation: (key: OperationKey) => Effect.Effect<Operation | undefined, StoreError>
  /** The operation that created `providerId` (a link id, a transaction id) for this merchant. */
  readonly operationByProviderId: (
    merchantId: string,
    kind: OperationKind,
    providerId: string
  ) => Effect.Effect<Operation | undefined, StoreError>
  /** Operations `unknown`, or `in-flight` since before `startedBefore` (their process is gone). */
  readonly unknownOperations: (startedBefore: Date) => Effect.Effect<ReadonlyArray<Operation>, StoreError>
  /** Succeeded links still open, least recently looked at first. */
  readonly openLinks: (limit: number) => Effect.Effect<ReadonlyArray<Operation>, StoreError>
  /** Marks a link looked at (`open` false once it is paid, expired or disabled). */
  readonly touchLink: (key: OperationKey, open: boolean, now: Date) => Effect.Effect<void, StoreError>

  // ---- inbox

  /** Adds an event unless its key is there already. */
  readonly enqueue: (entry: NewEntry, now: Date) => Effect.Effect<"added" | "duplicate", StoreError>
  /**
   * Claims up to `limit` pending events due by `now` whose lease (if any) has run out, for `owner`
   * until `leaseUntil`. On PostgreSQL, two processes never claim the same event at once.
   */
  readonly claim: (
    owner: string,
    limit: number,
    now: Date,
    leaseUntil: Date
  ) => Effect.Effect<ReadonlyArray<InboxEntry>, StoreError>
  /** The handler succeeded. Ignored unless `owner` still holds the claim. */
  readonly complete: (key: string, owner: string, now: Date) => Effect.Effect<void, StoreError>
  /** The handler failed: pending again from `retryAt`, or dead when `retryAt` is undefined. */
  readonly fail: (
    key: string,
    owner: string,
    error: string,
    retryAt: Date | undefined,
    now: Date
  ) => Effect.Effect<void, StoreError>
  readonly entry: (key: string) => Effect.Effect<InboxEntry | undefined, StoreError>
  /** Events with this status, oldest first. */
  readonly entries: (status: InboxStatus, limit: number) => Effect.Effect<ReadonlyArray<InboxEntry>, StoreError>
  /** Makes a dead or held event pending again, now, with its attempts reset. False if there is none such. */
  readonly replay: (key: string, now: Date) => Effect.Effect<boolean, StoreError>

  // ---- retention

  /**
   * Deletes what is finished and older than `before`: events handled before it, and operations that
   * succeeded or failed and were last updated before it (closed links only). Never an event still
   * to handle, dead or held, nor an operation in flight or unknown. A pruned operation's reference
   * is no longer an idempotency key: keep operations longer than the app may retry a create.
   */
  readonly prune: (before: Date) => Effect.Effect<{ readonly events: number; readonly operations: number }, StoreError>
}

export class Store extends Context.Tag("@pasarela/store/Store")<Store, StoreShape>() {}
