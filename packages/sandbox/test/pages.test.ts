/**
 * The pages as pure functions of snapshots: escaping (every value, in text and in attributes),
 * amounts, and what each state shows. Hostile descriptions and references must come out as text.
 */
import { describe, expect, it } from "@effect/vitest"
import * as AutocorePages from "../src/autocore/Pages.js"
import * as DashboardPage from "../src/dashboard/Page.js"
import type { AutocoreSandbox } from "../src/index.js"
import { formatAmount } from "../src/pages/Amount.js"
import { parseForm } from "../src/pages/Form.js"
import { contentSecurityPolicy, document, escapeText, html, safeHref, trusted } from "../src/pages/Html.js"
import * as PlacetoPayPages from "../src/placetopay/Pages.js"
import type { LinkView, PaymentView } from "../src/placetopay/Wire.js"
import { textOf } from "./pages-support.js"

const SCRIPT = "<script>alert(1)</script>"
const IMG = '"><img src=x onerror=alert(2)>'
const HOSTILE = `${SCRIPT} ${IMG} & 'quoted' \`tick\``

/** Names of every element and attribute in the markup (values skipped whole, quoted as ours always are). */
const elementsAndAttributes = (markup: string) => {
  const elements: Array<string> = []
  const attributes: Array<string> = []
  for (const tag of markup.matchAll(
    /<([a-zA-Z][\w-]*)((?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g
  )) {
    elements.push(tag[1]!.toLowerCase())
    for (const attribute of tag[2]!.matchAll(/\s+([^\s"'=<>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g))
      attributes.push(attribute[1]!.toLowerCase())
  }
  return { elements, attributes }
}

/** The page holds the hostile text as text: no element or attribute of it survives. */
const expectInert = (markup: string) => {
  const { elements, attributes } = elementsAndAttributes(markup)
  expect(elements).not.toContain("img")
  expect(attributes.filter((a) => a.startsWith("on"))).toEqual([])
  expect(markup).not.toContain("<script>alert")
  expect(textOf(markup)).toContain(HOSTILE)
}

const payment = (overrides: Partial<PaymentView> = {}): PaymentView => ({
  id: 1,
  requestId: 84001,
  status: "APPROVED",
  message: "La petición ha sido aprobada exitosamente",
  processUrl: "http://127.0.0.1:4010/spa/session/84001/abc",
  amount: { currency: "COP", total: "120000" },
  receipt: "99434901",
  franchise: "CR_VS",
  paymentMethod: "visa",
  paymentDate: "2026-01-27T10:15:00-05:00",
  internalReference: 434901,
  authorization: "000000",
  issuerName: "JPMORGAN CHASE BANK, N.A.",
  merchantCode: "000001001",
  terminalNumber: "00022645",
  installments: 1,
  lastDigits: "0081",
  payer: {
    name: "Laura",
    surname: "Pelaez",
    email: "laura@example.com",
    phone: "+573000000000",
    document: "1",
    documentType: "CC"
  },
  ...overrides
})

const linkView = (overrides: Partial<LinkView> = {}): LinkView => ({
  id: 7,
  status: "ACTIVE",
  url: "http://127.0.0.1:4010/link/show?genid=7&code=c0de",
  expirationDate: "2099-01-01 10:00:00",
  name: HOSTILE,
  reference: HOSTILE,
  description: HOSTILE,
  totalPayments: 1,
  availablePayments: 1,
  paymentExpiration: 15,
  amount: { currency: "COP", total: 120000, taxes: [] },
  site: { id: 1001, name: "Hotel Uno" },
  notificationUrl: null,
  locale: "es_CO",
  allowedPaymentMethods: [],
  metadata: {},
  payments: [],
  isGeneric: false,
  skipResult: false,
  recipients: [],
  ...overrides
})

const site = { name: HOSTILE, timeZoneOffset: "-05:00" }

const autocoreLink = (overrides: Partial<AutocoreSandbox.LinkSnapshot> = {}): AutocoreSandbox.LinkSnapshot => ({
  code: "abc123def456",
  kind: "link",
  url: "http://127.0.0.1:4010/__sandbox/autocore/app/payment/hotel_abc/abc123def456",
  hotelId: 5,
  hotelName: HOSTILE,
  company: "Company Example",
  amount: 1350000,
  currency: "COP",
  description: HOSTILE,
  guestName: HOSTILE,
  email: "laura@example.com",
  source: null,
  externalRefId: HOSTILE,
  reservationId: null,
  tempWebhookUrl: "http://127.0.0.1:8787/webhooks/hotel/autocore?pasarela_token=abcdefghijklmnop",
  availableHours: 24,
  installments: 1,
  allowedPaymentOptions: null,
  bookingDates: null,
  successUrl: "javascript:alert(3)",
  failureUrl: "https://merchant.example/failed",
  createdAt: "2026-01-27T15:00:00.000Z",
  expiresAt: "2026-01-28T15:00:00.000Z",
  status: "active",
  paidAt: null,
  attempts: [],
  ...overrides
})

describe("Html", () => {
  it("escapes every interpolated value, in text and in attributes", () => {
    const value = `"'<>&\``
    expect(html`<p title="${value}">${value}</p>`.text).toBe(
      '<p title="&#34;&#39;&#60;&#62;&#38;&#96;">&#34;&#39;&#60;&#62;&#38;&#96;</p>'
    )
    expect(escapeText(IMG)).not.toContain("<")
  })

  it("keeps markup built by html or trusted, joins arrays, drops null, undefined and false", () => {
    const inner = html`<b>${"<i>"}</b>`
    expect(html`<p>${inner}${[html`<br>`, "<x>"]}${null}${undefined}${false}${0}</p>`.text).toBe(
      "<p><b>&#60;i&#62;</b><br>&#60;x&#62;0</p>"
    )
    expect(html`${trusted("<hr>")}`.text).toBe("<hr>")
  })

  it("an object that only looks like markup is escaped like any value", () => {
    const forged = { _tag: "Html", text: SCRIPT } as unknown as string
    expect(String(forged)).toBe("[object Object]")
    expect(html`${forged}`.text).not.toContain("<script>")
  })

  it("safeHref keeps http(s) URLs and local paths, nothing else", () => {
    expect(safeHref("https://merchant.example/ok?a=1")).toBe("https://merchant.example/ok?a=1")
    expect(safeHref("/link/show?genid=1")).toBe("/link/show?genid=1")
    for (const bad of [
      "javascript:alert(1)",
      " javascript:alert(1)",
      "data:text/html,x",
      "//evil.example/x",
      "not a url"
    ])
      expect(safeHref(bad)).toBe("#")
  })

  it("every page allows no script but its own, no assets from elsewhere, forms only to itself", () => {
    expect(contentSecurityPolicy(undefined)).toContain("script-src 'none'")
    const policy = contentSecurityPolicy("console.log(1)")
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/)
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("form-action 'self'")
    const page = document({ lang: "es", title: HOSTILE, banner: HOSTILE, body: html`${HOSTILE}` }).text
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">')
    const { elements, attributes } = elementsAndAttributes(page)
    expect(elements.filter((e) => ["link", "img", "iframe", "object", "embed"].includes(e))).toEqual([])
    expect(attributes.filter((a) => a === "src" || a === "srcset")).toEqual([])
    expect(page).not.toMatch(/@import|url\(/)
    expectInert(page)
  })

  it("reads only the first value of each form field, and nothing from the prototype", () => {
    const fields = parseForm("number=4111+1111&number=5&holder=Ana%20Ruiz&__proto__=x")
    expect(fields.number).toBe("4111 1111")
    expect(fields.holder).toBe("Ana Ruiz")
    expect(Object.getPrototypeOf(fields)).toBe(null)
  })
})

describe("formatAmount", () => {
  it("formats for the currency and locale, from the exact value", () => {
    expect(formatAmount(480000, "COP", "es-CO")).toBe("COP\u00a0480.000")
    expect(formatAmount(1250, "USD", "en-US")).toBe("USD\u00a01,250.00")
    expect(formatAmount(1250.5, "USD", "es-CO")).toBe("USD\u00a01.250,50")
    // A fraction the currency does not usually show is shown, not rounded away.
    expect(formatAmount("85000.5", "COP", "es-CO")).toBe("COP\u00a085.000,5")
    expect(formatAmount("9007199254740993", "COP", "es-CO")).toBe("COP\u00a09.007.199.254.740.993")
    expect(formatAmount(10, "XYZ1", "es-CO")).toBe("10 XYZ1")
  })
})

describe("PlacetoPay pages", () => {
  it("render a hostile name, reference, description and site name as text", () => {
    const checkout = document(PlacetoPayPages.checkoutPage(linkView(), site, { error: HOSTILE, holder: HOSTILE })).text
    expectInert(checkout)
    expect(checkout).toContain('<form method="post" action="/link/show?genid=7&#38;code=c0de"')
    const session = document(
      PlacetoPayPages.sessionPage(
        linkView({ payments: [payment({ message: HOSTILE })] }),
        site,
        payment({ message: HOSTILE })
      )
    ).text
    expectInert(session)
  })

  it("say why a link takes no payment, and paid wins over expired and disabled", () => {
    const paid = [payment()]
    const cases: ReadonlyArray<[Partial<LinkView>, PlacetoPayPages.LinkState]> = [
      [{}, "active"],
      [{ payments: paid }, "paid"],
      [{ payments: paid, status: "EXPIRED" }, "paid"],
      [{ payments: paid, status: "INACTIVE" }, "paid"],
      [{ status: "EXPIRED" }, "expired"],
      [{ status: "INACTIVE" }, "disabled"],
      [{ payments: [payment({ status: "PENDING" })] }, "pending"],
      [{ payments: [payment({ status: "REJECTED" })] }, "active"],
      [{ isGeneric: true, totalPayments: null, availablePayments: null, payments: paid }, "active"]
    ]
    for (const [overrides, state] of cases) {
      const link = linkView(overrides)
      expect(PlacetoPayPages.linkState(link)).toBe(state)
      const page = document(PlacetoPayPages.checkoutPage(link, site)).text
      expect(page.includes("<form")).toBe(state === "active")
    }
  })

  it("a pending payment's session page has the button that settles it; others do not", () => {
    const pending = payment({ status: "PENDING", receipt: null, authorization: null })
    const page = document(PlacetoPayPages.sessionPage(linkView({ payments: [pending] }), site, pending)).text
    expect(page).toContain('<form method="post" action="/spa/session/84001/abc"><button type="submit" id="settle">')
    expect(document(PlacetoPayPages.sessionPage(linkView(), site, payment())).text).not.toContain('id="settle"')
  })
})

describe("Autocore pages", () => {
  it("render hostile values as text, and never a javascript: redirect", () => {
    const approved = {
      outcome: "approved" as const,
      settlesTo: null,
      transactionId: "t-1",
      voucherNumber: 481,
      at: "2026-01-27T15:00:00.000Z"
    }
    const page = document(
      AutocorePages.linkPage({
        link: autocoreLink({ status: "paid", attempts: [approved] }),
        path: "/__sandbox/autocore/app/payment/hotel_abc/abc123def456",
        attempt: approved,
        form: { error: HOSTILE, holder: HOSTILE }
      })
    ).text
    expectInert(page)
    expect(page).not.toContain("javascript:")
    expect(page).toContain('id="continue" href="#"')
    const form = document(AutocorePages.linkPage({ link: autocoreLink(), path: "/p", form: { holder: HOSTILE } })).text
    expectInert(form)
    expect(form).toContain('value="&#60;script&#62;alert(1)&#60;/script&#62; &#34;&#62;&#60;img')
  })

  it("a link with a payment in process shows it, with the button that settles it, and no card form", () => {
    const pending = {
      outcome: "in_process" as const,
      settlesTo: "approved" as const,
      transactionId: "t-2",
      voucherNumber: 482,
      at: "2026-01-27T15:00:00.000Z"
    }
    const page = document(AutocorePages.linkPage({ link: autocoreLink({ attempts: [pending] }), path: "/p" })).text
    expect(textOf(page)).toContain("Pago en proceso")
    expect(page).toContain('<form method="post" action="/p/settle"><button type="submit" id="settle">')
    expect(page).not.toContain('id="pay"')
    const expired = document(AutocorePages.linkPage({ link: autocoreLink({ status: "expired" }), path: "/p" })).text
    expect(textOf(expired)).toContain("Este link venció")
    expect(expired).not.toContain("<form")
  })

  it("a cash order's checkout renders hostile values as text", () => {
    const order: AutocoreSandbox.OrderSnapshot = {
      transactionId: "453593318",
      apmDetailId: 75,
      voucherNumber: 481,
      refNumber: HOSTILE,
      externalRefId: HOSTILE,
      hotelId: 103,
      hotelName: HOSTILE,
      company: HOSTILE,
      amount: 123000,
      detail: HOSTILE,
      paymentType: HOSTILE,
      userType: "N",
      fiscalNumberType: "CC",
      responseUrl: "javascript:alert(4)",
      checkoutUrl: "http://127.0.0.1:4010/__sandbox/autocore/app/checkout/cash/453593318",
      tempWebhookUrl: null,
      status: "pending",
      createdAt: "2026-01-27T15:00:00.000Z",
      paidAt: null
    }
    const page = document(AutocorePages.cashPage({ order, path: "/c" })).text
    expectInert(page)
    expect(page).toContain('id="paid-at-store"')
    const done = document(
      AutocorePages.cashPage({ order: { ...order, status: "applied" }, path: "/c", justDone: true })
    ).text
    expect(done).not.toContain("javascript:")
    expect(textOf(done)).toContain("Pago recibido")
  })
})

describe("the dashboard", () => {
  const delivery = (attempt: number, status: number | null, at: string): AutocoreSandbox.WebhookDelivery => ({
    deliveryId: 1,
    url: "http://127.0.0.1:8787/webhooks/hotel/autocore?pasarela_kind=link&pasarela_token=abcdefghijklmnop",
    body: { external_ref_id: HOSTILE, details: { type: "link", status_code: "applied" } },
    attempt,
    status,
    error: status === null ? "connection refused" : null,
    at,
    responseBody: status === null ? null : HOSTILE
  })

  const view = (deliveries: ReadonlyArray<AutocoreSandbox.WebhookDelivery>): DashboardPage.View => ({
    nowMs: Date.parse("2026-01-27T15:10:00.000Z"),
    placetopay: {
      sites: [{ id: 1001, name: HOSTILE }],
      links: [{ ...linkView(), siteId: 1001 }],
      deliveries: [
        {
          linkId: 7,
          url: "http://127.0.0.1:8787/webhooks/hotel/placetopay",
          body: {
            status: { status: "PAID", reason: 200, message: HOSTILE, date: "2026-01-27T10:00:00-05:00" },
            linkId: 7,
            reference: HOSTILE,
            signature: "ab"
          },
          responseStatus: 200,
          error: null,
          at: "2026-01-27T15:00:00.000Z",
          responseBody: HOSTILE
        }
      ]
    },
    autocore: {
      hotels: [{ id: 5, name: "Hotel ABC", currency: "COP", slug: "hotel_abc" }],
      state: { links: [autocoreLink()], charges: [], orders: [], giftCards: [] },
      deliveries,
      retryIntervalMs: 30 * 60_000,
      maxAttempts: undefined
    }
  })

  it("lists every attempt with its time, answer and body, hostile values as text, tokens shortened", () => {
    const page = document(
      DashboardPage.dashboardPage(
        view([delivery(1, 500, "2026-01-27T15:01:00.000Z"), delivery(2, null, "2026-01-27T15:31:00.000Z")])
      )
    ).text
    expectInert(page)
    const text = textOf(page)
    expect(text).toContain("2026-01-27 15:00:00 UTC PlacetoPay link 7 PAID")
    expect(text).toContain("HTTP 500")
    expect(text).toContain("no answer: connection refused")
    expect(text).toContain("next attempt 2026-01-27 16:01:00 UTC")
    expect(text).toContain("pasarela_token=abcd…")
    expect(page).not.toContain("abcdefghijklmnop")
    expect(page).toContain('href="/link/show?genid=7&#38;code=c0de"')
    expect(page).toContain('href="/__sandbox/autocore/app/payment/hotel_abc/abc123def456"')
  })

  it("a delivered webhook is marked delivered and has no next attempt", () => {
    const text = textOf(
      DashboardPage.fragment(
        view([delivery(1, 503, "2026-01-27T15:01:00.000Z"), delivery(2, 200, "2026-01-27T15:31:00.000Z")])
      ).text
    )
    expect(text).toContain("2 (delivered)")
    expect(text).not.toContain("next attempt")
  })

  it("masks authenticating query values only", () => {
    expect(DashboardPage.maskUrl("http://h/w?pasarela_kind=link&pasarela_token=abcdefgh&x=1")).toBe(
      "http://h/w?pasarela_kind=link&pasarela_token=abcd…&x=1"
    )
    expect(DashboardPage.maskUrl("http://h/w?api_key=123456789")).toBe("http://h/w?api_key=1234…")
  })
})
