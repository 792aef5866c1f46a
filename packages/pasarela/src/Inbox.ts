/**
 * With a durable store, verified events go to the inbox and the endpoint answers at once; a
 * dispatcher hands each one to the application's handler at least once, with backoff, and — on
 * PostgreSQL — across processes, each event claimed by one process at a time for a lease. A
 * handler that keeps failing ends dead-lettered, kept for a person to look at and replay.
 *
 * Before an event is stored it is checked against the journal: the gateways sign little, so its
 * reference, amount and currency are taken from the operation Pasarela recorded, and one that names
 * no such operation, or disagrees with it, is held (visible, replayable), not handed over.
 */
import { Money, PaymentEvent } from "@pasarela/core"
import {
  type InboxEntry,
  type Operation,
  type OperationKind,
  operationKinds,
  Store,
  type StoreError,
  type StoreShape
} from "@pasarela/store"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as EventHandler from "./EventHandler.js"

// ---------------------------------------------------------------------------------------------
// Events checked against the journal (pure)

export type Checked =
  | { readonly _tag: "Accepted"; readonly event: PaymentEvent.PaymentEvent }
  | { readonly _tag: "Held"; readonly event: PaymentEvent.PaymentEvent; readonly reason: string }

const kindOf = (event: PaymentEvent.PaymentEvent): OperationKind | undefined =>
  operationKinds.find((kind) => kind === event.subject.kind)

/** How to find the event's operation: by reference when the proof vouches for it, else by the provider's id. */
export const lookupOf = (
  event: PaymentEvent.PaymentEvent
):
  | { readonly _tag: "reference"; readonly kind: OperationKind; readonly reference: string }
  | { readonly _tag: "providerId"; readonly kind: OperationKind; readonly providerId: string }
  | undefined => {
  const kind = kindOf(event)
  if (kind === undefined) return undefined
  if (event.authenticated.includes("reference")) return { _tag: "reference", kind, reference: event.reference }
  if (event.authenticated.includes("subject.id")) {
    return { _tag: "providerId", kind, providerId: event.subject.providerId ?? event.subject.id }
  }
  return undefined
}

const moneyOf = (op: Operation) => Either.getOrUndefined(Money.fromString(op.amount, op.currency))

/** The routed id a link operation's recorded result carries, if any. */
export const routedIdOf = (op: Operation): string | undefined => {
  const id = (op.result as { readonly id?: unknown } | undefined)?.id
  return op.kind === "link" && typeof id === "string" ? id : undefined
}

const subjectOf = (op: Operation, subject: PaymentEvent.Subject): PaymentEvent.Subject => {
  const routed = routedIdOf(op)
  if (routed === undefined) return subject
  return { kind: "link", id: routed, ...(op.providerId === undefined ? {} : { providerId: op.providerId }) }
}

/**
 * The event as the journal says it is: the operation's reference, its amount and currency. Held
 * when there is no operation, when it is one that provably never happened, or when a payment's
 * amount or currency disagrees with it (a refund may be for less, never in another currency).
 */
