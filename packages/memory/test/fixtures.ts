/** Inputs shared by the memory provider's tests. */
import { Card, type Charge, Money, type PaymentLink } from "@pasarela/core"

export const amount = Money.make("120000", "COP")

export const payer = { name: "Laura", surname: "Pelaez", email: "laura@example.com" } as const

export const linkInput = (
  overrides: Partial<PaymentLink.CreatePaymentLinkInput> = {}
): PaymentLink.CreatePaymentLinkInput => ({
  reference: "BK-1001",
  description: "2 nights, double room",
  amount,
  payer,
  ...overrides
})

export const card = (number: string, overrides: Partial<Parameters<typeof Card.make>[0]> = {}) =>
  Card.make({ number, cvv: "123", expiryMonth: 12, expiryYear: 2099, holderName: "JOHN DOE", ...overrides })

export const chargeInput = (
  number: string,
  overrides: Partial<Charge.CreateChargeInput> = {},
  cardOverrides: Partial<Parameters<typeof Card.make>[0]> = {}
): Charge.CreateChargeInput => ({
  reference: "FOLIO-77",
  amount: Money.make("50000", "COP"),
  payer,
  card: card(number, cardOverrides),
  ...overrides
})
