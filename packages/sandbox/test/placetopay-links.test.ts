import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { PlacetoPaySandbox } from "../src/index.js"
import {
  authFor,
  createLink,
  get,
  linkRequest,
  localIn,
  post,
  postChunked,
  queryLink,
  request,
  site1,
  site2
} from "./placetopay-support.js"

const serve = PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites })

describe("PlacetoPay sandbox: create, query, pay", () => {
  it.scopedLive("create → query → pay approved → query shows the payment", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const body = linkRequest({
        notificationUrl: "https://merchant.example/hook",
        locale: "en_US",
        paymentMethod: ["visa", "pse"],
        payment: {
          amount: { currency: "COP", total: 120000, taxes: [{ kind: "valueAddedTax", amount: 19160, base: 100840 }] },
          modifiers: [{ type: "FEDERAL_GOVERNMENT", code: 17934, additional: { invoice: "123456777" } }]
        },
        additional: [{ keyword: "booking", value: "BK-1", displayOn: "both" }]
      })
      const created = yield* post(sandbox.baseUrl, "/api/payment-link", { auth: authFor(site1), ...body })
      expect(created.status).toBe(201)
      expect(created.body.status).toEqual({
        status: "OK",
        reason: 201,
        message: expect.any(String),
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/)
      })
      const id = created.body.id as number
      expect(created.body.url).toMatch(new RegExp(`^${sandbox.baseUrl}/link/show\\?genid=${id}&code=[0-9a-f]{40}$`))

      const before = yield* queryLink(sandbox.baseUrl, site1, id)
      expect(before.status).toBe(200)
      expect(before.body).toMatchObject({
        id,
        status: "ACTIVE",
        url: created.body.url,
        expirationDate: body.expirationDate,
        name: body.name,
        reference: body.reference,
        description: body.description,
        totalPayments: 1,
        availablePayments: 1,
        paymentExpiration: 15,
        amount: { currency: "COP", total: 120000, taxes: [{ kind: "valueAddedTax", amount: 19160, base: 100840 }] },
        site: { id: site1.id, name: site1.name },
        notificationUrl: "https://merchant.example/hook",
        locale: "en_US",
        allowedPaymentMethods: ["visa", "pse"],
        metadata: { discount: [{ type: "FEDERAL_GOVERNMENT", code: 17934, additional: { invoice: "123456777" } }] },
        payments: [],
        isGeneric: false
      })

      const payment = yield* sandbox.payLink(
        id,
        { number: "4111 1111 1111 1111", cvv: "123", expiry: "12/39" },
        {
          name: "Ana",
          email: "ana@example.com"
        }
      )
      expect(payment).toMatchObject({ status: "APPROVED", authorization: "000000", lastDigits: "1111" })

      const after = yield* queryLink(sandbox.baseUrl, site1, id)
      expect(after.body.status).toBe("ACTIVE")
      expect(after.body.availablePayments).toBe(0)
      expect(after.body.payments).toHaveLength(1)
      const listed = after.body.payments[0]
      expect(listed).toMatchObject({
        id: payment.id,
        requestId: payment.requestId,
        status: "APPROVED",
        message: "The request has been successfully approved",
        amount: { currency: "COP", total: "120000" },
        franchise: "CR_VS",
        paymentMethod: "visa",
        authorization: "000000",
        installments: 1,
        lastDigits: "1111",
        payer: { name: "Ana", surname: "Payer", email: "ana@example.com" }
      })
      expect(listed.paymentDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/)
      expect(typeof listed.internalReference).toBe("number")
      expect(typeof listed.receipt).toBe("string")
      // The full card number is nowhere in the sandbox's state.
      expect(JSON.stringify(yield* sandbox.links)).not.toContain("4111111111111111")

      // A single-use link takes no second payment.
      const second = yield* Effect.flip(sandbox.payLink(id, { number: "4111111111111111" }))
      expect(second.reason).toBe("LinkNotPayable")
    })
  )

  it.scopedLive("generic links take payments up to paymentsAllowed; unlimited without it", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const limited = yield* createLink(sandbox.baseUrl, site1, { isGeneric: true, paymentsAllowed: 2 })
      yield* sandbox.payLink(limited.id, { number: "4111111111111111" })
      yield* sandbox.payLink(limited.id, { number: "5367680000000005" })
      expect((yield* Effect.flip(sandbox.payLink(limited.id, { number: "4111111111111111" }))).reason).toBe(
        "LinkNotPayable"
      )
      const q = yield* queryLink(sandbox.baseUrl, site1, limited.id)
      expect(q.body).toMatchObject({ totalPayments: 2, availablePayments: 0, isGeneric: true })
      expect(q.body.payments.map((p: { paymentMethod: string }) => p.paymentMethod)).toEqual(["visa", "master"])

      const unlimited = yield* createLink(sandbox.baseUrl, site1, { isGeneric: true })
      for (let i = 0; i < 3; i++) yield* sandbox.payLink(unlimited.id, { number: "4111111111111111" })
      const u = yield* queryLink(sandbox.baseUrl, site1, unlimited.id)
      expect(u.body).toMatchObject({ totalPayments: null, availablePayments: null })
      expect(u.body.payments).toHaveLength(3)
      // requestIds increase.
      const ids = u.body.payments.map((p: { requestId: number }) => p.requestId)
      expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    })
  )

  it.scopedLive("rejected and unknown cards are rejected payments; bad card data is refused", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1)
      const rejected = yield* sandbox.payLink(link.id, { number: "4110760000000016" })
      expect(rejected).toMatchObject({ status: "REJECTED", authorization: null, lastDigits: "0016" })
      const unknown = yield* sandbox.payLink(link.id, { number: "4000000000000002" })
      expect(unknown.status).toBe("REJECTED")
      expect(unknown.message).toMatch(/pruebas/)
      const expired = yield* sandbox.payLink(link.id, { number: "4111111111111111", expiry: "01/20" })
      expect(expired.status).toBe("REJECTED")
      expect((yield* Effect.flip(sandbox.payLink(link.id, { number: "4111111111111112" }))).reason).toBe("InvalidCard")
      expect((yield* Effect.flip(sandbox.payLink(link.id, { number: "4111111111111111", cvv: "12" }))).reason).toBe(
        "InvalidCard"
      )
      expect((yield* Effect.flip(sandbox.payLink(999, { number: "4111111111111111" }))).reason).toBe("LinkNotFound")
      // Rejections leave the single payment available.
      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.availablePayments).toBe(1)
    })
  )

  it("every test card of spec §5 passes the Luhn check", () => {
    const cards = [
      "4110760000000081",
      "4381080000000029",
      "4111111111111111",
      "5367680000000005",
      "377222581193005",
      "36545400000008",
      "4110760000000016",
      "4005580000000040",
      "5367680000000013",
      "376651792202224",
      "36545400000248",
      "4110760000000073",
      "4509564638437551",
      "4048370000000037",
      "4381080000000003"
    ]
    const luhn = (n: string) =>
      [...n].reverse().reduce((sum, c, i) => {
        const d = Number(c) * (i % 2 === 1 ? 2 : 1)
        return sum + (d > 9 ? d - 9 : d)
      }, 0) %
        10 ===
      0
    expect(cards.filter((c) => !luhn(c))).toEqual([])
  })
})

