/** `pasarela webhooks serve`: the webhook endpoint for every configured merchant, printing each event. */
import { createServer } from "node:http"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type { PaymentEvent } from "@pasarela/core"
import { readConfigFile, UndiciHttpClient } from "@pasarela/node"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Pasarela, Setup, WebhookEndpoint } from "pasarela"
import { cannotListen, config, json } from "../Shared.js"

const serve = Command.make(
  "serve",
  {
    config,
    json,
    port: Options.integer("port").pipe(Options.withDefault(8787)),
    host: Options.text("host").pipe(Options.withDefault("127.0.0.1")),
    basePath: Options.text("base-path").pipe(
      Options.withDescription("path to serve under (default: the path of webhooks.publicBaseUrl, else /webhooks)"),
      Options.optional
    )
  },
  (o) =>
    Effect.gen(function* () {
      const settings = yield* readConfigFile(o.config)
      const fromConfig = yield* Setup.endpointOptions(settings)
      const endpoint = Option.match(o.basePath, {
        onNone: () => fromConfig,
        onSome: (basePath) => ({ ...fromConfig, basePath })
      })
      const basePath = yield* Effect.map(WebhookEndpoint.settings(endpoint), (resolved) => resolved.basePath)
      const print = (event: PaymentEvent.PaymentEvent) =>
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
        )
      yield* Layer.launch(
        HttpServer.serve(WebhookEndpoint.router(endpoint)).pipe(
          Layer.provide(NodeHttpServer.layer(createServer, { port: o.port, host: o.host })),
          Layer.tap(() =>
            Console.error(`Receiving notifications on http://${o.host}:${o.port}${basePath}/<merchant>/<provider>`)
          )
        )
      ).pipe(
        Effect.mapError(cannotListen(o.port)),
        Effect.provide(Pasarela.layer(settings, { onEvent: print, httpClient: UndiciHttpClient.layer }))
      )
    })
).pipe(Command.withDescription("receive notifications for every configured merchant and print each event"))

export const webhooks = Command.make("webhooks").pipe(
  Command.withDescription("notifications"),
  Command.withSubcommands([serve])
)
