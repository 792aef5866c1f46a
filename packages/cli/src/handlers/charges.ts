/** What `pasarela charges create` does. */
import type * as Command from "@effect/cli/Command"
import { type Charge, Charges, Fields, Validation } from "@pasarela/core"
import { readConfigFile } from "@pasarela/node"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { Config as PasarelaConfig } from "pasarela"
import * as ConfigFile from "../ConfigFile.js"
import type { createOptions } from "../commands/charges.js"
import { print, table } from "../Output.js"
import { withPasarela } from "../Shared.js"
import { parseMoney } from "./links.js"

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

const refuse = (message: string) =>
  Effect.fail(Validation.invalid({ provider: "cli", operation: "charges.create" }, [{ path: "", message }]))

export const create = (o: Command.Command.ParseConfig<typeof createOptions>) =>
  Effect.gen(function* () {
    const raw = yield* readConfigFile(o.config)
    const scoped = yield* ConfigFile.forMerchant(raw, o.merchant)
    const settings = Either.getOrUndefined(Schema.decodeUnknownEither(PasarelaConfig.PasarelaConfig)(scoped))
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
      scoped,
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
