/**
 * What a charge does, decided by the (decrypted) card like Autocore's test environment (spec §5).
 * No Luhn check: 1111111111111111 fails Luhn on purpose and must still reach "declined" (a client
 * sends it with `skipLuhnCheck: true`).
 */
import type { Outcome } from "./Model.js"
import { colombiaYearMonth } from "./Time.js"

export type Scenario =
  | { readonly _tag: "Approved" }
  | { readonly _tag: "Declined"; readonly comments: string }
  | { readonly _tag: "Pending"; readonly settlesTo: Outcome }
  /** Autocore's `invalid_card` / "Tarjeta no válida": a number that is not a test card, or expired. */
  | { readonly _tag: "InvalidCard"; readonly comments: string }

export const insufficientFunds = "Fondos insuficientes."
export const invalidNumber = "El número de tarjeta de crédito no es válido."
export const expiredCard = "La tarjeta está vencida."

/** One of Autocore's test cards (spec §5): any future expiry, CVC 123. */
export interface TestCard {
  readonly number: string
  readonly outcome: "approved" | "declined" | "pending, then approved" | "pending, then declined"
  /**
   * The number fails the Luhn check on purpose: Pasarela refuses it as a card number unless the
   * charge says `skipLuhnCheck: true` (`--skip-luhn` in the CLI).
   */
  readonly skipLuhnCheck?: true
}

/** Autocore's test cards, as its development environment and this simulator treat them. */
export const list: ReadonlyArray<TestCard> = [
  { number: "4111111111111111", outcome: "approved" },
  { number: "1111111111111111", outcome: "declined", skipLuhnCheck: true },
  { number: "36417002140808", outcome: "pending, then approved" },
  { number: "5555555555554444", outcome: "pending, then declined" }
]

const scenarioOf = (card: TestCard): Scenario => {
  switch (card.outcome) {
    case "approved":
      return { _tag: "Approved" }
    case "declined":
      return { _tag: "Declined", comments: insufficientFunds }
    case "pending, then approved":
      return { _tag: "Pending", settlesTo: "approved" }
    case "pending, then declined":
      return { _tag: "Pending", settlesTo: "declined" }
  }
}

/** Each test card number → what a charge or a payment with it does (the hosted pay page lists them). */
export const testCards: Readonly<Record<string, Scenario>> = Object.fromEntries(
  list.map((card) => [card.number, scenarioOf(card)])
)

/** A card is valid through the last day of its expiry month (Colombia time). */
export const isExpired = (year: number, month: number, nowMillis: number): boolean => {
  const now = colombiaYearMonth(nowMillis)
  return year < now.year || (year === now.year && month < now.month)
}

/** `number` is digits only (format is validated before). An expired card is invalid whatever its number. */
export const scenario = (number: string, expired: boolean): Scenario => {
  if (expired) return { _tag: "InvalidCard", comments: expiredCard }
  return testCards[number] ?? { _tag: "InvalidCard", comments: invalidNumber }
}
