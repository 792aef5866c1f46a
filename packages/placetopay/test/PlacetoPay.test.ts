/**
 * The adapter over real loopback HTTP: against the PlacetoPay sandbox for everything it simulates,
 * and against small misbehaving servers for hangs, dropped connections and 5xx.
 */

import { createHash } from "node:crypto"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it, layer } from "@effect/vitest"
import {
  Charges,
  GiftCards,
  Money,
  PaymentError,
  PaymentLinks,
  PaymentOrders,
  Provider,
  ProviderHttp,
  Webhooks
} from "@pasarela/core"
import { reasonOf, refusingHttpClient, urlRefusingHttpClient } from "@pasarela/testing"
import { hangUp, jsonAnswer, scriptedServer, silence } from "@pasarela/testing/node"
import * as Clock from "effect/Clock"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { Auth, PlacetoPay, Webhooks as PlacetoPayWebhooks } from "../src/index.js"
import {
  APPROVED_CARD,
  cardsOnlySite,
  closedPort,
  environment,
  Receiver,
  RequestLog,
  Sandbox,
  sha1Site,
  site1,
  site2,
  siteOptions,
  withAdapter
} from "./support.js"

let n = 0
const reference = (label: string) => `BK-${label}-${Date.now().toString(36)}-${n++}`

const takeNotification = Effect.flatMap(Receiver, (r) => r.take).pipe(
  Effect.timeoutFail({ duration: Duration.seconds(5), onTimeout: () => new Error("no notification arrived") })
)

const apiRequests = Effect.flatMap(RequestLog, Ref.get).pipe(
  Effect.map((all) => all.filter((r) => new URL(r.url).pathname.startsWith("/api/")))
)

