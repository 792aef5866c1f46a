import { describe, expect, it } from "@effect/vitest"
import { Charges, Money } from "@pasarela/core"
import { Memory, MemoryControl, TestCards } from "@pasarela/memory"
import { failureOf, reasonOf } from "@pasarela/testing/helpers"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { chargeInput } from "./fixtures.js"

const cases = [
  ...Object.values(TestCards.approved).map((n) => [n, "approved", "approved"] as const),
  ...Object.values(TestCards.declined).map((n) => [n, "declined", "declined"] as const),
  ...Object.values(TestCards.pendingThenApproved).map((n) => [n, "pending", "approved"] as const),
  ...Object.values(TestCards.pendingThenDeclined).map((n) => [n, "pending", "declined"] as const),
  ["4242424242424242", "approved", "approved"] as const
]

describe("card charges", () => {
  it.effect.each(cases)("card %s is %s, finally %s", ([number, first, final]) =>
    Effect.gen(function* () {
      const charges = yield* Charges
      const control = yield* MemoryControl
      // Autocore's declined card fails Luhn on purpose: the caller must say so.
      const input = chargeInput(number, {}, number === TestCards.declined.autocore ? { skipLuhnCheck: true } : {})
      const charge = yield* charges.create(input)
      expect(charge).toMatchObject({
        id: "ch_1",
        provider: "memory",
        reference: "FOLIO-77",
        outcome: first,
        lastDigits: number.slice(-4)
      })
      expect(Money.equals(charge.amount, Money.make("50000", "COP"))).toBe(true)
      expect(charge.declineReason).toBe(first === "declined" ? "Fondos insuficientes." : undefined)
      expect(charge.voucherUrl).toBe(first === "approved" ? "https://pay.memory.test/vouchers/ch_1" : undefined)
      expect(yield* control.takeEvent).toMatchObject({
        type: `payment.${first}`,
        subject: { kind: "charge", id: "ch_1" }
      })
      if (first === "pending") {
        const settled = yield* control.settleCharge(charge.id)
        expect(settled.outcome).toBe(final)
        expect(settled.declineReason).toBe(final === "declined" ? "Fondos insuficientes." : undefined)
        const event = yield* control.takeEvent
        expect(event).toMatchObject({ type: `payment.${final}`, subject: { kind: "charge", id: charge.id } })
        expect(yield* control.charges).toEqual([settled])
      } else {
        const error = yield* failureOf(control.settleCharge(charge.id))
        expect(error.reason).toMatchObject({ _tag: "Conflict", detail: `charge ch_1 is ${first}, not pending` })
      }
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("a second settle of the same charge is a Conflict; an unknown one NotFound", () =>
    Effect.gen(function* () {
      const charges = yield* Charges
      const control = yield* MemoryControl
      const charge = yield* charges.create(chargeInput(TestCards.pendingThenApproved.autocore))
      yield* control.settleCharge(charge.id)
      expect((yield* reasonOf(control.settleCharge(charge.id)))._tag).toBe("Conflict")
      expect((yield* reasonOf(control.settleCharge("ch_404")))._tag).toBe("NotFound")
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("Autocore's declined card without skipLuhnCheck is refused before reaching the provider", () =>
    Effect.gen(function* () {
      const control = yield* MemoryControl
      const error = yield* failureOf((yield* Charges).create(chargeInput(TestCards.declined.autocore)))
      expect(error.reason).toMatchObject({ _tag: "InvalidRequest", issues: [{ path: "card.number" }] })
      expect(yield* control.requestCount).toBe(0)
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("an expired card (against the Clock) is InvalidRequest and nothing is recorded or counted", () =>
    Effect.gen(function* () {
      const charges = yield* Charges
      const control = yield* MemoryControl
      // TestClock starts at 1970-01-01: move it to 2031-02.
      yield* TestClock.setTime(Date.UTC(2031, 1, 10))
      const error = yield* failureOf(
        charges.create(chargeInput(TestCards.approved.visa, {}, { expiryMonth: 1, expiryYear: 2031 }))
      )
      expect(error.reason).toMatchObject({ _tag: "InvalidRequest", issues: [{ path: "card.expiryYear" }] })
      expect(yield* control.requestCount).toBe(0)
      expect(yield* control.charges).toEqual([])
      expect(yield* control.eventsSoFar).toEqual([])
      // Valid through the end of its month.
      const charge = yield* charges.create(
        chargeInput(TestCards.approved.visa, {}, { expiryMonth: 2, expiryYear: 2031 })
      )
      expect(charge.outcome).toBe("approved")
      expect(yield* control.requestCount).toBe(1)
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("never keeps the card number, CVV or holder anywhere", () =>
    Effect.gen(function* () {
      const charges = yield* Charges
      const control = yield* MemoryControl
      const pending = yield* charges.create(
        chargeInput(TestCards.pendingThenDeclined.visa, {}, { cvv: "987", holderName: "ZED QUIRINO" })
      )
      yield* control.settleCharge(pending.id)
      const everything = JSON.stringify({
        charges: yield* control.charges,
        events: yield* control.eventsSoFar,
        notifications: yield* control.notificationsSoFar
      })
      expect(everything).toContain('"lastDigits":"0037"')
      expect(everything).not.toContain(TestCards.pendingThenDeclined.visa)
      expect(everything).not.toContain("ZED QUIRINO")
      expect(everything).not.toContain('"987"')
    }).pipe(Effect.provide(Memory.layer()))
  )
})
