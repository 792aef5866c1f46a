/**
 * Connection failures a simulator cannot fake, for testing retry rules: wraps the `HttpClient` in
 * context so each request can be sent to a closed port (connection refused) or an unresolvable host
 * (DNS failure) — the two cases where a request provably never reached the provider.
 */
import { createServer } from "node:net"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"

/** `refuseFirst`: only the first attempt is refused; `refuseAll`: every attempt. */
export type ConnectionPlan = "normal" | "refuseFirst" | "refuseAll" | "unresolvable"

export interface ConnectivityShape {
  readonly set: (plan: ConnectionPlan) => Effect.Effect<void>
  /** Paths of every request attempted since the last `set`. */
  readonly sent: Effect.Effect<ReadonlyArray<string>>
}

export class Connectivity extends Context.Tag("@pasarela/testing/Connectivity")<Connectivity, ConnectivityShape>() {}

/** A port on loopback nothing listens on (the OS hands one out, then it is closed again). */
export const closedPort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** The steered client and its `Connectivity` controls; needs the real `HttpClient` beneath. */
export const steeredHttpClient: Layer.Layer<HttpClient.HttpClient | Connectivity, never, HttpClient.HttpClient> =
  Layer.effectContext(
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient
      const port = yield* closedPort
      const state = yield* Ref.make<{ plan: ConnectionPlan; sent: ReadonlyArray<string> }>({ plan: "normal", sent: [] })
      const steered = HttpClient.mapRequestEffect(client, (request) =>
        Ref.modify(state, (s) => {
          const url = new URL(request.url)
          const rewrite =
            s.plan === "refuseAll" || (s.plan === "refuseFirst" && s.sent.length === 0)
              ? `http://127.0.0.1:${port}`
              : s.plan === "unresolvable"
                ? "http://pasarela-connectivity.invalid"
                : undefined
          const next = { ...s, sent: [...s.sent, url.pathname] }
          if (rewrite === undefined) return [request, next] as const
          return [HttpClientRequest.setUrl(request, `${rewrite}${url.pathname}${url.search}`), next] as const
        })
      )
      return Context.make(HttpClient.HttpClient, steered).pipe(
        Context.add(Connectivity, {
          set: (plan) => Ref.set(state, { plan, sent: [] }),
          sent: Effect.map(Ref.get(state), (s) => s.sent)
        })
      )
    })
  )

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
