/**
 * The webhook endpoint in both its forms, on loopback, over one configuration: the Web-standard
 * handler of the Promise API mounted in Node `http` with `NodeListener`, and the Effect
 * `HttpRouter` served by `@effect/platform-node`. Each records the events its handler was given.
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type { PaymentEvent } from "@pasarela/core"
import { NodeListener } from "@pasarela/node"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import type { PasarelaConfig } from "pasarela"
import { createPasarela, Pasarela, WebhookEndpoint } from "pasarela"

export interface Endpoint {
  readonly name: string
  readonly port: number
  /** Events the application's handler was given, in order. */
  readonly events: Array<PaymentEvent.PaymentEvent>
  /** Errors the Node listener reported (none expected). */
  readonly errors: Array<unknown>
  readonly close: () => Promise<void>
}

export type Behaviour = (event: PaymentEvent.PaymentEvent) => Promise<void>

export interface Setup {
  readonly config: PasarelaConfig
  readonly env: Readonly<Record<string, string>>
  readonly options?: WebhookEndpoint.Options
  /** What the handler does after recording the event (default: nothing). */
  readonly behaviour?: Behaviour
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)))

/** The Promise API's `webhooks.handle`, mounted with `NodeListener.fromWebHandler`. */
export const webHandler = async (setup: Setup): Promise<Endpoint> => {
  const events: Array<PaymentEvent.PaymentEvent> = []
  const errors: Array<unknown> = []
  const pasarela = await createPasarela(setup.config, {
    env: setup.env,
    ...(setup.options === undefined ? {} : { webhooks: setup.options }),
    onEvent: async (event) => {
      events.push(event)
      await setup.behaviour?.(event)
    }
  })
  const server = createServer(NodeListener.fromWebHandler(pasarela.webhooks.handle, { onError: (e) => errors.push(e) }))
  const port = await listen(server)
  return {
    name: "Web handler in Node http",
    port,
    events,
    errors,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await pasarela.close()
    }
  }
}

/** `WebhookEndpoint.router`, served by the platform's Node server. */
export const httpRouter = async (setup: Setup): Promise<Endpoint> => {
  const events: Array<PaymentEvent.PaymentEvent> = []
  const onEvent = (event: PaymentEvent.PaymentEvent) =>
    Effect.promise(async () => {
      events.push(event)
      await setup.behaviour?.(event)
    })
  const runtime = ManagedRuntime.make(
    HttpServer.serve(WebhookEndpoint.router(setup.options)).pipe(
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
      Layer.provide(Pasarela.layer(setup.config, { onEvent })),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(setup.env)))))
    )
  )
  const port = await runtime.runPromise(
    HttpServer.addressWith((address) => Effect.succeed(address._tag === "TcpAddress" ? address.port : 0))
  )
  return { name: "HttpRouter on the platform's Node server", port, events, errors: [], close: () => runtime.dispose() }
}

/** Both forms, by name, for `describe.each`. */
export const forms: ReadonlyArray<readonly [string, (setup: Setup) => Promise<Endpoint>]> = [
  ["Web handler in Node http", webHandler],
  ["HttpRouter on the platform's Node server", httpRouter]
]
