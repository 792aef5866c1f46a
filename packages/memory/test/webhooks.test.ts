import { createHmac } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { Money, PaymentLinks, type RawNotification, Webhooks } from "@pasarela/core"
import { Memory, MemoryControl, MemoryNotification } from "@pasarela/memory"
import { failureOf, reasonOf } from "@pasarela/testing/helpers"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { linkInput } from "./fixtures.js"

/** A raw notification with its JSON body changed by `edit`. */
const editBody = (
  notification: RawNotification,
  edit: (body: Record<string, unknown>) => Record<string, unknown>
): RawNotification => ({ ...notification, body: JSON.stringify(edit(JSON.parse(notification.body))) })

/** Pays a fresh link and returns the notification the provider sent about it. */
const paidLinkNotification = Effect.gen(function* () {
  const link = yield* (yield* PaymentLinks).create(linkInput({ notificationUrl: "https://hotel.example/hooks/memory" }))
  const control = yield* MemoryControl
  yield* control.payLink(link.id)
  return { link, notification: yield* control.takeNotification }
})

describe("notifications", () => {
  it.effect("have the documented JSON shape and an HMAC-SHA256 signature over the canonical fields", () =>
    Effect.gen(function* () {
      const { link, notification } = yield* paidLinkNotification
      expect(notification.url).toBe("https://hotel.example/hooks/memory")
      const body = JSON.parse(notification.body)
      expect(Object.keys(body)).toEqual([
        "id",
        "type",
        "subject",
        "reference",
        "amount",
        "status",
        "occurredAt",
        "signature"
      ])
      expect(body).toMatchObject({
        id: "pay_1.APPROVED",
        type: "payment.approved",
        subject: { kind: "link", id: link.id },
        reference: "BK-1001",
        amount: { amount: "120000.00", currency: "COP" },
        status: "APPROVED",
        occurredAt: "1970-01-01T00:00:00.000Z"
      })
      const canonical = JSON.stringify([
        "pay_1.APPROVED",
        "payment.approved",
        "link",
        link.id,
        "BK-1001",
        "120000.00",
        "COP",
        "APPROVED",
        null,
        null,
        "1970-01-01T00:00:00.000Z"
      ])
      const expected = createHmac("sha256", Redacted.value(Memory.defaultWebhookSecret)).update(canonical).digest("hex")
      expect(body.signature).toBe(expected)
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("verify gives the very event the provider emitted: verified, with a dedupe key and the raw payload", () =>
    Effect.gen(function* () {
      const { notification } = yield* paidLinkNotification
      const event = yield* (yield* Webhooks).verify(notification)
      expect(event).toEqual(yield* (yield* MemoryControl).takeEvent)
      expect(event).toMatchObject({ verified: true, dedupeKey: "memory:-:pay_1.APPROVED", providerStatus: "APPROVED" })
      expect(event.raw).toEqual(JSON.parse(notification.body))
      expect(event.amount && Money.equals(event.amount, Money.make("120000", "COP"))).toBe(true)
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("a duplicate delivery has the same dedupe key; another fact a different one", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks
      const control = yield* MemoryControl
      const link = yield* (yield* PaymentLinks).create(linkInput({ maxPayments: 2 }))
      yield* control.payLink(link.id)
      const first = yield* control.takeNotification
      const again = yield* control.redeliver(JSON.parse(first.body).id)
      expect(again).toEqual(first)
      expect(yield* control.takeNotification).toEqual(first)
      const [a, b] = [yield* webhooks.verify(first), yield* webhooks.verify(again)]
      expect(a.dedupeKey).toBe(b.dedupeKey)
      expect((yield* control.eventsSoFar).map((e) => e.dedupeKey)).toEqual([a.dedupeKey, a.dedupeKey])

      yield* control.payLink(link.id)
      const second = yield* webhooks.verify(yield* control.takeNotification)
      expect(second.dedupeKey).not.toBe(a.dedupeKey)
      expect((yield* reasonOf(control.redeliver("nope")))._tag).toBe("NotFound")
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("keeps two merchants' dedupe keys apart", () =>
    Effect.gen(function* () {
      const { notification } = yield* paidLinkNotification
      const event = yield* (yield* Webhooks).verify(notification)
      expect(event).toMatchObject({ merchantId: "hotel-7", dedupeKey: "memory:hotel-7:h7-pay_1.APPROVED" })
      expect(notification.merchantId).toBe("hotel-7")
    }).pipe(Effect.provide(Memory.layer({ merchantId: "hotel-7", idPrefix: "h7-" })))
  )

  it.effect.each([
    ["a forged signature", (n: RawNotification) => editBody(n, (b) => ({ ...b, signature: "0".repeat(64) }))],
    [
      "a tampered amount",
      (n: RawNotification) => editBody(n, (b) => ({ ...b, amount: { amount: "1.00", currency: "COP" } }))
    ],
    ["a tampered status", (n: RawNotification) => editBody(n, (b) => ({ ...b, type: "payment.declined" }))],
    ["a removed field", (n: RawNotification) => editBody(n, ({ amount: _, ...rest }) => rest)],
    ["an added field", (n: RawNotification) => editBody(n, (b) => ({ ...b, extra: "x" }))],
    ["a malformed signature", (n: RawNotification) => editBody(n, (b) => ({ ...b, signature: "abc" }))],
    ["a body that is not JSON", (n: RawNotification) => ({ ...n, body: "status=APPROVED" })],
    ["an empty body", (n: RawNotification) => ({ ...n, body: "" })],
    ["another merchant", (n: RawNotification) => ({ ...n, merchantId: "hotel-8" })]
  ] as const)("rejects %s", ([, tamper]) =>
    Effect.gen(function* () {
      const { notification } = yield* paidLinkNotification
      const webhooks = yield* Webhooks
      yield* webhooks.verify(notification)
      const error = yield* failureOf(webhooks.verify(tamper(notification)))
      expect(error.reason._tag).toBe("WebhookRejected")
      expect(error.operation).toBe("webhooks.verify")
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("rejects a notification signed with another secret", () =>
    Effect.gen(function* () {
      const { notification } = yield* paidLinkNotification
      const other = yield* Effect.provide(
        Webhooks,
        Memory.layer({ webhookSecret: Redacted.make("someone else's secret") })
      )
      const error = yield* failureOf(other.verify(notification))
      expect(error.reason).toMatchObject({ _tag: "WebhookRejected", detail: "signature does not match" })
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("a properly signed payload with an impossible amount is still rejected", () =>
    Effect.gen(function* () {
      const secret = Redacted.make("s3cret")
      const payload = MemoryNotification.signed(secret, {
        id: "x.APPROVED",
        type: "payment.approved",
        subject: { kind: "link", id: "lnk_1" },
        reference: "R",
        amount: { amount: "12.345", currency: "USD" },
        status: "APPROVED",
        occurredAt: "2026-01-27T10:00:00.000Z"
      })
      const notification = { body: JSON.stringify(payload), url: "/hooks" }
      const error = yield* failureOf(MemoryNotification.verify(secret, notification))
      expect(error.reason._tag).toBe("WebhookRejected")
      const fine = yield* MemoryNotification.verify(secret, {
        ...notification,
        body: JSON.stringify(
          MemoryNotification.signed(secret, { ...payload, amount: { amount: "12.34", currency: "USD" } })
        )
      })
      expect(fine.amount?.toString()).toBe("12.34 USD")
    })
  )
})