describe("PlacetoPay sandbox: validation (422)", () => {
  it.scopedLive("lists every invalid field at once", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* serve
      const reply = yield* post(baseUrl, "/api/payment-link", {
        auth: authFor(site1),
        name: "",
        reference: 42,
        expirationDate: localIn(3600_000),
        paymentExpiration: 1.5,
        paymentsAllowed: 0,
        isGeneric: "yes",
        payment: {
          amount: { currency: "PESOS", total: 100.5, taxes: [{ kind: "vat", amount: "10" }] },
          modifiers: [{ type: "FEDERAL_GOVERNMENT", code: 1, additional: { invoice: "1234567890" } }]
        },
        locale: "es-CO",
        notificationUrl: "ftp://example.com",
        recipients: Array.from({ length: 21 }, (_, i) => ({ email: `r${i}@example.com` })),
        additional: [
          { keyword: "a", value: 1 },
          { keyword: "a", value: 2 }
        ]
      })
      expect(reply.status).toBe(422)
      expect(reply.body.status).toEqual({
        status: "FAILED",
        reason: 422,
        message: "Validation error.",
        date: expect.any(String)
      })
      expect(Object.keys(reply.body.errors).sort()).toEqual(
        [
          "name",
          "reference",
          "description",
          "paymentExpiration",
          "paymentsAllowed",
          "isGeneric",
          "payment.amount.currency",
          "payment.amount.total",
          "payment.amount.taxes.0.kind",
          "payment.amount.taxes.0.amount",
          "payment.modifiers.0.code",
          "payment.modifiers.0.additional.invoice",
          "locale",
          "notificationUrl",
          "recipients",
          "additional.1.keyword"
        ].sort()
      )
      expect(reply.body.errors.name).toEqual(["The name field is required."])
      expect(reply.body.errors.description).toEqual(["The description field is required."])
      expect(reply.body.errors["payment.amount.total"]).toEqual(["The payment.amount.total field must be an integer."])
      for (const messages of Object.values(reply.body.errors)) {
        expect(messages).toEqual([expect.any(String)])
      }
    })
  )

  it.scopedLive("expirationDate: exact format, real date, in the future of the site's time zone", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* serve
      const create = (expirationDate: unknown) =>
        post(baseUrl, "/api/payment-link", { auth: authFor(site1), ...linkRequest({ expirationDate }) })
      const formatError = ["The expirationDate field must match the format Y-m-d H:i:s."]
      for (const wrong of [
        "2030-01-01T10:00:00",
        "2030-01-01 10:00",
        "2030-1-01 10:00:00",
        "2030-02-30 10:00:00",
        "01/01/2030 10:00:00",
        `${localIn(3600_000)}-05:00`
      ]) {
        const reply = yield* create(wrong)
        expect(reply.status).toBe(422)
        expect(reply.body.errors).toEqual({ expirationDate: formatError })
      }
      const past = yield* create(localIn(-60_000))
      expect(past.body.errors).toEqual({ expirationDate: ["The expirationDate field must be a date after now."] })
      expect((yield* create(localIn(3600_000))).status).toBe(201)
      expect((yield* create(20300101)).body.errors).toEqual({
        expirationDate: ["The expirationDate field must be a string."]
      })
    })
  )

  it.scopedLive("expirationDate is read in the site's own time zone", () =>
    Effect.gen(function* () {
      const tokyo = { id: 9, name: "Tokyo", login: "tokyo-login", secretKey: "tokyo-secret", timeZoneOffset: "+09:00" }
      const { baseUrl } = yield* PlacetoPaySandbox.serve({ sites: [tokyo] })
      // Bogota wall-clock time one hour ahead, read as Tokyo wall-clock time, was 13 hours ago.
      const reply = yield* post(baseUrl, "/api/payment-link", {
        auth: authFor(tokyo),
        ...linkRequest({ expirationDate: localIn(3600_000) })
      })
      expect(reply.body.errors).toEqual({ expirationDate: ["The expirationDate field must be a date after now."] })
      expect(reply.body.status.date).toMatch(/\+09:00$/)
      const ok = yield* post(baseUrl, "/api/payment-link", {
        auth: authFor(tokyo),
        ...linkRequest({ expirationDate: localIn(15 * 3600_000) })
      })
      expect(ok.status).toBe(201)
    })
  )

  it.scopedLive("required fields", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* serve
      const reply = yield* post(baseUrl, "/api/payment-link", { auth: authFor(site1) })
      expect(reply.status).toBe(422)
      expect(reply.body.errors).toEqual({
        name: ["The name field is required."],
        reference: ["The reference field is required."],
        description: ["The description field is required."],
        expirationDate: ["The expirationDate field is required."],
        paymentExpiration: ["The paymentExpiration field is required."],
        payment: ["The payment field is required."]
      })
    })
  )

  it.scopedLive("site payment methods, recipients' phones", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* PlacetoPaySandbox.serve({
        sites: [{ ...site1, paymentMethods: ["visa", "pse"] }]
      })
      const reply = yield* post(baseUrl, "/api/payment-link", {
        auth: authFor(site1),
        ...linkRequest({
          paymentMethod: ["visa", "bitcoin"],
          recipients: [{ email: "a@example.com", sendSMS: true }, { email: "nope" }]
        })
      })
      expect(reply.body.errors).toEqual({
        "paymentMethod.1": ["The selected paymentMethod.1 is invalid."],
        "recipients.0.phoneNumber": [
          "The recipients.0.phoneNumber field is required when sendSMS or sendWhatsapp is true."
        ],
        "recipients.1.email": ["The recipients.1.email field must be a valid email address."]
      })
    })
  )
})

