/** `pasarela gift-cards create` */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { amount, config, currency, json, lazily, merchant, text } from "../CommonOptions.js"

export const createOptions = {
  config,
  json,
  merchant,
  reference: text("reference", "your reference for the gift card, e.g. GC-1001"),
  amount,
  currency,
  senderName: text("sender-name", "the buyer's full name"),
  senderEmail: text("sender-email", "the buyer's email address"),
  senderPhone: text("sender-phone", "the buyer's phone number, digits, e.g. 5551234"),
  callingCode: text("calling-code", "the phone's country calling code, e.g. +57").pipe(Options.withDefault("+57")),
  senderAddress: text("sender-address", "the buyer's address"),
  documentType: text("document-type", "the buyer's identity document type code, e.g. CC").pipe(
    Options.withDefault("CC")
  ),
  documentNumber: text("document-number", "the buyer's identity document number"),
  recipientName: text("recipient-name", "who receives the gift card"),
  recipientEmail: text("recipient-email", "where the gift card is sent"),
  note: text("note", "a message for the recipient"),
  successUrl: text("success-url", "where the buyer returns after paying, an absolute URL"),
  failureUrl: text("failure-url", "where the buyer returns when the payment fails, an absolute URL")
}

const create = Command.make(
  "create",
  createOptions,
  lazily(() => import("../handlers/giftCards.js"), "create")
).pipe(Command.withDescription("issue a gift card; its balance activates once its payment link is paid"))

export const giftCards = Command.make("gift-cards").pipe(
  Command.withDescription("gift cards"),
  Command.withSubcommands([create])
)