layer(environment(), { excludeTestServices: true })("PlacetoPay adapter on the sandbox", (it) => {
  it.effect("full lifecycle: create → get → pay → paid, PAID notified and verified → disabled, still paid", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const webhooks = yield* Webhooks
      const sandbox = yield* Sandbox
      const receiver = yield* Receiver
      const ref = reference("life")
      const before = Date.now()

      const created = yield* links.create({
        reference: ref,
        description: "2 noches, habitación doble",
        amount: Money.make("120000", "COP"),
        payer: { name: "Laura", surname: "Peláez", email: "laura@example.com" },
        notificationUrl: receiver.url,
        metadata: { room: "201" }
      })
      const after = Date.now()
      expect(created).toMatchObject({ provider: "placetopay", reference: ref, status: "active", maxPayments: 1 })
      expect(created.url.startsWith(`${sandbox.baseUrl}/link/show?genid=${created.id}&code=`)).toBe(true)

      const read = yield* links.get(created.id)
      expect(read).toMatchObject({
        id: created.id,
        url: created.url,
        reference: ref,
        description: "2 noches, habitación doble",
        status: "active",
        providerStatus: "ACTIVE",
        maxPayments: 1,
        payments: []
      })
      expect(Money.equals(read.amount, Money.make("120000", "COP"))).toBe(true)
      // Default lifetime: 24 hours, written in Bogotá time and read back as the same instant.
      expect(read.expiresAt?.getTime()).toBe(created.expiresAt?.getTime())
      // The adapter reads the clock between `before` and `after`; the wire keeps whole seconds.
      expect(read.expiresAt!.getTime() - before).toBeGreaterThan(Duration.toMillis("24 hours") - 1000)
      expect(read.expiresAt!.getTime() - after).toBeLessThanOrEqual(Duration.toMillis("24 hours"))

      yield* sandbox.payLink(Number(created.id), { number: APPROVED_CARD, cvv: "123", expiry: "12/2099" })
      const paid = yield* links.get(created.id)
      expect(paid.status).toBe("paid")
      expect(paid.providerStatus).toBe("ACTIVE")
      expect(paid.payments).toHaveLength(1)
      expect(paid.payments[0]).toMatchObject({ status: "approved", providerStatus: "APPROVED", lastDigits: "1111" })
      expect(Money.equals(paid.payments[0]!.amount!, Money.make("120000", "COP"))).toBe(true)
      expect(paid.payments[0]!.paidAt).toBeInstanceOf(Date)

      const raw = yield* takeNotification
      const event = yield* webhooks.verify(raw)
      expect(event).toMatchObject({
        provider: "placetopay",
        type: "payment.approved",
        subject: { kind: "link", id: created.id },
        reference: ref,
        providerStatus: "PAID",
        verified: true
      })
      expect(event.dedupeKey).toBe(`placetopay:-:link:${created.id}:PAID`)
      // The signature covers the link, status and date; the reference is PlacetoPay's unsigned word.
      expect(event.authenticated).toEqual(["subject.kind", "subject.id", "type", "occurredAt"])
      // The same delivery verified again is the same fact.
      expect((yield* webhooks.verify(raw)).dedupeKey).toBe(event.dedupeKey)
      const delivered = yield* sandbox.notifications
      expect(delivered.at(-1)).toMatchObject({ linkId: Number(created.id), responseStatus: 200 })

      // Disabling a paid link changes PlacetoPay's status, not the fact that the guest paid (§3.4).
      const disabled = yield* links.disable(created.id)
      expect(disabled).toMatchObject({ id: created.id, status: "paid", providerStatus: "INACTIVE" })
      expect(yield* links.get(created.id)).toMatchObject({ status: "paid", providerStatus: "INACTIVE" })
      const again = yield* Effect.flip(links.disable(created.id))
      expect(again.reason._tag).toBe("Conflict")
      expect(again.operation).toBe("links.disable")
    })
  )

  it.effect("lists every bad field at once: PlacetoPay's own rules beside the shared schema's", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const before = (yield* apiRequests).length
      const error = yield* Effect.flip(
        links.create({
          reference: reference("rules"),
          description: "x".repeat(300),
          amount: Money.make("120000.50", "COP"),
          payer: { name: "Laura", email: "not-an-email" },
          expiresAt: new Date(Date.now() - 60_000),
          notificationUrl: "http://hotel.example/hooks"
        })
      )
      expect(error.reason._tag).toBe("InvalidRequest")
      if (error.reason._tag === "InvalidRequest") {
        expect(error.reason.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
          "description: must be at most 250 characters",
          "payer.email: must be an email address",
          "notificationUrl: must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)",
          "amount: must be a whole amount: PlacetoPay payment links take integer totals only",
          "expiresAt: must be in the future"
        ])
      }
      expect((yield* apiRequests).length).toBe(before)
    })
  )

  it.effect("a Uruguayan site: a UYU link is created, read, paid and read back in UYU", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const sandbox = yield* Sandbox
      const amount = Money.make("15000", "UYU")
      const link = yield* links.create({ reference: reference("uyu"), description: "2 noches, Punta del Este", amount })
      expect((yield* sandbox.links).find((l) => String(l.id) === link.id)?.amount).toMatchObject({
        currency: "UYU",
        total: 15000
      })
      const read = yield* links.get(link.id)
      expect(read.amount.toString()).toBe("15000.00 UYU")
      yield* sandbox.payLink(Number(link.id), { number: APPROVED_CARD })
      const paid = yield* links.get(link.id)
      expect(paid.status).toBe("paid")
      expect(Money.equals(paid.payments[0]!.amount!, amount)).toBe(true)
    })
  )

  it.effect("a paid link still reads paid once it expires; an unpaid one is disabled", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const sandbox = yield* Sandbox
      const paid = yield* links.create({
        reference: reference("paid-then-expired"),
        description: "Yesterday's booking",
        amount: Money.make("120000", "COP")
      })
      yield* sandbox.payLink(Number(paid.id), { number: APPROVED_CARD })
      yield* sandbox.expireLink(Number(paid.id))
      const read = yield* links.get(paid.id)
      expect(read).toMatchObject({ status: "paid", providerStatus: "EXPIRED" })
      expect(read.payments.map((p) => p.status)).toEqual(["approved"])

      const unpaid = yield* links.create({
        reference: reference("unpaid-disabled"),
        description: "Cancelled booking",
        amount: Money.make("120000", "COP")
      })
      expect(yield* links.disable(unpaid.id)).toMatchObject({ status: "disabled", providerStatus: "INACTIVE" })
    })
  )

  it.effect("expire → EXPIRED notification verified; an expired link cannot be disabled", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const webhooks = yield* Webhooks
      const sandbox = yield* Sandbox
      const receiver = yield* Receiver
      const ref = reference("expire")
      const link = yield* links.create({
        reference: ref,
        description: "Late booking",
        amount: Money.make("50000", "COP"),
        notificationUrl: receiver.url
      })
      yield* sandbox.expireLink(Number(link.id))
      expect(yield* links.get(link.id)).toMatchObject({ status: "expired", providerStatus: "EXPIRED" })
      const event = yield* Effect.flatMap(takeNotification, webhooks.verify)
      expect(event).toMatchObject({
        type: "link.expired",
        reference: ref,
        subject: { kind: "link", id: link.id },
        verified: true
      })
      expect((yield* reasonOf(links.disable(link.id)))._tag).toBe("Conflict")
    })
  )

  it.effect("sends the mapped fields: the sandbox holds what the input said", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const sandbox = yield* Sandbox
      const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 3 * 3600_000)
      const link = yield* links.create({
        reference: reference("fields"),
        description: "Suite, 3 noches",
        title: "Reserva suite",
        amount: Money.make("900000", "COP"),
        taxes: [{ kind: "valueAddedTax", amount: Money.make("143697", "COP"), base: Money.make("756303", "COP") }],
        payer: { name: "Laura", email: "laura@example.com", phone: { callingCode: "+57", number: "3001234567" } },
        expiresAt,
        paymentMethods: ["card", "pse"],
        maxPayments: 2,
        locale: "en_US",
        providerOptions: { placetopay: { sessionMinutes: 30, skipResult: true } }
      })
      const view = (yield* sandbox.links).find((l) => String(l.id) === link.id)!
      expect(view).toMatchObject({
        name: "Reserva suite",
        description: "Suite, 3 noches",
        paymentExpiration: 30,
        totalPayments: 2,
        isGeneric: true,
        skipResult: true,
        locale: "en_US",
        allowedPaymentMethods: ["visa", "master", "amex", "diners", "pse"],
        amount: { currency: "COP", total: 900000, taxes: [{ kind: "valueAddedTax", amount: 143697, base: 756303 }] },
        recipients: [{ email: "laura@example.com", phoneNumber: "+573001234567" }]
      })
      expect((yield* links.get(link.id)).expiresAt).toEqual(expiresAt)
    })
  )

  it.effect("a two-payment link is active after one approved payment and paid after two", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const sandbox = yield* Sandbox
      const link = yield* links.create({
        reference: reference("twice"),
        description: "Two nights, paid per night",
        amount: Money.make("60000", "COP"),
        maxPayments: 2
      })
      yield* sandbox.payLink(Number(link.id), { number: APPROVED_CARD })
      expect((yield* links.get(link.id)).status).toBe("active")
      yield* sandbox.payLink(Number(link.id), { number: "5367680000000005" })
      const read = yield* links.get(link.id)
      expect(read.status).toBe("paid")
      expect(read.payments.map((p) => p.status)).toEqual(["approved", "approved"])
    })
  )

  it.effect("a rejected card leaves the link active with a declined payment; a pending one settles to paid", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const sandbox = yield* Sandbox
      const link = yield* links.create({
        reference: reference("cards"),
        description: "Deposit",
        amount: Money.make("80000", "COP")
      })
      yield* sandbox.payLink(Number(link.id), { number: "4005580000000040" })
      const rejected = yield* links.get(link.id)
      expect(rejected.status).toBe("active")
      expect(rejected.payments.map((p) => [p.status, p.providerStatus])).toEqual([["declined", "REJECTED"]])

      yield* sandbox.payLink(Number(link.id), { number: "4110760000000073" })
      expect((yield* links.get(link.id)).payments.map((p) => p.status)).toEqual(["declined", "pending"])
      yield* sandbox.settlePending(Number(link.id))
      const settled = yield* links.get(link.id)
      expect(settled.status).toBe("paid")
      expect(settled.payments.map((p) => p.status)).toEqual(["declined", "approved"])
    })
  )

  it.effect("404 → NotFound; another site's link → Authentication", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      expect(yield* reasonOf(links.get("999999"))).toMatchObject({ _tag: "NotFound" })
      expect(yield* reasonOf(links.disable("999999"))).toMatchObject({ _tag: "NotFound" })
      const other = yield* withAdapter(
        Effect.flatMap(PaymentLinks, (l) =>
          l.create({ reference: reference("other"), description: "x", amount: Money.make("1000", "COP") })
        ),
        site2
      )
      expect(yield* reasonOf(links.get(other.id))).toMatchObject({
        _tag: "Authentication",
        hint: "the link may belong to another site"
      })
    })
  )

  it.effect("an id that is not PlacetoPay's is refused before any request", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const before = (yield* apiRequests).length
      for (const id of ["abc", "../disable/1", "0"]) {
        expect(yield* reasonOf(links.get(id))).toMatchObject({ _tag: "InvalidRequest" })
        expect(yield* reasonOf(links.disable(id))).toMatchObject({ _tag: "InvalidRequest" })
      }
      expect((yield* apiRequests).length).toBe(before)
    })
  )

  it.effect("refusals (Unsupported, InvalidRequest) never reach the provider", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const before = (yield* apiRequests).length
      const base = { reference: reference("refuse"), description: "x", amount: Money.make("1000", "COP") }
      expect(
        yield* reasonOf(links.create({ ...base, returnUrls: { success: "https://hotel.example/ok" } }))
      ).toMatchObject({
        _tag: "Unsupported"
      })
      expect(yield* reasonOf(links.create({ ...base, installments: 3 }))).toMatchObject({ _tag: "Unsupported" })
      expect(yield* reasonOf(links.create({ ...base, paymentMethods: ["nequi"] }))).toMatchObject({
        _tag: "Unsupported"
      })
      expect(yield* reasonOf(links.create({ ...base, amount: Money.make("1000.50", "COP") }))).toMatchObject({
        _tag: "InvalidRequest",
        issues: [{ path: "amount" }]
      })
      expect((yield* apiRequests).length).toBe(before)
    })
  )

  it.effect("bad secret → Authentication 102; unknown login → 101 with its hint", () =>
    Effect.gen(function* () {
      const create = Effect.flatMap(PaymentLinks, (l) =>
        l.create({ reference: reference("auth"), description: "x", amount: Money.make("1000", "COP") })
      )
      const e102 = yield* Effect.flip(withAdapter(create, site1, { secretKey: Redacted.make("not-the-secret") }))
      expect(e102.reason).toMatchObject({ _tag: "Authentication", code: "102" })
      expect(e102.message).not.toContain("not-the-secret")
      const e101 = yield* Effect.flip(withAdapter(create, site1, { login: "login-of-production" }))
      expect(e101.reason).toMatchObject({
        _tag: "Authentication",
        code: "101",
        hint: "credentials of another environment? (the login is unknown here; test and production sites differ)"
      })
    })
  )

  it.effect("clock skew → Authentication 103 with the clock hint (server clock off, or our seed off)", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const sandbox = yield* Sandbox
      const get = (id: string) => reasonOf(links.get(id))
      const link = yield* links.create({
        reference: reference("skew"),
        description: "x",
        amount: Money.make("1000", "COP")
      })

      const skewed = yield* sandbox
        .setAuthClockSkew(6 * 60_000)
        .pipe(Effect.zipRight(get(link.id)), Effect.ensuring(sandbox.setAuthClockSkew(0)))
      expect(skewed).toMatchObject({
        _tag: "Authentication",
        code: "103",
        hint: "check the server clock (seed more than 5 minutes off)"
      })

      // Our own clock ten minutes behind: the seed comes from Effect's Clock.
      const real = Clock.make()
      const skew = 10 * 60_000
      const behind: Clock.Clock = {
        [Clock.ClockTypeId]: Clock.ClockTypeId,
        unsafeCurrentTimeMillis: () => real.unsafeCurrentTimeMillis() - skew,
        currentTimeMillis: Effect.sync(() => real.unsafeCurrentTimeMillis() - skew),
        unsafeCurrentTimeNanos: () => real.unsafeCurrentTimeNanos() - BigInt(skew) * 1_000_000n,
        currentTimeNanos: Effect.sync(() => real.unsafeCurrentTimeNanos() - BigInt(skew) * 1_000_000n),
        sleep: (duration) => real.sleep(duration)
      }
      expect(yield* get(link.id).pipe(Effect.withClock(behind))).toMatchObject({ _tag: "Authentication", code: "103" })
      expect((yield* links.get(link.id)).status).toBe("active")
    })
  )

  it.effect("a 422 names the neutral field (a method the site has not enabled)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        withAdapter(
          Effect.flatMap(PaymentLinks, (l) =>
            l.create({
              reference: reference("422"),
              description: "x",
              amount: Money.make("1000", "COP"),
              paymentMethods: ["pse"]
            })
          ),
          cardsOnlySite
        )
      )
      expect(error.reason).toMatchObject({
        _tag: "InvalidRequest",
        issues: [{ path: "paymentMethods[0]", message: "The selected paymentMethod.0 is invalid." }]
      })
    })
  )

  it.effect("SHA-1 sites work with tranKeyAlgorithm sha1 and refuse SHA-256 tranKeys (102)", () =>
    Effect.gen(function* () {
      const roundTrip = Effect.gen(function* () {
        const links = yield* PaymentLinks
        const link = yield* links.create({
          reference: reference("sha1"),
          description: "x",
          amount: Money.make("1000", "COP")
        })
        return yield* links.get(link.id)
      })
      expect((yield* withAdapter(roundTrip, sha1Site)).status).toBe("active")
      const log = yield* RequestLog
      const wrong = yield* Effect.flip(withAdapter(roundTrip, sha1Site, { tranKeyAlgorithm: "sha256" }))
      expect(wrong.reason).toMatchObject({ _tag: "Authentication", code: "102" })
      expect((yield* Ref.get(log)).length).toBeGreaterThan(0)
    })
  )

  it.effect("every request carries a fresh nonce and a valid tranKey for its seed", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const link = yield* links.create({
        reference: reference("nonce"),
        description: "x",
        amount: Money.make("1000", "COP")
      })
      yield* links.get(link.id)
      yield* links.get(link.id)
      const auths = (yield* apiRequests).map((r) => (JSON.parse(r.body) as { auth: Auth.AuthObject }).auth)
      expect(new Set(auths.map((a) => a.nonce)).size).toBe(auths.length)
      for (const auth of auths.slice(-3)) {
        expect(auth.login).toBe(site1.login)
        expect(auth.seed).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/)
        expect(auth.tranKey).toBe(
          Auth.tranKey(Buffer.from(auth.nonce, "base64"), auth.seed, Redacted.make(site1.secretKey), "sha256")
        )
      }
    })
  )

  it.effect("declares its capabilities; charges, payment orders and gift cards are Unsupported", () =>
    Effect.gen(function* () {
      const provider = yield* Provider.Provider
      expect(provider.name).toBe("placetopay")
      expect([...provider.capabilities].sort()).toEqual([
        "links.create",
        "links.disable",
        "links.get",
        "webhooks.verify"
      ])
      const before = (yield* apiRequests).length
      expect((yield* reasonOf(Effect.flatMap(Charges, (c) => c.create({} as never))))._tag).toBe("Unsupported")
      expect((yield* reasonOf(Effect.flatMap(PaymentOrders, (o) => o.create({} as never))))._tag).toBe("Unsupported")
      expect((yield* reasonOf(Effect.flatMap(GiftCards, (g) => g.create({} as never))))._tag).toBe("Unsupported")
      expect((yield* apiRequests).length).toBe(before)
    })
  )
})