describe("PlacetoPay sandbox: errors and disable", () => {
  it.scopedLive("404 unknown link, 401 another site's link", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* serve
      const missing = yield* queryLink(baseUrl, site1, 4242)
      expect(missing.status).toBe(404)
      expect(missing.body).toEqual({
        status: { status: "FAILED", reason: 404, message: "Resource not found", date: expect.any(String) }
      })
      expect((yield* post(baseUrl, "/api/payment-link/abc", { auth: authFor(site1) })).status).toBe(404)
      const link = yield* createLink(baseUrl, site1)
      const foreign = yield* queryLink(baseUrl, site2, link.id)
      expect(foreign.status).toBe(401)
      expect(foreign.body.status).toMatchObject({ status: "FAILED", reason: 401 })
      const foreignDisable = yield* post(baseUrl, `/api/payment-link/disable/${link.id}`, { auth: authFor(site2) })
      expect(foreignDisable.status).toBe(401)
      expect((yield* queryLink(baseUrl, site1, link.id)).body.status).toBe("ACTIVE")
    })
  )

  it.scopedLive("disable: 200, then 400; expired links cannot be disabled; unknown 404", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const disable = (id: number) => post(sandbox.baseUrl, `/api/payment-link/disable/${id}`, { auth: authFor(site1) })
      const link = yield* createLink(sandbox.baseUrl, site1)
      const first = yield* disable(link.id)
      expect(first.status).toBe(200)
      expect(first.body).toEqual({
        status: { status: "OK", reason: 200, message: expect.any(String), date: expect.any(String) },
        id: link.id
      })
      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.status).toBe("INACTIVE")
      const again = yield* disable(link.id)
      expect(again.status).toBe(400)
      expect(again.body.status).toMatchObject({ status: "FAILED", reason: 400 })
      expect((yield* Effect.flip(sandbox.payLink(link.id, { number: "4111111111111111" }))).reason).toBe(
        "LinkNotPayable"
      )

      const other = yield* createLink(sandbox.baseUrl, site1)
      yield* sandbox.expireLink(other.id)
      expect((yield* disable(other.id)).status).toBe(400)
      expect((yield* disable(987654)).status).toBe(404)
    })
  )

  it.scopedLive("malformed JSON 400, oversized body 413, unknown route 404", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* serve
      const malformed = yield* request(baseUrl, "/api/payment-link", { body: '{"auth": {' })
      expect(malformed.status).toBe(400)
      expect(malformed.body.status).toMatchObject({ status: "FAILED", reason: 400 })
      const huge = yield* request(baseUrl, "/api/payment-link", {
        body: JSON.stringify({ auth: authFor(site1), name: "x".repeat(1024 * 1024 + 10) })
      })
      expect(huge.status).toBe(413)
      expect(huge.body.status).toMatchObject({ status: "FAILED", reason: 413 })
      const chunked = yield* postChunked(baseUrl, "/api/payment-link", 20)
      expect(chunked.status).toBe(413)
      const unknown = yield* request(baseUrl, "/api/nothing", { body: "{}" })
      expect(unknown.status).toBe(404)
      expect(unknown.body.status.message).toBe("Resource not found")
      // Still serving after all that.
      expect((yield* createLink(baseUrl, site1)).id).toBe(1)
    })
  )

  it.scopedLive("the link URL opens a page", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* serve
      const link = yield* createLink(baseUrl, site1, { name: "<b>Suite</b>" })
      const page = yield* Effect.promise(() =>
        fetch(link.url).then(async (r) => ({ status: r.status, text: await r.text() }))
      )
      expect(page.status).toBe(200)
      expect(page.text).toContain("&#60;b&#62;Suite")
      const wrongCode = yield* Effect.promise(() => fetch(link.url.replace(/code=\w+/, "code=0")).then((r) => r.status))
      expect(wrongCode).toBe(404)
    })
  )
})

