/**
 * Webhook delivery like Autocore's (spec §10): POST JSON to `temp_webhook_url` exactly as given
 * (query string included, since adapters put their token there); done only on an exact 200,
 * otherwise re-delivered every `retryInterval` until 200, `maxAttempts`, or the sandbox stops.
 * Every attempt is logged with its time, HTTP status and the start of the receiver's answer.
 * The only module that does outbound I/O. Failures are recorded, never raised.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberSet from "effect/FiberSet"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import { bodySnippet } from "../ResponseSnippet.js"
import type { WebhookDelivery } from "./Model.js"
import { iso } from "./Time.js"

export interface Notifier {
  /** Starts delivering in the background and returns at once. */
  readonly deliver: (url: string, body: unknown) => Effect.Effect<void>
  readonly deliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
}

export interface Options {
  readonly retryInterval: Duration.Duration
  /** `undefined`: no limit, as Autocore documents none. */
  readonly maxAttempts: number | undefined
  /** Per attempt, so a receiver that never answers does not stall re-delivery. */
  readonly attemptTimeout: Duration.Duration
}

export const make = (options: Options): Effect.Effect<Notifier, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    // Autocore sends plain requests: no tracing headers.
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerPropagation(false))
    const fibers = yield* FiberSet.make<void>()
    const log = yield* Ref.make(Chunk.empty<WebhookDelivery>())
    const nextId = yield* Ref.make(1)

    const post = (url: string, body: unknown) =>
      client.execute(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUnsafeJson(body))).pipe(
        // The start of the answer is kept for the log; the rest is not read.
        Effect.flatMap((response) =>
          Effect.map(bodySnippet(response), (snippet) => [response.status, snippet] as const)
        ),
        Effect.timeoutFail({
          duration: options.attemptTimeout,
          onTimeout: () => ({ message: "sin respuesta (timeout)" })
        }),
        Effect.either
      )

    const run = (deliveryId: number, url: string, body: unknown) =>
      Effect.gen(function* () {
        for (let attempt = 1; ; attempt++) {
          const result = yield* post(url, body)
          const at = iso(yield* Clock.currentTimeMillis)
          const status = Either.isRight(result) ? result.right[0] : null
          const responseBody = Either.isRight(result) ? result.right[1] : null
          const error = Either.isLeft(result) ? result.left.message : null
          yield* Ref.update(
            log,
            Chunk.append<WebhookDelivery>({ deliveryId, url, body, attempt, status, error, at, responseBody })
          )
          if (status === 200) return
          if (options.maxAttempts !== undefined && attempt >= options.maxAttempts) return
          yield* Effect.sleep(options.retryInterval)
        }
      })

    return {
      deliver: (url, body) =>
        Ref.getAndUpdate(nextId, (n) => n + 1).pipe(
          Effect.flatMap((deliveryId) => FiberSet.run(fibers, run(deliveryId, url, body))),
          Effect.asVoid
        ),
      deliveries: Effect.map(Ref.get(log), Chunk.toReadonlyArray)
    } satisfies Notifier
  })
