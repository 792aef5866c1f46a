/**
 * Idempotent creates on the operation journal. Every create (link, charge, cash order, gift card)
 * is recorded before its request is sent and updated with its outcome; the reference is the
 * idempotency key, per merchant and kind (as Stripe's idempotency keys work):
 *
 * - already succeeded with the same amount → the stored result, nothing sent;
 * - still in flight, or its outcome unknown (a crash after sending, a timeout) → `OutcomeUnknown`
 *   with its advice, nothing sent: sending again could create a second one;
 * - the same reference with another amount or currency → `Conflict`;
 * - failed in a way that proves nothing happened (refused input, gateway unavailable, a declined
 *   card) → sent again, as a new attempt.
 */
import {
  Charge,
  Charges,
  GiftCard,
  GiftCards,
  Money,
  PaymentError,
  PaymentLink,
  PaymentLinks,
  PaymentOrder,
  PaymentOrders,
  RoutedId
} from "@pasarela/core"
import type { Operation, OperationKey, OperationKind, StoreError, StoreShape } from "@pasarela/store"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/** What the journal needs to know of one kind of create and its result. */
interface Kind<A> {
  readonly kind: OperationKind
  readonly operation: string
  readonly result: Schema.Schema<A, unknown>
  /** The provider's own id of what was created. */
  readonly providerIdOf: (result: A) => string
  /** Still something the reconciler should look at. */
  readonly openOf?: (result: A) => boolean
  /** A result that proves nothing happened, so the reference may be used again (a declined card). */
  readonly nothingHappened?: (result: A) => boolean
}

const links: Kind<PaymentLink.PaymentLink> = {
  kind: "link",
  operation: "links.create",
  result: PaymentLink.PaymentLinkJson as Schema.Schema<PaymentLink.PaymentLink, unknown>,
  // The router hands out routed ids; notifications name the provider's own.
  providerIdOf: (link) => Option.match(RoutedId.decode(link.id), { onNone: () => link.id, onSome: (r) => r.id }),
  openOf: (link) => link.status === "active"
}

const charges: Kind<Charge.Charge> = {
  kind: "charge",
  operation: "charges.create",
  result: Charge.ChargeJson as Schema.Schema<Charge.Charge, unknown>,
  providerIdOf: (charge) => charge.id,
  nothingHappened: (charge) => charge.outcome === "declined"
}

const orders: Kind<PaymentOrder.PaymentOrder> = {
  kind: "order",
  operation: "orders.create",
  result: PaymentOrder.PaymentOrderJson as Schema.Schema<PaymentOrder.PaymentOrder, unknown>,
  providerIdOf: (order) => order.id
}

const giftCards: Kind<GiftCard.GiftCard> = {
  kind: "giftCard",
  operation: "giftCards.create",
  result: GiftCard.GiftCardJson as Schema.Schema<GiftCard.GiftCard, unknown>,
  providerIdOf: (card) => card.code
}

/** The journal's key and money of an input, when it has them (else validation refuses it, before I/O). */
const keyOf = (
  kind: OperationKind,
  input: unknown
): { readonly key: OperationKey; readonly amount: string; readonly currency: string } | undefined => {
  const { merchantId, reference, amount } = (input ?? {}) as Record<string, unknown>
  if (typeof merchantId !== "string" || typeof reference !== "string" || reference === "" || !Money.isMoney(amount)) {
    return undefined
  }
  return { key: { merchantId, kind, reference }, amount: Money.toFixed(amount), currency: amount.currency }
}

const journalError = (operation: string, merchantId: string, reason: PaymentError.Reason) =>
  new PaymentError.PaymentError({ provider: "pasarela", operation, merchantId, reason })

const storeUnavailable = (operation: string, merchantId: string, error: StoreError) =>
  journalError(
    operation,
    merchantId,
    new PaymentError.ProviderUnavailable({ detail: `nothing was sent: ${error.message}` })
  )

const describe = (op: Operation) => `${op.amount} ${op.currency}`