export const check = (event: PaymentEvent.PaymentEvent, op: Operation | undefined): Checked => {
  if (op === undefined) {
    return {
      _tag: "Held",
      event,
      reason: `names no ${event.subject.kind} Pasarela created for merchant ${event.merchantId ?? "-"}`
    }
  }
  if (op.status === "failed") {
    return { _tag: "Held", event, reason: `names operation "${op.reference}", which never happened (it failed)` }
  }
  const recorded = moneyOf(op)
  const amount = event.amount
  if (amount !== undefined && recorded !== undefined) {
    if (amount.currency !== recorded.currency) {
      return {
        _tag: "Held",
        event,
        reason: `its currency ${amount.currency} is not the operation's ${recorded.currency}`
      }
    }
    const isPayment = event.type.startsWith("payment.")
    if (isPayment && !Money.equals(amount, recorded)) {
      return {
        _tag: "Held",
        event,
        reason: `its amount ${Money.toFixed(amount)} is not the operation's ${Money.toFixed(recorded)}`
      }
    }
  }
  const vouched = new Set<PaymentEvent.AuthenticatedField>([...event.authenticated, "reference"])
  if (amount === undefined && recorded !== undefined) vouched.add("amount")
  return {
    _tag: "Accepted",
    event: {
      ...event,
      // The operation Pasarela created, whatever the payload called it (Autocore may report a
      // link's payment as a charge): its kind, and for a link the routed id `links.get` takes.
      subject: subjectOf(op, event.subject),
      reference: op.reference,
      ...(amount === undefined && recorded !== undefined ? { amount: recorded } : {}),
      authenticated: [...vouched]
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The service

const encodeEvent = Schema.encodeSync(PaymentEvent.PaymentEventJson)
const decodeEvent = Schema.decodeUnknownEither(PaymentEvent.PaymentEventJson)

export interface InboxShape {
  /**
   * Checks a verified event against the journal and stores it (unless its dedupe key is there):
   * `added`, `duplicate`, or `held` when it may not be handed over.
   */
  readonly accept: (event: PaymentEvent.PaymentEvent) => Effect.Effect<"added" | "duplicate" | "held", StoreError>
  /** Lets this process's dispatcher know there is work, so it does not wait for its next poll. */
  readonly wake: Effect.Effect<void>
}

export class Inbox extends Context.Tag("pasarela/Inbox")<Inbox, InboxShape>() {}

export interface DispatchOptions {
  /** Events handled at once by this process. Default 4. */
  readonly concurrency?: number | undefined
  /** Attempts before an event is dead-lettered. Default 10. */
  readonly maxAttempts?: number | undefined
  /** How long the handler may run per attempt. Default 20 seconds. */
  readonly handlerTimeout?: Duration.DurationInput | undefined
  /** How often the store is looked at when nothing woke the dispatcher. Default 1 second. */
  readonly pollInterval?: Duration.DurationInput | undefined
  /** First retry delay; each next one doubles, with jitter, up to one hour. Default 5 seconds. */
  readonly retryBase?: Duration.DurationInput | undefined
  /**
   * How long a process holds an event it claimed: after this, another process may take it (the
   * first one died). Longer than `handlerTimeout`; default `handlerTimeout` + 30 seconds.
   */
  readonly lease?: Duration.DurationInput | undefined
  /** This process's name in the store's claims (default: random), to tell instances apart. */
  readonly owner?: string | undefined
  /**
   * Run a dispatcher in this process (default true). A process without the application's handler
   * (a one-off command) stores events but must never claim them.
   */
  readonly dispatch?: boolean | undefined
}

const MAX_RETRY_DELAY = Duration.hours(1)

/** When attempt `attempts` (1-based) failed: exponential with full jitter, capped. */
export const retryDelay = (attempts: number, base: Duration.Duration, jitter: number): Duration.Duration => {
  const exponential = Duration.toMillis(base) * 2 ** Math.min(attempts - 1, 30)
  return Duration.millis(Math.min(Duration.toMillis(MAX_RETRY_DELAY), exponential) * (0.5 + jitter / 2))
}

const randomOwner = Effect.map(
  Effect.sync(() => globalThis.crypto.getRandomValues(new Uint8Array(6))),
  (bytes) => `pasarela-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`
)

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

/**
 * The inbox and its dispatcher over `store`: the dispatcher runs in the layer's scope and, when the
 * scope closes, stops claiming and lets the events in hand finish.
 */
export const make = (
  store: StoreShape,
  options: DispatchOptions = {}
): Effect.Effect<InboxShape, never, EventHandler.EventHandler | Scope.Scope> =>
  Effect.gen(function* () {
    const handler = yield* EventHandler.EventHandler
    const owner = options.owner ?? (yield* randomOwner)
    const concurrency = options.concurrency ?? 4
    const maxAttempts = options.maxAttempts ?? 10
    const timeout = Duration.decode(options.handlerTimeout ?? "20 seconds")
    const pollInterval = Duration.decode(options.pollInterval ?? "1 second")
    const retryBase = Duration.decode(options.retryBase ?? "5 seconds")
    // Longer than an attempt can take, so a claim outlives its handler unless the process died.
    const lease = Duration.max(
      options.lease === undefined ? Duration.sum(timeout, Duration.seconds(30)) : Duration.decode(options.lease),
      Duration.sum(timeout, Duration.millis(500))
    )
    const wakeups = yield* Queue.sliding<void>(1)
    const stopping = yield* Ref.make(false)

    const lookup = (event: PaymentEvent.PaymentEvent) => {
      const by = lookupOf(event)
      const merchantId = event.merchantId
      if (by === undefined || merchantId === undefined) return Effect.succeed(undefined)
      return by._tag === "reference"
        ? store.operation({ merchantId, kind: by.kind, reference: by.reference })
        : store.operationByProviderId(merchantId, by.kind, by.providerId)
    }

    const accept: InboxShape["accept"] = (event) =>
      Effect.gen(function* () {
        const checked = check(event, yield* lookup(event))
        const added = yield* store.enqueue(
          {
            key: checked.event.dedupeKey,
            merchantId: checked.event.merchantId ?? "-",
            provider: checked.event.provider,
            event: encodeEvent(checked.event),
            held: checked._tag === "Held" ? checked.reason : undefined
          },
          yield* now
        )
        if (added === "duplicate") return "duplicate" as const
        if (checked._tag === "Held") {
          yield* Effect.logWarning("event held: not handed to the application").pipe(
            Effect.annotateLogs({ dedupeKey: checked.event.dedupeKey, reason: checked.reason })
          )
          return "held" as const
        }
        yield* Queue.offer(wakeups, undefined)
        return "added" as const
      })

    const handleOne = (entry: InboxEntry) =>
      Effect.gen(function* () {
        const event = decodeEvent(entry.event)
        if (Either.isLeft(event)) {
          return yield* store.fail(entry.key, owner, "the stored event cannot be read", undefined, yield* now)
        }
        const outcome = yield* EventHandler.run(handler, event.right, timeout)
        if (Either.isRight(outcome)) return yield* store.complete(entry.key, owner, yield* now)
        const error = EventHandler.describeFailure(outcome.left)
        const dead = entry.attempts >= maxAttempts
        const at = yield* now
        const retryAt = dead
          ? undefined
          : new Date(at.getTime() + Duration.toMillis(retryDelay(entry.attempts, retryBase, yield* Random.next)))
        yield* Effect.logError(
          dead ? "event dead-lettered after its last attempt" : "event handler failed; retrying later",
          outcome.left
        ).pipe(Effect.annotateLogs({ dedupeKey: entry.key, attempt: entry.attempts }))
        yield* store.fail(entry.key, owner, error, retryAt, at)
      })

    const dispatchOnce = Effect.gen(function* () {
      const at = yield* now
      const claimed = yield* store.claim(owner, concurrency, at, new Date(at.getTime() + Duration.toMillis(lease)))
      yield* Effect.forEach(claimed, handleOne, { concurrency, discard: true })
      return claimed.length
    })

    const loop = Effect.gen(function* () {
      while (!(yield* Ref.get(stopping))) {
        const handled = yield* dispatchOnce.pipe(
          Effect.catchAll((error) => Effect.as(Effect.logError("the inbox could not be read", error), 0))
        )
        // A full batch suggests more is due: go again at once; otherwise wait for work or the poll.
        if (handled < concurrency) {
          yield* Effect.raceFirst(Queue.take(wakeups), Effect.sleep(pollInterval))
        }
      }
    })

    if (options.dispatch !== false) {
      const fiber = yield* Effect.forkDaemon(loop)
      yield* Effect.addFinalizer(() =>
        Effect.gen(function* () {
          yield* Ref.set(stopping, true)
          yield* Queue.offer(wakeups, undefined)
          // The batch in hand finishes (each handler within its time limit), then the loop ends.
          yield* Fiber.await(fiber)
        })
      )
    }

    return { accept, wake: Queue.offer(wakeups, undefined).pipe(Effect.asVoid) }
  })

/** The inbox over the `Store`, its dispatcher running for the layer's lifetime. */
export const layer = (options: DispatchOptions = {}): Layer.Layer<Inbox, never, Store | EventHandler.EventHandler> =>
  Layer.scoped(
    Inbox,
    Effect.flatMap(Store, (store) => make(store, options))
  )
