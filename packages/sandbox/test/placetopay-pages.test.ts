/**
 * The PlacetoPay checkout a link's URL opens and the session page a payment's `processUrl` opens,
 * driven as a browser would (GET, urlencoded form posts, redirects) over loopback HTTP.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { PlacetoPaySandbox } from "../src/index.js"
import { card, open, pathOf, submit, textOf } from "./pages-support.js"
import { authFor, createLink, post, queryLink, receiver, site1 } from "./placetopay-support.js"

const serve = PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites })

describe("PlacetoPay checkout page", () => {
  it.scopedLive(
    "shows what is paid: site, reference, description, amount in its currency, expiry in the site's zone",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* serve
        const link = yield* createLink(sandbox.baseUrl, site1, {
          name: "Reserva BK-9",
          reference: "BK-9",
          description: "2 noches, habitación doble",
          expirationDate: "2099-03-04 18:30:00",
          payment: { amount: { currency: "COP", total: 480000 } }
        })
        const page = yield* open(link.url)
        expect(page.status).toBe(200)
        expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8")
        expect(page.headers.get("content-security-policy")).toContain("script-src 'none'")
        const text = textOf(page.text)
        for (const shown of [
          "Reserva BK-9",
          "Pasarela Sandbox Hotel Uno",
          "BK-9",
          "2 noches, habitación doble",
          "COP 480.000",
          "2099-03-04 18:30:00 (UTC−05:00)",
          "Pendiente de pago",
          "Sandbox de PlacetoPay",
          "4110 7600 0000 0081"
        ])
          expect(text).toContain(shown)
        expect(page.text).toContain(`<form method="post" action="${pathOf(link.url).replace(/&/g, "&#38;")}"`)
      })
  )

  it.scopedLive("in English when the link's locale is", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, {
        locale: "en_US",
        payment: { amount: { currency: "USD", total: 1250 } }
      })
      const text = textOf((yield* open(link.url)).text)
      expect(text).toContain("USD 1,250.00")
      expect(text).toContain("Awaiting payment")
      expect(text).toContain("Pay by card")
    })
  )

  it.scopedLive("paying with an approved test card records the payment, notifies, and shows its result", () =>
    Effect.gen(function* () {
      const hook = yield* receiver(200, "thanks")
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url, reference: "BK-10" })
      const paid = yield* submit(link.url, card("4110 7600 0000 0081", { holder: "Laura Pelaez Zea" }))
      expect(paid.status).toBe(303)
      const query = yield* queryLink(sandbox.baseUrl, site1, link.id)
      const [payment] = query.body.payments
      expect(payment).toMatchObject({
        status: "APPROVED",
        lastDigits: "0081",
        payer: { name: "Laura", surname: "Pelaez Zea" }
      })
      // The redirect goes to the payment's session, its processUrl.
      expect(paid.location).toBe(pathOf(payment.processUrl))
      expect(hook.received.map((n) => [n.body.status.status, n.body.reference])).toEqual([["PAID", "BK-10"]])
      const result = textOf((yield* open(payment.processUrl)).text)
      expect(result).toContain("Pago aprobado")
      expect(result).toContain("La petición ha sido aprobada exitosamente")
      expect(result).toContain("BK-10")
      // Single use: the link now says it is paid and takes no more payments.
      const after = yield* open(link.url)
      expect(textOf(after.text)).toContain("Este link ya fue pagado")
      expect(after.text).not.toContain("<form")
      const again = yield* submit(link.url, card("4110760000000081"))
      expect(again.status).toBe(409)
      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.payments).toHaveLength(1)
    })
  )

  it.scopedLive("a rejected test card is a rejected payment; the link stays payable and nothing is notified", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url })
      const paid = yield* submit(link.url, card("4005580000000040"))
      expect(paid.status).toBe(303)
      const result = textOf((yield* open(paid.location!, sandbox.baseUrl)).text)
      expect(result).toContain("Pago rechazado")
      expect(hook.received).toHaveLength(0)
      expect((yield* open(link.url)).text).toContain('id="pay"')
    })
  )

  it.scopedLive("a pending card shows pending; the session page's button plays the bank's answer", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url })
      const paid = yield* submit(link.url, card("4509564638437551"))
      const session = yield* open(paid.location!, sandbox.baseUrl)
      expect(textOf(session.text)).toContain("Pago pendiente")
      expect(session.text).toContain('id="settle"')
      expect(hook.received).toHaveLength(0)
      // The pending payment holds the single-use link's only slot.
      expect(textOf((yield* open(link.url)).text)).toContain("Hay un pago en validación")
      const settled = yield* submit(paid.location!, {}, sandbox.baseUrl)
      expect(settled.status).toBe(303)
      expect(settled.location).toBe(paid.location)
      expect(textOf((yield* open(paid.location!, sandbox.baseUrl)).text)).toContain("Pago aprobado")
      expect(hook.received.map((n) => n.body.status.status)).toEqual(["PAID"])
    })
  )

  it.scopedLive("refuses any number that is not a test card, saying this is a sandbox, and records nothing", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1)
      for (const number of ["4242 4242 4242 4242", "5500005555555559", "378282246310005"]) {
        const refused = yield* submit(link.url, card(number, { holder: "Ana Ruiz" }))
        expect(refused.status).toBe(422)
        expect(textOf(refused.text)).toContain("Esto es un sandbox: solo se aceptan las tarjetas de prueba")
        // What was typed comes back, except the card number.
        expect(refused.text).toContain('value="Ana Ruiz"')
        expect(refused.text).not.toContain(number.replace(/ /g, ""))
      }
      const bad = yield* submit(link.url, card("4110760000000082"))
      expect(textOf(bad.text)).toContain("El número de tarjeta debe tener de 13 a 19 dígitos y ser válido.")
      const noCvv = yield* submit(link.url, card("4110760000000081", { cvv: "1" }))
      expect(textOf(noCvv.text)).toContain("El CVV debe tener 3 o 4 dígitos.")
      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.payments).toEqual([])
    })
  )

  it.scopedLive("an expired or disabled link shows its state and refuses payment", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const expired = yield* createLink(sandbox.baseUrl, site1)
      yield* sandbox.expireLink(expired.id)
      const disabled = yield* createLink(sandbox.baseUrl, site1)
      expect(
        (yield* post(sandbox.baseUrl, `/api/payment-link/disable/${disabled.id}`, { auth: authFor(site1) })).status
      ).toBe(200)
      for (const [link, says] of [
        [expired, "Este link venció"],
        [disabled, "El comercio desactivó este link"]
      ] as const) {
        const page = yield* open(link.url)
        expect(textOf(page.text)).toContain(says)
        expect(page.text).not.toContain("<form")
        const refused = yield* submit(link.url, card("4110760000000081"))
        expect(refused.status).toBe(409)
        expect(textOf(refused.text)).toContain(says)
        expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.payments).toEqual([])
      }
    })
  )

  it.scopedLive("a link with several payments allowed is paid again until none is left", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { isGeneric: true, paymentsAllowed: 2 })
      expect(textOf((yield* open(link.url)).text)).toContain("2 de 2 disponibles")
      const first = yield* submit(link.url, card("4110760000000081"))
      const session = yield* open(first.location!, sandbox.baseUrl)
      expect(textOf(session.text)).toContain("Hacer otro pago")
      expect(textOf((yield* open(link.url)).text)).toContain("1 de 2 disponibles")
      expect((yield* submit(link.url, card("5367680000000005"))).status).toBe(303)
      const full = yield* open(link.url)
      expect(textOf(full.text)).toContain("Este link ya fue pagado")
      expect((yield* submit(link.url, card("4110760000000081"))).status).toBe(409)
      const payments = (yield* queryLink(sandbox.baseUrl, site1, link.id)).body.payments
      expect(payments.map((p: { lastDigits: string }) => p.lastDigits)).toEqual(["0081", "0005"])
    })
  )

  it.scopedLive("unknown links, wrong codes, unknown sessions and posts that are not forms", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1)
      for (const path of [
        `/link/show?genid=${link.id}&code=wrong`,
        "/link/show?genid=999&code=x",
        "/link/show",
        "/spa/session/84001/nope",
        "/spa/session/abc/nope"
      ]) {
        const page = yield* open(path, sandbox.baseUrl)
        expect(page.status).toBe(404)
        expect(textOf(page.text)).toContain("Link de pago no encontrado")
      }
      expect(
        (yield* submit(`/link/show?genid=${link.id}&code=wrong`, card("4110760000000081"), sandbox.baseUrl)).status
      ).toBe(404)
      const json = yield* submit(link.url, card("4110760000000081"), "", "application/json")
      expect(json.status).toBe(400)
      expect(textOf(json.text)).toContain("No se pudo leer el formulario")
      const huge = yield* submit(link.url, { ...card("4110760000000081"), holder: "x".repeat(20_000) })
      expect(huge.status).toBe(400)
      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.payments).toEqual([])
    })
  )
})
