/**
 * Autocore's wire formats (spec §3–§10) as Schemas: the request bodies the adapter sends and every
 * answer and notification it reads. Requests are typed so mapping cannot send a malformed body;
 * answers are decoded, and anything else is a typed error, never a guess. Unknown extra fields in
 * answers are ignored (Autocore adds fields over time); missing or mistyped ones are not.
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

const optional = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optionalWith(schema, { exact: true })
/** Autocore writes `null` where a value does not apply (e.g. `transaction_id` of a rejection). */
const nullable = <A, I, R>(schema: Schema.Schema<A, I, R>) => optional(Schema.NullOr(schema))

/** Ids Autocore may write as a string or a number; read as text. */
export const IdText = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, { strict: true, decode: String, encode: Number })
)

// ---------------------------------------------------------------------------------------------
// Requests

/** §4 `POST /v2/links/schedule/`. Absent values are omitted, never sent as `null`. */
export const LinkRequest = Schema.Struct({
  hotel_id: Schema.Int,
  guest_name: Schema.String,
  email: Schema.String,
  country_code: optional(Schema.String),
  phone: optional(Schema.String),
  available_hours: optional(Schema.Int),
  description: Schema.String,
  booking_dates: optional(Schema.String),
  source: optional(Schema.String),
  external_ref_id: optional(Schema.String),
  reservation_id: optional(Schema.String),
  temp_webhook_url: optional(Schema.String),
  amount: Schema.Int,
  currency: Schema.String,
  installments: optional(Schema.Int),
  allowed_payment_options: optional(Schema.Array(Schema.String)),
  redirect: optional(Schema.Struct({ success_url: optional(Schema.String), failure_url: optional(Schema.String) }))
})
export type LinkRequest = typeof LinkRequest.Type

/** §5 `order`: the card charge's order. `amount` is a number with at most two decimals. */
export const ChargeOrder = Schema.Struct({
  ref_name: Schema.String,
  ref_lastname: Schema.String,
  ref_number: Schema.String,
  external_ref_id: optional(Schema.String),
  temp_webhook_url: optional(Schema.String),
  source: optional(Schema.String),
  detail: optional(Schema.String),
  amount: Schema.Number,
  installments: Schema.Int,
  tax_percent: optional(Schema.Number),
  service_percent: optional(Schema.Number),
  hotel_id: Schema.Int,
  email: optional(Schema.String),
  phone: optional(Schema.String),
  address: optional(Schema.String),
  fiscal_number: optional(Schema.String),
  ip: optional(Schema.String),
  currency: optional(Schema.String)
})
export type ChargeOrder = typeof ChargeOrder.Type

/** §5 `card_item`: every field is ciphertext (§6), never plain card data. */
export const CardItem = Schema.Struct({
  cc_number: Schema.String,
  cc_code: Schema.String,
  cc_expire_month: Schema.String,
  cc_expire_year: Schema.String,
  cc_holder: Schema.String
})
export type CardItem = typeof CardItem.Type
export type CardField = keyof CardItem

/** §5 `POST /v2/virtual-terminal/credit-card`. */
export const ChargeRequest = Schema.Struct({ order: ChargeOrder, card_item: CardItem })
export type ChargeRequest = typeof ChargeRequest.Type

/** §7 `POST /v1/gift-cards`: every field required. */
export const GiftCardRequest = Schema.Struct({
  sender: Schema.Struct({
    name: Schema.String,
    document_type: Schema.Literal("CC", "PP", "NIT", "TI"),
    document_number: Schema.String,
    email: Schema.String,
    address: Schema.String,
    phone: Schema.String,
    country_code: Schema.String
  }),
  recipient: Schema.Struct({ name: Schema.String, email: Schema.String }),
  amount: Schema.Number,
  currency: Schema.Literal("COP", "USD"),
  note: Schema.String,
  external_ref_id: Schema.String,
  temp_webhook_url: Schema.String,
  success_url: Schema.String,
  failure_url: Schema.String
})
export type GiftCardRequest = typeof GiftCardRequest.Type

/** §8 `POST /v2/apms/cash`. */
export const CashRequest = Schema.Struct({
  order: Schema.Struct({
    ref_name: Schema.String,
    ref_lastname: Schema.String,
    ref_number: Schema.String,
    detail: Schema.String,
    amount: Schema.Number,
    tax_percent: optional(Schema.Number),
    service_percent: optional(Schema.Number),
    hotel_id: Schema.Int,
    email: Schema.String,
    fiscal_number: Schema.String,
    phone: Schema.String,
    ip: Schema.String,
    // Not in the cash seed's table; sent like the card order's so the webhook can be routed and verified.
    external_ref_id: optional(Schema.String),
    temp_webhook_url: optional(Schema.String)
  }),
  cash: Schema.Struct({
    address: Schema.String,
    user_type: Schema.String,
    fiscal_number_type: Schema.String,
    payment_type: Schema.String,
    response_url: Schema.String
  })
})
export type CashRequest = typeof CashRequest.Type

// ---------------------------------------------------------------------------------------------
// Answers

const AbsoluteUrl = Schema.String.pipe(
  Schema.filter((s) => {
    try {
      const url = new URL(s)
      return url.protocol === "https:" || url.protocol === "http:"
    } catch {
      return false
    }
  })
).annotations({ identifier: "AbsoluteUrl", message: () => "must be an absolute http(s) URL" })

const NonEmpty = Schema.String.pipe(Schema.minLength(1))

/** §4 link created. */
export const LinkResponse = Schema.Struct({ msg: Schema.String, url: AbsoluteUrl, code: NonEmpty })
export type LinkResponse = typeof LinkResponse.Type

