/**
 * Payment links: a URL the guest opens to pay. The creation input is the union of what the
 * gateways can express, named neutrally; a provider refuses (never drops) a field it cannot honour.
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  CalendarDate,
  HttpUrl,
  Locale,
  Metadata,
  PositiveInt,
  ProviderOptions,
  Reference,
  Text,
  ValidDate
} from "./Fields.js"
import { MoneyFromJson, MoneyFromSelf } from "./Money.js"
import { Payer } from "./Payer.js"

/** Neutral payment-method codes; each adapter maps them to its own and refuses what it lacks. */
export const PaymentMethod = Schema.Literal(
  "card",
  "visa",
  "mastercard",
  "amex",
  "diners",
  "pse",
  "nequi",
  "daviplata",
  "sinpe_movil",
  "cash",
  "preloaded_balance",
  "gift_card"
)
export type PaymentMethod = typeof PaymentMethod.Type

export const TaxKind = Schema.Literal(
  "valueAddedTax",
  "exciseDuty",
  "ice",
  "airportTax",
  "stateTax",
  "reducedStateTax",
  "municipalTax"
)
export type TaxKind = typeof TaxKind.Type

export const Tax = Schema.Struct({
  kind: TaxKind,
  /** Tax included in the link's amount. */
  amount: MoneyFromSelf,
  /** Amount the tax was computed on. */
  base: Schema.optional(MoneyFromSelf)
})
export type Tax = typeof Tax.Type

export const Booking = Schema.Struct({
  checkIn: CalendarDate,
  checkOut: CalendarDate,
  reservationId: Schema.optional(Text(64))
}).pipe(Schema.filter((b) => b.checkOut >= b.checkIn || { path: ["checkOut"], message: "must not be before checkIn" }))
export type Booking = typeof Booking.Type

export const ReturnUrls = Schema.Struct({ success: Schema.optional(HttpUrl), failure: Schema.optional(HttpUrl) })
export type ReturnUrls = typeof ReturnUrls.Type

/** The longest link lifetime accepted. */
export const MAX_LIFETIME = Duration.days(365)

/**
 * A duration as `Duration`, `"24 hours"`, or milliseconds: positive and at most a year.
 */
export const Lifetime = Schema.transformOrFail(
  Schema.Union(Schema.DurationFromSelf, Schema.String, Schema.Number),
  Schema.DurationFromSelf,
  {
    strict: true,
    decode: (input, _, ast) =>
      Option.match(Duration.decodeUnknown(input), {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, input, 'must be a duration such as "24 hours"')),
        onSome: (d) =>
          Duration.greaterThan(d, Duration.zero) && Duration.lessThanOrEqualTo(d, MAX_LIFETIME)
            ? ParseResult.succeed(d)
            : ParseResult.fail(new ParseResult.Type(ast, input, "must be more than zero and at most 365 days"))
      }),
    encode: ParseResult.succeed
  }
).annotations({ identifier: "Lifetime" })

export const CreatePaymentLink = Schema.Struct({
  /** The hotel (merchant) this link is for; the router dispatches on it. */
  merchantId: Schema.optional(Text(64)),
  reference: Reference,
  description: Text(250),
  /** Short title shown to the payer (PlacetoPay's `name`); defaults to the description. */
  title: Schema.optional(Text(120)),
  amount: MoneyFromSelf,
  taxes: Schema.optional(Schema.Array(Tax)),
  payer: Schema.optional(Payer),
  expiresAt: Schema.optional(ValidDate),
  expiresIn: Schema.optional(Lifetime),
  paymentMethods: Schema.optional(Schema.Array(PaymentMethod)),
  /** Approved payments the link accepts; 1 (single use) when absent. */
  maxPayments: Schema.optional(PositiveInt),
  notificationUrl: Schema.optional(HttpUrl),
  returnUrls: Schema.optional(ReturnUrls),
  locale: Schema.optional(Locale),
  installments: Schema.optional(PositiveInt),
  booking: Schema.optional(Booking),
  metadata: Schema.optional(Metadata),
  /** Vendor-only options keyed by provider name, typed and validated by each adapter. */
  providerOptions: Schema.optional(ProviderOptions)
}).pipe(
  Schema.filter((input) => {
    const issues: Array<Schema.FilterIssue> = []
    if (input.expiresAt !== undefined && input.expiresIn !== undefined) {
      issues.push({ path: ["expiresIn"], message: "give expiresAt or expiresIn, not both" })
    }
    input.taxes?.forEach((tax, i) => {
      if (tax.amount.currency !== input.amount.currency || (tax.base && tax.base.currency !== input.amount.currency)) {
        issues.push({ path: ["taxes", i], message: `must be in ${input.amount.currency} like the amount` })
      }
    })
    return issues
  })
)
export type CreatePaymentLink = typeof CreatePaymentLink.Type
/** What callers pass to `PaymentLinks.create` (before validation). */
export type CreatePaymentLinkInput = typeof CreatePaymentLink.Encoded

/** When the link stops accepting payments, given the current time; undefined when the input sets none. */
export const expiryOf = (
  input: { readonly expiresAt?: Date | undefined; readonly expiresIn?: Duration.Duration | undefined },
  now: Date
): Date | undefined =>
  input.expiresAt ??
  (input.expiresIn === undefined ? undefined : new Date(now.getTime() + Duration.toMillis(input.expiresIn)))

export const LinkStatus = Schema.Literal("active", "paid", "expired", "disabled", "unknown")
export type LinkStatus = typeof LinkStatus.Type

export const PaymentStatus = Schema.Literal(
  "approved",
  "pending",
  "declined",
  "refunded",
  "partially_refunded",
  "failed",
  "unknown"
)
export type PaymentStatus = typeof PaymentStatus.Type

/** One payment attempt made through a link. */
export const LinkPayment = Schema.Struct({
  id: Schema.String,
  status: PaymentStatus,
  /** The provider's own status text, kept as received. */
  providerStatus: Schema.String,
  amount: Schema.optional(MoneyFromSelf),
  paidAt: Schema.optional(Schema.DateFromSelf),
  method: Schema.optional(Schema.String),
  authorization: Schema.optional(Schema.String),
  receipt: Schema.optional(Schema.String),
  /** Last four digits of the card, when a card paid. */
  lastDigits: Schema.optional(Schema.String)
})
export type LinkPayment = typeof LinkPayment.Type

export const PaymentLink = Schema.Struct({
  /** Id to use with `get` / `disable` (the router's ids also encode merchant and provider). */
  id: Schema.String,
  provider: Schema.String,
  merchantId: Schema.optional(Schema.String),
  url: Schema.String,
  reference: Schema.String,
  description: Schema.optional(Schema.String),
  amount: MoneyFromSelf,
  status: LinkStatus,
  /** The provider's own status, kept as received (`ACTIVE`, `EXPIRED`…). */
  providerStatus: Schema.String,
  expiresAt: Schema.optional(Schema.DateFromSelf),
  maxPayments: Schema.optional(Schema.Number),
  payments: Schema.Array(LinkPayment)
})
export type PaymentLink = typeof PaymentLink.Type

/** A payment link as JSON (money as `{ amount, currency }`, dates as ISO text), e.g. to store it. */
export const PaymentLinkJson = Schema.Struct({
  ...PaymentLink.fields,
  amount: MoneyFromJson,
  expiresAt: Schema.optional(Schema.Date),
  payments: Schema.Array(
    Schema.Struct({
      ...LinkPayment.fields,
      amount: Schema.optional(MoneyFromJson),
      paidAt: Schema.optional(Schema.Date)
    })
  )
})
