/** Inputs and settings shared by the pure tests; the sample order and gift card serve the tests on the simulator too. */
import { Card, Charge, GiftCard, Money, type Payer, PaymentLink, PaymentOrder } from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Mapping from "../src/Mapping.js"

export const webhookSecret = Redacted.make("test-webhook-secret-0123456789")

export const settings: Mapping.Settings = {
  hotelId: 5,
  merchantId: "hotel-abc",
  source: undefined,
  currency: "COP",
  sendCurrency: false,
  notificationUrl: undefined,
  webhookSecret,
  timeZone: "America/Bogota",
  webhookTokenLifetime: Duration.days(30),
  baseUrl: "https://api-dev.autocore.pro"
}

export const now = new Date("2026-01-10T12:00:00.000Z")
/** A create's moment and nonce (fixed, so URLs and tokens are reproducible). */
export const stamp: Mapping.Stamp = { now, nonce: "bm9uY2Utb2YtYS10ZXN0LWNyZWF0ZQ" }
export const futureYear = now.getUTCFullYear() + 3

export const payer: typeof Payer.Payer.Encoded = {
  name: "Laura",
  surname: "Pelaez",
  email: "laura@example.com",
  phone: { callingCode: "+57", number: "3012104512" },
  country: "CO"
}

export const link = (overrides: Partial<PaymentLink.CreatePaymentLinkInput> = {}): PaymentLink.CreatePaymentLink =>
  Schema.decodeUnknownSync(PaymentLink.CreatePaymentLink)({
    reference: "BK-00230690",
    description: "Reserva de 3 dias en Hotel ABC",
    amount: Money.make("120000", "COP"),
    payer,
    ...overrides
  })

export const card = (number = "4111111111111111", overrides: Partial<Parameters<typeof Card.make>[0]> = {}) =>
  Card.make({ number, cvv: "123", expiryMonth: 12, expiryYear: futureYear, holderName: "JOHN DOE", ...overrides })

export const charge = (overrides: Partial<Charge.CreateChargeInput> = {}): Charge.CreateCharge =>
  Schema.decodeUnknownSync(Charge.CreateCharge)({
    reference: "123456789",
    description: "Booking payment Hotel ABC",
    amount: Money.make("1000", "COP"),
    payer: {
      name: "Jhon",
      surname: "Doe",
      email: "jhon@example.com",
      phone: { callingCode: "+57", number: "3012104578" },
      address: "My address",
      document: { type: "CC", number: "123456789" },
      ip: "181.204.153.195"
    },
    card: card(),
    ...overrides
  })

/** A cash order as a caller passes it (the tests on the simulator give it their own reference). */
export const orderInput = (
  overrides: Partial<PaymentOrder.CreatePaymentOrderInput> = {}
): PaymentOrder.CreatePaymentOrderInput => ({
  reference: "CASH-1",
  description: "Booking payment Hotel ABC",
  amount: Money.make("123000", "COP"),
  payer: {
    name: "Jhon",
    surname: "Doe",
    email: "jhon@example.com",
    phone: { callingCode: "+57", number: "3012105687" },
    address: "My address",
    document: { type: "CC", number: "123456789" },
    ip: "181.204.153.195"
  },
  method: "daviplata",
  personType: "N",
  returnUrl: "https://mywebpage/payment/response",
  ...overrides
})

export const order = (overrides: Partial<PaymentOrder.CreatePaymentOrderInput> = {}): PaymentOrder.CreatePaymentOrder =>
  Schema.decodeUnknownSync(PaymentOrder.CreatePaymentOrder)(orderInput(overrides))

/**
 * A gift card as a caller passes it, without a notification URL (on the simulator the adapter's
 * default receives its events; the tests give it their own reference).
 */
export const giftCardInput = (overrides: Partial<GiftCard.CreateGiftCardInput> = {}): GiftCard.CreateGiftCardInput => ({
  reference: "id_345",
  amount: Money.make("50000", "COP"),
  sender: {
    name: "Jhon Doe",
    email: "jhon@example.com",
    phone: { callingCode: "+57", number: "5551234" },
    address: "123 Main St",
    document: { type: "CC", number: "11113333" }
  },
  recipient: { name: "Jane Doe", email: "jane@example.com" },
  note: "Happy Birthday!",
  returnUrls: { success: "https://app-dev.autocore.pro/", failure: "https://app.autocore.pro/" },
  ...overrides
})

/** The gift card decoded; `settings` has no default notification URL, so it carries its own. */
export const giftCard = (overrides: Partial<GiftCard.CreateGiftCardInput> = {}): GiftCard.CreateGiftCard =>
  Schema.decodeUnknownSync(GiftCard.CreateGiftCard)(
    giftCardInput({ notificationUrl: "https://hooks.example.com/autocore", ...overrides })
  )