// ---- notifications ----

const signedLinkNotification = (status: string, date: string, linkId = 7, secret = site1.secretKey) =>
  JSON.stringify({
    status: { status, reason: 200, message: "m", date },
    linkId,
    reference: "BK-7",
    signature: PlacetoPayWebhooks.linkSignature(linkId, status, date, Redacted.make(secret))
  })

const isoMinutesAgo = (minutes: number) => {
  const at = new Date(Date.now() - minutes * 60_000 - 5 * 3600_000)
  return `${at.toISOString().slice(0, 19)}-05:00`
}

const webhooksOn = (options: Partial<PlacetoPay.Options> = {}) =>
  Effect.flatMap(Webhooks, Effect.succeed).pipe(
    Effect.provide(
      PlacetoPay.layer({ ...siteOptions(site1, "http://127.0.0.1:1"), ...options }).pipe(
        Layer.provide(NodeHttpClient.layerUndici)
      )
    )
  )

describe("Webhooks.verify", () => {
  it.live("accepts a fresh notification signed with the site's secret", () =>
    Effect.gen(function* () {
      const webhooks = yield* webhooksOn({ merchantId: "hotel-a" })
      const event = yield* webhooks.verify({ body: signedLinkNotification("PAID", isoMinutesAgo(1)), url: "/hook" })
      expect(event).toMatchObject({
        type: "payment.approved",
        merchantId: "hotel-a",
        verified: true,
        reference: "BK-7"
      })
      // Sites number their links on their own: the merchant keeps two hotels' link 7 apart.
      expect(event.dedupeKey).toBe("placetopay:hotel-a:link:7:PAID")
      const other = yield* webhooksOn({ merchantId: "hotel-b" })
      const same = yield* other.verify({ body: signedLinkNotification("PAID", isoMinutesAgo(1)), url: "/hook" })
      expect(same.dedupeKey).not.toBe(event.dedupeKey)
      expect(webhooks.replies.accepted.status).toBe(200)
      expect(webhooks.replies.rejected.status).toBe(400)
    })
  )

  it.live("rejects forged, malformed, stale and future-dated notifications", () =>
    Effect.gen(function* () {
      const webhooks = yield* webhooksOn()
      const reject = (body: string) => reasonOf(webhooks.verify({ body, url: "/hook" }))
      const genuine = JSON.parse(signedLinkNotification("PAID", isoMinutesAgo(1)))
      const cases: Record<string, string> = {
        "status changed": JSON.stringify({ ...genuine, status: { ...genuine.status, status: "EXPIRED" } }),
        "link changed": JSON.stringify({ ...genuine, linkId: 8 }),
        "another site's secret": signedLinkNotification("PAID", isoMinutesAgo(1), 7, site2.secretKey),
        "not JSON": "status=PAID",
        truncated: signedLinkNotification("PAID", isoMinutesAgo(1)).slice(0, 40),
        "JSON null": "null",
        "missing signature": JSON.stringify({ ...genuine, signature: undefined }),
        "linkId as text": JSON.stringify({ ...genuine, linkId: "7" }),
        stale: signedLinkNotification("PAID", isoMinutesAgo(20)),
        "from the future": signedLinkNotification("PAID", isoMinutesAgo(-20)),
        "date without zone": (() => {
          const date = isoMinutesAgo(1).slice(0, 19)
          return signedLinkNotification("PAID", date)
        })(),
        // The signature concatenates linkId and status: link 72's genuine PAID signature also signs
        // link 7 with status "2PAID". Only PAID and EXPIRED are link statuses, so it is refused.
        "linkId digits moved into the status": (() => {
          const date = isoMinutesAgo(1)
          const forLink72 = JSON.parse(signedLinkNotification("PAID", date, 72))
          return JSON.stringify({ ...forLink72, linkId: 7, status: { ...forLink72.status, status: "2PAID" } })
        })(),
        "a status links do not have": signedLinkNotification("APPROVED", isoMinutesAgo(1))
      }
      for (const [name, body] of Object.entries(cases)) {
        const reason = yield* reject(body)
        expect(reason._tag, name).toBe("WebhookRejected")
      }
      const stale = yield* reject(cases.stale!)
      expect(stale).toMatchObject({ detail: expect.stringContaining("stale") })
    })
  )

  it.live("the staleness window is an option", () =>
    Effect.gen(function* () {
      const lenient = yield* webhooksOn({ notificationTolerance: "1 hour" })
      const event = yield* lenient.verify({ body: signedLinkNotification("EXPIRED", isoMinutesAgo(20)), url: "/" })
      expect(event.type).toBe("link.expired")
    })
  )

  it.live("verifies checkout notifications in both signature forms (§4.2 vectors) where enabled", () =>
    Effect.gen(function* () {
      const webhooks = yield* webhooksOn({
        secretKey: Redacted.make("024h1IlD"),
        notificationTolerance: Duration.infinity,
        notifications: ["link", "checkout"]
      })
      const body = (requestId: number, status: string, date: string, signature: string) =>
        JSON.stringify({ status: { status, reason: "00", message: "m", date }, requestId, reference: "R", signature })
      const sha1 = yield* webhooks.verify({
        body: body(83, "APPROVED", "2016-10-10T16:39:57-05:00", "8fb4beea130ab3e75a1de956bd0213892e0f6839"),
        url: "/"
      })
      expect(sha1).toMatchObject({ type: "payment.approved", subject: { kind: "session", id: "83" } })
      const rejected = yield* webhooks.verify({
        body: body(126, "REJECTED", "2016-10-12T01:44:37-05:00", "554fa6c36bd5d1376b192b8bc3a1e3dd9a01e448"),
        url: "/"
      })
      expect(rejected.type).toBe("payment.declined")
      const sha256 = yield* webhooks.verify({
        body: body(
          83,
          "APPROVED",
          "2016-10-10T16:39:57-05:00",
          "sha256:1a0d78ea2fcc656c718d7fa3dc13d1aef9faea442017b20c705319cb33933454"
        ),
        url: "/"
      })
      expect(sha256.dedupeKey).toBe(sha1.dedupeKey)
      const forged = yield* Effect.flip(
        webhooks.verify({
          body: body(
            83,
            "APPROVED",
            "2016-10-10T16:39:57-05:00",
            createHash("sha1").update("83APPROVED").digest("hex")
          ),
          url: "/"
        })
      )
      expect(forged.reason._tag).toBe("WebhookRejected")
    })
  )

  it.live("accepts only the notification kinds the site is configured for (default: links)", () =>
    Effect.gen(function* () {
      const vector = JSON.stringify({
        status: { status: "APPROVED", reason: "00", message: "m", date: "2016-10-10T16:39:57-05:00" },
        requestId: 83,
        reference: "R",
        signature: "8fb4beea130ab3e75a1de956bd0213892e0f6839"
      })
      const linksOnly = yield* webhooksOn({
        secretKey: Redacted.make("024h1IlD"),
        notificationTolerance: Duration.infinity
      })
      const refused = yield* Effect.flip(linksOnly.verify({ body: vector, url: "/" }))
      expect(refused.reason).toMatchObject({ _tag: "WebhookRejected", detail: expect.stringContaining("checkout") })
      const checkoutOnly = yield* webhooksOn({ notifications: ["checkout"] })
      const link = yield* Effect.flip(
        checkoutOnly.verify({ body: signedLinkNotification("PAID", isoMinutesAgo(1)), url: "/" })
      )
      expect(link.reason).toMatchObject({ _tag: "WebhookRejected", detail: expect.stringContaining("link") })
      const none = yield* Effect.flip(webhooksOn({ notifications: [] }))
      expect(none.reason._tag).toBe("Configuration")
    })
  )

  it.live("a link's signature does not pass as a checkout session's (domain separation)", () =>
    Effect.gen(function* () {
      const webhooks = yield* webhooksOn({ notifications: ["link", "checkout"] })
      const genuine = JSON.parse(signedLinkNotification("PAID", isoMinutesAgo(1)))
      expect((yield* webhooks.verify({ body: JSON.stringify(genuine), url: "/" })).subject).toEqual({
        kind: "link",
        id: "7"
      })
      // Same digest over the same text, re-sent as a session with an attacker's reference.
      const posing = JSON.stringify({
        status: genuine.status,
        requestId: genuine.linkId,
        reference: "BK-SOMEONE-ELSES-BOOKING",
        signature: `sha256:${genuine.signature}`
      })
      const refused = yield* Effect.flip(webhooks.verify({ body: posing, url: "/" }))
      expect(refused.reason).toMatchObject({ _tag: "WebhookRejected", detail: expect.stringContaining("PAID") })
    })
  )
})