/** What an existing record means for a new create with the same key. */
const answerExisting = <A>(kind: Kind<A>, op: Operation, amount: string, currency: string) => {
  const fail = (reason: PaymentError.Conflict | PaymentError.OutcomeUnknown) =>
    Effect.fail(journalError(kind.operation, op.merchantId, reason))
  if (op.amount !== amount || op.currency !== currency) {
    return fail(
      new PaymentError.Conflict({
        detail: `reference "${op.reference}" was already used for ${describe(op)} (attempt ${op.attempt}, ${op.status}); this asks for ${amount} ${currency}`
      })
    )
  }
  if (op.status === "succeeded") {
    return Either.match(Schema.decodeUnknownEither(kind.result)(op.result), {
      onRight: Effect.succeed,
      onLeft: () =>
        fail(
          new PaymentError.OutcomeUnknown({
            detail: `reference "${op.reference}" succeeded, but its recorded result cannot be read`,
            advice: "look the operation up with the provider before creating it again"
          })
        )
    })
  }
  return fail(
    new PaymentError.OutcomeUnknown({
      detail:
        op.status === "in-flight"
          ? `a create with reference "${op.reference}" is in flight since ${op.startedAt.toISOString()} (or its process stopped before recording the answer)`
          : `the create with reference "${op.reference}" may have happened (${describeError(op.error)})`,
      advice: `nothing was sent again: check with the provider (\`pasarela operations --unknown\` lists these), or use a new reference`
    })
  )
}

const describeError = (error: unknown): string => {
  const { reason, message } = (error ?? {}) as { reason?: unknown; message?: unknown }
  return typeof message === "string" ? message : typeof reason === "string" ? reason : "no answer recorded"
}

/** The create, journaled. */
const journaled =
  <I, A>(store: StoreShape, kind: Kind<A>, create: (input: I) => Effect.Effect<A, PaymentError.PaymentError>) =>
  (input: I): Effect.Effect<A, PaymentError.PaymentError> => {
    const keyed = keyOf(kind.kind, input)
    if (keyed === undefined) return create(input)
    const { key, amount, currency } = keyed
    const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
    return Effect.gen(function* () {
      const begun = yield* Effect.flatMap(now, (at) => store.begin(key, { amount, currency }, at)).pipe(
        Effect.mapError((error) => storeUnavailable(kind.operation, key.merchantId, error))
      )
      if (begun._tag === "Existing") return yield* answerExisting(kind, begun.operation, amount, currency)
      // The outcome is recorded however the create ends; a record that fails to be written
      // leaves the operation in flight, which later reads as unknown: never as "not sent".
      const exit = yield* Effect.exit(create(input))
      const outcome = Exit.match(exit, {
        onSuccess: (result) => ({
          status: kind.nothingHappened?.(result) === true ? ("failed" as const) : ("succeeded" as const),
          provider: (result as { readonly provider?: string }).provider,
          providerId: kind.providerIdOf(result),
          result: Either.getOrUndefined(Schema.encodeEither(kind.result)(result)),
          open: kind.openOf?.(result) ?? false
        }),
        onFailure: (cause) => {
          const error = Cause.failureOption(cause)
          const known = Option.isSome(error) && Cause.isFailType(cause)
          // A defect or an interruption could have come after sending: not proven to be nothing.
          const happened = known ? error.value.mayHaveTakenEffect : true
          return {
            status: happened ? ("unknown" as const) : ("failed" as const),
            error: known
              ? { reason: error.value.reason._tag, message: error.value.message }
              : { reason: "Interrupted", message: Cause.pretty(cause).slice(0, 500) }
          }
        }
      })
      yield* Effect.flatMap(now, (at) => store.finish(key, begun.attempt, outcome, at)).pipe(
        Effect.catchAll((error) =>
          Effect.logError("the journal could not record an outcome; the operation will read as unknown", error).pipe(
            Effect.annotateLogs({ merchant: key.merchantId, reference: key.reference, kind: key.kind })
          )
        ),
        Effect.uninterruptible
      )
      return yield* exit
    })
  }

/** The creating services of `context`, journaled in `store`. */
export const wrap =
  (store: StoreShape) =>
  <R extends PaymentLinks | Charges | PaymentOrders | GiftCards>(context: Context.Context<R>): Context.Context<R> => {
    const l = Context.get(context as Context.Context<PaymentLinks>, PaymentLinks)
    const c = Context.get(context as Context.Context<Charges>, Charges)
    const o = Context.get(context as Context.Context<PaymentOrders>, PaymentOrders)
    const g = Context.get(context as Context.Context<GiftCards>, GiftCards)
    return (context as Context.Context<PaymentLinks | Charges | PaymentOrders | GiftCards>).pipe(
      Context.add(PaymentLinks, { ...l, create: journaled(store, links, l.create) }),
      Context.add(Charges, { ...c, create: journaled(store, charges, c.create) }),
      Context.add(PaymentOrders, { ...o, create: journaled(store, orders, o.create) }),
      Context.add(GiftCards, { ...g, create: journaled(store, giftCards, g.create) })
    ) as Context.Context<R>
  }
