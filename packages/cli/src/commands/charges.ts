/**
 * `pasarela charges create`: card entry from a terminal, allowed only against sandboxes and test
 * environments — typing a real card into a shell puts it in history and screen buffers.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { list as testCards } from "@pasarela/sandbox/TestCards"
import { amount, config, currency, json, lazily, merchant, text } from "../CommonOptions.js"

/** Autocore's test cards as a line of help: the one that fails Luhn on purpose says `--skip-luhn`. */
export const testCardsHelp = testCards
  .map(
    (card) =>
      `${card.number} ${card.outcome}${card.skipLuhnCheck ? " (fails the Luhn check on purpose: add --skip-luhn)" : ""}`
  )
  .join("; ")

export const createOptions = {
  config,
  json,
  merchant,
  reference: text("reference", "your reference for the charge, e.g. CH-1001"),
  description: text("description", "what is charged for").pipe(Options.optional),
  amount,
  currency,
  installments: Options.integer("installments").pipe(
    Options.withDescription("number of installments, a whole number"),
    Options.withDefault(1)
  ),
  cardNumber: Options.redacted("card-number").pipe(
    Options.withDescription(`a test card number; Autocore's (any future expiry, CVC 123): ${testCardsHelp}`)
  ),
  cvv: Options.redacted("cvv").pipe(Options.withDescription("the card's security code, 3 or 4 digits")),
  expiry: text("expiry", "the card's expiry month and year, MM/YYYY, e.g. 12/2030"),
  holder: text("holder", "the name on the card, e.g. JOHN DOE"),
  payerName: text("payer-name", "the payer's first name"),
  payerSurname: text("payer-surname", "the payer's last name"),
  payerEmail: text("payer-email", "the payer's email address").pipe(Options.optional),
  skipLuhn: Options.boolean("skip-luhn").pipe(
    Options.withDescription(
      "charge a provider's test card that fails the Luhn check on purpose (Autocore's declined 1111111111111111); skipLuhnCheck: true in code"
    )
  )
}

const create = Command.make(
  "create",
  createOptions,
  lazily(() => import("../handlers/charges.js"), "create")
).pipe(Command.withDescription("charge a test card (sandbox and test environments only)"))

export const charges = Command.make("charges").pipe(
  Command.withDescription("card charges"),
  Command.withSubcommands([create])
)
