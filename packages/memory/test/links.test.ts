import { describe, expect, it } from "@effect/vitest"
import { Money, PaymentLinks } from "@pasarela/core"
import { Memory, MemoryControl } from "@pasarela/memory"
import { failureOf, reasonOf } from "@pasarela/testing/helpers"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { amount, linkInput } from "./fixtures.js"

const HOUR = Duration.toMillis(Duration.hours(1))

describe("payment links", () => {
  it.effect("creates an active link with an id, a URL, a 24 h default lifetime, and keeps reference and amount", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const odd = Money.make("99999.99", "COP")
      const link = yield* links.create(linkInput({ reference: "BK-ÑANDÚ/7", amount: odd }))
      expect(link).toMatchObject({
        id: "lnk_1",
        provider: "memory",
        url: "https://pay.memory.test/links/lnk_1",
        reference: "BK-ÑANDÚ/7",
        description: "2 nights, double room",
        status: "active",
        providerStatus: "ACTIVE",
        maxPayments: 1,
        payments: []
      })
      expect(Money.equals(link.amount, odd)).toBe(true)
      expect(link.expiresAt?.getTime()).toBe(24 * HOUR)
      expect(yield* links.get(link.id)).toEqual(link)
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("honours expiresIn and expiresAt", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      yield* TestClock.adjust("10 minutes")
      const inTwoHours = yield* links.create(linkInput({ expiresIn: "2 hours" }))
      const at = new Date(Date.UTC(1970, 0, 3))
      const atDate = yield* links.create(linkInput({ expiresAt: at }))
      expect(inTwoHours.expiresAt?.getTime()).toBe(2 * HOUR + 10 * 60_000)
      expect(atDate.expiresAt?.getTime()).toBe(at.getTime())
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("refuses an expiresAt in the past before it reaches the provider", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      yield* TestClock.adjust("1 hour")
      const error = yield* failureOf(links.create(linkInput({ expiresAt: new Date(0) })))
      expect(error.reason).toMatchObject({ _tag: "InvalidRequest", issues: [{ path: "expiresAt" }] })
      expect(yield* control.requestCount).toBe(0)
      expect(yield* control.links).toEqual([])
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("reports every invalid field at once and does not count the call as a request", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const error = yield* failureOf(
        links.create({
          ...linkInput({ description: "" }),
          payer: { name: "Laura", email: "not-an-email" },
          maxPayments: 0,
          expiresIn: "forever"
        })
      )
      expect(error.reason._tag).toBe("InvalidRequest")
      const paths = error.reason._tag === "InvalidRequest" ? error.reason.issues.map((i) => i.path) : []
      expect([...new Set(paths)].filter((p) => p !== "payer").sort()).toEqual([
        "description",
        "expiresIn",
        "maxPayments",
        "payer.email"
      ])
      expect(yield* control.requestCount).toBe(0)
      yield* links.create(linkInput())
      expect(yield* control.requestCount).toBe(1)
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("its own rules (expiry, provider options) are listed with the shared schema's issues", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      yield* TestClock.adjust("1 hour")
      const error = yield* failureOf(
        links.create({
          ...linkInput({ description: "" }),
          expiresAt: new Date(0),
          providerOptions: { memory: { outcome: "declined" } }
        })
      )
      expect(error.reason._tag === "InvalidRequest" && error.reason.issues.map((i) => i.path)).toEqual([
        "description",
        "expiresAt",
        "providerOptions.memory"
      ])
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("refuses memory provider options instead of ignoring them, and ignores other providers' ones", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const error = yield* failureOf(links.create(linkInput({ providerOptions: { memory: { outcome: "declined" } } })))
      expect(error.reason).toMatchObject({ _tag: "InvalidRequest", issues: [{ path: "providerOptions.memory" }] })
      const link = yield* links.create(linkInput({ providerOptions: { placetopay: { skipResult: true } } }))
      expect(link.status).toBe("active")
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("get of an unknown id is NotFound", () =>
    Effect.gen(function* () {
      const error = yield* failureOf((yield* PaymentLinks).get("lnk_404"))
      expect(error.reason._tag).toBe("NotFound")
      expect(error.operation).toBe("links.get")
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("a single-use link is paid after one approved payment, which emits payment.approved", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const link = yield* links.create(linkInput())
      yield* TestClock.adjust("5 minutes")
      const paid = yield* control.payLink(link.id)
      expect(paid.status).toBe("paid")
      expect(paid.payments).toHaveLength(1)
      expect(paid.payments[0]).toMatchObject({ status: "approved", providerStatus: "APPROVED", lastDigits: "1111" })
      expect((yield* links.get(link.id)).status).toBe("paid")
      const event = yield* control.takeEvent
      expect(event).toMatchObject({
        provider: "memory",
        type: "payment.approved",
        subject: { kind: "link", id: link.id },
        reference: "BK-1001",
        providerStatus: "APPROVED",
        verified: true
      })
      expect(event.occurredAt.getTime()).toBe(5 * 60_000)
      expect(event.amount && Money.equals(event.amount, amount)).toBe(true)
      const again = yield* failureOf(control.payLink(link.id))
      expect(again.reason).toMatchObject({ _tag: "Conflict", detail: `link ${link.id} is paid` })
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("a multi-use link stays active until its n-th approved payment; declines do not count", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const link = yield* links.create(linkInput({ maxPayments: 3 }))
      yield* control.payLink(link.id)
      const declined = yield* control.declineLink(link.id)
      expect(declined.status).toBe("active")
      expect(declined.payments[1]).toMatchObject({ status: "declined", providerStatus: "DECLINED" })
      expect((yield* control.payLink(link.id)).status).toBe("active")
      const paid = yield* control.payLink(link.id, { method: "pse", lastDigits: "4242" })
      expect(paid.status).toBe("paid")
      expect(paid.payments.map((p) => p.status)).toEqual(["approved", "declined", "approved", "approved"])
      expect(paid.payments[3]).toMatchObject({ method: "pse", lastDigits: "4242" })
      const types = (yield* control.eventsSoFar).map((e) => e.type)
      expect(types).toEqual(["payment.approved", "payment.declined", "payment.approved", "payment.approved"])
      const decline = (yield* control.eventsSoFar)[1]
      expect(decline?.detail).toBe("Fondos insuficientes.")
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("disable: active → disabled; again, or once expired, is a Conflict", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const link = yield* links.create(linkInput())
      const disabled = yield* links.disable(link.id)
      expect(disabled).toMatchObject({ status: "disabled", providerStatus: "DISABLED" })
      expect((yield* links.get(link.id)).status).toBe("disabled")
      const twice = yield* failureOf(links.disable(link.id))
      expect(twice.reason).toMatchObject({ _tag: "Conflict", detail: `link ${link.id} is already disabled` })

      const other = yield* links.create(linkInput({ expiresIn: "1 hour" }))
      yield* TestClock.adjust("1 hour")
      const expired = yield* failureOf(links.disable(other.id))
      expect(expired.reason).toMatchObject({ _tag: "Conflict", detail: `link ${other.id} has expired` })
      expect((yield* reasonOf(links.disable("lnk_404")))._tag).toBe("NotFound")

      const paying = yield* MemoryControl
      const third = yield* links.create(linkInput())
      expect((yield* reasonOf(paying.payLink(link.id)))._tag).toBe("Conflict")
      yield* paying.payLink(third.id)
      expect((yield* reasonOf(links.disable(third.id)))._tag).toBe("Conflict")
    }).pipe(Effect.provide(Memory.layer()))
  )
})

describe("link expiry on the Clock", () => {
  it.effect("a link expires when TestClock passes expiresAt, and link.expired is emitted once", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const link = yield* links.create(linkInput({ expiresIn: "2 hours" }))
      yield* TestClock.adjust("119 minutes")
      expect((yield* links.get(link.id)).status).toBe("active")
      yield* TestClock.adjust("1 minute")
      expect(yield* links.get(link.id)).toMatchObject({ status: "expired", providerStatus: "EXPIRED" })
      const event = yield* control.takeEvent
      expect(event).toMatchObject({
        type: "link.expired",
        subject: { kind: "link", id: link.id },
        providerStatus: "EXPIRED"
      })
      expect(event.occurredAt.getTime()).toBe(2 * HOUR)
      yield* TestClock.adjust("1 day")
      expect(yield* control.eventsSoFar).toHaveLength(1)
      expect(yield* reasonOf(control.payLink(link.id))).toMatchObject({ _tag: "Conflict" })
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("subscribers receive link.expired from the scheduler, with nobody else looking", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const late = yield* links.create(linkInput({ reference: "LATE", expiresIn: "300 days" }))
      // Created after a later one: the scheduler must wake up for the earlier expiry.
      const soon = yield* links.create(linkInput({ reference: "SOON", expiresIn: "30 minutes" }))
      const collected = yield* control.events.pipe(Stream.take(2), Stream.runCollect, Effect.fork)
      // TestClock.adjust first waits for the collecting fiber to be suspended, i.e. subscribed.
      yield* TestClock.adjust("301 days")
      const events = Chunk.toArray(yield* Fiber.join(collected))
      expect(events.map((e) => [e.type, e.subject.id])).toEqual([
        ["link.expired", soon.id],
        ["link.expired", late.id]
      ])
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("paid and disabled links do not expire", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const paid = yield* links.create(linkInput({ expiresIn: "1 hour" }))
      const disabled = yield* links.create(linkInput({ expiresIn: "1 hour" }))
      yield* control.payLink(paid.id)
      yield* links.disable(disabled.id)
      yield* TestClock.adjust("2 hours")
      expect((yield* links.get(paid.id)).status).toBe("paid")
      expect((yield* links.get(disabled.id)).status).toBe("disabled")
      expect((yield* control.eventsSoFar).map((e) => e.type)).toEqual(["payment.approved"])
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("a paid link reads paid whatever happens to it: disabling or expiring it is refused", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const link = yield* links.create(linkInput({ expiresIn: "1 hour" }))
      yield* control.payLink(link.id)
      expect((yield* reasonOf(links.disable(link.id)))._tag).toBe("Conflict")
      expect((yield* reasonOf(control.expireLink(link.id)))._tag).toBe("Conflict")
      yield* TestClock.adjust("2 days")
      expect(yield* links.get(link.id)).toMatchObject({ status: "paid", providerStatus: "PAID" })
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("expireLink expires an active link now; a second time is a Conflict", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const link = yield* links.create(linkInput())
      yield* TestClock.adjust("3 minutes")
      const expired = yield* control.expireLink(link.id)
      expect(expired.status).toBe("expired")
      expect(expired.expiresAt?.getTime()).toBe(3 * 60_000)
      expect(yield* control.takeEvent).toMatchObject({ type: "link.expired", subject: { id: link.id } })
      expect((yield* reasonOf(control.expireLink(link.id)))._tag).toBe("Conflict")
      expect((yield* reasonOf(control.expireLink("lnk_404")))._tag).toBe("NotFound")
      // Its original expiry coming due later emits nothing more.
      yield* TestClock.adjust("2 days")
      expect(yield* control.eventsSoFar).toHaveLength(1)
    }).pipe(Effect.provide(Memory.layer()))
  )

  it.effect("10,000 links expire through TestClock, each once, in expiry order", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const subscription = yield* control.subscribe
      const lifetimes = ["3 hours", "1 hour", "2 hours", "4 hours"] as const
      for (let i = 0; i < 10_000; i++) {
        yield* links.create(linkInput({ reference: `BK-${i}`, expiresIn: lifetimes[i % 4]! }))
      }
      yield* TestClock.adjust("5 hours")
      const events = Chunk.toArray(yield* Queue.takeAll(subscription))
      expect(events).toHaveLength(10_000)
      expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(10_000)
      const times = events.map((e) => e.occurredAt.getTime())
      expect(times).toEqual([...times].sort((a, b) => a - b))
      expect((yield* control.links).every((l) => l.status === "expired")).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(Memory.layer()))
  )
})
