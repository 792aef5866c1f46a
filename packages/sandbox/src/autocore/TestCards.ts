/**
 * What a charge does, decided by the (decrypted) card like Autocore's test environment (spec §5).
 * No Luhn check: 1111111111111111 fails Luhn on purpose and must still reach "declined".
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

/** Autocore's test cards (spec §5); the hosted pay page lists them. */
export const testCards: Readonly<Record<string, Scenario>> = {
  "4111111111111111": { _tag: "Approved" },
  "1111111111111111": { _tag: "Declined", comments: insufficientFunds },
  "36417002140808": { _tag: "Pending", settlesTo: "approved" },
  "5555555555554444": { _tag: "Pending", settlesTo: "declined" }
}

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
