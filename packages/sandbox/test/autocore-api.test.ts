import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  account,
  apiKeyHeaders,
  call,
  cardItem,
  cashBody,
  chargeOrder,
  eventually,
  giftCardBody,
  linkBody,
  ReceiverLive,
  Sandbox,
  sandboxLayer,
  secondAccount,
  tokenHeaders,
  uniquePath,
  WebhookReceiver
} from "./autocore-support.js"
import { postChunked } from "./placetopay-support.js"

const envelope = (code: number) => ({ code, message: `Error http: ${code}`, detail: expect.any(String) })
const colombiaSpaced = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/
const colombiaT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const Live = Layer.mergeAll(sandboxLayer({ webhookRetryInterval: "100 millis" }), ReceiverLive)

layer(Live, { excludeTestServices: true })("Autocore simulator API", (it) => {
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    Effect.flatMap(Sandbox, (s) => call(s.baseUrl, "POST", path, { headers, body }))

  const charge = (number: string, order: Record<string, unknown> = {}, card = cardItem(number)) =>
    post("/v2/virtual-terminal/credit-card", tokenHeaders(), { order: chargeOrder(order), card_item: card })

  describe("authentication", () => {
    it.effect("refuses missing or wrong API keys with 401", () =>
      Effect.gen(function* () {
        const wrongSecret = yield* post("/v2/links/schedule/", { ...apiKeyHeaders(), secret_key: "nope" }, linkBody())
        expect(wrongSecret.status).toBe(401)
        expect(wrongSecret.body).toEqual(envelope(401))
        const missing = yield* post("/v2/links/schedule/", { "content-type": "application/json" }, linkBody())
        expect(missing.status).toBe(401)
        const unknownKey = yield* post("/v1/gift-cards", { ...apiKeyHeaders(), access_key: "NOPE" }, giftCardBody())
        expect(unknownKey.status).toBe(401)
        // An auth token does not open API-key endpoints, nor API keys token endpoints.
        expect((yield* post("/v2/links/schedule/", tokenHeaders(), linkBody())).status).toBe(401)
        expect((yield* post("/v2/apms/cash", apiKeyHeaders(), cashBody())).status).toBe(401)
      })
    )

    it.effect("refuses a token older than 30 seconds or wrongly signed", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const old = yield* call(sandbox.baseUrl, "GET", "/v2/hotels", { headers: tokenHeaders(account, 31) })
        expect(old.status).toBe(401)
        expect(old.body.detail).toContain("vencido")
        const recent = yield* call(sandbox.baseUrl, "GET", "/v2/hotels", { headers: tokenHeaders(account, 25) })
        expect(recent.status).toBe(200)
        const forged = { ...secondAccount, accessKey: account.accessKey }
        const bad = yield* call(sandbox.baseUrl, "GET", "/v2/hotels", { headers: tokenHeaders(forged) })
        expect(bad.status).toBe(401)
        expect(bad.body).toEqual(envelope(401))
      })
    )
  })

  describe("payment links", () => {
    it.effect("creates a link like the seed", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const reply = yield* post("/v2/links/schedule/", apiKeyHeaders(), linkBody())
        expect(reply.status).toBe(200)
        expect(Object.keys(reply.body).sort()).toEqual(["code", "msg", "url"])
        expect(reply.body.msg).toBe("Link de pago generado exitosamente")
        expect(reply.body.code).toMatch(/^[a-z0-9]{12}$/)
        expect(reply.body.url).toBe(`${sandbox.baseUrl}/__sandbox/autocore/app/payment/hotel_abc/${reply.body.code}`)
        const { links } = yield* sandbox.state
        const link = links.find((l) => l.code === reply.body.code)!
        expect(link).toMatchObject({ status: "active", amount: 120000, hotelId: 5, externalRefId: "#45645" })
        expect(Date.parse(link.expiresAt!) - Date.parse(link.createdAt)).toBe(24 * 60 * 60 * 1000)
        const page = yield* call(sandbox.baseUrl, "GET", new URL(reply.body.url).pathname)
        expect(page.status).toBe(200)
        expect(page.text).toContain("Reserva de 3 dias en Hotel ABC")
      })
    )

    it.effect("reads null as absent and accepts an alpha-2 country code", () =>
      Effect.gen(function* () {
        const reply = yield* post(
          "/v2/links/schedule/",
          apiKeyHeaders(),
          linkBody({ phone: null, available_hours: null, country_code: "CO", redirect: null })
        )
        expect(reply.status).toBe(200)
      })
    )

    it.effect("lists every invalid field in one 400", () =>
      Effect.gen(function* () {
        const reply = yield* post(
          "/v2/links/schedule/",
          apiKeyHeaders(),
          linkBody({
            hotel_id: "5",
            email: "not-an-email",
            guest_name: undefined,
            currency: "cop",
            country_code: "Colombia",
            booking_dates: "2026/01/27 - 2026/01/29",
            available_hours: 0,
            allowed_payment_options: ["nequi", "cash"],
            temp_webhook_url: "ftp://example.com",
            source: "Unknown source"
          })
        )
        expect(reply.status).toBe(400)
        expect(reply.body).toEqual(envelope(400))
        expect(reply.body.detail).toMatch(/^Campos inválidos: /)
        for (const field of [
          "hotel_id (",
          "guest_name (es requerido)",
          "email (",
          "currency (",
          "country_code (",
          "booking_dates (",
          "available_hours (",
          "allowed_payment_options (",
          "temp_webhook_url (",
          "source ("
        ]) {
          expect(reply.body.detail).toContain(field)
        }
      })
    )

    it.effect("refuses a fractional amount", () =>
      Effect.gen(function* () {
        const reply = yield* post("/v2/links/schedule/", apiKeyHeaders(), linkBody({ amount: 120000.5 }))
        expect(reply.status).toBe(400)
        expect(reply.body.detail).toBe("Campos inválidos: amount (debe ser un número entero positivo (sin decimales))")
      })
    )

    it.effect("answers 403 for another account's hotel and 404 for an unknown one", () =>
      Effect.gen(function* () {
        const foreign = yield* post("/v2/links/schedule/", apiKeyHeaders(), linkBody({ hotel_id: 201 }))
        expect(foreign.status).toBe(403)
        expect(foreign.body).toEqual(envelope(403))
        const unknown = yield* post("/v2/links/schedule/", apiKeyHeaders(), linkBody({ hotel_id: 999 }))
        expect(unknown.status).toBe(404)
      })
    )

    it.effect("requires a source when the account has several", () =>
      Effect.gen(function* () {
        const headers = apiKeyHeaders(secondAccount)
        const body = { ...linkBody({ hotel_id: 201 }), source: undefined }
        const missing = yield* post("/v2/links/schedule/", headers, body)
        expect(missing.status).toBe(400)
        expect(missing.body.detail).toContain("source (es requerido porque la cuenta tiene varias fuentes")
        expect((yield* post("/v2/links/schedule/", headers, { ...body, source: "Bitrix24" })).status).toBe(200)
        // A single-source account may omit it.
        expect((yield* post("/v2/links/schedule/", apiKeyHeaders(), { ...linkBody(), source: undefined })).status).toBe(
          200
        )
      })
    )

    it.effect("pays a link and notifies its webhook", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("link")
        const created = yield* post(
          "/v2/links/schedule/",
          apiKeyHeaders(),
          linkBody({ temp_webhook_url: `${receiver.baseUrl}${path}` })
        )
        const code: string = created.body.code
        const declined = yield* call(sandbox.baseUrl, "POST", `/__sandbox/autocore/links/${code}/pay`, {
          headers: { "content-type": "application/json" },
          body: { outcome: "declined" }
        })
        expect(declined.body.status).toBe("active")
        const paid = yield* sandbox.payLink(code)
        expect(paid.status).toBe("paid")
        const again = yield* sandbox.payLink(code).pipe(Effect.flip)
        expect(again.reason).toBe("Conflict")
        const received = yield* eventually(receiver.received(path), (r) => r.length === 2)
        expect(received.map((r) => r.body.details.status_code)).toEqual(["rejected", "applied"])
        const [rejected, applied] = received
        expect(rejected!.body.transaction_id).toBe("N/A")
        expect(applied!.body).toMatchObject({
          payment_status: "Aplicado",
          amount: 120000,
          company: "Company Example",
          hotel: "Hotel ABC",
          external_ref_id: "#45645",
          details: { type: "link", id: code, status_code: "applied", status_detail: "Aplicado" }
        })
        expect(applied!.body.payment_date).toMatch(colombiaT)
        expect(applied!.body.transaction_id).toMatch(uuid)
        expect(applied!.body.voucher_url).toMatch(new RegExp(`^${sandbox.baseUrl}/v2/terminal-payments/\\d+/vouchers$`))
      })
    )

    it.effect("keeps Autocore's exact paths and never crashes on bad bodies", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const noSlash = yield* post("/v2/links/schedule", apiKeyHeaders(), linkBody())
        expect(noSlash.status).toBe(404)
        expect(noSlash.body).toEqual(envelope(404))
        expect((yield* call(sandbox.baseUrl, "GET", "/v3/nothing")).body).toEqual(envelope(404))
        const malformed = yield* post("/v2/links/schedule/", apiKeyHeaders(), "{not json")
        expect(malformed.status).toBe(400)
        expect(malformed.body.detail).toBe("El cuerpo no es JSON válido")
        const notObject = yield* post("/v2/links/schedule/", apiKeyHeaders(), "[1,2]")
        expect(notObject.body.detail).toBe("Campos inválidos: el cuerpo debe ser un objeto JSON")
        const huge = yield* post(
          "/v2/links/schedule/",
          apiKeyHeaders(),
          linkBody({ description: "x".repeat(1_100_000) })
        )
        expect(huge.status).toBe(413)
        expect(huge.body).toEqual(envelope(413))
        // Without a content-length the body is read up to the limit, then answered the same way.
        const chunked = yield* postChunked(sandbox.baseUrl, "/__sandbox/autocore/links/unknown/pay", 20)
        expect(chunked.status).toBe(413)
        expect(chunked.body).toEqual(envelope(413))
        const stillUp = yield* post("/v2/links/schedule/", apiKeyHeaders(), linkBody())
        expect(stillUp.status).toBe(200)
      })
    )
  })

  describe("card charges", () => {
    it.effect("approves 4111111111111111 with the seed's body", () =>
      Effect.gen(function* () {
        const reply = yield* charge("4111111111111111")
        expect(reply.status).toBe(200)
        expect(Object.keys(reply.body).sort()).toEqual(["details", "msg", "voucher_url"])
        expect(reply.body.msg).toBe("Pago realizado correctamente")
        expect(reply.body.voucher_url).toMatch(/^v2\/terminal-payments\/\d+\/vouchers$/)
        expect(reply.body.details).toEqual({
          type: "charge",
          id: "123456789",
          external_ref_id: "mkid-000000001-test",
          status_code: "applied",
          status_detail: "Aplicado",
          comments: "Pago con referencia 123456789 procesado correctamente",
          transaction_id: expect.stringMatching(/^RB-\d+$/),
          transaction_date: expect.stringMatching(colombiaSpaced)
        })
      })
    )

    it.effect("declines 1111111111111111 (no Luhn check) with a 400 and extra_info", () =>
      Effect.gen(function* () {
        const reply = yield* charge("1111111111111111")
        expect(reply.status).toBe(400)
        expect(reply.body).toEqual({
          code: 0,
          message: "Error http: 400",
          detail: "El pago ha sido rechazado",
          extra_info: {
            voucher_url: expect.stringMatching(/^v2\/terminal-payments\/\d+\/vouchers$/),
            details: {
              type: "charge",
              id: "123456789",
              external_ref_id: "mkid-000000001-test",
              status_code: "rejected",
              status_detail: "Rechazado",
              comments: "Fondos insuficientes.",
              transaction_id: null,
              transaction_date: expect.stringMatching(colombiaSpaced)
            }
          }
        })
      })
    )

    it.effect("leaves 36417002140808 pending, then settles it approved by webhook", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("pending-approved")
        const reply = yield* charge("36417002140808", { temp_webhook_url: `${receiver.baseUrl}${path}` })
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual({
          payment_status: "En proceso",
          amount: 1000,
          payment_date: expect.stringMatching(colombiaT),
          company: "Company Example",
          hotel: "Hotel Marina",
          voucher_url: expect.stringMatching(new RegExp(`^${sandbox.baseUrl}/v2/terminal-payments/\\d+/vouchers$`)),
          transaction_id: expect.stringMatching(uuid),
          external_ref_id: "mkid-000000001-test",
          details: {
            type: "charge",
            id: "123456789",
            external_ref_id: "mkid-000000001-test",
            status_code: "in_process",
            status_detail: "En proceso",
            comments: "Pago con referencia 123456789 en proceso de revisión.",
            transaction_id: reply.body.transaction_id,
            transaction_date: expect.stringMatching(colombiaT)
          }
        })
        expect(yield* receiver.received(path)).toEqual([])
        // Only the last four digits are kept: neither the number nor the holder reaches the state.
        const state = yield* call(sandbox.baseUrl, "GET", "/__sandbox/autocore/state")
        expect(state.text).toContain(reply.body.transaction_id)
        expect(state.text).not.toContain("36417002140808")
        expect(state.text).not.toContain("JOHN DOE")
        const settled = yield* call(
          sandbox.baseUrl,
          "POST",
          `/__sandbox/autocore/charges/${reply.body.transaction_id}/settle`
        )
        expect(settled.status).toBe(200)
        expect(settled.body).toMatchObject({ status: "applied", cardLast4: "0808" })
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body).toMatchObject({
          payment_status: "Aplicado",
          transaction_id: reply.body.transaction_id,
          voucher_url: reply.body.voucher_url,
          details: {
            type: "charge",
            id: "123456789",
            status_code: "applied",
            transaction_id: reply.body.transaction_id
          }
        })
        const twice = yield* call(
          sandbox.baseUrl,
          "POST",
          `/__sandbox/autocore/charges/${reply.body.transaction_id}/settle`
        )
        expect(twice.status).toBe(409)
      })
    )

    it.effect("leaves 5555555555554444 pending, then settles it declined by webhook", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("pending-declined")
        const reply = yield* charge("5555555555554444", { temp_webhook_url: `${receiver.baseUrl}${path}` })
        expect(reply.body.details.status_code).toBe("in_process")
        const settled = yield* sandbox.settleCharge(reply.body.transaction_id)
        expect(settled.status).toBe("rejected")
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body).toMatchObject({
          payment_status: "Rechazado",
          transaction_id: "N/A",
          details: { status_code: "rejected", status_detail: "Rechazado", transaction_id: "N/A" }
        })
      })
    )

    it.effect("declines other numbers and expired cards as invalid_card", () =>
      Effect.gen(function* () {
        const other = yield* charge("4000000000000002")
        expect(other.status).toBe(400)
        expect(other.body.extra_info.details).toMatchObject({
          status_code: "invalid_card",
          status_detail: "Tarjeta no válida",
          comments: "El número de tarjeta de crédito no es válido."
        })
        const expired = yield* charge("4111111111111111", {}, cardItem("4111111111111111", { year: "2020" }))
        expect(expired.body.extra_info.details).toMatchObject({
          status_code: "invalid_card",
          comments: "La tarjeta está vencida."
        })
        const { charges } = yield* Effect.flatMap(Sandbox, (s) => s.state)
        // Only the last four digits are kept.
        expect(JSON.stringify(charges)).not.toContain("4000000000000002")
      })
    )

    it.effect("refuses fields that do not decrypt or are malformed, and bad order fields", () =>
      Effect.gen(function* () {
        const wrongKey = cardItem("4111111111111111", { key: "another key" })
        const undecryptable = yield* charge("4111111111111111", {}, { ...wrongKey, cc_holder: "not base64!" })
        expect(undecryptable.status).toBe(400)
        expect(undecryptable.body.detail).toContain("card_item.cc_number (no se pudo descifrar)")
        expect(undecryptable.body.detail).toContain("card_item.cc_holder (no se pudo descifrar)")
        expect(undecryptable.body.extra_info).toBeUndefined()
        const malformed = yield* charge(
          "4111111111111111",
          {},
          cardItem("4111111111111111", { cvc: "12", month: "13" })
        )
        expect(malformed.body.detail).toBe(
          "Campos inválidos: card_item.cc_code (debe cifrar 3 o 4 dígitos); card_item.cc_expire_month (debe cifrar un mes de 1 a 12 (1 o 2 dígitos))"
        )
        const { cc_holder: _, ...partial } = cardItem("4111111111111111")
        const badOrder = yield* charge(
          "4111111111111111",
          { detail: "d".repeat(100), ip: "::1", tax_percent: 1.5, service_percent: 0.123, amount: 10.555 },
          partial as ReturnType<typeof cardItem>
        )
        expect(badOrder.status).toBe(400)
        for (const field of [
          "order.detail (",
          "order.ip (",
          "order.tax_percent (",
          "order.service_percent (",
          "order.amount (",
          "card_item.cc_holder (es requerido)"
        ]) {
          expect(badOrder.body.detail).toContain(field)
        }
        expect((yield* charge("4111111111111111", { hotel_id: 202 })).status).toBe(403)
      })
    )
  })

  describe("cash orders", () => {
    it.effect("creates an order and notifies when paid", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("cash")
        const reply = yield* post(
          "/v2/apms/cash",
          tokenHeaders(),
          cashBody({ temp_webhook_url: `${receiver.baseUrl}${path}`, external_ref_id: "cash-ref-1" })
        )
        expect(reply.status).toBe(200)
        expect(Object.keys(reply.body).sort()).toEqual(["apm_detail_id", "checkout_url", "transaction_id"])
        expect(reply.body.transaction_id).toMatch(/^\d+$/)
        expect(Number.isInteger(reply.body.apm_detail_id)).toBe(true)
        expect((yield* call(sandbox.baseUrl, "GET", new URL(reply.body.checkout_url).pathname)).status).toBe(200)
        const paid = yield* call(sandbox.baseUrl, "POST", `/__sandbox/autocore/orders/${reply.body.transaction_id}/pay`)
        expect(paid.body.status).toBe("applied")
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body).toMatchObject({
          payment_status: "Aplicado",
          amount: 123000,
          hotel: "Hotel Centro",
          transaction_id: reply.body.transaction_id,
          external_ref_id: "cash-ref-1",
          details: { type: "cash", id: "CASH-1", status_code: "applied", pay_platform: "daviplata" }
        })
      })
    )

    it.effect("declines an order and validates required fields", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const reply = yield* post("/v2/apms/cash", tokenHeaders(), cashBody())
        const declined = yield* sandbox.payOrder(reply.body.transaction_id, "declined")
        expect(declined.status).toBe("rejected")
        expect((yield* sandbox.payOrder(reply.body.transaction_id).pipe(Effect.flip)).reason).toBe("Conflict")
        const invalid = yield* post("/v2/apms/cash", tokenHeaders(), cashBody({ ip: "300.1.1.1", email: undefined }))
        expect(invalid.status).toBe(400)
        expect(invalid.body.detail).toContain("order.ip (")
        expect(invalid.body.detail).toContain("order.email (es requerido)")
      })
    )
  })

  describe("gift cards", () => {
    it.effect("creates a card whose balance activates once its link is paid", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("gift")
        const reply = yield* post(
          "/v1/gift-cards",
          apiKeyHeaders(),
          giftCardBody({ temp_webhook_url: `${receiver.baseUrl}${path}` })
        )
        expect(reply.status).toBe(200)
        expect(reply.body.msg).toBe("Tarjeta de regalo creada correctamente")
        expect(reply.body.gift_card_code).toMatch(/^[A-Z0-9]{10}$/)
        expect(reply.body.payment_link_code).toMatch(/^GC_[a-z0-9]{10}$/)
        expect(reply.body.payment_link).toBe(
          `${sandbox.baseUrl}/__sandbox/autocore/app/payment/marina/${reply.body.payment_link_code}`
        )
        const before = (yield* sandbox.state).giftCards.find((g) => g.giftCardCode === reply.body.gift_card_code)
        expect(before).toMatchObject({ status: "pending_payment", balance: 0 })
        yield* sandbox.payLink(reply.body.payment_link_code)
        const after = (yield* sandbox.state).giftCards.find((g) => g.giftCardCode === reply.body.gift_card_code)
        expect(after).toMatchObject({ status: "active", balance: 50000 })
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body).toMatchObject({
          payment_status: "Aplicado",
          amount: 50000,
          external_ref_id: "id_345",
          details: { type: "gift_card", id: reply.body.gift_card_code, status_code: "applied" }
        })
      })
    )

    it.effect("validates every required field", () =>
      Effect.gen(function* () {
        const body = giftCardBody({ currency: "EUR", note: undefined, recipient: { name: "Jane" } })
        const reply = yield* post("/v1/gift-cards", apiKeyHeaders(), {
          ...body,
          sender: { ...body.sender, document_type: "DNI", country_code: "57" }
        })
        expect(reply.status).toBe(400)
        for (const field of [
          "sender.document_type (debe ser CC, PP, NIT o TI)",
          "sender.country_code (",
          "recipient.email (es requerido)",
          "currency (debe ser COP o USD)",
          "note (es requerido)"
        ]) {
          expect(reply.body.detail).toContain(field)
        }
        expect((yield* post("/v1/gift-cards/", apiKeyHeaders(), giftCardBody())).status).toBe(404)
      })
    )
  })

  describe("hotels", () => {
    it.effect("paginates the account's hotels", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const get = (query: string) => call(sandbox.baseUrl, "GET", `/v2/hotels${query}`, { headers: tokenHeaders() })
        const first = yield* get("?offset=0&limit=3")
        expect(first.status).toBe(200)
        expect(first.body).toEqual({
          paginate_info: {
            start: 0,
            items: 3,
            total_items: 4,
            total_pages: 2,
            links: {
              first: `${sandbox.baseUrl}/v2/hotels?offset=0&limit=3`,
              previous: null,
              next: `${sandbox.baseUrl}/v2/hotels?offset=3&limit=3`,
              last: `${sandbox.baseUrl}/v2/hotels?offset=3&limit=3`
            }
          },
          data: [
            { id: 1, name: "Hotel Marina", currency: "COP" },
            { id: 5, name: "Hotel ABC", currency: "COP" },
            { id: 103, name: "Hotel Centro", currency: "COP" }
          ]
        })
        const second = yield* get("?offset=3&limit=3")
        expect(second.body.data).toEqual([{ id: 7, name: "Hotel Playa", currency: "USD" }])
        expect(second.body.paginate_info).toMatchObject({ start: 3, items: 1 })
        expect(second.body.paginate_info.links.next).toBeNull()
        const invalid = yield* get("?offset=-1&limit=0")
        expect(invalid.status).toBe(400)
        expect(invalid.body.detail).toBe(
          "Campos inválidos: offset (debe ser un entero entre 0 y 999999999); limit (debe ser un entero entre 1 y 100)"
        )
      })
    )
  })
})
