/** What `pasarela orders create` does. */
import type * as Command from "@effect/cli/Command"
import { PaymentOrders } from "@pasarela/core"
import * as Effect from "effect/Effect"
import type { createOptions } from "../commands/orders.js"
import { print, table } from "../Output.js"
import { forMerchant } from "../Shared.js"
import { parseMoney } from "./links.js"

export const create = (o: Command.Command.ParseConfig<typeof createOptions>) =>
  forMerchant(
    o.config,
    o.merchant,
    Effect.gen(function* () {
      const money = yield* parseMoney(o.amount, o.currency, "orders.create")
      const order = yield* (yield* PaymentOrders).create({
        merchantId: o.merchant,
        reference: o.reference,
        description: o.description,
        amount: money,
        method: o.method,
        personType: o.personType,
        returnUrl: o.returnUrl,
        payer: {
          name: o.payerName,
          surname: o.payerSurname,
          email: o.payerEmail,
          phone: { callingCode: o.callingCode, number: o.payerPhone },
          document: { type: o.documentType, number: o.documentNumber },
          address: o.address,
          ip: o.ip
        }
      })
      yield* print(o.json, order, () =>
        table([
          ["id", order.id],
          ["merchant", order.merchantId],
          ["provider", order.provider],
          ["status", order.status],
          ["reference", order.reference],
          ["amount", order.amount],
          ["checkout", order.checkoutUrl]
        ])
      )
    })
  )
