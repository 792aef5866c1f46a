import { describe, expect, it } from "@effect/vitest"
import { Sandbox } from "@pasarela/sandbox"
import * as Effect from "effect/Effect"

describe("both simulators on one server", () => {
  it.live("serves PlacetoPay and Autocore routes from one base URL", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.serve()
      const get = (path: string) => Effect.promise(() => fetch(`${sandbox.baseUrl}${path}`))
      expect((yield* get("/__sandbox/placetopay/links")).status).toBe(200)
      expect((yield* get("/__sandbox/autocore/state")).status).toBe(200)
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
      expect(yield* Effect.promise(() => autocore.json())).toMatchObject({ message: "Error http: 401" })
      expect((yield* get("/nowhere")).status).toBe(404)
      expect(sandbox.placetopay.sites.length).toBeGreaterThan(0)
      expect(sandbox.autocore.accounts.length).toBeGreaterThan(0)
    }).pipe(Effect.scoped)
  )
})
