/** `pasarela orders create`: a cash / alternative-method payment order. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { amount, config, currency, json, lazily, merchant, text } from "../CommonOptions.js"

export const createOptions = {
  config,
  json,
  merchant,
  reference: text("reference", "your reference for the order, e.g. the booking number"),
  description: text("description", "what the payer pays for"),
  amount,
  currency,
  method: text(
    "method",
    "the cash method's code, as Autocore names it (its payment_type), e.g. daviplata; Autocore publishes no list of codes: they come with the account"
  ),
  personType: text(
    "person-type",
    "the payer's person-type code, as Autocore names it (its user_type), e.g. N; Autocore publishes no list of codes: they come with the account"
  ),
  returnUrl: text("return-url", "where the payer returns after the checkout, an absolute URL"),
  payerName: text("payer-name", "the payer's first name"),
  payerSurname: text("payer-surname", "the payer's last name"),
  payerEmail: text("payer-email", "the payer's email address"),
  payerPhone: text("payer-phone", "the payer's phone number, digits, e.g. 3012105687"),
  callingCode: text("calling-code", "the phone's country calling code, e.g. +57").pipe(Options.withDefault("+57")),
  documentType: text(
    "document-type",
    "the payer's identity document type code, as Autocore names it (its fiscal_number_type), e.g. CC"
  ).pipe(Options.withDefault("CC")),
  documentNumber: text("document-number", "the payer's identity document number"),
  address: text("address", "the payer's address"),
  ip: text("ip", "the payer's IPv4 address, e.g. 181.204.153.195")
}

const create = Command.make(
  "create",
  createOptions,
  lazily(() => import("../handlers/orders.js"), "create")
).pipe(Command.withDescription("create a cash payment order; send the payer to its checkout URL"))

export const orders = Command.make("orders").pipe(
  Command.withDescription("cash / alternative-method payment orders"),
  Command.withSubcommands([create])
)
