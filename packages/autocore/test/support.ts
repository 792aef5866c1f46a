/**
 * Shared pieces of the tests that run the adapter against the Autocore simulator over real
 * loopback HTTP: the simulator (with a count of the API requests it received), a webhook receiver
 * standing in for the merchant's endpoint, and adapter options for the simulator's test accounts.
 */
import { createServer } from "node:http"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Card, type RawNotification } from "@pasarela/core"
import { AutocoreSandbox } from "@pasarela/sandbox"
import { scriptedServer } from "@pasarela/testing/node"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Runtime from "effect/Runtime"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type * as Autocore from "../src/Autocore.js"

export const [account, secondAccount] = AutocoreSandbox.defaultAccounts as readonly [
  AutocoreSandbox.Account,
  AutocoreSandbox.Account
]

export const webhookSecret = Redacted.make("autocore-webhook-secret-for-tests")

export interface CountedSandbox extends AutocoreSandbox.AutocoreSandbox {
  /** API requests received (control endpoints and hosted pages excluded). */
  readonly requestCount: Effect.Effect<number>
}

export class Sandbox extends Context.Tag("test/Sandbox")<Sandbox, CountedSandbox>() {}

/**
 * The simulator on its own loopback server, counting the API requests that reach it: the proof
 * that an invalid input never left the adapter.
 */
export const countedSandbox = (
  options: Partial<AutocoreSandbox.Options> = {}
): Effect.Effect<CountedSandbox, unknown, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const { app, controls } = yield* AutocoreSandbox.make({
      accounts: AutocoreSandbox.defaultAccounts,
      webhookRetryInterval: "100 millis",
      ...options
    })
    const count = yield* Ref.make(0)
    const counting = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      request.url.startsWith(AutocoreSandbox.controlPrefix)
        ? app
        : Effect.zipRight(
            Ref.update(count, (n) => n + 1),
            app
          )
    )
    const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
    yield* server.serve(counting)
    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("expected a TCP address")
    return { ...controls, baseUrl: `http://127.0.0.1:${address.port}`, requestCount: Ref.get(count) }
  })

export const SandboxLive = (options: Partial<AutocoreSandbox.Options> = {}) =>
  Layer.scoped(Sandbox, countedSandbox(options)).pipe(Layer.orDie, Layer.provide(NodeHttpClient.layerUndici))

export interface Receiver {
  /** `http://127.0.0.1:<port>/autocore/webhooks` */
  readonly url: string
  /** Waits for the next notification, as the endpoint received it. */
  readonly take: Effect.Effect<RawNotification>
  /** Every notification received so far. */
  readonly received: Effect.Effect<ReadonlyArray<RawNotification>>
  /** How to answer each notification (default: 200). */
  readonly respondWith: (answer: (notification: RawNotification) => Effect.Effect<number>) => Effect.Effect<void>
}

export class WebhookReceiver extends Context.Tag("test/WebhookReceiver")<WebhookReceiver, Receiver>() {}

/** A loopback webhook endpoint that keeps the raw body and URL, as a real intake must. */
export const receiver: Effect.Effect<Receiver, never, Scope.Scope> = Effect.gen(function* () {
  const runtime = yield* Effect.runtime<never>()
  const queue = yield* Queue.unbounded<RawNotification>()
  const log = yield* Ref.make<ReadonlyArray<RawNotification>>([])
  let answer: (notification: RawNotification) => Effect.Effect<number> = () => Effect.succeed(200)
  const server = yield* scriptedServer((request, response) => {
    const notification: RawNotification = {
      body: request.body,
      url: request.url || "/",
      headers: Object.fromEntries(
        Object.entries(request.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : []))
      )
    }
    Runtime.runPromise(runtime)(
      Effect.gen(function* () {
        yield* Ref.update(log, (all) => [...all, notification])
        yield* Queue.offer(queue, notification)
        return yield* answer(notification)
      })
    ).then(
      (status) => {
        response.statusCode = status
        response.end()
      },
      () => {
        response.statusCode = 500
        response.end()
      }
    )
  })
  return {
    url: `${server.baseUrl}/autocore/webhooks`,
    take: Queue.take(queue),
    received: Ref.get(log),
    respondWith: (f) =>
      Effect.sync(() => {
        answer = f
      })
  }
})

export const ReceiverLive = Layer.scoped(WebhookReceiver, receiver)

/** Adapter options for the first test account against `baseUrl`. */
export const options = (baseUrl: string, overrides: Partial<Autocore.Options> = {}): Autocore.Options => ({
  accessKey: account.accessKey,
  secretKey: Redacted.make(account.secretKey),
  baseUrl,
  hotelId: 5,
  cardEncryptionKey: Redacted.make(account.cardEncryptionKey),
  webhookSecret,
  ...overrides
})

/** A port nothing listens on (a server was there a moment ago). */
export { closedPort } from "@pasarela/testing/node"

/** Polls `effect` until `done` holds (about 5 s at most). */
export const eventually = <A, E, R>(effect: Effect.Effect<A, E, R>, done: (a: A) => boolean) =>
  effect.pipe(
    Effect.filterOrFail(done, () => "not yet" as const),
    Effect.retry(Schedule.spaced(Duration.millis(20)).pipe(Schedule.upTo(Duration.seconds(5)))),
    Effect.orElse(() => effect)
  )

let counter = 0
/** A reference no other test uses. */
export const uniqueReference = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}`

export const futureYear = new Date().getUTCFullYear() + 3

/**
 * A card valid for years whose number picks the simulator's outcome (`AutocoreSandbox.testCards`),
 * its Luhn check skipped where the test card fails it on purpose.
 */
export const sandboxCard = (number: string) =>
  Card.make({
    number,
    cvv: "123",
    expiryMonth: 12,
    expiryYear: futureYear,
    holderName: "JOHN DOE",
    skipLuhnCheck: AutocoreSandbox.testCards.some((card) => card.number === number && card.skipLuhnCheck === true)
  })
