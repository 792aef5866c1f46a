/**
 * One neutral event for every provider notification. Handlers switch on `type`, deduplicate on
 * `dedupeKey` (providers re-deliver), and treat `raw` as the provider's payload, for the record.
 */
import { Schema } from "effect"
import { MoneyFromSelf } from "./Money.js"

export const EventType = Schema.Literal(
  "payment.approved",
  "payment.pending",
  "payment.declined",
  "link.expired",
  "refund.completed",
  "refund.partial",
  "refund.pending",
  "refund.failed",
  /** A status the mapping does not know: kept with its raw value, never guessed. */
  "unknown"
)
export type EventType = typeof EventType.Type

/** What the event is about. */
export const Subject = Schema.Struct({
  kind: Schema.Literal("link", "charge", "order", "giftCard", "session"),
  /** The provider's id of that thing (link id, transaction id, session request id…). */
  id: Schema.String
})
export type Subject = typeof Subject.Type

export const PaymentEvent = Schema.Struct({
  provider: Schema.String,
  merchantId: Schema.optional(Schema.String),
  type: EventType,
  subject: Subject,
  reference: Schema.String,
  amount: Schema.optional(MoneyFromSelf),
  /** The provider's status, as received (`PAID`, `applied`, `Aplicado`…). */
  providerStatus: Schema.String,
  /** Why a payment was declined or a refund failed, in the provider's words. */
  detail: Schema.optional(Schema.String),
  occurredAt: Schema.DateFromSelf,
  /** Same key for every delivery of the same fact: deduplicate on it. */
  dedupeKey: Schema.String,
  /** True when the notification's authenticity was checked (signature or token). */
  verified: Schema.Boolean,
  raw: Schema.Unknown
})
export type PaymentEvent = typeof PaymentEvent.Type
