/**
 * The steered client behind `Connectivity`: it needs a loopback port nothing listens on, which only
 * a server runtime can find (`node:net`, as Node, Bun and Deno provide it).
 */
import { createServer } from "node:net"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { type ConnectionPlan, Connectivity } from "./Connectivity.js"

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
