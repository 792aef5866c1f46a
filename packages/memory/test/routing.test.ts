/**
 * The router over two memory providers serving one hotel, primary and fallback. Both number their
 * links `lnk_1`, `lnk_2`…, so only the route in the routed id tells their links apart.
 */
import { describe, expect, it } from "@effect/vitest"
import { Money, PaymentError, PaymentLinks, Router } from "@pasarela/core"
import { Memory, MemoryControl } from "@pasarela/memory"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const link = (reference: string) => ({
  merchantId: "hotel",
  reference,
  description: "2 nights",
  amount: Money.make("120000", "COP")
})

describe("routing between two memory providers", () => {
  it.scoped("get and disable reach the provider that made the link", () =>
    Effect.gen(function* () {
      const primary = yield* Layer.build(Memory.layer({ merchantId: "hotel" }))
      const fallback = yield* Layer.build(Memory.layer({ merchantId: "hotel" }))
      const links = Context.get(
        yield* Router.make({
          hotel: { provider: Layer.succeedContext(primary), fallback: Layer.succeedContext(fallback) }
        }),
        PaymentLinks
      )

      const first = yield* links.create(link("BK-PRIMARY"))
      yield* Context.get(primary, MemoryControl).failNext(
        "links.create",
        new PaymentError.ProviderUnavailable({ status: 503, detail: "down" })
      )
      const second = yield* links.create(link("BK-FALLBACK"))
      expect(first.id).toBe("memory:hotel:primary:lnk_1")
      expect(second.id).toBe("memory:hotel:fallback:lnk_1")

      expect(yield* links.get(second.id)).toMatchObject({ id: second.id, reference: "BK-FALLBACK" })
      expect(yield* links.get(first.id)).toMatchObject({ id: first.id, reference: "BK-PRIMARY" })
      expect(yield* links.disable(second.id)).toMatchObject({ reference: "BK-FALLBACK", status: "disabled" })
      const onPrimary = yield* Context.get(primary, MemoryControl).links
      const onFallback = yield* Context.get(fallback, MemoryControl).links
      expect(onPrimary.map((l) => [l.reference, l.status])).toEqual([["BK-PRIMARY", "active"]])
      expect(onFallback.map((l) => [l.reference, l.status])).toEqual([["BK-FALLBACK", "disabled"]])
      // An id issued before routes were recorded is the primary's.
      expect(yield* links.get("memory:hotel:lnk_1")).toMatchObject({ reference: "BK-PRIMARY" })
    })
  )
})
