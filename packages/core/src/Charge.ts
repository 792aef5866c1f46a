/**
 * Direct card charges (front desk, virtual terminal). A decline is a result, not an error: the
 * outcome is `approved | pending | declined`.
 */
import * as Schema from "effect/Schema"
import { Card } from "./Card.js"
import { HttpUrl, Metadata, PositiveInt, ProviderOptions, Reference, Text } from "./Fields.js"
import { MoneyFromJson, MoneyFromSelf } from "./Money.js"
import { Payer } from "./Payer.js"

/** A rate between 0 and 1 as decimal text: `"0.19"`. */
export const Rate = Schema.String.pipe(
  Schema.filter((s) => (/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/.test(s) ? true : "must be a rate from 0 to 1 such as 0.19"))
)

export const CreateCharge = Schema.Struct({
  merchantId: Schema.optional(Text(64)),
  reference: Reference,
  description: Schema.optional(Text(250)),
  /** Total to charge, taxes and service included. */
  amount: MoneyFromSelf,
  /** Share of the amount that is tax, e.g. `"0.19"`. */
  taxRate: Schema.optional(Rate),
  /** Share of the amount that is service charge. */
  serviceRate: Schema.optional(Rate),
  installments: Schema.optional(PositiveInt),
  payer: Payer,
  card: Card,
  notificationUrl: Schema.optional(HttpUrl),
  metadata: Schema.optional(Metadata),
  providerOptions: Schema.optional(ProviderOptions)
})
export type CreateCharge = typeof CreateCharge.Type
export type CreateChargeInput = typeof CreateCharge.Encoded

export const ChargeOutcome = Schema.Literal("approved", "pending", "declined")
export type ChargeOutcome = typeof ChargeOutcome.Type

export const Charge = Schema.Struct({
  /** The provider's transaction id (when it gives one) or the reference. */
  id: Schema.String,
  provider: Schema.String,
  merchantId: Schema.optional(Schema.String),
  reference: Schema.String,
  amount: MoneyFromSelf,
  outcome: ChargeOutcome,
  providerStatus: Schema.String,
  /** Why it was declined, in the provider's words. */
  declineReason: Schema.optional(Schema.String),
  voucherUrl: Schema.optional(Schema.String),
  /** Last four digits of the card charged. */
  lastDigits: Schema.String,
  processedAt: Schema.optional(Schema.DateFromSelf)
})
export type Charge = typeof Charge.Type

/** A charge as JSON (money as `{ amount, currency }`, dates as ISO text), e.g. to store it. */
export const ChargeJson = Schema.Struct({
  ...Charge.fields,
  amount: MoneyFromJson,
  processedAt: Schema.optional(Schema.Date)
})
