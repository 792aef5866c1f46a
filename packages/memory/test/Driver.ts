/**
 * The conformance `Driver` for the memory provider: payments, expiry and settlement through
 * `MemoryControl`, notifications from its queue. Lives with the tests because `@pasarela/testing`
 * is a dev dependency of this package.
 */
import { Money } from "@pasarela/core"
import { MemoryControl, TestCards } from "@pasarela/memory"
import { Driver } from "@pasarela/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { chargeInput } from "./fixtures.js"

export const layer: Layer.Layer<Driver, never, MemoryControl> = Layer.effect(
  Driver,
  Effect.map(MemoryControl, (control) => ({
    amount: Money.make("120000", "COP"),
    linkDefaults: {},
    payLink: (link) => control.payLink(link.id),
    expireLink: (link) => control.expireLink(link.id),
    notifiesExpiry: true,
    takeNotification: control.takeNotification,
    // What an attacker without the secret can do: turn an approval into a decline, signature kept.
    forge: (notification) => {
      const body = JSON.parse(notification.body) as Record<string, unknown>
      return { ...notification, body: JSON.stringify({ ...body, type: "payment.declined", status: "DECLINED" }) }
    },
    requestCount: control.requestCount,
    charges: {
      approved: chargeInput(TestCards.approved.visa),
      declined: chargeInput(TestCards.declined.autocore, {}, { skipLuhnCheck: true }),
      pendingThenApproved: chargeInput(TestCards.pendingThenApproved.autocore),
      settle: (chargeId) => control.settleCharge(chargeId)
    }
  }))
)
