/**
 * Connection failures a simulator cannot fake, for testing retry rules: the `Connectivity` controls
 * of a client that sends each request to a closed port (connection refused) or an unresolvable host
 * (DNS failure) — the two cases where a request provably never reached the provider — and clients
 * that refuse to send. The steered client itself opens a socket: it is in `@pasarela/testing/node`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** `refuseFirst`: only the first attempt is refused; `refuseAll`: every attempt. */
export type ConnectionPlan = "normal" | "refuseFirst" | "refuseAll" | "unresolvable"

export interface ConnectivityShape {
  readonly set: (plan: ConnectionPlan) => Effect.Effect<void>
  /** Paths of every request attempted since the last `set`. */
  readonly sent: Effect.Effect<ReadonlyArray<string>>
}

export class Connectivity extends Context.Tag("@pasarela/testing/Connectivity")<Connectivity, ConnectivityShape>() {}

/** A client that fails every request before sending it, as `refuse` says; `attempts` counts the requests it was given. */
const refusing = (
  attempts: { count: number },
  refuse: (request: HttpClientRequest.HttpClientRequest) => HttpClientError.RequestError
): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.suspend(() => {
        attempts.count++
        return Effect.fail(refuse(request))
      })
    )
  )

/**
 * A client that refuses every request's URL (`RequestError`, reason `InvalidUrl`), as a client
 * stricter than the adapter's own check would; `attempts` counts the requests it was given.
 */
export const urlRefusingHttpClient = (attempts: { count: number }): Layer.Layer<HttpClient.HttpClient> =>
  refusing(
    attempts,
    (request) =>
      new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: new TypeError("Invalid URL") })
  )

/**
 * A client that refuses to send every request, as undici does a header value it will not put on
 * the wire (`RequestError` caused by `UND_ERR_INVALID_ARG`); `attempts` counts the requests it was given.
 */
export const refusingHttpClient = (attempts: { count: number }): Layer.Layer<HttpClient.HttpClient> =>
  refusing(
    attempts,
    (request) =>
      new HttpClientError.RequestError({
        request,
        reason: "Transport",
        cause: Object.assign(new TypeError("invalid header"), { code: "UND_ERR_INVALID_ARG" })
      })
  )
