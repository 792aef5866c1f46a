/** `pasarela webhooks serve`: the webhook endpoint for every configured merchant, printing each event. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { config, json, lazily, listen, text } from "../CommonOptions.js"

export const serveOptions = {
  config,
  json,
  ...listen(8787),
  basePath: text(
    "base-path",
    "path to serve under, e.g. /webhooks (default: the path of webhooks.publicBaseUrl, else /webhooks)"
  ).pipe(Options.optional)
}

const serve = Command.make(
  "serve",
  serveOptions,
  lazily(() => import("../handlers/webhooks.js"), "serve")
).pipe(Command.withDescription("receive notifications for every configured merchant and print each event"))

export const webhooks = Command.make("webhooks").pipe(
  Command.withDescription("notifications"),
  Command.withSubcommands([serve])
)
