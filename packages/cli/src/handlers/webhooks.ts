/** What `pasarela webhooks serve` does: serves until stopped, printing each verified event. */
import { createServer } from "node:http"
import type * as Command from "@effect/cli/Command"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type { PaymentEvent } from "@pasarela/core"
import { readConfigFile, UndiciHttpClient } from "@pasarela/node"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Pasarela, Setup, WebhookEndpoint } from "pasarela"
import type { serveOptions } from "../commands/webhooks.js"
import { cannotListen } from "../Listen.js"

export const serve = (o: Command.Command.ParseConfig<typeof serveOptions>) =>
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
