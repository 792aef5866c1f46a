import { createServer } from "node:http"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as AutocoreSandbox from "../src/AutocoreSandbox.js"
import { account, apiKeyHeaders, call, linkBody, tokenHeaders } from "./autocore-support.js"

describe("Autocore simulator options", () => {
  it.scopedLive("judges tokens by the skewed auth clock", () =>
    Effect.gen(function* () {
      const sandbox = yield* AutocoreSandbox.serve({
        accounts: AutocoreSandbox.defaultAccounts,
        authClockSkew: "31 seconds"
      })
      const fresh = yield* call(sandbox.baseUrl, "GET", "/v2/hotels", { headers: tokenHeaders() })
      expect(fresh.status).toBe(401)
      expect(fresh.body.detail).toBe("auth_token vencido (validez de 30 segundos)")
      // A token stamped 31 s ahead of the real clock is current for this sandbox.
      const ahead = yield* call(sandbox.baseUrl, "GET", "/v2/hotels", { headers: tokenHeaders(account, -31) })
      expect(ahead.status).toBe(200)
    })
  )

  it.scopedLive("builds link URLs on the configured appBaseUrl", () =>
    Effect.gen(function* () {
      const sandbox = yield* AutocoreSandbox.serve({
        accounts: AutocoreSandbox.defaultAccounts,
        appBaseUrl: "https://app-dev.autocore.pro/"
      })
      const reply = yield* call(sandbox.baseUrl, "POST", "/v2/links/schedule/", {
        headers: apiKeyHeaders(),
        body: linkBody()
      })
      expect(reply.body.url).toBe(`https://app-dev.autocore.pro/payment/hotel_abc/${reply.body.code}`)
    })
  )

  it.scopedLive("mounts beside another router on one server", () =>
    Effect.gen(function* () {
      const { router, controls } = yield* AutocoreSandbox.make({ accounts: AutocoreSandbox.defaultAccounts }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const other = HttpRouter.empty.pipe(HttpRouter.get("/other/ping", HttpServerResponse.text("pong")))
      const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
      yield* server.serve(HttpRouter.concat(router, other))
      const address = server.address
      if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("expected a TCP address")
      const baseUrl = `http://127.0.0.1:${address.port}`
      expect((yield* call(baseUrl, "GET", "/other/ping")).text).toBe("pong")
      const link = yield* call(baseUrl, "POST", "/v2/links/schedule/", { headers: apiKeyHeaders(), body: linkBody() })
      expect(link.status).toBe(200)
      expect((yield* controls.state).links.map((l) => l.code)).toContain(link.body.code)
    })
  )

  it.effect("refuses ambiguous accounts", () =>
    Effect.gen(function* () {
      const [first] = AutocoreSandbox.defaultAccounts
      const exit = yield* AutocoreSandbox.serve({ accounts: [first!, first!] }).pipe(Effect.scoped, Effect.exit)
      expect(exit._tag).toBe("Failure")
    })
  )
})
