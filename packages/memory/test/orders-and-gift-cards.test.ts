import { describe, expect, it } from "@effect/vitest"
import { GiftCards, Money, PaymentLinks, PaymentOrders } from "@pasarela/core"
import { Memory, MemoryControl } from "@pasarela/memory"
import { reasonOf } from "@pasarela/testing/helpers"
import * as Effect from "effect/Effect"
import { payer } from "./fixtures.js"

const orderInput = {
  reference: "CASH-9",
  description: "Deposit for booking BK-1001",
  amount: Money.make("80000", "COP"),
  payer: { ...payer, document: { type: "CC", number: "1020304050" } },
  method: "daviplata",
  personType: "N",
  returnUrl: "https://hotel.example/thanks"
}

const giftCardInput = {
  reference: "GIFT-3",
  amount: Money.make("300000", "COP"),
  sender: {
    name: "Laura Pelaez",
    email: "laura@example.com",
    phone: { callingCode: "+57", number: "3001234567" },
    address: "Calle 10 # 5-20",
    document: { type: "CC", number: "1020304050" }
  },
  recipient: { name: "Ana Ruiz", email: "ana@example.com" },
  note: "Happy birthday: a weekend on us",
  returnUrls: { success: "https://hotel.example/gift/ok", failure: "https://hotel.example/gift/ko" }
}

describe("payment orders", () => {
  it.effect("are created pending with a checkout URL; payOrder settles them and emits the outcome", () =>
    Effect.gen(function* () {
      const orders = yield* PaymentOrders
      const control = yield* MemoryControl
      const order = yield* orders.create(orderInput)
      expect(order).toMatchObject({
        id: "ord_1",
        provider: "memory",
        reference: "CASH-9",
        status: "pending",
        checkoutUrl: "https://pay.memory.test/checkout/ord_1"
      })
      expect(yield* control.eventsSoFar).toEqual([])
      expect(yield* control.payOrder(order.id)).toMatchObject({ id: order.id, status: "approved" })
      expect(yield* control.takeEvent).toMatchObject({
        type: "payment.approved",
        subject: { kind: "order", id: order.id }
      })
      expect((yield* reasonOf(control.payOrder(order.id)))._tag).toBe("Conflict")

      const other = yield* orders.create(orderInput)
      expect((yield* control.payOrder(other.id, "declined")).status).toBe("declined")
      expect(yield* control.takeEvent).toMatchObject({ type: "payment.declined", detail: "Fondos insuficientes." })
      expect((yield* control.orders).map((o) => o.status)).toEqual(["approved", "declined"])
      expect((yield* reasonOf(control.payOrder("ord_404")))._tag).toBe("NotFound")
    }).pipe(Effect.provide(Memory.layer()))
  )
})

describe("gift cards", () => {
  it.effect("start pending_payment with a payment link and become active once that link is paid", () =>
    Effect.gen(function* () {
      const giftCards = yield* GiftCards
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const giftCard = yield* giftCards.create(giftCardInput)
      expect(giftCard).toMatchObject({
        code: "GC00000001",
        provider: "memory",
        reference: "GIFT-3",
        status: "pending_payment",
        paymentLink: { id: "lnk_1", url: "https://pay.memory.test/links/lnk_1" }
      })
      const link = yield* links.get(giftCard.paymentLink.id)
      expect(link).toMatchObject({ status: "active", reference: "GIFT-3", description: giftCardInput.note })
      expect(Money.equals(link.amount, giftCardInput.amount)).toBe(true)

      yield* control.declineLink(link.id)
      expect((yield* control.giftCards)[0]?.status).toBe("pending_payment")
      yield* control.payLink(link.id)
      expect(yield* control.giftCards).toEqual([{ ...giftCard, status: "active" }])
      const events = yield* control.eventsSoFar
      expect(events.map((e) => [e.type, e.subject.kind, e.subject.id])).toEqual([
        ["payment.declined", "giftCard", giftCard.code],
        ["payment.approved", "giftCard", giftCard.code]
      ])
    }).pipe(Effect.provide(Memory.layer()))
  )
})
