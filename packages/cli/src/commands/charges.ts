/**
 * `pasarela charges create`: card entry from a terminal, allowed only against sandboxes and test
 * environments — typing a real card into a shell puts it in history and screen buffers.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { type Charge, Charges, Fields, Validation } from "@pasarela/core"
import { readConfigFile } from "@pasarela/node"
import { AutocoreSandbox } from "@pasarela/sandbox"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { Config as PasarelaConfig } from "pasarela"
import { print, table } from "../Output.js"
import { config, json, merchant, withPasarela } from "../Shared.js"
import { amount, currency, parseMoney } from "./links.js"

/** Hosts of providers' test environments. */
const testHosts = new Set(["sites-test.placetopay.com", "checkout-test.placetopay.com", "api-dev.autocore.pro"])
const testPresets = new Set(["test", "development"])

/** True when the merchant's provider is a sandbox, a test environment or the memory provider. */
export const isTestEnvironment = (settings: PasarelaConfig.ProviderSettings): boolean => {
  if (settings.provider === "memory") return true
  const baseUrl = settings.options.baseUrl
  if (typeof baseUrl !== "string") return false
  if (testPresets.has(baseUrl)) return true
  try {
    const host = new URL(baseUrl).hostname
    return Fields.isLoopbackHost(host) || testHosts.has(host)
  } catch {
    return false
  }
}

const chargeRows = (charge: Charge.Charge) =>
  table([
    ["outcome", charge.outcome],
    ["id", charge.id],
    ["merchant", charge.merchantId],
    ["provider", charge.provider],
    ["reference", charge.reference],
    ["amount", charge.amount],
    ["card", `**** ${charge.lastDigits}`],
    ["reason", charge.declineReason],
    ["voucher", charge.voucherUrl]
  ])

/** `MM/YYYY` → month and year. */
const parseExpiry = (text: string) => {
  const match = /^(\d{1,2})\/(\d{4})$/.exec(text)
  return match === null ? undefined : { expiryMonth: Number(match[1]), expiryYear: Number(match[2]) }
}

/** Autocore's test cards as a line of help: the one that fails Luhn on purpose says `--skip-luhn`. */
export const testCardsHelp = AutocoreSandbox.testCards
  .map(
    (card) =>
      `${card.number} ${card.outcome}${card.skipLuhnCheck ? " (fails the Luhn check on purpose: add --skip-luhn)" : ""}`
  )
  .join("; ")

const refuse = (message: string) =>
  Effect.fail(Validation.invalid({ provider: "cli", operation: "charges.create" }, [{ path: "", message }]))

const create = Command.make(
  "create",
  {
    config,
    json,
    merchant,
    reference: Options.text("reference"),
    description: Options.text("description").pipe(Options.optional),
    amount,
    currency,
    installments: Options.integer("installments").pipe(Options.withDefault(1)),
    cardNumber: Options.redacted("card-number").pipe(
      Options.withDescription(`a test card number; Autocore's (any future expiry, CVC 123): ${testCardsHelp}`)
    ),
    cvv: Options.redacted("cvv"),
    expiry: Options.text("expiry").pipe(Options.withDescription("MM/YYYY")),
    holder: Options.text("holder"),
    payerName: Options.text("payer-name"),
    payerSurname: Options.text("payer-surname"),
    payerEmail: Options.text("payer-email").pipe(Options.optional),
    skipLuhn: Options.boolean("skip-luhn").pipe(
      Options.withDescription(
        "charge a provider's test card that fails the Luhn check on purpose (Autocore's declined 1111111111111111); skipLuhnCheck: true in code"
      )
    )
  },
  (o) =>
    Effect.gen(function* () {
      const raw = yield* readConfigFile(o.config)
      const settings = Either.getOrUndefined(Schema.decodeUnknownEither(PasarelaConfig.PasarelaConfig)(raw))
      const merchantSettings = settings?.merchants[o.merchant]
      if (merchantSettings !== undefined && !isTestEnvironment(merchantSettings)) {
        return yield* refuse(
          `merchant "${o.merchant}" points at a production environment: card entry from a terminal is for sandboxes and test environments only`
        )
      }
      const expiry = parseExpiry(o.expiry)
      if (expiry === undefined) return yield* refuse("--expiry must be MM/YYYY, e.g. 12/2030")
      const money = yield* parseMoney(o.amount, o.currency, "charges.create")
      const charge = yield* withPasarela(
        o.config,
        Effect.flatMap(Charges, (charges) =>
          charges.create({
            merchantId: o.merchant,
            reference: o.reference,
            amount: money,
            installments: o.installments,
            ...Option.match(o.description, { onNone: () => ({}), onSome: (description) => ({ description }) }),
            payer: {
              name: o.payerName,
              surname: o.payerSurname,
              ...Option.match(o.payerEmail, { onNone: () => ({}), onSome: (email) => ({ email }) })
            },
            card: {
              number: o.cardNumber,
              cvv: o.cvv,
              ...expiry,
              holderName: Redacted.make(o.holder),
              ...(o.skipLuhn ? { skipLuhnCheck: true } : {})
            }
          })
        )
      )
      yield* print(o.json, charge, () => chargeRows(charge))
    })
).pipe(Command.withDescription("charge a test card (sandbox and test environments only)"))

export const charges = Command.make("charges").pipe(
  Command.withDescription("card charges"),
  Command.withSubcommands([create])
)
