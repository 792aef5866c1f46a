/**
 * The Autocore simulator's hosted pages — a link's and a gift card's pay page, a cash order's
 * checkout, the dashboard's settle button for charges — driven as a browser would (GET, urlencoded
 * form posts, redirects) over loopback HTTP, each ending in Autocore's webhook.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
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
  tokenHeaders,
  uniquePath,
  WebhookReceiver
} from "./autocore-support.js"
import { card, open, pathOf, submit, textOf } from "./pages-support.js"

const Live = Layer.mergeAll(sandboxLayer({ webhookRetryInterval: "100 millis" }), ReceiverLive)

layer(Live, { excludeTestServices: true })("Autocore hosted pages", (it) => {
  /** A link whose webhooks go to a fresh receiver path; returns its URL and that path. */
  const newLink = (overrides: Record<string, unknown> = {}) =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const receiver = yield* WebhookReceiver
      const path = uniquePath("page")
      const reply = yield* call(sandbox.baseUrl, "POST", "/v2/links/schedule/", {
        headers: apiKeyHeaders(),
        body: linkBody({ temp_webhook_url: `${receiver.baseUrl}${path}`, ...overrides })
      })
      return { url: reply.body.url as string, code: reply.body.code as string, path }
    })

  const statusCodes = (path: string, count: number) =>
    Effect.flatMap(WebhookReceiver, (receiver) =>
      Effect.map(
        eventually(receiver.received(path), (r) => r.length >= count),
        (received) => received.map((r) => r.body.details.status_code as string)
      )
    )

  describe("a link's pay page", () => {
    it.effect("shows the link and pays it with an approved test card, ending in the webhook", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const link = yield* newLink({ external_ref_id: "BK-CTG-1", amount: 1350000 })
        const page = yield* open(link.url)
        expect(page.status).toBe(200)
        const text = textOf(page.text)
        for (const shown of [
          "Link de pago",
          "Hotel ABC",
          "BK-CTG-1",
          "Reserva de 3 dias en Hotel ABC",
          "COP 1.350.000"
        ])
          expect(text).toContain(shown)
        expect(text).toContain("4111 1111 1111 1111")
        const paid = yield* submit(link.url, card("4111 1111 1111 1111"))
        expect(paid.status).toBe(303)
        const state = yield* call(sandbox.baseUrl, "GET", "/__sandbox/autocore/state")
        const record = state.body.links.find((l: { code: string }) => l.code === link.code)
        expect(record).toMatchObject({ status: "paid", attempts: [{ outcome: "approved" }] })
        expect(paid.location).toBe(`${pathOf(link.url)}?attempt=${record.attempts[0].transactionId}`)
        const result = yield* open(paid.location!, sandbox.baseUrl)
        expect(textOf(result.text)).toContain("Pago aprobado")
        expect(result.text).toContain('href="https://app-dev.autocore.pro/main/link/success"')
        expect(yield* statusCodes(link.path, 1)).toEqual(["applied"])
        const again = yield* submit(link.url, card("4111111111111111"))
        expect(again.status).toBe(409)
        expect(textOf(again.text)).toContain("Este link ya fue pagado")
      })
    )

    it.effect("a declined card leaves the link payable; a pending one notifies in process, then settles", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const link = yield* newLink()
        const declined = yield* submit(link.url, card("1111 1111 1111 1111"))
        expect(textOf((yield* open(declined.location!, sandbox.baseUrl)).text)).toContain("Pago rechazado")
        const pending = yield* submit(link.url, card("5555555555554444"))
        const inProcess = yield* open(pending.location!, sandbox.baseUrl)
        expect(textOf(inProcess.text)).toContain("Pago en proceso")
        const settled = yield* submit(`${pathOf(link.url)}/settle`, {}, sandbox.baseUrl)
        expect(settled.status).toBe(303)
        expect(settled.location).toBe(pending.location)
        expect(textOf((yield* open(settled.location!, sandbox.baseUrl)).text)).toContain("Pago rechazado")
        const approved = yield* submit(link.url, card("36417002140808"))
        yield* submit(`${pathOf(link.url)}/settle`, {}, sandbox.baseUrl)
        expect(textOf((yield* open(approved.location!, sandbox.baseUrl)).text)).toContain("Pago aprobado")
        expect(yield* statusCodes(link.path, 5)).toEqual([
          "rejected",
          "in_process",
          "rejected",
          "in_process",
          "applied"
        ])
      })
    )

    it.effect("refuses numbers that are not test cards (a sandbox), expired cards, and bad fields", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const link = yield* newLink()
        const real = yield* submit(link.url, card("4242 4242 4242 4242", { holder: "Ana Ruiz" }))
        expect(real.status).toBe(422)
        expect(textOf(real.text)).toContain("Esto es un sandbox: solo se aceptan las tarjetas de prueba")
        expect(real.text).not.toContain("4242424242424242")
        expect(real.text).toContain('value="Ana Ruiz"')
        const expired = yield* submit(link.url, card("4111111111111111", { expiry: "01/20" }))
        expect(textOf(expired.text)).toContain("La tarjeta está vencida.")
        const noHolder = yield* submit(link.url, card("4111111111111111", { holder: " " }))
        expect(textOf(noHolder.text)).toContain("Escriba el nombre del titular.")
        const state = yield* call(sandbox.baseUrl, "GET", "/__sandbox/autocore/state")
        expect(state.body.links.find((l: { code: string }) => l.code === link.code).attempts).toEqual([])
      })
    )

    it.effect("unknown links, a link under another hotel's slug and unknown orders are 404", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const link = yield* newLink()
        const missing = yield* open("/__sandbox/autocore/app/payment/hotel_abc/nosuchcode", sandbox.baseUrl)
        expect(missing.status).toBe(404)
        expect(textOf(missing.text)).toContain("Este enlace no existe en el simulador.")
        expect((yield* open(link.url.replace("/hotel_abc/", "/marina/"))).status).toBe(404)
        expect((yield* submit(link.url.replace("/hotel_abc/", "/marina/"), card("4111111111111111"))).status).toBe(404)
        expect((yield* open("/__sandbox/autocore/app/checkout/cash/1", sandbox.baseUrl)).status).toBe(404)
        expect(
          (yield* submit("/__sandbox/autocore/app/checkout/cash/1", { outcome: "approved" }, sandbox.baseUrl)).status
        ).toBe(404)
      })
    )
  })

  describe("a gift card's pay page", () => {
    it.effect("shows who it is for and activates the card once paid", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("gift")
        const created = yield* call(sandbox.baseUrl, "POST", "/v1/gift-cards", {
          headers: apiKeyHeaders(),
          body: giftCardBody({ temp_webhook_url: `${receiver.baseUrl}${path}` })
        })
        const page = yield* open(created.body.payment_link)
        const text = textOf(page.text)
        for (const shown of ["Tarjeta de regalo", "Jane Doe", "Jhon Doe", "Happy Birthday!", "COP 50.000"])
          expect(text).toContain(shown)
        yield* submit(created.body.payment_link, card("4111111111111111"))
        const state = yield* call(sandbox.baseUrl, "GET", "/__sandbox/autocore/state")
        const giftCard = state.body.giftCards.find(
          (g: { giftCardCode: string }) => g.giftCardCode === created.body.gift_card_code
        )
        expect(giftCard).toMatchObject({ status: "active", balance: 50000 })
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body.details).toMatchObject({ type: "gift_card", status_code: "applied" })
      })
    )
  })

  describe("a cash order's checkout", () => {
    it.effect("gives the method's instructions; 'paid at the store' completes it and notifies", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("cash")
        const body = cashBody({ temp_webhook_url: `${receiver.baseUrl}${path}` })
        const created = yield* call(sandbox.baseUrl, "POST", "/v2/apms/cash", { headers: tokenHeaders(), body })
        const page = yield* open(created.body.checkout_url)
        const text = textOf(page.text)
        for (const shown of [
          "Pago en efectivo",
          "DaviPlata",
          "Abra DaviPlata",
          created.body.transaction_id,
          "COP 123.000"
        ])
          expect(text).toContain(shown)
        const paid = yield* submit(created.body.checkout_url, { outcome: "approved" })
        expect(paid.status).toBe(303)
        const done = yield* open(paid.location!, sandbox.baseUrl)
        expect(textOf(done.text)).toContain("Pago recibido")
        expect(done.text).toContain('href="https://mywebpage/payment/response"')
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body.details).toMatchObject({ type: "cash", status_code: "applied", pay_platform: "daviplata" })
        const again = yield* submit(created.body.checkout_url, { outcome: "approved" })
        expect(again.status).toBe(409)
        expect(textOf((yield* open(created.body.checkout_url)).text)).toContain("Esta orden ya fue procesada")
      })
    )

    it.effect("the reject button rejects the order", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("cash-rejected")
        const body = cashBody({ temp_webhook_url: `${receiver.baseUrl}${path}`, ref_number: "CASH-2" })
        const created = yield* call(sandbox.baseUrl, "POST", "/v2/apms/cash", { headers: tokenHeaders(), body })
        const rejected = yield* submit(created.body.checkout_url, { outcome: "declined" })
        expect(textOf((yield* open(rejected.location!, sandbox.baseUrl)).text)).toContain("Orden rechazada")
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body.details.status_code).toBe("rejected")
      })
    )
  })

  describe("the dashboard's settle button for a charge in process", () => {
    it.effect("settles it like the control endpoint and goes back to the dashboard", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("charge")
        const created = yield* call(sandbox.baseUrl, "POST", "/v2/virtual-terminal/credit-card", {
          headers: tokenHeaders(),
          body: {
            order: chargeOrder({ temp_webhook_url: `${receiver.baseUrl}${path}` }),
            card_item: cardItem("36417002140808")
          }
        })
        const transactionId = created.body.transaction_id as string
        const settled = yield* submit(`/__sandbox/autocore/app/charges/${transactionId}/settle`, {}, sandbox.baseUrl)
        expect(settled.status).toBe(303)
        expect(settled.location).toBe("/")
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(webhook!.body.details).toMatchObject({ type: "charge", status_code: "applied" })
      })
    )
  })
})
