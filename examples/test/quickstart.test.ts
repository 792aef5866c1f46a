import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { format, main } from "../quickstart.js"

describe("quick start", () => {
  it.effect("pays a booking link, verifies its notification and charges three test cards", () =>
    Effect.gen(function* () {
      const summary = yield* main
      expect(summary.link).toEqual({
        id: "lnk_1",
        url: "https://pay.memory.test/links/lnk_1",
        status: "paid",
        // TestClock starts at the epoch: 24 hours later.
        expiresAt: "1970-01-02T00:00:00.000Z"
      })
      expect(summary.event).toEqual({
        type: "payment.approved",
        reference: "BK-2041",
        amount: "120000.00 COP",
        dedupeKey: "memory:-:pay_1.APPROVED"
      })
      expect(summary.charges).toEqual([
        { reference: "FOLIO-301", card: "**** 1111", outcome: "approved" },
        { reference: "FOLIO-302", card: "**** 0016", outcome: "declined", declineReason: "Fondos insuficientes." },
        { reference: "FOLIO-303", card: "**** 0073", outcome: "pending", settledTo: "approved" }
      ])
      expect(format(summary).split("\n")).toEqual([
        "Payment link lnk_1: paid, expires 1970-01-02T00:00:00.000Z",
        "  https://pay.memory.test/links/lnk_1",
        "Notification: payment.approved for BK-2041, 120000.00 COP (dedupe key memory:-:pay_1.APPROVED)",
        "Card charges:",
        "  FOLIO-301  **** 1111  approved",
        "  FOLIO-302  **** 0016  declined (Fondos insuficientes.)",
        "  FOLIO-303  **** 0073  pending → approved"
      ])
    })
  )
})
