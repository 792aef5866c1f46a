/**
 * PlacetoPay's test cards (spec §5) and what the sandbox does with a card number. The full number
 * is only ever looked at here, to decide the outcome; callers keep the last four digits.
 */

export type CardOutcome = "APPROVED" | "REJECTED" | "PENDING_APPROVED" | "PENDING_REJECTED" | "UNKNOWN_CARD"

/** The test cards by outcome, as PlacetoPay's test environment documents them (the checkout page lists them). */
export const testCards: ReadonlyArray<readonly [Exclude<CardOutcome, "UNKNOWN_CARD">, ReadonlyArray<string>]> = [
  [
    "APPROVED",
    [
      "4110760000000081",
      "4381080000000029",
      "4111111111111111",
      "5367680000000005",
      "377222581193005",
      "36545400000008"
    ]
  ],
  ["REJECTED", ["4110760000000016", "4005580000000040", "5367680000000013", "376651792202224", "36545400000248"]],
  ["PENDING_APPROVED", ["4110760000000073", "4509564638437551"]],
  ["PENDING_REJECTED", ["4048370000000037", "4381080000000003"]]
]

const outcomes: ReadonlyMap<string, CardOutcome> = new Map(
  testCards.flatMap(([outcome, numbers]) => numbers.map((n) => [n, outcome] as const))
)

/** Luhn (mod 10) check over a string of digits. */
export const luhnValid = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** Digits only, spaces and dashes allowed as separators. */
export const normalizeNumber = (number: string): string | undefined => {
  const digits = number.replace(/[\s-]/g, "")
  return /^\d{13,19}$/.test(digits) ? digits : undefined
}

export const outcomeOf = (digits: string): CardOutcome => outcomes.get(digits) ?? "UNKNOWN_CARD"

export interface Brand {
  readonly paymentMethod: string
  readonly franchise: string
  readonly issuerName: string
}

/** Network from the number's prefix, with the franchise codes PlacetoPay reports. */
export const brandOf = (digits: string): Brand => {
  const two = Number(digits.slice(0, 2))
  const four = Number(digits.slice(0, 4))
  if (digits.startsWith("4"))
    return { paymentMethod: "visa", franchise: "CR_VS", issuerName: "JPMORGAN CHASE BANK, N.A." }
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))
    return { paymentMethod: "master", franchise: "RM_MC", issuerName: "BANCOLOMBIA S.A." }
  if (two === 34 || two === 37) return { paymentMethod: "amex", franchise: "CR_AM", issuerName: "AMERICAN EXPRESS" }
  if (two === 36 || two === 38 || (four >= 3000 && four <= 3059))
    return { paymentMethod: "diners", franchise: "CR_DN", issuerName: "BANCO DAVIVIENDA S.A." }
  return { paymentMethod: "card", franchise: "CR_OT", issuerName: "UNKNOWN ISSUER" }
}

const EXPIRY = /^(\d{2})\/(\d{2}|\d{4})$/

/**
 * `MM/YY` or `MM/YYYY`; the card is valid through the end of that month (UTC).
 * Returns the first instant after validity, or undefined when malformed.
 */
export const expiryEnd = (expiry: string): number | undefined => {
  const m = EXPIRY.exec(expiry)
  if (m === null) return undefined
  const month = Number(m[1])
  if (month < 1 || month > 12) return undefined
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2])
  return Date.UTC(year, month, 1)
}
