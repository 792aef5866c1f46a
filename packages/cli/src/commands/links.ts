/** `pasarela links create|get|disable` */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { amount, config, currency, json, lazily, merchant, text } from "../CommonOptions.js"

const optionalText = (name: string, description: string) => text(name, description).pipe(Options.optional)

export const createOptions = {
  config,
  json,
  merchant,
  reference: text("reference", "your reference, e.g. the booking number; one link per reference"),
  description: text("description", "what the guest pays for, shown to them"),
  amount,
  currency,
  expiresIn: text(
    "expires-in",
    'how long the link can be paid: a duration such as "30 minutes", "24 hours" or "3 days"'
  ).pipe(Options.withDefault("24 hours")),
  payerName: optionalText("payer-name", "guest's first name (Autocore requires a payer)"),
  payerSurname: optionalText("payer-surname", "guest's last name"),
  payerEmail: optionalText("payer-email", "guest's email address"),
  notificationUrl: optionalText(
    "notification-url",
    "where the provider sends this link's notifications (default: the configuration's webhooks.publicBaseUrl)"
  ),
  maxPayments: Options.integer("max-payments").pipe(
    Options.withDescription("how many payments the link takes, a whole number (default: the provider's, usually 1)"),
    Options.optional
  )
}

export const idOptions = {
  config,
  json,
  id: text("id", "the link id printed by `pasarela links create`")
}

const run = () => import("../handlers/links.js")

const create = Command.make("create", createOptions, lazily(run, "create")).pipe(
  Command.withDescription("create a payment link for a hotel's guest")
)

const get = Command.make("get", idOptions, lazily(run, "get")).pipe(
  Command.withDescription("show a payment link and its payments")
)

const disable = Command.make("disable", idOptions, lazily(run, "disable")).pipe(
  Command.withDescription("disable a payment link so it takes no more payments")
)

export const links = Command.make("links").pipe(
  Command.withDescription("payment links"),
  Command.withSubcommands([create, get, disable])
)
