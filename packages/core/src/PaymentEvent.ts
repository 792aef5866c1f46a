/**
 * One neutral event for every provider notification. Handlers switch on `type`, deduplicate on
 * `dedupeKey` (providers re-deliver), and treat `raw` as the provider's payload, for the record.
 *
 * A gateway's proof covers only some of a notification (PlacetoPay signs the link id, status and
 * date, not the reference; Autocore signs nothing and our URL token vouches for the operation it
 * was made for, not the status or amount): `authenticated` lists the fields that proof vouches for.
 * Anything else is what the sender claims.
 */
import * as Schema from "effect/Schema"
import { MoneyFromJson, MoneyFromSelf } from "./Money.js"

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
  /**
   * The id the rest of the API takes: through the router, a link's routed id (what `links.get`
   * reads); otherwise the provider's id of that thing (link id, transaction id, session id…).
   */
  id: Schema.String,
  /** The provider's own id of it, when `id` is a routed one. */
  providerId: Schema.optional(Schema.String)
})
export type Subject = typeof Subject.Type

/** A field of the event a gateway's proof can vouch for. */
export const AuthenticatedField = Schema.Literal(
  /** Whether the event is about a link, a charge, an order, a gift card or a session. */
  "subject.kind",
  /** The provider's id of the subject. */
  "subject.id",
  /** The status, hence `type` and `providerStatus`. */
  "type",
  "reference",
  "amount",
  "occurredAt"
)
export type AuthenticatedField = typeof AuthenticatedField.Type

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
  /** True when the notification's proof (signature or token) was checked and holds. */
  verified: Schema.Boolean,
  /**
   * The fields that proof vouches for; the rest are the sender's claim. Act on a payment only from
   * authenticated fields, or after reading the operation back from the provider.
   */
  authenticated: Schema.Array(AuthenticatedField),
  raw: Schema.Unknown
})
export type PaymentEvent = typeof PaymentEvent.Type

/** An event as JSON (money as `{ amount, currency }`, dates as ISO text), e.g. to store it. */
export const PaymentEventJson = Schema.Struct({
  ...PaymentEvent.fields,
  amount: Schema.optional(MoneyFromJson),
  occurredAt: Schema.Date
})

/** True when the notification's proof vouches for `field`. */
export const isAuthenticated = (event: Pick<PaymentEvent, "authenticated">, field: AuthenticatedField): boolean =>
  event.authenticated.includes(field)
