/**
 * An application on the sandbox with a durable store: both simulators, the webhook endpoint on a
 * loopback port of its own, and Pasarela built from a configuration with a hotel on each gateway.
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { PasarelaSetup, Sandbox } from "@pasarela/sandbox"
import { type Store, type StoreError, Store as StoreTag } from "@pasarela/store"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type { PasarelaConfig } from "pasarela"
import { type EventHandler, type Inbox, Pasarela, WebhookEndpoint } from "pasarela"

export const secrets = PasarelaSetup.env({ webhookSecret: "durable-webhook-secret-for-cartagena" })

export const configFor = (
  sandboxUrl: string,
  webhooksUrl: string,
  extra: Partial<PasarelaConfig> = {}
): PasarelaConfig => ({
  ...PasarelaSetup.config(sandboxUrl, { publicBaseUrl: webhooksUrl }),
  reconcile: false,
  ...extra
})

export interface App {
  readonly sandbox: Sandbox.Sandbox
  readonly services: Context.Context<Pasarela.Services>
  /** `http://127.0.0.1:<port>/webhooks` */
  readonly webhooksUrl: string
}

/**
 * Starts it all in the scope. `listen: false` leaves the endpoint down (notifications fail), as
 * when the app is deploying.
 */
export const start = (options: {
  readonly store: Layer.Layer<Store, StoreError>
  /** Without one, this process stores events but never hands them over. */
  readonly onEvent?: EventHandler.Handler
  readonly extra?: Record<string, unknown>
  readonly listen?: boolean
  /** A sandbox already running (one the app outlives, as across a restart). */
  readonly sandbox?: Sandbox.Sandbox
}): Effect.Effect<App, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const sandbox = options.sandbox ?? (yield* Sandbox.serve())
    const listen = options.listen !== false
    // Down: a port nothing listens on, so deliveries are refused at once.
    const server = listen ? yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" }) : undefined
    const port = server?.address._tag === "TcpAddress" ? server.address.port : 9
    const webhooksUrl = `http://127.0.0.1:${port}/webhooks`
    const services = yield* Layer.build(
      Pasarela.layer(
        configFor(sandbox.baseUrl, webhooksUrl, options.extra),
        options.onEvent === undefined ? { store: options.store } : { onEvent: options.onEvent, store: options.store }
      )
    ).pipe(Effect.withConfigProvider(ConfigProvider.fromJson(secrets)))
    if (server !== undefined) yield* server.serve(WebhookEndpoint.router().pipe(Effect.provide(services)))
    return { sandbox, services, webhooksUrl }
  })

/** Runs `effect` with the app's services (its store and inbox among them: the store is durable). */
export const using =
  (app: App) =>
  <A, E>(effect: Effect.Effect<A, E, Pasarela.Services | Store | Inbox.Inbox>): Effect.Effect<A, E> =>
    Effect.provide(
      effect,
      app.services as Context.Context<unknown> as Context.Context<Pasarela.Services | Store | Inbox.Inbox>
    )

/** The app's store (the configuration's, or the one given). */
export const storeOf = (app: App) =>
  Context.unsafeGet(app.services as Context.Context<unknown> as Context.Context<Store>, StoreTag)
