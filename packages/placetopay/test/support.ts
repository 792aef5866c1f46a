/**
 * Test wiring: the PlacetoPay sandbox on loopback, a loopback receiver for notifications, the
 * adapter pointed at the sandbox. Misbehaving servers come from `@pasarela/testing/node`.
 */

import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { RawNotification } from "@pasarela/core"
import { PlacetoPaySandbox } from "@pasarela/sandbox"
import { jsonAnswer, scriptedServer } from "@pasarela/testing/node"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { PlacetoPay } from "../src/index.js"

export const site1 = PlacetoPaySandbox.defaultSites[0]!
export const site2 = PlacetoPaySandbox.defaultSites[1]!
/** A legacy site whose tranKeys are SHA-1. */
export const sha1Site: PlacetoPaySandbox.Site = {
  id: 3001,
  name: "Legacy SHA-1 Hotel",
  login: "sandbox-login-sha1-site",
  secretKey: "sandbox-secret-sha1-NOT-A-REAL-KEY",
  tranKeyAlgorithm: "sha1"
}
/** A site with only Visa and Mastercard enabled: anything else is a 422. */
export const cardsOnlySite: PlacetoPaySandbox.Site = {
  id: 3002,
  name: "Cards Only Hotel",
  login: "sandbox-login-cards-only",
  secretKey: "sandbox-secret-cards-only-NOT-A-REAL-KEY",
  paymentMethods: ["visa", "master"]
}
export const sites = [site1, site2, sha1Site, cardsOnlySite]

/** An approved test card (spec §5). */
export const APPROVED_CARD = "4111111111111111"

export class Sandbox extends Context.Tag("test/PlacetoPaySandbox")<Sandbox, PlacetoPaySandbox.PlacetoPaySandbox>() {}

export const sandboxLayer = (options: Partial<PlacetoPaySandbox.Options> = {}) =>
  Layer.scoped(Sandbox, PlacetoPaySandbox.serve({ sites, ...options }))

// ---- the notification receiver ----

export interface ReceiverShape {
  readonly url: string
  /** The next notification received, raw, as a webhook endpoint sees it. */
  readonly take: Effect.Effect<RawNotification>
  readonly size: Effect.Effect<number>
}

export class Receiver extends Context.Tag("test/Receiver")<Receiver, ReceiverShape>() {}

/** A merchant endpoint on loopback: records each body exactly as received and answers 200. */
export const makeReceiver = Effect.gen(function* () {
  const queue = yield* Queue.unbounded<RawNotification>()
  const served = yield* scriptedServer((request, response) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers[name.toLowerCase()] = value
    }
    Queue.unsafeOffer(queue, { body: request.body, url: request.url || "/", headers })
    jsonAnswer(200, { ok: true })(request, response)
  })
  return { url: `${served.baseUrl}/webhooks/placetopay`, take: Queue.take(queue), size: Queue.size(queue) }
})

export const receiverLayer = Layer.scoped(Receiver, makeReceiver)

// ---- the adapter against the sandbox ----

/** Counts API requests the adapter sends (the sandbox keeps no count of its own). */
export class RequestLog extends Context.Tag("test/RequestLog")<
  RequestLog,
  Ref.Ref<ReadonlyArray<{ readonly url: string; readonly body: string }>>
>() {}

const requestLogLayer = Layer.effect(RequestLog, Ref.make<ReadonlyArray<{ url: string; body: string }>>([]))

/** Undici, with every request's URL and JSON body recorded in `RequestLog`. */
export const recordingClient = Layer.effect(
  HttpClient.HttpClient,
  Effect.gen(function* () {
    const log = yield* RequestLog
    const client = yield* HttpClient.HttpClient
    return HttpClient.tapRequest(client, (request) =>
      Ref.update(log, (all) => [
        ...all,
        {
          url: request.url,
          body: request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
        }
      ])
    )
  })
).pipe(Layer.provide(NodeHttpClient.layerUndici), Layer.provideMerge(requestLogLayer))

export const siteOptions = (site: PlacetoPaySandbox.Site, baseUrl: string): PlacetoPay.Options => ({
  login: site.login,
  secretKey: Redacted.make(site.secretKey),
  baseUrl,
  ...(site.tranKeyAlgorithm === undefined ? {} : { tranKeyAlgorithm: site.tranKeyAlgorithm })
})

/** The adapter for `site` on the sandbox in context. */
export const adapterLayer = (site: PlacetoPaySandbox.Site = site1, overrides: Partial<PlacetoPay.Options> = {}) =>
  Layer.unwrapEffect(
    Effect.map(Sandbox, (sandbox) => PlacetoPay.layer({ ...siteOptions(site, sandbox.baseUrl), ...overrides }))
  )

/** Sandbox + receiver + adapter for site 1 over recorded undici. */
export const environment = (sandboxOptions: Partial<PlacetoPaySandbox.Options> = {}) =>
  adapterLayer().pipe(
    Layer.provideMerge(Layer.mergeAll(sandboxLayer(sandboxOptions), receiverLayer)),
    Layer.provideMerge(recordingClient)
  )

/** Runs an effect with the adapter for another site (or other options) on the same sandbox and HTTP client. */
export const withAdapter = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  site: PlacetoPaySandbox.Site,
  overrides: Partial<PlacetoPay.Options> = {}
) => Effect.provide(effect, adapterLayer(site, overrides))

/** A port on loopback nothing listens on. */
export { closedPort } from "@pasarela/testing/node"
