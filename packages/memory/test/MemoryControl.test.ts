import { describe, expect, it } from "@effect/vitest"
import { Charges, GiftCards, PaymentError, PaymentLinks, PaymentOrders, Provider, Webhooks } from "@pasarela/core"
import { Memory, MemoryControl, MemoryNotification, TestCards } from "@pasarela/memory"
import { failureOf, reasonOf } from "@pasarela/testing/helpers"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { chargeInput, linkInput } from "./fixtures.js"

/** Every reason, with whether a create failing with it has nonetheless happened. */
const reasons: ReadonlyArray<readonly [string, PaymentError.Reason, boolean]> = [
  ["InvalidRequest", new PaymentError.InvalidRequest({ issues: [] }), false],
  ["Unsupported", new PaymentError.Unsupported({ detail: "not here" }), false],
  ["Authentication", new PaymentError.Authentication({ code: "401", detail: "bad login" }), false],
  ["NotFound", new PaymentError.NotFound({ detail: "gone" }), false],
  ["Conflict", new PaymentError.Conflict({ detail: "duplicate reference" }), false],
  ["RateLimited", new PaymentError.RateLimited({ retryAfterMillis: 1000 }), false],
  ["ProviderUnavailable", new PaymentError.ProviderUnavailable({ status: 503, detail: "maintenance" }), false],
  ["Timeout", new PaymentError.Timeout({ afterMillis: 5000 }), false],
  ["Aborted", new PaymentError.Aborted({ detail: "nothing was sent" }), false],
  ["OutcomeUnknown", new PaymentError.OutcomeUnknown({ detail: "connection reset", advice: "look the link up" }), true],
  ["ProtocolViolation", new PaymentError.ProtocolViolation({ status: 200, detail: "no id" }), false],
  ["Configuration", new PaymentError.Configuration({ issues: [] }), false],
  ["WebhookRejected", new PaymentError.WebhookRejected({ detail: "bad" }), false]
]