// ---- transport and server failures ----

const adapterAt = (baseUrl: string, overrides: Partial<PlacetoPay.Options> = {}) =>
  PlacetoPay.layer({ ...siteOptions(site1, baseUrl), ...overrides }).pipe(Layer.provide(NodeHttpClient.layerUndici))

const createAt = (baseUrl: string, overrides: Partial<PlacetoPay.Options> = {}) =>
  Effect.flip(
    Effect.flatMap(PaymentLinks, (l) =>
      l.create({ reference: reference("fail"), description: "x", amount: Money.make("1000", "COP") })
    ).pipe(Effect.provide(adapterAt(baseUrl, overrides)))
  )

const getAt = (baseUrl: string, overrides: Partial<PlacetoPay.Options> = {}) =>
  Effect.flatMap(PaymentLinks, (l) => l.get("21")).pipe(Effect.provide(adapterAt(baseUrl, overrides)))

const queried = JSON.stringify({
  id: 21,
  status: "ACTIVE",
  url: "https://sites-test.placetopay.com/link/show?genid=21&code=c",
  expirationDate: "2030-01-01 00:00:00",
  name: "n",
  reference: "BK-21",
  description: "d",
  totalPayments: 1,
  availablePayments: 1,
  amount: { currency: "COP", total: 1000 },
  payments: [],
  isGeneric: false
})

