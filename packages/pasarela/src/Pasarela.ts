/**
 * Pasarela from configuration, as an Effect layer: the neutral services routed per merchant, the
 * `Router` (for the webhook endpoint), the application's `EventHandler`, a `DedupeStore`, and —
 * when the configuration names a durable store — the `Store`, the journal around every create, the
 * `Inbox` with its dispatcher, and the reconciler. Provider calls go over the platform's
 * `FetchHttpClient` unless `httpClient` names another (`UndiciHttpClient.layer` from `@pasarela/node`).
 */

import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import {
  type Charges,
  type GiftCards,
  PaymentError,
  type PaymentLinks,
  type PaymentOrders,
  type Provider,
  Router,
  type Webhooks
} from "@pasarela/core"
import { Store, StoreError } from "@pasarela/store"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type DedupeStore, layerMemory } from "./DedupeStore.js"
import * as EventHandler from "./EventHandler.js"
import * as Inbox from "./Inbox.js"
import * as Journal from "./Journal.js"
import { builtIn } from "./Providers.js"
import * as Reconciler from "./Reconciler.js"
import type { Registry } from "./Registry.js"
import * as Setup from "./Setup.js"

export type Services =
  | PaymentLinks
  | Charges
  | PaymentOrders
  | GiftCards
  | Webhooks
  | Provider.Provider
  | Router.Router
  | DedupeStore
  | EventHandler.EventHandler

export interface Options<R = never> {
  /** Providers by name (default: memory, placetopay, autocore). */
  readonly registry?: Registry
  /** Where handled notifications are remembered when there is no durable store (default: in memory). */
  readonly dedupe?: Layer.Layer<DedupeStore>
  /**
   * The application's handler for verified events: run by the webhook endpoint before it answers,
   * or — with a durable store — by the dispatcher, retried until it succeeds. Without one, events
   * are verified and answered, and with a durable store kept for a process that has one: only a
   * process given a handler dispatches events and reconciles links.
   */
  readonly onEvent?: EventHandler.Handler<R>
  /** A store of your own, in place of the configuration's (`MemoryStore.layer` in tests). */
  readonly store?: Layer.Layer<Store, StoreError>
  /** This instance's name in the store's claims (default: random), to tell instances apart. */
  readonly instance?: string
  /**
   * The HTTP client provider calls go over (default: the platform's `FetchHttpClient`, on every
   * runtime). On Node, e.g. `UndiciHttpClient.layer` from `@pasarela/node` (Node only).
   */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient>
}

const storeError = (error: StoreError) =>
  PaymentError.configurationError("pasarela", [{ path: "store", message: error.message }])

/**
 * The configuration's store as a layer, when it names a durable one. Its backend is imported when
 * the layer is built, so an app without one never loads PGlite or pg, and a worker bundle resolves
 * (`@pasarela/store/backends` is a module there whose layers fail saying the store needs a server runtime).
 */
export const storeLayer = (durability: Setup.Durability): Layer.Layer<Store, StoreError> | undefined => {
  const store = durability.store
  if (store === undefined) return undefined
  return Layer.unwrapEffect(
    Effect.map(
      Effect.tryPromise({
        try: () => import("@pasarela/store/backends"),
        catch: (cause) => new StoreError({ operation: "load its backend", cause })
      }),
      ({ EmbeddedStore, PostgresStore }) =>
        store.type === "embedded"
          ? EmbeddedStore.layer({ path: store.path, tablePrefix: store.tablePrefix })
          : PostgresStore.layer(store)
    )
  )
}

/**
 * Builds everything from configuration (an object, or parsed JSON). Secrets are read from the
 * environment variables the configuration names, through Effect's `ConfigProvider`. Every problem
 * is reported at once as a `Configuration` error when the layer is built.
 */
export const layer = <R = never>(
  config: unknown,
  options: Options<R> = {}
): Layer.Layer<Services, PaymentError.PaymentError, R> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const routes = yield* Setup.routes(config, options.registry ?? builtIn)
      const durability = yield* Setup.durability(config)
      const routed = Router.layer(routes).pipe(Layer.provide(options.httpClient ?? FetchHttpClient.layer))
      const handler = EventHandler.layer(options.onEvent ?? EventHandler.ignore)
      const base = Layer.mergeAll(handler, options.dedupe ?? layerMemory())
      const store = options.store ?? storeLayer(durability)
      if (store === undefined) return Layer.merge(routed, base)
      const durableStore = Layer.mapError(store, storeError)
      // The router's creating services, each journaled before it is sent.
      const journaled = Layer.effectContext(
        Effect.gen(function* () {
          const services = yield* Effect.context<Router.ProviderServices | Router.Router>()
          return Journal.wrap(yield* Store)(services) as Context.Context<Router.ProviderServices | Router.Router>
        })
      ).pipe(Layer.provide(Layer.merge(routed, durableStore)))
      // Only a process with the application's handler claims events, and reconciles on a schedule:
      // a one-off command (the CLI) stores what it receives and leaves the rest to the application.
      const dispatching = options.onEvent !== undefined
      const inbox = Inbox.layer({ ...durability.events, owner: options.instance, dispatch: dispatching }).pipe(
        Layer.provide(Layer.merge(durableStore, handler))
      )
      const reconciler =
        durability.reconcileEvery === undefined || !dispatching
          ? Layer.empty
          : Reconciler.layer(durability.reconcileEvery).pipe(Layer.provide(Layer.mergeAll(durableStore, inbox, routed)))
      return Layer.mergeAll(journaled, base, durableStore, inbox, reconciler)
    })
  )

/** What `durableLayer` provides: everything, the store and the inbox included. */
export type DurableServices = Services | Store | Inbox.Inbox

/**
 * `layer`, for when the configuration must name a durable store (the operations commands): fails
 * with `Configuration` when it names none, and gives access to the `Store` and the `Inbox`.
 */
export const durableLayer = <R = never>(
  config: unknown,
  options: Options<R> = {}
): Layer.Layer<DurableServices, PaymentError.PaymentError, R> =>
  Layer.unwrapEffect(
    Effect.map(Setup.durability(config), (durability) =>
      durability.store === undefined && options.store === undefined
        ? Layer.fail(
            PaymentError.configurationError("pasarela", [
              {
                path: "store",
                message: 'names no durable store: set "store": { "type": "embedded" } or { "type": "postgres", … }'
              }
            ])
          )
        : (layer(config, options) as Layer.Layer<DurableServices, PaymentError.PaymentError, R>)
    )
  )
