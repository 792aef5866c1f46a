/**
 * Test wiring: the PlacetoPay sandbox on loopback, a loopback receiver for notifications, the
 * adapter pointed at the sandbox, and small misbehaving servers for failure paths no faithful
 * simulator produces (hangs, dropped connections, 5xx).
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { RawNotification } from "@pasarela/core"
import { PlacetoPaySandbox } from "@pasarela/sandbox"
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

// ---- a loopback server with a handler ----

export interface Served {
  readonly url: string
  readonly port: number
}

const listen = (handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.async<{ served: Served; close: () => Promise<void> }>((resume) => {
      const server = createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res))
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({
            served: { url: `http://127.0.0.1:${port}`, port },
            close: () =>
              new Promise<void>((done) => {
                server.closeAllConnections()
                server.close(() => done())
              })
          })
        )
      })
    }),
    ({ close }) => Effect.promise(close)
  ).pipe(Effect.map(({ served }) => served))

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
  const served = yield* listen((req, body, res) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers[name.toLowerCase()] = value
    }
    Queue.unsafeOffer(queue, { body, url: req.url ?? "/", headers })
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}')
  })
  return { url: `${served.url}/webhooks/placetopay`, take: Queue.take(queue), size: Queue.size(queue) }
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

// ---- misbehaving servers ----

export type Behaviour =
  | {
      readonly _tag: "Answer"
      readonly status: number
      readonly body: string
      readonly headers?: Record<string, string>
    }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "Drop" }

/**
 * A loopback server that reads each request and behaves as `script` says for that request number
 * (the last entry repeats); it records the bodies it read.
 */
export const scriptedServer = (script: ReadonlyArray<Behaviour>) =>
  Effect.gen(function* () {
    const bodies: Array<string> = []
    const served = yield* listen((_req, body, res) => {
      const behaviour = script[Math.min(bodies.length, script.length - 1)]!
      bodies.push(body)
      switch (behaviour._tag) {
        case "Answer":
          res
            .writeHead(behaviour.status, { "content-type": "application/json", ...behaviour.headers })
            .end(behaviour.body)
          return
        case "Hang":
          return
        case "Drop":
          res.socket?.destroy()
          return
      }
    })
    return { ...served, bodies }
  })

/** A port on loopback nothing listens on. */
export { closedPort } from "@pasarela/testing/node"
