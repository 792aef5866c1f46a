import { describe, expect, it } from "@effect/vitest"
import { AutocoreSandbox, PlacetoPaySandbox, Sandbox } from "@pasarela/sandbox"
import * as Effect from "effect/Effect"

describe("both simulators on one server", () => {
  it.live("serves PlacetoPay and Autocore routes from one base URL", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.serve()
      const get = (path: string) => Effect.promise(() => fetch(`${sandbox.baseUrl}${path}`))
      const body = (response: Response) => Effect.promise(() => response.json())
      const links = yield* get("/__sandbox/placetopay/links")
      expect([links.status, yield* body(links)]).toEqual([200, { links: [] }])
      const state = yield* get("/__sandbox/autocore/state")
      expect([state.status, yield* body(state)]).toEqual([200, { links: [], charges: [], orders: [], giftCards: [] }])
      // PlacetoPay answers its own auth error; Autocore its own envelope: each route reached its simulator.
      const placetopay = yield* Effect.promise(() =>
        fetch(`${sandbox.baseUrl}/api/payment-link`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}"
        })
      )
      expect(placetopay.status).toBe(401)
      const autocore = yield* get("/v2/hotels")
      expect(autocore.status).toBe(401)
      expect(yield* body(autocore)).toMatchObject({ message: "Error http: 401" })
      const nowhere = yield* get("/nowhere")
      expect([nowhere.status, yield* body(nowhere)]).toEqual([404, { error: "no such route" }])
      // Without options, each simulator runs with its ready-made test credentials.
      expect(sandbox.placetopay.sites).toEqual(PlacetoPaySandbox.defaultSites)
      expect(sandbox.autocore.accounts).toEqual(AutocoreSandbox.defaultAccounts)
      expect(sandbox.dashboardUrl).toBe(`${sandbox.baseUrl}/`)
    }).pipe(Effect.scoped)
  )
})
