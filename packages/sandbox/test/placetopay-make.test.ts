import { createServer } from "node:http"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { PlacetoPaySandbox } from "../src/index.js"
import { createLink, queryLink, site1 } from "./placetopay-support.js"

describe("PlacetoPaySandbox.make", () => {
  it.scopedLive("its router mounts next to other routes on one server", () =>
    Effect.gen(function* () {
      const handle = yield* PlacetoPaySandbox.make({ sites: PlacetoPaySandbox.defaultSites }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const other = HttpRouter.empty.pipe(HttpRouter.get("/other", HttpServerResponse.text("other")))
      const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
      yield* server.serve(HttpRouter.concat(handle.router, other))
      const address = server.address
      const baseUrl = `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}`

      const link = yield* createLink(baseUrl, site1)
      // Without a publicBaseUrl, link URLs follow the Host the request came to.
      expect(link.url.startsWith(`${baseUrl}/link/show?genid=${link.id}&code=`)).toBe(true)
      yield* handle.controls.payLink(link.id, { number: "4111111111111111" })
      expect((yield* queryLink(baseUrl, site1, link.id)).body.payments).toHaveLength(1)
      const text = yield* Effect.promise(() => fetch(`${baseUrl}/other`).then((r) => r.text()))
      expect(text).toBe("other")
    })
  )

  it.effect("refuses inconsistent sites", () =>
    Effect.gen(function* () {
      const make = (sites: ReadonlyArray<PlacetoPaySandbox.Site>) =>
        Effect.flip(PlacetoPaySandbox.make({ sites }).pipe(Effect.provide(FetchHttpClient.layer)))
      expect((yield* make([])).reason).toBe("InvalidOptions")
      expect((yield* make([site1, { ...site1, login: "x" }])).message).toMatch(/id 1001/)
      expect((yield* make([site1, { ...site1, id: 5 }])).message).toMatch(/login/)
      expect((yield* make([{ ...site1, timeZoneOffset: "Bogota" }])).message).toMatch(/timeZoneOffset/)
    })
  )
})
