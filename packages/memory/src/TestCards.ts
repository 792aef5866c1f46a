/**
 * The cards the memory provider recognises: the test cards of Autocore (spec §5) and PlacetoPay
 * (spec §5), with the same outcomes. Any other valid card is approved. Use these constants in your
 * own tests instead of copying numbers around.
 */

/** What charging a card does. */
export type Scenario =
  | { readonly _tag: "Approved" }
  | { readonly _tag: "Declined"; readonly reason: string }
  | { readonly _tag: "Pending"; readonly settlesTo: "approved" | "declined"; readonly reason?: string }

/** The decline reason the memory provider gives, in the providers' own style. */
export const insufficientFunds = "Fondos insuficientes."

export const approved = {
  /** Autocore and PlacetoPay (Visa). */
  visa: "4111111111111111",
  visa2: "4110760000000081",
  visa3: "4381080000000029",
  mastercard: "5367680000000005",
  amex: "377222581193005",
  diners: "36545400000008"
} as const

export const declined = {
  /** Autocore's declined card. It fails the Luhn check on purpose: charge it with `skipLuhnCheck: true`. */
  autocore: "1111111111111111",
  visa: "4110760000000016",
  visa2: "4005580000000040",
  mastercard: "5367680000000013",
  amex: "376651792202224",
  diners: "36545400000248"
} as const

export const pendingThenApproved = {
  /** Autocore (Diners). */
  autocore: "36417002140808",
  visa: "4110760000000073",
  visa2: "4509564638437551"
} as const

export const pendingThenDeclined = {
  /** Autocore (Mastercard). */
  autocore: "5555555555554444",
  visa: "4048370000000037",
  visa2: "4381080000000003"
} as const

const table: ReadonlyMap<string, Scenario> = new Map<string, Scenario>([
  ...Object.values(approved).map((n) => [n, { _tag: "Approved" }] as const),
  ...Object.values(declined).map((n) => [n, { _tag: "Declined", reason: insufficientFunds }] as const),
  ...Object.values(pendingThenApproved).map((n) => [n, { _tag: "Pending", settlesTo: "approved" }] as const),
  ...Object.values(pendingThenDeclined).map(
    (n) => [n, { _tag: "Pending", settlesTo: "declined", reason: insufficientFunds }] as const
  )
])

const anyOtherCard: Scenario = { _tag: "Approved" }

/** The scenario for a card number (digits only). Unknown valid cards are approved. */
export const scenarioOf = (number: string): Scenario => table.get(number) ?? anyOtherCard