/** `details` of charges and notifications (§5, §10). `status_code` is the authoritative status. */
export const Details = Schema.Struct({
  type: Schema.String,
  id: nullable(IdText),
  external_ref_id: nullable(Schema.String),
  status_code: Schema.String,
  status_detail: nullable(Schema.String),
  comments: nullable(Schema.String),
  transaction_id: nullable(IdText),
  transaction_date: nullable(Schema.String),
  carrier: nullable(Schema.Unknown),
  pay_platform: nullable(Schema.String)
})
export type Details = typeof Details.Type

/** The fields a pending charge's answer shares with the notification. */
const paymentFields = {
  payment_status: Schema.String,
  amount: Schema.Union(Schema.Number, Schema.String),
  payment_date: nullable(Schema.String),
  company: nullable(Schema.String),
  hotel: nullable(Schema.String),
  voucher_url: nullable(Schema.String),
  transaction_id: nullable(IdText),
  external_ref_id: nullable(Schema.String)
}

/** §5 200, `in_process`: the notification-shaped body. */
export const ChargePending = Schema.Struct({ ...paymentFields, details: Details })
export type ChargePending = typeof ChargePending.Type

/** §5 200, `applied`: `msg` plus `details`, voucher URL possibly relative. */
export const ChargeApproved = Schema.Struct({
  msg: Schema.String,
  voucher_url: nullable(Schema.String),
  details: Details
})
export type ChargeApproved = typeof ChargeApproved.Type

/** A 200 to a charge: either documented shape; the outcome is read from `details.status_code`. */
export const ChargeAccepted = Schema.Union(ChargePending, ChargeApproved)
export type ChargeAccepted = typeof ChargeAccepted.Type

/** §5 400 with `extra_info`: a declined card, a business outcome rather than a failure. */
export const ChargeRejected = Schema.Struct({
  code: Schema.Union(Schema.Number, Schema.String),
  message: Schema.String,
  detail: Schema.String,
  extra_info: Schema.Struct({ voucher_url: nullable(Schema.String), details: Details })
})
export type ChargeRejected = typeof ChargeRejected.Type

/** §7 gift card created. */
export const GiftCardResponse = Schema.Struct({
  msg: Schema.String,
  gift_card_code: NonEmpty,
  payment_link: AbsoluteUrl,
  payment_link_code: NonEmpty
})
export type GiftCardResponse = typeof GiftCardResponse.Type

/** §8 cash order created. */
export const CashResponse = Schema.Struct({
  transaction_id: IdText,
  apm_detail_id: Schema.Number,
  checkout_url: AbsoluteUrl
})
export type CashResponse = typeof CashResponse.Type

const NonNegativeInt = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))

/** §9 `GET /v2/hotels`. */
export const HotelsPage = Schema.Struct({
  paginate_info: Schema.Struct({
    start: NonNegativeInt,
    items: NonNegativeInt,
    total_items: NonNegativeInt,
    total_pages: NonNegativeInt,
    links: nullable(
      Schema.Struct({
        first: nullable(Schema.String),
        previous: nullable(Schema.String),
        next: nullable(Schema.String),
        last: nullable(Schema.String)
      })
    )
  }),
  data: Schema.Array(Schema.Struct({ id: Schema.Int, name: Schema.String, currency: Schema.String }))
})
export type HotelsPage = typeof HotelsPage.Type

/** §3 error envelope. `code` is a number or a string; `detail` carries the human explanation. */
export const ErrorEnvelope = Schema.Struct({
  code: Schema.Union(Schema.Number, Schema.String),
  message: Schema.String,
  detail: nullable(Schema.String)
})
export type ErrorEnvelope = typeof ErrorEnvelope.Type

// ---------------------------------------------------------------------------------------------
// Notifications

/**
 * §10 webhook body. Older payloads lack `details`; then `payment_status` (a Spanish label whose
 * case and accents vary) is all there is.
 */
export const WebhookPayload = Schema.Struct({ ...paymentFields, details: nullable(Details) })
export type WebhookPayload = typeof WebhookPayload.Type

// ---------------------------------------------------------------------------------------------
// Timestamps

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * Reads Autocore's timestamps (`2025-04-23 12:45:24.706330`, `2025-05-20T11:21:06.417487`). They
 * come without a zone: read in `timeZone` (spec [decision]: UTC-5, `America/Bogota`). An explicit
 * zone, if Autocore ever sends one, wins. Undefined when the text is not such a timestamp.
 */
export const parseTimestamp = (text: string, timeZone: string): Date | undefined => {
  const match = TIMESTAMP.exec(text.trim())
  if (match === null) return undefined
  const [, y, mo, d, h, mi, s, fraction, zone] = match
  const millis = Number((fraction ?? "0").padEnd(3, "0").slice(0, 3))
  // Date.UTC reads years 0–99 as 1900–1999 and rolls 10:60 or 2025-02-30 over: refuse what does not
  // exist instead of reading it as something else.
  if (Number(y) < 1000 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis)
  const check = new Date(local)
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined
  if (zone === undefined) {
    // The wall clock in the configured zone, at the offset in force then.
    const zoned = DateTime.makeZoned(local, { timeZone, adjustForTimeZone: true, disambiguation: "compatible" })
    return Option.getOrUndefined(Option.map(zoned, (at) => new Date(DateTime.toEpochMillis(at))))
  }
  if (zone === "Z") return new Date(local)
  const digits = zone.replace(":", "")
  const hours = Number(digits.slice(1, 3))
  const minutes = Number(digits.slice(3, 5))
  if (hours > 14 || minutes > 59) return undefined
  return new Date(local - (digits.startsWith("-") ? -1 : 1) * (hours * 60 + minutes) * 60_000)
}
