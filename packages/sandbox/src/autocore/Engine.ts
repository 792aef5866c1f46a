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
  Account,
  ChargeRecord,
  ChargeSnapshot,
  DeliveryOptions,
  GiftCardRecord,
  Hotel,
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

export interface Engine {
  readonly createLink: (
    account: Account,
    hotel: Hotel,
    request: LinkRequest,
    context: Store.Context
  ) => Effect.Effect<LinkRecord>
  readonly createGiftCard: (
    account: Account,
    hotel: Hotel,
    request: GiftCardRequest,
    context: Store.Context
  ) => Effect.Effect<GiftCardRecord>
  readonly createCharge: (
    account: Account,
    hotel: Hotel,
    request: ChargeRequest,
    card: Store.CardFacts,
    context: Store.Context
  ) => Effect.Effect<ChargeRecord>
  readonly createOrder: (
    account: Account,
    hotel: Hotel,
    request: CashRequest,
    context: Store.Context
  ) => Effect.Effect<OrderRecord>
  readonly payLink: (
    code: string,
    outcome: LinkPaymentOutcome,
    options: DeliveryOptions
  ) => Effect.Effect<LinkSnapshot, SandboxError>
  /** Settles the link's payment in process to what its card decided. */
  readonly settleLink: (code: string, options: DeliveryOptions) => Effect.Effect<LinkSnapshot, SandboxError>
  readonly settleCharge: (
    transactionId: string,
    options: DeliveryOptions
  ) => Effect.Effect<ChargeSnapshot, SandboxError>
  readonly payOrder: (
    transactionId: string,
    outcome: Outcome,
    options: DeliveryOptions
  ) => Effect.Effect<OrderSnapshot, SandboxError>
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

    /** What a create transition needs besides its request, at the current time. */
    const origin = (account: Account, hotel: Hotel, context: Store.Context) =>
      Effect.map(Clock.currentTimeMillis, (nowMs): Store.Origin => ({ account, hotel, context, nowMs }))

    /** Applies a payment transition at the current time, then starts the deliveries it returned. */
    const notifying = <A>(
      transition: (s: Store.State, nowMs: number) => [Either.Either<Store.Notified<A>, SandboxError>, Store.State]
    ): Effect.Effect<readonly [A, number], SandboxError> =>
      Effect.gen(function* () {
        const nowMs = yield* Clock.currentTimeMillis
        const { record, deliveries } = yield* yield* Ref.modify(state, (s) => transition(s, nowMs))
        yield* Effect.forEach(deliveries, ({ url, body }) => notifier.deliver(url, body), { discard: true })
        return [record, nowMs] as const
      })

    const linkSnapshot = ([link, nowMs]: readonly [LinkRecord, number]) => Store.linkSnapshot(link, nowMs)

    return {
      createLink: (account, hotel, request, context) =>
        Effect.flatMap(origin(account, hotel, context), (o) =>
          Ref.modify(state, (s) => Store.createLink(s, o, request, randomIds))
        ),
      createGiftCard: (account, hotel, request, context) =>
        Effect.flatMap(origin(account, hotel, context), (o) =>
          Ref.modify(state, (s) => Store.createGiftCard(s, o, request, randomIds))
        ),
      createCharge: (account, hotel, request, card, context) =>
        Effect.flatMap(origin(account, hotel, context), (o) =>
          Ref.modify(state, (s) => Store.createCharge(s, o, request, card, randomIds))
        ),
      createOrder: (account, hotel, request, context) =>
        Effect.flatMap(origin(account, hotel, context), (o) =>
          Ref.modify(state, (s) => Store.createOrder(s, o, request, randomIds))
        ),
      payLink: (code, outcome, options) =>
        Effect.map(
          notifying((s, nowMs) => Store.payLink(s, code, outcome, options, nowMs, randomIds)),
          linkSnapshot
        ),
      settleLink: (code, options) =>
        Effect.map(
          notifying((s, nowMs) => Store.settleLink(s, code, options, nowMs)),
          linkSnapshot
        ),
      settleCharge: (transactionId, options) =>
        Effect.map(
          notifying((s, nowMs) => Store.settleCharge(s, transactionId, options, nowMs)),
          ([charge]) => Store.chargeSnapshot(charge)
        ),
      payOrder: (transactionId, outcome, options) =>
        Effect.map(
          notifying((s, nowMs) => Store.payOrder(s, transactionId, outcome, options, nowMs)),
          ([order]) => Store.orderSnapshot(order)
        ),
      findLink: (code) =>
        Effect.zipWith(Ref.get(state), Clock.currentTimeMillis, (s, now) => Store.findLink(s, code, now)),
      findOrder: (transactionId) => Effect.map(Ref.get(state), (s) => Store.findOrder(s, transactionId)),
      findGiftCard: (paymentLinkCode) => Effect.map(Ref.get(state), (s) => Store.findGiftCard(s, paymentLinkCode)),
      state: Effect.zipWith(Ref.get(state), Clock.currentTimeMillis, Store.snapshot),
      webhookDeliveries: notifier.deliveries
    } satisfies Engine
  })
