/**
 * Cash and alternative-method payment orders: the guest is sent to a checkout URL and pays there
 * (cash networks, wallets); the result arrives as a notification.
 */
import * as Schema from "effect/Schema"
import { Rate } from "./Charge.js"
import { HttpUrl, Metadata, ProviderOptions, Reference, Text } from "./Fields.js"
import { MoneyFromJson, MoneyFromSelf } from "./Money.js"
import { Payer } from "./Payer.js"

export const CreatePaymentOrder = Schema.Struct({
  merchantId: Schema.optional(Text(64)),
  reference: Reference,
  description: Text(250),
  amount: MoneyFromSelf,
  taxRate: Schema.optional(Rate),
  serviceRate: Schema.optional(Rate),
  payer: Payer,
  /** The provider's code of the cash method, e.g. `daviplata`. */
  method: Text(40),
  /** The provider's code of the payer's person type (natural person, company…). */
  personType: Text(10),
  /** Where the payer lands after paying. */
  returnUrl: HttpUrl,
  notificationUrl: Schema.optional(HttpUrl),
  metadata: Schema.optional(Metadata),
  providerOptions: Schema.optional(ProviderOptions)
})
export type CreatePaymentOrder = typeof CreatePaymentOrder.Type
export type CreatePaymentOrderInput = typeof CreatePaymentOrder.Encoded

export const PaymentOrder = Schema.Struct({
  id: Schema.String,
  provider: Schema.String,
  merchantId: Schema.optional(Schema.String),
  reference: Schema.String,
  amount: MoneyFromSelf,
  status: Schema.Literal("pending"),
  /** Send the payer here to complete the payment. */
  checkoutUrl: Schema.String
})
export type PaymentOrder = typeof PaymentOrder.Type

/** A payment order as JSON (money as `{ amount, currency }`), e.g. to store it. */
export const PaymentOrderJson = Schema.Struct({ ...PaymentOrder.fields, amount: MoneyFromJson })
