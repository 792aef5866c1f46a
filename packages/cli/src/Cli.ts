/** The `pasarela` command. */
import * as Command from "@effect/cli/Command"
import { isPaymentError } from "@pasarela/core"
import * as Effect from "effect/Effect"
import { charges } from "./commands/charges.js"
import { events, operations, reconcile, store } from "./commands/durability.js"
import { giftCards } from "./commands/giftCards.js"
import { hotels } from "./commands/hotels.js"
import { links } from "./commands/links.js"
import { orders } from "./commands/orders.js"
import { sandbox } from "./commands/sandbox.js"
import { webhooks } from "./commands/webhooks.js"
import { printError } from "./Output.js"

export const command = Command.make("pasarela").pipe(
  Command.withDescription("payments for hotels through PlacetoPay, Autocore or the in-memory provider"),
  Command.withSubcommands([
    links,
    charges,
    orders,
    giftCards,
    hotels,
    sandbox,
    webhooks,
    store,
    events,
    operations,
    reconcile
  ])
)

/**
 * Runs the command line (`argv` as `process.argv`). A `PaymentError` is printed as one line plus a
 * hint and gives exit code 1; usage errors (already shown by the parser) give 2.
 */
export const run = (argv: ReadonlyArray<string>) =>
  Command.run(command, { name: "pasarela", version: "0.1.0" })(argv).pipe(
    Effect.as(0),
    Effect.catchIf(isPaymentError, (error) => Effect.as(printError(error), 1)),
    Effect.catchTag(
      "MissingValue",
      "InvalidArgument",
      "InvalidValue",
      "CommandMismatch",
      "CorrectedFlag",
      "HelpRequested",
      "MissingFlag",
      "MissingSubcommand",
      "MultipleValuesDetected",
      "NoBuiltInMatch",
      "UnclusteredFlag",
      (error) => Effect.succeed(error._tag === "HelpRequested" ? 0 : 2)
    )
  )
