import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { main } from "../demo.js"

describe("the demo", () => {
  it.live("creates, pays and hears about a link on each gateway, and charges three test cards", () =>
    Effect.gen(function* () {
      const summary = yield* main
      const events = summary.events.map((e) => [e.merchantId, e.provider, e.type, e.reference, e.verified])
      // The two link payments arrive in either order; the settled charge comes last.
      expect(events.slice(0, 2)).toEqual(
        expect.arrayContaining([
          ["hotel-bogota", "placetopay", "payment.approved", "BK-BOG-1001", true],
          ["hotel-cartagena", "autocore", "payment.approved", "BK-CTG-2001", true]
        ])
      )
      expect(events[2]).toEqual(["hotel-cartagena", "autocore", "payment.approved", "FD-3003", true])
      expect(events).toHaveLength(3)
      const text = summary.lines.join("\n")
      expect(text).toContain("BK-BOG-1001 on PlacetoPay is now paid")
      expect(text).toMatch(/FD-3001 card \*{4}1111: approved/)
      expect(text).toMatch(/FD-3002 card \*{4}1111: declined/)
      expect(text).toMatch(/FD-3003 card \*{4}0808: pending/)
    })
  )
})
