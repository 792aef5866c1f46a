/** What `pasarela links …` does. */
import type * as Command from "@effect/cli/Command"
import { Money, type PaymentLink, PaymentLinks, RoutedId, Validation } from "@pasarela/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { createOptions, idOptions } from "../commands/links.js"
import { print, table } from "../Output.js"
import { forMerchant } from "../Shared.js"

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

export const some = <K extends string, A>(key: K, value: Option.Option<A>) =>
  Option.match(value, { onNone: () => ({}), onSome: (v) => ({ [key]: v }) }) as Partial<Record<K, A>>

export const create = (o: Command.Command.ParseConfig<typeof createOptions>) =>
  forMerchant(
    o.config,
    o.merchant,
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

/** A link id names its merchant: only that merchant's secrets are needed to read or disable it. */
const merchantOfLink = (id: string) => Option.map(RoutedId.decode(id), (routed) => routed.merchantId)

export const get = (o: Command.Command.ParseConfig<typeof idOptions>) =>
  forMerchant(
    o.config,
    merchantOfLink(o.id),
    Effect.gen(function* () {
      const link = yield* (yield* PaymentLinks).get(o.id)
      yield* print(o.json, link, () => linkRows(link))
    })
  )

export const disable = (o: Command.Command.ParseConfig<typeof idOptions>) =>
  forMerchant(
    o.config,
    merchantOfLink(o.id),
    Effect.gen(function* () {
      const link = yield* (yield* PaymentLinks).disable(o.id)
      yield* print(o.json, link, () => linkRows(link))
    })
  )
