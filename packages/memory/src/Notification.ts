/**
 * The memory provider's notification format: a JSON body
 * `{ id, type, subject, reference, amount?, status, detail?, merchantId?, occurredAt, signature }`
 * where `signature` is the lowercase hex HMAC-SHA256, keyed with the webhook secret, of
 * `canonical(fields)`: a JSON array of every other field in a fixed order (absent ones as `null`).
 * `id` names the fact (a payment's approval, a link's expiry), so re-deliveries share it, and so
 * does the event's `dedupeKey`. Pure functions; the layer only decides when to emit.
 */
import { ConstantTime, Money, PaymentError, PaymentEvent, type RawNotification, Validation } from "@pasarela/core"
import Hex from "crypto-js/enc-hex.js"
import HmacSHA256 from "crypto-js/hmac-sha256.js"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/

const Bounded = (max: number) => Schema.String.pipe(Schema.minLength(1), Schema.maxLength(max))

/** The body's shape (before the signature is checked, nothing in it is believed). */
export const Payload = Schema.Struct({
  id: Bounded(200),
  type: PaymentEvent.EventType,
  subject: PaymentEvent.Subject,
  reference: Bounded(200),
  amount: Schema.optional(Schema.Struct({ amount: Bounded(40), currency: Bounded(3) })),
  /** The memory provider's status: `APPROVED`, `PENDING`, `DECLINED`, `EXPIRED`. */
  status: Bounded(40),
  detail: Schema.optional(Bounded(500)),
  merchantId: Schema.optional(Bounded(64)),
  occurredAt: Schema.String.pipe(Schema.pattern(ISO_INSTANT)),
  signature: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))
})
export type Payload = typeof Payload.Type
export type Unsigned = Omit<Payload, "signature">

const decodeBody = Schema.decodeUnknownEither(Schema.parseJson(Payload), {
  errors: "all",
  onExcessProperty: "error"
})

/** The exact text that is signed. A JSON array, so no field can bleed into its neighbour. */
export const canonical = (fields: Unsigned): string =>
  JSON.stringify([
    fields.id,
    fields.type,
    fields.subject.kind,
    fields.subject.id,
    fields.reference,
    fields.amount?.amount ?? null,
    fields.amount?.currency ?? null,
    fields.status,
    fields.detail ?? null,
    fields.merchantId ?? null,
    fields.occurredAt
  ])

export const sign = (secret: Redacted.Redacted<string>, fields: Unsigned): string =>
  Hex.stringify(HmacSHA256(canonical(fields), Redacted.value(secret)))

/** The signed payload, with its keys in the documented order and absent fields left out. */
export const signed = (secret: Redacted.Redacted<string>, fields: Unsigned): Payload => ({
  id: fields.id,
  type: fields.type,
  subject: { kind: fields.subject.kind, id: fields.subject.id },
  reference: fields.reference,
  ...(fields.amount === undefined
    ? {}
    : { amount: { amount: fields.amount.amount, currency: fields.amount.currency } }),
  status: fields.status,
  ...(fields.detail === undefined ? {} : { detail: fields.detail }),
  ...(fields.merchantId === undefined ? {} : { merchantId: fields.merchantId }),
  occurredAt: fields.occurredAt,
  signature: sign(secret, fields)
})

/** The same fact gives the same key on every delivery; the merchant keeps two hotels' ids apart. */
export const dedupeKey = (payload: Pick<Payload, "id" | "merchantId">): string =>
  `memory:${payload.merchantId ?? "-"}:${payload.id}`

/** A payload whose signature was checked → the neutral event. Left: why its content is unusable. */
export const toEvent = (payload: Payload): Either.Either<PaymentEvent.PaymentEvent, string> => {
  const occurredAt = new Date(payload.occurredAt)
  if (Number.isNaN(occurredAt.getTime())) return Either.left("occurredAt is not a real instant")
  const amount =
    payload.amount === undefined
      ? Either.right(undefined)
      : Money.fromString(payload.amount.amount, payload.amount.currency)
  if (Either.isLeft(amount)) return Either.left(`amount: ${amount.left.message}`)
  return Either.right({
    provider: "memory",
    ...(payload.merchantId === undefined ? {} : { merchantId: payload.merchantId }),
    type: payload.type,
    subject: payload.subject,
    reference: payload.reference,
    ...(amount.right === undefined ? {} : { amount: amount.right }),
    providerStatus: payload.status,
    ...(payload.detail === undefined ? {} : { detail: payload.detail }),
    occurredAt,
    dedupeKey: dedupeKey(payload),
    verified: true,
    // The HMAC covers every field of the payload.
    authenticated: ["subject.kind", "subject.id", "type", "reference", "amount", "occurredAt"],
    raw: payload
  })
}

const rejected = (detail: string, merchantId: string | undefined) =>
  PaymentError.make("memory", "webhooks.verify", new PaymentError.WebhookRejected({ detail }), merchantId)

/** Refuses every notification: for a merchant whose notifications cannot be trusted (no secret of its own). */
export const refuseAll = (
  _secret: Redacted.Redacted<string>,
  notification: RawNotification
): Either.Either<PaymentEvent.PaymentEvent, PaymentError.PaymentError> =>
  Either.left(
    rejected(
      "this memory merchant accepts no notifications: it has no webhookSecret of its own (the default is published)",
      notification.merchantId
    )
  )

/**
 * Verifies a raw notification: shape first (nothing else is read from a body that does not
 * decode), then the signature in constant time, then the content. Anything doubtful is
 * `WebhookRejected`; messages name fields, never their values. The result is an `Either`, which
 * is also an `Effect`.
 */
export const verify = (
  secret: Redacted.Redacted<string>,
  notification: RawNotification
): Either.Either<PaymentEvent.PaymentEvent, PaymentError.PaymentError> => {
  const decoded = decodeBody(notification.body)
  if (Either.isLeft(decoded)) {
    const issues = Validation.issuesOf(decoded.left)
      .map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`))
      .join("; ")
    return Either.left(rejected(`not a memory notification (${issues})`, notification.merchantId))
  }
  const payload = decoded.right
  const { signature, ...fields } = payload
  if (!ConstantTime.equals(signature, sign(secret, fields))) {
    return Either.left(rejected("signature does not match", notification.merchantId))
  }
  if (notification.merchantId !== undefined && payload.merchantId !== notification.merchantId) {
    return Either.left(rejected("notification is for another merchant", notification.merchantId))
  }
  return Either.mapLeft(toEvent(payload), (detail) => rejected(detail, notification.merchantId))
}
