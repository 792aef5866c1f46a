/** `pasarela webhooks serve`: the webhook endpoint for every configured merchant, printing each event. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { config, json, lazily } from "../CommonOptions.js"

export const serveOptions = {
  config,
  json,
  port: Options.integer("port").pipe(
    Options.withDescription("the port to listen on, a whole number"),
    Options.withDefault(8787)
  ),
  host: Options.text("host").pipe(
    Options.withDescription("the address to listen on (0.0.0.0: every interface)"),
    Options.withDefault("127.0.0.1")
  ),
  basePath: Options.text("base-path").pipe(
    Options.withDescription(
      "path to serve under, e.g. /webhooks (default: the path of webhooks.publicBaseUrl, else /webhooks)"
    ),
    Options.optional
  )
}

const serve = Command.make(
  "serve",
  serveOptions,
  lazily(
    () => import("../handlers/webhooks.js"),
    (m) => m.serve
  )
).pipe(Command.withDescription("receive notifications for every configured merchant and print each event"))

export const webhooks = Command.make("webhooks").pipe(
  Command.withDescription("notifications"),
  Command.withSubcommands([serve])
)
