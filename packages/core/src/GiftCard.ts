/** Gift cards: bought through a payment link; the balance activates once that link is paid. */
import * as Schema from "effect/Schema"
import { Email, HttpUrl, ProviderOptions, Reference, Text } from "./Fields.js"
import { MoneyFromJson, MoneyFromSelf } from "./Money.js"
import { Document, Phone } from "./Payer.js"

export const CreateGiftCard = Schema.Struct({
  merchantId: Schema.optional(Text(64)),
  reference: Reference,
  amount: MoneyFromSelf,
  sender: Schema.Struct({
    name: Text(120),
    email: Email,
    phone: Phone,
    address: Text(200),
    document: Document
  }),
  recipient: Schema.Struct({ name: Text(120), email: Email }),
  /** Message printed on the gift card. */
  note: Text(250),
  returnUrls: Schema.Struct({ success: HttpUrl, failure: HttpUrl }),
  notificationUrl: Schema.optional(HttpUrl),
  providerOptions: Schema.optional(ProviderOptions)
})
export type CreateGiftCard = typeof CreateGiftCard.Type
export type CreateGiftCardInput = typeof CreateGiftCard.Encoded

export const GiftCard = Schema.Struct({
  /** The code the recipient redeems. */
  code: Schema.String,
  provider: Schema.String,
  merchantId: Schema.optional(Schema.String),
  reference: Schema.String,
  amount: MoneyFromSelf,
  /** `pending_payment` until the purchase link is paid; then the balance is active. */
  status: Schema.Literal("pending_payment", "active"),
  paymentLink: Schema.Struct({ id: Schema.String, url: Schema.String })
})
export type GiftCard = typeof GiftCard.Type

/** A gift card as JSON (money as `{ amount, currency }`), e.g. to store it. */
export const GiftCardJson = Schema.Struct({ ...GiftCard.fields, amount: MoneyFromJson })