describe("failNext", () => {
  it.effect.each(reasons)("links.create failing with %s", ([, reason, created]) =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      yield* control.failNext("links.create", reason)
      const error = yield* failureOf(links.create(linkInput()))
      expect(error.reason).toEqual(reason)
      expect(error).toMatchObject({ provider: "memory", operation: "links.create" })
      expect(error.mayHaveTakenEffect).toBe(created)
      // The call reached the provider; with an ambiguous failure the link exists.
      expect(yield* control.requestCount).toBe(1)
      expect((yield* control.links).length).toBe(created ? 1 : 0)
      // Only the next call fails.
      expect((yield* links.create(linkInput())).status).toBe("active")
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("an ambiguous charge failure still charges, and its event still arrives", () =>
    Effect.gen(function* () {
      const control = yield* MemoryControl
      yield* control.failNext(
        "charges.create",
        new PaymentError.OutcomeUnknown({ detail: "reset", advice: "reconcile" })
      )
      const error = yield* failureOf((yield* Charges).create(chargeInput(TestCards.approved.visa)))
      expect(error.isRetrySafe).toBe(false)
      expect((yield* control.charges).map((c) => c.outcome)).toEqual(["approved"])
      expect(yield* control.takeEvent).toMatchObject({ type: "payment.approved", subject: { kind: "charge" } })
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("queues failures per operation and applies them to the others as well", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const link = yield* links.create(linkInput())
      yield* control.failNext("links.get", new PaymentError.RateLimited({}))
      yield* control.failNext("links.get", new PaymentError.ProviderUnavailable({ detail: "down" }))
      expect((yield* reasonOf(links.get(link.id)))._tag).toBe("RateLimited")
      expect((yield* reasonOf(links.get(link.id)))._tag).toBe("ProviderUnavailable")
      expect((yield* links.get(link.id)).id).toBe(link.id)

      yield* control.failNext("links.disable", new PaymentError.OutcomeUnknown({ detail: "reset", advice: "get it" }))
      expect((yield* reasonOf(links.disable(link.id)))._tag).toBe("OutcomeUnknown")
      expect((yield* links.get(link.id)).status).toBe("disabled")

      yield* control.failNext("orders.create", new PaymentError.Authentication({ detail: "expired token" }))
      expect((yield* reasonOf((yield* PaymentOrders).create(orderLike)))._tag).toBe("Authentication")
      expect(yield* control.orders).toEqual([])

      yield* control.failNext("giftCards.create", new PaymentError.OutcomeUnknown({ detail: "reset", advice: "look" }))
      expect((yield* reasonOf((yield* GiftCards).create(giftLike)))._tag).toBe("OutcomeUnknown")
      expect((yield* control.giftCards).length).toBe(1)

      const other = yield* links.create(linkInput())
      yield* control.payLink(other.id)
      const notification = yield* control.takeNotification
      yield* control.failNext("webhooks.verify", new PaymentError.ProviderUnavailable({ detail: "db down" }))
      const webhooks = yield* Webhooks
      expect((yield* reasonOf(webhooks.verify(notification)))._tag).toBe("ProviderUnavailable")
      expect((yield* webhooks.verify(notification)).type).toBe("payment.approved")
    }).pipe(Effect.provide(Memory.layer()))
  )
})

const orderLike = {
  reference: "CASH-1",
  description: "deposit",
  amount: linkInput().amount,
  payer: { name: "Laura" },
  method: "daviplata",
  personType: "N",
  returnUrl: "https://hotel.example/back"
}

const giftLike = {
  reference: "GIFT-1",
  amount: linkInput().amount,
  sender: {
    name: "Laura",
    email: "laura@example.com",
    phone: { callingCode: "+57", number: "3001234567" },
    address: "Calle 1",
    document: { type: "CC", number: "123456" }
  },
  recipient: { name: "Ana", email: "ana@example.com" },
  note: "Enjoy",
  returnUrls: { success: "https://hotel.example/ok", failure: "https://hotel.example/ko" }
}

describe("capabilities", () => {
  it.effect("declares every operation by default, under the name memory", () =>
    Effect.gen(function* () {
      const provider = yield* Provider.Provider
      expect(provider.name).toBe("memory")
      expect([...provider.capabilities].sort()).toEqual([...Provider.allOperations].sort())
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("a reduced set answers Unsupported for the rest, without counting a request", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const link = yield* links.create(linkInput())
      const attempts: ReadonlyArray<Effect.Effect<unknown, PaymentError.PaymentError, Charges | GiftCards>> = [
        links.get(link.id),
        links.disable(link.id),
        Effect.flatMap(Charges, (c) => c.create(chargeInput(TestCards.approved.visa))),
        Effect.flatMap(GiftCards, (g) => g.create(giftLike))
      ]
      for (const attempt of attempts) {
        const error = yield* failureOf(attempt)
        expect(error.reason._tag).toBe("Unsupported")
      }
      expect(yield* control.requestCount).toBe(1)
      expect((yield* control.links)[0]?.status).toBe("active")
    }).pipe(Effect.provide(Memory.layer({ capabilities: ["links.create", "orders.create", "webhooks.verify"] })))
  )
})

describe("options", () => {
  it.effect("stamps merchant, prefixes ids and uses the base URL", () =>
    Effect.gen(function* () {
      const link = yield* (yield* PaymentLinks).create(linkInput())
      expect(link).toMatchObject({
        id: "h1-lnk_1",
        merchantId: "hotel-1",
        url: "http://localhost:9999/pay/links/h1-lnk_1"
      })
      const control = yield* MemoryControl
      yield* control.failNext("links.get", new PaymentError.NotFound({ detail: "x" }))
      expect((yield* failureOf((yield* PaymentLinks).get(link.id))).merchantId).toBe("hotel-1")
    }).pipe(
      Effect.provide(Memory.layer({ merchantId: "hotel-1", idPrefix: "h1-", baseUrl: "http://localhost:9999/pay/" }))
    )
  )

  it.effect("reports every bad option in one Configuration error", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        Effect.provide(
          Provider.Provider,
          Memory.layer({
            baseUrl: "ftp://x",
            idPrefix: "no spaces",
            merchantId: "",
            capabilities: ["links.create", "links.teleport" as Provider.Operation],
            webhookSecret: Redacted.make("")
          })
        )
      )
      expect(error.reason._tag).toBe("Configuration")
      const paths = error.reason._tag === "Configuration" ? error.reason.issues.map((i) => i.path) : []
      expect(paths).toEqual(["baseUrl", "idPrefix", "merchantId", "capabilities", "webhookSecret"])
    })
  )

  it.effect("a webhook secret holding undefined (an unset environment variable) is a Configuration error", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        Effect.provide(Provider.Provider, Memory.layer({ webhookSecret: Redacted.make(undefined) as never }))
      )
      expect(error.reason).toMatchObject({
        _tag: "Configuration",
        issues: [
          {
            path: "webhookSecret",
            message: "is missing: it holds undefined (an environment variable that is not set?)"
          }
        ]
      })
    })
  )
})

