/** `pasarela links create|get|disable` */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Money, type PaymentLink, PaymentLinks, Validation } from "@pasarela/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { print, table } from "../Output.js"
import { config, json, merchant, withPasarela } from "../Shared.js"

export const linkRows = (link: PaymentLink.PaymentLink) =>
  table([
    ["id", link.id],
    ["merchant", link.merchantId],
    ["provider", link.provider],
    ["status", link.providerStatus === "" ? link.status : `${link.status} (${link.providerStatus})`],
    ["reference", link.reference],
    ["amount", link.amount],
    ["expires", link.expiresAt],
    ["payments", link.payments.length],
    ["url", link.url]
  ])

/** Reads an amount typed on the command line; a bad one is an InvalidRequest like any other input. */
export const parseMoney = (amount: string, currency: string, operation: string) =>
  Either.match(Money.fromString(amount, currency.toUpperCase()), {
    onLeft: (error) =>
      Effect.fail(Validation.invalid({ provider: "cli", operation }, [{ path: "amount", message: error.message }])),
    onRight: Effect.succeed
  })

export const amount = Options.text("amount").pipe(Options.withDescription("amount in major units, e.g. 120000"))
export const currency = Options.text("currency").pipe(Options.withDefault("COP"))
const optionalText = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional)
const some = <K extends string, A>(key: K, value: Option.Option<A>) =>
  Option.match(value, { onNone: () => ({}), onSome: (v) => ({ [key]: v }) }) as Partial<Record<K, A>>

const create = Command.make(
  "create",
  {
    config,
    json,
    merchant,
    reference: Options.text("reference").pipe(Options.withDescription("your reference, e.g. the booking number")),
    description: Options.text("description"),
    amount,
    currency,
    expiresIn: Options.text("expires-in").pipe(Options.withDefault("24 hours")),
    payerName: optionalText("payer-name", "guest's first name"),
    payerSurname: optionalText("payer-surname", "guest's last name"),
    payerEmail: optionalText("payer-email", "guest's email"),
    notificationUrl: optionalText("notification-url", "where the provider sends notifications"),
    maxPayments: Options.integer("max-payments").pipe(Options.optional)
  },
  (o) =>
    withPasarela(
      o.config,
      Effect.gen(function* () {
        const money = yield* parseMoney(o.amount, o.currency, "links.create")
        const payer = Option.map(o.payerName, (name) => ({
          name,
          ...some("surname", o.payerSurname),
          ...some("email", o.payerEmail)
        }))
        const link = yield* (yield* PaymentLinks).create({
          merchantId: o.merchant,
          reference: o.reference,
          description: o.description,
          amount: money,
          expiresIn: o.expiresIn,
          ...some("payer", payer),
          ...some("notificationUrl", o.notificationUrl),
          ...some("maxPayments", o.maxPayments)
        })
        yield* print(o.json, link, () => linkRows(link))
      })
    )
).pipe(Command.withDescription("create a payment link for a hotel's guest"))

const id = Options.text("id").pipe(Options.withDescription("the link id printed by `links create`"))

const get = Command.make("get", { config, json, id }, (o) =>
  withPasarela(
    o.config,
    Effect.gen(function* () {
      const link = yield* (yield* PaymentLinks).get(o.id)
      yield* print(o.json, link, () => linkRows(link))
    })
  )
).pipe(Command.withDescription("show a payment link and its payments"))

const disable = Command.make("disable", { config, json, id }, (o) =>
  withPasarela(
    o.config,
    Effect.gen(function* () {
      const link = yield* (yield* PaymentLinks).disable(o.id)
      yield* print(o.json, link, () => linkRows(link))
    })
  )
).pipe(Command.withDescription("disable a payment link so it takes no more payments"))

export const links = Command.make("links").pipe(
  Command.withDescription("payment links"),
  Command.withSubcommands([create, get, disable])
)