const answer = (status: number, body = "", headers: Record<string, string> = {}) => jsonAnswer(status, body, headers)

describe("failures over real loopback HTTP", () => {
  it.effect("a URL or request the HTTP client refuses is a Configuration error: nothing sent, nothing retried", () =>
    Effect.gen(function* () {
      for (const [refusing, path] of [
        [urlRefusingHttpClient, "baseUrl"],
        [refusingHttpClient, "httpClient"]
      ] as const) {
        const attempts = { count: 0 }
        const error = yield* Effect.flip(
          Effect.flatMap(PaymentLinks, (l) => l.get("21")).pipe(
            Effect.provide(PlacetoPay.layer(siteOptions(site1, "https://checkout.example"))),
            Effect.provide(refusing(attempts))
          )
        )
        expect(error.reason, path).toMatchObject({ _tag: "Configuration", issues: [{ path }] })
        expect(error.mayHaveTakenEffect).toBe(false)
        expect(attempts.count).toBe(1)
      }
    })
  )

  it.scopedLive("connection refused → ProviderUnavailable; nothing may have happened", () =>
    Effect.gen(function* () {
      const port = yield* closedPort
      const create = yield* createAt(`http://127.0.0.1:${port}`)
      expect(create.reason).toMatchObject({ _tag: "ProviderUnavailable" })
      expect(create.mayHaveTakenEffect).toBe(false)
      const get = yield* Effect.flip(getAt(`http://127.0.0.1:${port}`))
      expect(get.reason._tag).toBe("ProviderUnavailable")
      expect(get.isRetrySafe).toBe(true)
    })
  )

  it.scopedLive("no answer in time: a create may have taken effect (never retried); a query retries", () =>
    Effect.gen(function* () {
      const server = yield* scriptedServer(silence)
      const create = yield* createAt(server.baseUrl, { timeout: "300 millis" })
      expect(create.reason).toMatchObject({
        _tag: "OutcomeUnknown",
        detail: "no answer within 300 ms after the request was sent"
      })
      expect(create.isRetrySafe).toBe(false)
      expect(server.received).toHaveLength(1)
      const get = yield* Effect.flip(getAt(server.baseUrl, { timeout: "300 millis" }))
      expect(get.reason).toEqual(new PaymentError.Timeout({ afterMillis: 300 }))
      expect(server.received).toHaveLength(4)
    })
  )

  it.scopedLive("connection dropped after sending: a create's outcome is unknown; a query retries", () =>
    Effect.gen(function* () {
      const server = yield* scriptedServer(hangUp)
      const create = yield* createAt(server.baseUrl)
      expect(create.reason).toMatchObject({ _tag: "OutcomeUnknown" })
      expect(create.mayHaveTakenEffect).toBe(true)
      expect(server.received).toHaveLength(1)
      const get = yield* Effect.flip(getAt(server.baseUrl))
      expect(get.reason._tag).toBe("ProviderUnavailable")
      expect(server.received).toHaveLength(4)
    })
  )

  it.scopedLive("503: a query is retried with fresh auth until it succeeds; a create is not retried", () =>
    Effect.gen(function* () {
      const server = yield* scriptedServer(answer(503), answer(503), answer(200, queried))
      const link = yield* getAt(server.baseUrl)
      expect(link).toMatchObject({ id: "21", reference: "BK-21", status: "active" })
      expect(server.received).toHaveLength(3)
      const auths = server.received.map((r) => (JSON.parse(r.body) as { auth: Auth.AuthObject }).auth)
      expect(new Set(auths.map((a) => a.nonce)).size).toBe(3)

      const failing = yield* scriptedServer(answer(503))
      expect((yield* createAt(failing.baseUrl)).reason).toMatchObject({ _tag: "ProviderUnavailable", status: 503 })
      expect(failing.received).toHaveLength(1)
      expect((yield* Effect.flip(getAt(failing.baseUrl))).reason._tag).toBe("ProviderUnavailable")
      expect(failing.received).toHaveLength(4)
    })
  )

  it.scopedLive("500: OutcomeUnknown on create, retried then ProviderUnavailable on a query", () =>
    Effect.gen(function* () {
      const server = yield* scriptedServer(answer(500, '{"message":"Server Error"}'))
      const create = yield* createAt(server.baseUrl)
      expect(create.reason._tag).toBe("OutcomeUnknown")
      expect(create.message).toContain("reference")
      expect(server.received).toHaveLength(1)
      expect((yield* Effect.flip(getAt(server.baseUrl))).reason).toMatchObject({
        _tag: "ProviderUnavailable",
        status: 500
      })
    })
  )

  it.scopedLive("429: waits Retry-After when it is short, gives up at once when it is long", () =>
    Effect.gen(function* () {
      const short = yield* scriptedServer(answer(429, "", { "retry-after": "1" }), answer(200, queried))
      const logs: Array<string> = []
      yield* getAt(short.baseUrl).pipe(
        Effect.provide(
          Logger.replace(
            Logger.defaultLogger,
            Logger.make(({ message }) => logs.push(String(message)))
          )
        ),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      // The wait chosen is the server's (1 s), longer than any backoff of the first retry (≤ 100 ms).
      expect(logs).toContain("PlacetoPay links.get: RateLimited, retrying in 1000 ms")
      expect(short.received).toHaveLength(2)

      const long = yield* scriptedServer(answer(429, "", { "retry-after": "120" }))
      const limited = yield* Effect.flip(getAt(long.baseUrl))
      expect(limited.reason).toMatchObject({ _tag: "RateLimited", retryAfterMillis: 120_000 })
      expect(long.received).toHaveLength(1)
    })
  )

  it.scopedLive("a 200 that breaks the contract is a ProtocolViolation", () =>
    Effect.gen(function* () {
      const server = yield* scriptedServer(answer(200, JSON.stringify({ ...JSON.parse(queried), id: 22 })))
      expect((yield* Effect.flip(getAt(server.baseUrl))).reason).toMatchObject({ _tag: "ProtocolViolation" })
      const html = yield* scriptedServer(answer(200, "<html></html>"))
      expect((yield* Effect.flip(getAt(html.baseUrl))).reason).toMatchObject({ _tag: "ProtocolViolation", status: 200 })
    })
  )
})

// ---- configuration ----

describe("layer configuration", () => {
  const build = (options: Partial<PlacetoPay.Options>) =>
    Layer.build(adapterAt("https://sites-test.placetopay.com", options)).pipe(Effect.scoped)

  it.live("refuses a non-https base URL unless it is loopback", () =>
    Effect.gen(function* () {
      for (const baseUrl of [
        "http://sites-test.placetopay.com",
        "ftp://x",
        "not a url",
        "https://u:p@host",
        "https://h/?q=1"
      ]) {
        const error = yield* Effect.flip(build({ baseUrl }))
        expect(error.reason, baseUrl).toMatchObject({ _tag: "Configuration", issues: [{ path: "baseUrl" }] })
      }
      for (const baseUrl of [
        "http://127.0.0.1:8080",
        "http://[::1]:8080",
        "http://localhost:8080/",
        "https://dev.placetopay.com/microsites",
        PlacetoPay.environments.test,
        PlacetoPay.environments.production,
        "production"
      ]) {
        yield* build({ baseUrl })
      }
      expect(PlacetoPay.checkBaseUrl("https://dev.placetopay.com/microsites/")).toMatchObject({
        right: "https://dev.placetopay.com/microsites"
      })
      expect(PlacetoPay.checkBaseUrl("test")).toMatchObject({ right: "https://sites-test.placetopay.com" })
    })
  )

  it.live("reports every bad option at once", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        build({
          login: "",
          secretKey: Redacted.make(""),
          timeZone: "Mars/Olympus",
          sessionMinutes: 0,
          timeout: "soon" as never,
          tranKeyAlgorithm: "md5" as never,
          retry: { maxAttempts: 0, baseDelay: "soon" as never, maxRetryAfter: Duration.infinity }
        })
      )
      expect(error.reason._tag).toBe("Configuration")
      if (error.reason._tag === "Configuration") {
        expect(error.reason.issues.map((i) => i.path).sort()).toEqual(
          [
            "login",
            "secretKey",
            "sessionMinutes",
            "timeZone",
            "timeout",
            "tranKeyAlgorithm",
            "retry.maxAttempts",
            "retry.baseDelay",
            "retry.maxRetryAfter"
          ].sort()
        )
      }
      for (const maxAttempts of [1.5, ProviderHttp.MAX_ATTEMPTS + 1]) {
        const bad = yield* Effect.flip(build({ retry: { maxAttempts } }))
        expect(bad.reason).toMatchObject({ _tag: "Configuration", issues: [{ path: "retry.maxAttempts" }] })
      }
      yield* build({ retry: { maxAttempts: 1, baseDelay: 0, maxRetryAfter: "0 millis" } })
    })
  )

  it.live(
    "refuses a login or secret key with a line break or surrounding spaces (left by the file it was read from)",
    () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          build({ login: `${site1.login}\n`, secretKey: Redacted.make(`${site1.secretKey}\r\n`) })
        )
        expect(error.reason).toMatchObject({
          _tag: "Configuration",
          issues: [{ path: "login" }, { path: "secretKey" }]
        })
        expect(JSON.stringify(error)).not.toContain(site1.secretKey)
        const padded = yield* Effect.flip(build({ secretKey: Redacted.make(` ${site1.secretKey}`) }))
        expect(padded.reason).toMatchObject({ _tag: "Configuration", issues: [{ path: "secretKey" }] })
      })
  )

  it.live("a missing or non-text secret is a Configuration error naming it, when the layer is built", () =>
    Effect.gen(function* () {
      const wiped = Redacted.make("wiped-secret")
      Redacted.unsafeWipe(wiped)
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        // `Redacted.make(process.env.X!)` with X unset.
        [Redacted.make(undefined), "is missing: it holds undefined (an environment variable that is not set?)"],
        [undefined, "is missing"],
        [Redacted.make(42), "must be text, not a number"],
        [site1.secretKey, "must be a Redacted value: wrap it with Redacted.make(…) or read it with Config.redacted(…)"],
        [wiped, "can no longer be read: it was wiped"]
      ]
      for (const [secretKey, message] of cases) {
        const error = yield* Effect.flip(build({ secretKey: secretKey as Redacted.Redacted<string> }))
        expect(error.reason, message).toMatchObject({
          _tag: "Configuration",
          issues: [{ path: "secretKey", message }]
        })
        expect(JSON.stringify(error)).not.toContain(site1.secretKey)
      }
    })
  )

  it.live("layerConfig reads PLACETOPAY_* with the secret redacted", () =>
    Effect.gen(function* () {
      const provider = ConfigProvider.fromMap(
        new Map([
          ["PLACETOPAY_LOGIN", site1.login],
          ["PLACETOPAY_SECRET_KEY", site1.secretKey],
          ["PLACETOPAY_BASE_URL", "test"],
          ["PLACETOPAY_TIME_ZONE", "America/Bogota"],
          ["PLACETOPAY_TIMEOUT", "5 seconds"],
          ["PLACETOPAY_RETRY_MAX_ATTEMPTS", "2"],
          ["PLACETOPAY_RETRY_BASE_DELAY", "50 millis"]
        ]),
        { pathDelim: "_" }
      )
      const options = yield* Effect.withConfigProvider(PlacetoPay.config(), provider)
      expect(options.retry).toEqual({ maxAttempts: 2, baseDelay: Duration.millis(50) })
      const name = yield* Effect.map(Provider.Provider, (p) => p.name).pipe(
        Effect.provide(PlacetoPay.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))),
        Effect.withConfigProvider(provider)
      )
      expect(name).toBe("placetopay")
      const missing = yield* Effect.flip(
        Effect.map(Provider.Provider, (p) => p.name).pipe(
          Effect.provide(PlacetoPay.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))),
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PLACETOPAY_LOGIN", "x"]]), { pathDelim: "_" }))
        )
      )
      expect(missing.reason._tag).toBe("Configuration")
      expect(missing.message).toContain("SECRET_KEY")
    })
  )
})