describe("observing", () => {
  it.effect("events, subscribe and takeEvent each see every event; requestCount counts provider calls", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const subscription = yield* control.subscribe
      const streamed = yield* control.events.pipe(Stream.take(3), Stream.runCollect, Effect.fork)
      const notified = yield* control.notifications.pipe(Stream.take(3), Stream.runCollect, Effect.fork)
      // A stream subscribes when it starts running: adjusting the clock first waits for both fibers to be suspended.
      yield* TestClock.adjust(0)
      const link = yield* links.create(linkInput({ maxPayments: 3 }))
      yield* links.get(link.id)
      yield* control.payLink(link.id)
      yield* control.declineLink(link.id)
      yield* control.payLink(link.id)
      const all = yield* control.eventsSoFar
      expect(all.map((e) => e.type)).toEqual(["payment.approved", "payment.declined", "payment.approved"])
      expect(Chunk.toArray(yield* Fiber.join(streamed))).toEqual(all)
      expect(Chunk.toArray(yield* Queue.takeAll(subscription))).toEqual(all)
      expect([yield* control.takeEvent, yield* control.takeEvent, yield* control.takeEvent]).toEqual(all)
      expect(Chunk.toArray(yield* Fiber.join(notified))).toEqual(yield* control.notificationsSoFar)
      // create + get; control calls are not provider requests.
      expect(yield* control.requestCount).toBe(2)
    }).pipe(Effect.scoped, Effect.provide(Memory.layer()))
  )
})

describe("layerConfig", () => {
  const config = Config.all({
    webhookSecret: Config.redacted("MEMORY_WEBHOOK_SECRET"),
    merchantId: Config.string("MEMORY_MERCHANT")
  })

  it.effect("reads the options from Config", () =>
    Effect.gen(function* () {
      const link = yield* (yield* PaymentLinks).create(linkInput())
      expect(link.merchantId).toBe("hotel-9")
      const control = yield* MemoryControl
      yield* control.payLink(link.id)
      const body = JSON.parse((yield* control.takeNotification).body)
      const { signature, ...fields } = body
      expect(signature).toBe(MemoryNotification.sign(Redacted.make("from-env"), fields))
    }).pipe(
      Effect.provide(Memory.layerConfig(config)),
      Effect.withConfigProvider(
        ConfigProvider.fromMap(
          new Map([
            ["MEMORY_WEBHOOK_SECRET", "from-env"],
            ["MEMORY_MERCHANT", "hotel-9"]
          ])
        )
      )
    )
  )

  it.effect("turns missing configuration into a Configuration error", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(Effect.provide(Provider.Provider, Memory.layerConfig(config)))
      expect(error.reason._tag).toBe("Configuration")
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
  )
})
