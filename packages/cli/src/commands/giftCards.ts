/** `pasarela gift-cards create` */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { GiftCards } from "@pasarela/core"
import * as Effect from "effect/Effect"
import { print, table } from "../Output.js"
import { config, json, merchant, withPasarela } from "../Shared.js"
import { amount, currency, parseMoney } from "./links.js"

const create = Command.make(
  "create",
  {
    config,
    json,
    merchant,
    reference: Options.text("reference"),
    amount,
    currency,
    senderName: Options.text("sender-name"),
    senderEmail: Options.text("sender-email"),
    senderPhone: Options.text("sender-phone"),
    callingCode: Options.text("calling-code").pipe(Options.withDefault("+57")),
    senderAddress: Options.text("sender-address"),
    documentType: Options.text("document-type").pipe(Options.withDefault("CC")),
    documentNumber: Options.text("document-number"),
    recipientName: Options.text("recipient-name"),
    recipientEmail: Options.text("recipient-email"),
    note: Options.text("note"),
    successUrl: Options.text("success-url"),
    failureUrl: Options.text("failure-url")
  },
  (o) =>
    withPasarela(
      o.config,
      Effect.gen(function* () {
        const money = yield* parseMoney(o.amount, o.currency, "giftCards.create")
        const card = yield* (yield* GiftCards).create({
          merchantId: o.merchant,
          reference: o.reference,
          amount: money,
          sender: {
            name: o.senderName,
            email: o.senderEmail,
            phone: { callingCode: o.callingCode, number: o.senderPhone },
            address: o.senderAddress,
            document: { type: o.documentType, number: o.documentNumber }
          },
          recipient: { name: o.recipientName, email: o.recipientEmail },
          note: o.note,
          returnUrls: { success: o.successUrl, failure: o.failureUrl }
        })
        yield* print(o.json, card, () =>
          table([
            ["code", card.code],
            ["merchant", card.merchantId],
            ["provider", card.provider],
            ["status", card.status],
            ["reference", card.reference],
            ["amount", card.amount],
            ["pay at", card.paymentLink.url]
          ])
        )
      })
    )
).pipe(Command.withDescription("issue a gift card; its balance activates once its payment link is paid"))

export const giftCards = Command.make("gift-cards").pipe(
  Command.withDescription("gift cards"),
  Command.withSubcommands([create])
)
