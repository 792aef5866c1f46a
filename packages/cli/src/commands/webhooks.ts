/** `pasarela webhooks serve`: the webhook endpoint for every configured merchant, printing each event. */
import { createServer } from "node:http"
import { Command, Options } from "@effect/cli"
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { WebhookEndpoint } from "pasarela"
import { cannotListen, config, json, withPasarela } from "../Shared.js"

const serve = Command.make(
  "serve",
  {
    config,
    json,
    port: Options.integer("port").pipe(Options.withDefault(8787)),
    host: Options.text("host").pipe(Options.withDefault("127.0.0.1")),
    basePath: Options.text("base-path").pipe(Options.withDefault("/webhooks"))
  },
  (o) =>
    withPasarela(
      o.config,
      Effect.gen(function* () {
        const app = WebhookEndpoint.router(
          (event) =>
            Console.log(
              o.json
                ? JSON.stringify(event)
                : [
                    event.occurredAt.toISOString(),
                    event.merchantId,
                    event.provider,
                    event.type,
                    event.reference,
                    event.amount === undefined ? "" : event.amount.toString()
                  ].join("  ")
            ),
          o.basePath
        )
        yield* Layer.launch(
          HttpServer.serve(app).pipe(
            Layer.provide(NodeHttpServer.layer(createServer, { port: o.port, host: o.host })),
            Layer.tap(() =>
              Console.error(`Receiving notifications on http://${o.host}:${o.port}${o.basePath}/<merchant>/<provider>`)
            )
          )
        ).pipe(Effect.mapError(cannotListen(o.port)))
      })
    )
).pipe(Command.withDescription("receive notifications for every configured merchant and print each event"))

export const webhooks = Command.make("webhooks").pipe(
  Command.withDescription("notifications"),
  Command.withSubcommands([serve])
)
