/** `pasarela orders create`: a cash / alternative-method payment order. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { PaymentOrders } from "@pasarela/core"
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
    description: Options.text("description"),
    amount,
    currency,
    method: Options.text("method").pipe(Options.withDescription("the provider's cash method code, e.g. daviplata")),
    personType: Options.text("person-type").pipe(Options.withDescription("the provider's person-type code, e.g. N")),
    returnUrl: Options.text("return-url"),
    payerName: Options.text("payer-name"),
    payerSurname: Options.text("payer-surname"),
    payerEmail: Options.text("payer-email"),
    payerPhone: Options.text("payer-phone").pipe(Options.withDescription("digits, e.g. 3012105687")),
    callingCode: Options.text("calling-code").pipe(Options.withDefault("+57")),
    documentType: Options.text("document-type").pipe(Options.withDefault("CC")),
    documentNumber: Options.text("document-number"),
    address: Options.text("address"),
    ip: Options.text("ip").pipe(Options.withDescription("the payer's IPv4 address"))
  },
  (o) =>
    withPasarela(
      o.config,
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
).pipe(Command.withDescription("create a cash payment order; send the payer to its checkout URL"))

export const orders = Command.make("orders").pipe(
  Command.withDescription("cash / alternative-method payment orders"),
  Command.withSubcommands([create])
)
