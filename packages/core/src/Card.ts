/**
 * Card data for direct charges. Number, CVV and holder are `Redacted`: they print as `<redacted>`
 * and never reach logs, errors or spans. Validation messages never echo them.
 */
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/** Luhn (mod 10) checksum over a digit string. */
export const luhnValid = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

const redactedText = (check: (value: string) => string | true) =>
  Schema.RedactedFromSelf(Schema.String).pipe(Schema.filter((r) => check(Redacted.value(r))))

export const CardNumber = redactedText((n) =>
  /^\d{12,19}$/.test(n) ? true : "must be 12 to 19 digits, without spaces"
).annotations({ identifier: "CardNumber" })

export const Cvv = redactedText((c) => (/^\d{3,4}$/.test(c) ? true : "must be 3 or 4 digits")).annotations({
  identifier: "Cvv"
})

export const HolderName = redactedText((h) =>
  h.trim().length === 0 || h.length > 60
    ? "must be 1 to 60 characters"
    : // Printed on the gateway's records like any text: the rule `Fields.Text` has.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
      /[\u0000-\u001f\u007f]/.test(h)
      ? "must not contain control characters"
      : true
).annotations({ identifier: "HolderName" })

export const Card = Schema.Struct({
  number: CardNumber,
  cvv: Cvv,
  expiryMonth: Schema.Number.pipe(
    Schema.filter((m) => (Number.isInteger(m) && m >= 1 && m <= 12) || "must be a month from 1 to 12")
  ),
  expiryYear: Schema.Number.pipe(
    Schema.filter((y) => (Number.isInteger(y) && y >= 2000 && y <= 2099) || "must be a four-digit year")
  ),
  holderName: HolderName,
  /**
   * Skips the Luhn check for this card. Only for a provider's test card that is deliberately not
   * Luhn-valid (Autocore's declined test card `1111111111111111`); never for real cards.
   */
  skipLuhnCheck: Schema.optional(Schema.Boolean)
}).pipe(
  Schema.filter((card) =>
    card.skipLuhnCheck === true || luhnValid(Redacted.value(card.number))
      ? undefined
      : { path: ["number"], message: "is not a valid card number (Luhn check failed)" }
  )
)
export type Card = typeof Card.Type

/** True when the card's expiry month has fully passed at `now` (cards are valid through their month's end). */
export const isExpired = (card: Pick<Card, "expiryMonth" | "expiryYear">, now: Date): boolean =>
  card.expiryYear < now.getUTCFullYear() ||
  (card.expiryYear === now.getUTCFullYear() && card.expiryMonth < now.getUTCMonth() + 1)

/** `**** 1111`: the only form of a card number fit for display. */
export const lastFour = (card: Pick<Card, "number">): string => Redacted.value(card.number).slice(-4)

/** Builds card input from plain strings (wraps the secrets in `Redacted` for you). */
export const make = (card: {
  readonly number: string
  readonly cvv: string
  readonly expiryMonth: number
  readonly expiryYear: number
  readonly holderName: string
  readonly skipLuhnCheck?: boolean
}): typeof Card.Encoded => ({
  number: Redacted.make(card.number),
  cvv: Redacted.make(card.cvv),
  expiryMonth: card.expiryMonth,
  expiryYear: card.expiryYear,
  holderName: Redacted.make(card.holderName),
  ...(card.skipLuhnCheck === undefined ? {} : { skipLuhnCheck: card.skipLuhnCheck })
})
