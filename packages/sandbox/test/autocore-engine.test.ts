import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as Cards from "../src/autocore/Cards.js"
import * as Engine from "../src/autocore/Engine.js"
import type { WebhookDelivery } from "../src/autocore/Model.js"
import type { Notifier } from "../src/autocore/Notifier.js"
import { autocoreTimestamp } from "../src/autocore/Time.js"
import * as Wire from "../src/autocore/Wire.js"
import { account, linkBody } from "./autocore-support.js"

const context = { apiBaseUrl: "http://api.test", appBaseUrl: "http://app.test" }

/** Records what would be delivered instead of sending it. */
const recordingWebhooks = () => {
  const sent: Array<{ url: string; body: unknown }> = []
  const webhooks: Notifier = {
    deliver: (url, body) => Effect.sync(() => void sent.push({ url, body })),
    deliveries: Effect.succeed<ReadonlyArray<WebhookDelivery>>([])
  }
  return { sent, webhooks }
}

describe("Autocore simulator engine", () => {
  it.effect("expires a link after available_hours and refuses to pay it", () =>
    Effect.gen(function* () {
      const { sent, webhooks } = recordingWebhooks()
      const engine = yield* Engine.make(webhooks)
      const request = Schema.decodeUnknownSync(Wire.LinkRequest)(
        linkBody({ available_hours: 1, temp_webhook_url: "http://hooks.test/x?t=1" })
      )
      const link = yield* engine.createLink({ account, hotel: account.hotels[1]!, context }, request)
      expect(link.url).toBe(`http://app.test/payment/hotel_abc/${link.code}`)
      yield* TestClock.adjust("59 minutes")
      expect((yield* engine.findLink(link.code))?.status).toBe("active")
      yield* TestClock.adjust("2 minutes")
      expect((yield* engine.findLink(link.code))?.status).toBe("expired")
      const error = yield* engine.payLink(link.code, "approved", {}).pipe(Effect.flip)
      expect(error).toMatchObject({ reason: "Conflict", message: `El link ${link.code} está vencido` })
      expect(sent).toEqual([])
    })
  )

  it.effect("records a charge from its card facts: the scenario's status and the last four digits", () =>
    Effect.gen(function* () {
      const engine = yield* Engine.make(recordingWebhooks().webhooks)
      const request = Schema.decodeUnknownSync(Wire.ChargeRequest)({
        order: { ref_name: "A", ref_lastname: "B", ref_number: "R1", amount: 10.5, installments: 1, hotel_id: 1 },
        card_item: { cc_number: "x", cc_code: "x", cc_expire_month: "x", cc_expire_year: "x", cc_holder: "x" }
      })
      const scenario = Cards.scenario("36417002140808", false)
      const charge = yield* engine.createCharge({ account, hotel: account.hotels[0]!, context }, request, {
        last4: "0808",
        scenario
      })
      expect(charge).toMatchObject({ status: "in_process", settlesTo: "approved", cardLast4: "0808" })
    })
  )
})

describe("Autocore test cards and timestamps", () => {
  it("maps the documented cards without a Luhn check", () => {
    expect(Cards.scenario("4111111111111111", false)._tag).toBe("Approved")
    expect(Cards.scenario("1111111111111111", false)).toEqual({
      _tag: "Declined",
      comments: "Fondos insuficientes."
    })
    expect(Cards.scenario("36417002140808", false)).toEqual({ _tag: "Pending", settlesTo: "approved" })
    expect(Cards.scenario("5555555555554444", false)).toEqual({ _tag: "Pending", settlesTo: "declined" })
    expect(Cards.scenario("4111111111111111", true)._tag).toBe("InvalidCard")
  })

  it("judges expiry by the month in Colombia", () => {
    // 2025-05-01 03:00 UTC is still April 30 in Colombia.
    const now = Date.UTC(2025, 4, 1, 3, 0, 0)
    expect(Cards.isExpired(2025, 4, now)).toBe(false)
    expect(Cards.isExpired(2025, 3, now)).toBe(true)
    expect(Cards.isExpired(2024, 12, now)).toBe(true)
  })

  it("writes Autocore's zone-less Colombia timestamps", () => {
    const at = Date.UTC(2025, 3, 23, 17, 45, 24, 706)
    expect(autocoreTimestamp(at, " ")).toBe("2025-04-23 12:45:24.706000")
    expect(autocoreTimestamp(at, "T")).toBe("2025-04-23T12:45:24.706000")
  })
})
