/**
 * Pasarela from configuration, as an Effect layer: the neutral services routed per merchant, the
 * `Router` (for the webhook endpoint) and a `DedupeStore`, over `UndiciHttpClient` (keep-alive
 * connections, answers read whole).
 */

import { readFile } from "node:fs/promises"
import {
  type Charges,
  Configuration,
  FieldIssue,
  type GiftCards,
  PaymentError,
  type PaymentLinks,
  type PaymentOrders,
  type Provider,
  Router,
  type Webhooks
} from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import { Effect, Layer } from "effect"
import { type DedupeStore, layerMemory } from "./DedupeStore.js"
import { builtIn } from "./Providers.js"
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

export interface Options {
  /** Providers by name (default: memory, placetopay, autocore). */
  readonly registry?: Registry
  /** Where handled notifications are remembered (default: in memory). */
  readonly dedupe?: Layer.Layer<DedupeStore>
}

/**
 * Builds everything from configuration (an object, or parsed JSON). Secrets are read from the
 * environment variables the configuration names, through Effect's `ConfigProvider`. Every problem
 * is reported at once as a `Configuration` error when the layer is built.
 */
export const layer = (config: unknown, options: Options = {}): Layer.Layer<Services, PaymentError> =>
  Layer.unwrapEffect(Effect.map(Setup.routes(config, options.registry ?? builtIn), Router.layer)).pipe(
    Layer.provide(UndiciHttpClient.layer),
    Layer.merge(options.dedupe ?? layerMemory())
  )

/** Reads a JSON configuration file. */
export const readConfigFile = (path: string): Effect.Effect<unknown, PaymentError> =>
  Effect.tryPromise({
    try: async () => JSON.parse(await readFile(path, "utf8")) as unknown,
    catch: (error) =>
      new PaymentError({
        provider: "pasarela",
        operation: "configure",
        reason: new Configuration({
          issues: [
            new FieldIssue({
              path: path,
              message: error instanceof SyntaxError ? `is not valid JSON: ${error.message}` : "cannot be read"
            })
          ]
        })
      })
  })
