/** What `pasarela gift-cards create` does. */
import type * as Command from "@effect/cli/Command"
import { GiftCards } from "@pasarela/core"
import * as Effect from "effect/Effect"
import type { createOptions } from "../commands/giftCards.js"
import { print, table } from "../Output.js"
import { forMerchant } from "../Shared.js"
import { parseMoney } from "./links.js"

export const create = (o: Command.Command.ParseConfig<typeof createOptions>) =>
  forMerchant(
    o.config,
    o.merchant,
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