describe("PlacetoPay sandbox: control endpoints", () => {
  it.scopedLive("pay, settle, expire, clock, links, notifications over HTTP", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* serve
      const control = "/__sandbox/placetopay"
      const a = yield* createLink(baseUrl, site1, { isGeneric: true })
      const paid = yield* post(baseUrl, `${control}/links/${a.id}/pay`, { card: { number: "4110760000000073" } })
      expect(paid.status).toBe(200)
      expect(paid.body.payment.status).toBe("PENDING")
      const settled = yield* post(baseUrl, `${control}/links/${a.id}/settle`, {})
      expect(settled.body.payments.map((p: { status: string }) => p.status)).toEqual(["APPROVED"])
      expect((yield* post(baseUrl, `${control}/links/${a.id}/pay`, { card: {} })).status).toBe(400)
      expect((yield* post(baseUrl, `${control}/links/${a.id}/pay`, { card: { number: "123" } })).status).toBe(422)
      expect((yield* post(baseUrl, `${control}/links/999/pay`, { card: { number: "4111111111111111" } })).status).toBe(
        404
      )

      const b = yield* createLink(baseUrl, site1)
      const expired = yield* post(baseUrl, `${control}/links/${b.id}/expire`, {})
      expect(expired.body.link).toMatchObject({ id: b.id, status: "EXPIRED", siteId: site1.id })
      expect((yield* post(baseUrl, `${control}/links/${b.id}/expire`, {})).status).toBe(409)

      const c = yield* createLink(baseUrl, site1, { expirationDate: localIn(2 * 3600_000) })
      const advanced = yield* post(baseUrl, `${control}/clock/advance`, { ms: 3 * 3600_000 })
      expect(advanced.status).toBe(200)
      expect(advanced.body.offsetMs).toBe(3 * 3600_000)
      expect((yield* post(baseUrl, `${control}/clock/advance`, { ms: -1 })).status).toBe(400)

      const links = yield* get(baseUrl, `${control}/links`)
      expect(links.body.links.map((l: { id: number; status: string }) => [l.id, l.status])).toEqual([
        [a.id, "ACTIVE"],
        [b.id, "EXPIRED"],
        [c.id, "EXPIRED"]
      ])
      const notifications = yield* get(baseUrl, `${control}/notifications`)
      expect(notifications.body.notifications).toEqual([])
    })
  )
})
