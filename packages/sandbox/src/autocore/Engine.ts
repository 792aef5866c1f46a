/**
 * The running simulator: its state in a `Ref`, and the operations both the HTTP routes and the
 * programmatic controls use. Each reads the clock, applies a pure transition of `Store` with
 * `Ref.modify`, and then performs what the transition returned (webhook deliveries).
 */
import { randomInt, randomUUID } from "node:crypto"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import type { SandboxError } from "../SandboxError.js"
import type {
  ChargeRecord,
  ChargeSnapshot,
  DeliveryOptions,
  GiftCardRecord,
  LinkPaymentOutcome,
  LinkRecord,
  LinkSnapshot,
  OrderRecord,
  OrderSnapshot,
  Outcome,
  StateSnapshot,
  WebhookDelivery
} from "./Model.js"
import type { Notifier } from "./Notifier.js"
import * as Store from "./Store.js"
import type { CashRequest, ChargeRequest, GiftCardRequest, LinkRequest } from "./Wire.js"

/** A control operation, refused when the id is unknown or the record's state does not allow it. */
type Refusable<A> = Effect.Effect<A, SandboxError>

export interface Engine {
  readonly createLink: (who: Store.Who, request: LinkRequest) => Effect.Effect<LinkRecord>
  readonly createGiftCard: (who: Store.Who, request: GiftCardRequest) => Effect.Effect<GiftCardRecord>
  readonly createCharge: (who: Store.Who, request: ChargeRequest, card: Store.CardFacts) => Effect.Effect<ChargeRecord>
  readonly createOrder: (who: Store.Who, request: CashRequest) => Effect.Effect<OrderRecord>
  readonly payLink: (code: string, outcome: LinkPaymentOutcome, options: DeliveryOptions) => Refusable<LinkSnapshot>
  /** Settles the link's payment in process to what its card decided. */
  readonly settleLink: (code: string, options: DeliveryOptions) => Refusable<LinkSnapshot>
  readonly settleCharge: (transactionId: string, options: DeliveryOptions) => Refusable<ChargeSnapshot>
  readonly payOrder: (transactionId: string, outcome: Outcome, options: DeliveryOptions) => Refusable<OrderSnapshot>
  readonly findLink: (code: string) => Effect.Effect<LinkSnapshot | undefined>
  readonly findOrder: (transactionId: string) => Effect.Effect<OrderSnapshot | undefined>
  /** The gift card a `GC_…` link sells. */
  readonly findGiftCard: (paymentLinkCode: string) => Effect.Effect<GiftCardRecord | undefined>
  readonly state: Effect.Effect<StateSnapshot>
  readonly webhookDeliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
}

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

const pick = (alphabet: string, length: number): string => {
  let out = ""
  // randomInt is uniform over the range, so there is no modulo bias.
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

/** Identifiers drawn from a CSPRNG (node:crypto), like real codes would be. */
export const randomIds: Store.Ids = {
  /** 12 lowercase alphanumerics. */
  linkCode: () => pick(lowerAlnum, 12),
  /** 10 uppercase alphanumerics. */
  giftCardCode: () => pick(upperAlnum, 10),
  /** `GC_` and 10 lowercase alphanumerics. */
  giftCardLinkCode: () => `GC_${pick(lowerAlnum, 10)}`,
  /** 9 digits, no leading zero (as in the seed, "453593318"). */
  cashTransactionId: () => String(randomInt(100_000_000, 1_000_000_000)),
  uuid: () => randomUUID()
}

export const make = (notifier: Notifier): Effect.Effect<Engine> =>
  Effect.gen(function* () {
    const state = yield* Ref.make(Store.initialState)

    /** Applies a create transition at the current time. */
    const create = <A>(who: Store.Who, transition: (s: Store.State, origin: Store.Origin) => [A, Store.State]) =>
      Effect.flatMap(Clock.currentTimeMillis, (nowMs) => Ref.modify(state, (s) => transition(s, { ...who, nowMs })))

    /** Applies a payment transition at the current time, then starts the deliveries it returned. */
    const notifying = <A>(
      transition: (s: Store.State, nowMs: number) => [Either.Either<Store.Notified<A>, SandboxError>, Store.State]
    ): Refusable<A> =>
      Effect.gen(function* () {
        const nowMs = yield* Clock.currentTimeMillis
        const { record, deliveries } = yield* yield* Ref.modify(state, (s) => transition(s, nowMs))
        yield* Effect.forEach(deliveries, ({ url, body }) => notifier.deliver(url, body), { discard: true })
        return record
      })

    return {
      createLink: (who, request) => create(who, (s, o) => Store.createLink(s, o, request, randomIds)),
      createGiftCard: (who, request) => create(who, (s, o) => Store.createGiftCard(s, o, request, randomIds)),
      createCharge: (who, request, card) => create(who, (s, o) => Store.createCharge(s, o, request, card, randomIds)),
      createOrder: (who, request) => create(who, (s, o) => Store.createOrder(s, o, request, randomIds)),
      payLink: (code, outcome, options) =>
        notifying((s, nowMs) => Store.payLink(s, code, outcome, options, nowMs, randomIds)),
      settleLink: (code, options) => notifying((s, nowMs) => Store.settleLink(s, code, options, nowMs)),
      settleCharge: (transactionId, options) =>
        notifying((s, nowMs) => Store.settleCharge(s, transactionId, options, nowMs)),
      payOrder: (transactionId, outcome, options) =>
        notifying((s, nowMs) => Store.payOrder(s, transactionId, outcome, options, nowMs)),
      findLink: (code) =>
        Effect.zipWith(Ref.get(state), Clock.currentTimeMillis, (s, now) => Store.findLink(s, code, now)),
      findOrder: (transactionId) => Effect.map(Ref.get(state), (s) => Store.findOrder(s, transactionId)),
      findGiftCard: (paymentLinkCode) => Effect.map(Ref.get(state), (s) => Store.findGiftCard(s, paymentLinkCode)),
      state: Effect.zipWith(Ref.get(state), Clock.currentTimeMillis, Store.snapshot),
      webhookDeliveries: notifier.deliveries
    } satisfies Engine
  })
