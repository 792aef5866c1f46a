/**
 * A guest on Autocore's hosted pages in a real browser: a payment link paid with each test card, a
 * gift card bought through its link, a cash order completed at its checkout_url, a pending card
 * charge settled from the dashboard — each created through the library (the Promise API) and each
 * ending in Autocore's webhook at the app's handler, re-delivered until the app answers 200, and
 * listed on the dashboard. Headless Chromium through playwright-core; skipped without it.
 */
import { Card, Money } from "@pasarela/core"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, expect, it } from "vitest"
import { type App, startApp } from "./App.js"
import { type Browser, describeWithBrowser, launch, navigates, recordDialogs, screenshot } from "./Chromium.js"

let app: App
let browser: Browser

const guest = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }

const pay = async (page: Page, number: string) => {
  await page.fill("#number", number)
  await page.fill("#expiry", "12/35")
  await page.fill("#cvv", "123")
  await page.fill("#holder", "Laura Pelaez")
  await navigates(page, () => page.click("#pay"))
}

const newLink = (reference: string, description = "3 noches, vista al mar") =>
  app.pasarela.links.create({
    merchantId: "hotel-cartagena",
    reference,
    description,
    amount: Money.make("1350000", "COP"),
    payer: guest,
    expiresIn: "24 hours"
  })

/** The dashboard's rows for `reference`'s deliveries, as text. */
const deliveryRows = async (page: Page, reference: string) => {
  await page.goto(app.sandbox.dashboardUrl)
  return page.locator("#deliveries tbody tr", { hasText: reference }).allInnerTexts()
}

describeWithBrowser("Autocore hosted pages in Chromium", () => {
  beforeAll(async () => {
    app = await startApp({ autocoreRetry: "500 millis" })
    browser = await launch()
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it("pays a link with each test card through the form; each ends in the app's webhook", async () => {
    const page = await browser.page()
    const dialogs = recordDialogs(page)
    const cases = [
      ["4111111111111111", ["payment.approved"], "Pago aprobado"],
      ["1111111111111111", ["payment.declined"], "Pago rechazado"],
      ["36417002140808", ["payment.pending", "payment.approved"], "Pago aprobado"],
      ["5555555555554444", ["payment.pending", "payment.declined"], "Pago rechazado"]
    ] as const
    for (const [i, [number, events, final]] of cases.entries()) {
      const reference = `AC-${i + 1}-${number.slice(-4)}`
      const link = await newLink(reference)
      await page.goto(link.url)
      expect(await page.textContent("#reference")).toBe(reference)
      if (number === "4111111111111111") await screenshot(page, "autocore-link")
      await pay(page, number)
      if (events.length === 2) {
        expect(await page.textContent("#result h2")).toBe("Pago en proceso")
        await app.waitForEvent((e) => e.reference === reference && e.type === "payment.pending")
        if (number === "36417002140808") await screenshot(page, "autocore-link-in-process")
        await navigates(page, () => page.click("#settle"))
      }
      expect(await page.textContent("#result h2")).toBe(final)
      if (i < 2) await screenshot(page, `autocore-link-result-${i === 0 ? "approved" : "declined"}`)
      await app.waitForEvent((e) => e.reference === reference && e.type === events.at(-1))
      expect(app.events.filter((e) => e.reference === reference).map((e) => e.type)).toEqual(events)
      expect(app.events.find((e) => e.reference === reference)).toMatchObject({
        provider: "autocore",
        merchantId: "hotel-cartagena",
        subject: { kind: "link" },
        verified: true
      })
      const rows = await deliveryRows(page, reference)
      expect(rows).toHaveLength(events.length)
      for (const row of rows) expect(row).toContain("HTTP 200")
    }
    expect(dialogs).toEqual([])
  }, 120_000)

  it("buys a gift card through its link: the card activates and the app hears of it", async () => {
    const card = await app.pasarela.giftCards.create({
      merchantId: "hotel-cartagena",
      reference: "GC-BROWSER-1",
      amount: Money.make("200000", "COP"),
      sender: {
        name: "Laura Pelaez",
        email: "laura@example.com",
        phone: { callingCode: "+57", number: "3001234567" },
        address: "Calle 1 # 2-3",
        document: { type: "CC", number: "1020304050" }
      },
      recipient: { name: "Andrés Zea", email: "andres@example.com" },
      note: "¡Feliz cumpleaños!",
      returnUrls: { success: "https://hotel.example/gift/ok", failure: "https://hotel.example/gift/ko" }
    })
    expect(card.status).toBe("pending_payment")
    const page = await browser.page()
    await page.goto(card.paymentLink.url)
    expect(await page.textContent("h1")).toBe("Tarjeta de regalo")
    expect(await page.textContent("#recipient")).toBe("Andrés Zea")
    expect(await page.textContent("#description")).toBe("¡Feliz cumpleaños!")
    await screenshot(page, "autocore-gift-card")
    await pay(page, "4111 1111 1111 1111")
    expect(await page.textContent("#result h2")).toBe("Pago aprobado")
    expect(await page.getAttribute("#continue", "href")).toBe("https://hotel.example/gift/ok")
    const event = await app.waitForEvent((e) => e.reference === "GC-BROWSER-1")
    expect(event).toMatchObject({ type: "payment.approved", subject: { kind: "giftCard", id: card.code } })
    await page.goto(app.sandbox.dashboardUrl)
    const row = await page.locator("#autocore-gift-cards tbody tr", { hasText: card.code }).textContent()
    expect(row).toContain("active")
    expect((await deliveryRows(page, "GC-BROWSER-1")).join("\n")).toContain("HTTP 200")
  }, 60_000)

  it("completes a cash order at its checkout; the webhook is re-delivered until the app answers 200", async () => {
    const order = await app.pasarela.orders.create({
      merchantId: "hotel-cartagena",
      reference: "CASH-BROWSER-1",
      description: "Saldo de la reserva CTG-2001",
      amount: Money.make("350000", "COP"),
      payer: {
        ...guest,
        phone: { callingCode: "+57", number: "3001234567" },
        document: { type: "CC", number: "1020304050" },
        address: "Calle 1 # 2-3",
        ip: "181.204.153.195"
      },
      method: "efecty",
      personType: "N",
      returnUrl: "https://hotel.example/cash/back"
    })
    // The app fails the first delivery (a bug, a deploy): Autocore keeps re-delivering.
    app.failNext("CASH-BROWSER-1", 1)
    const page = await browser.page()
    await page.goto(order.checkoutUrl)
    expect(await page.textContent("#method")).toBe("Efecty")
    expect(await page.textContent("#instructions")).toContain("punto Efecty")
    expect(await page.textContent("#payment-code")).toBe(order.id)
    await screenshot(page, "autocore-cash-checkout")
    await navigates(page, () => page.click("#paid-at-store"))
    expect(await page.textContent("#result h2")).toBe("Pago recibido")
    await screenshot(page, "autocore-cash-paid")
    const event = await app.waitForEvent((e) => e.reference === "CASH-BROWSER-1")
    expect(event).toMatchObject({ type: "payment.approved", subject: { kind: "order", id: order.id } })
    const rows = await deliveryRows(page, "CASH-BROWSER-1")
    // Newest first: the re-delivery the app accepted, then the first attempt it failed.
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/2 \(delivered\)[\s\S]*HTTP 200/)
    expect(rows[1]).toMatch(/HTTP 500/)
    await screenshot(page, "dashboard-retry")
  }, 60_000)

  it("settles a pending card charge from the dashboard", async () => {
    const charge = await app.pasarela.charges.create({
      merchantId: "hotel-cartagena",
      reference: "FD-BROWSER-1",
      description: "Minibar",
      amount: Money.make("85000", "COP"),
      payer: guest,
      card: Card.make({ number: "36417002140808", cvv: "123", expiryMonth: 12, expiryYear: 2035, holderName: "LAURA" })
    })
    expect(charge.outcome).toBe("pending")
    const page = await browser.page()
    await page.goto(app.sandbox.dashboardUrl)
    const row = page.locator("#autocore-charges tbody tr", { hasText: "FD-BROWSER-1" })
    expect(await row.textContent()).toContain("in_process")
    await navigates(page, () => row.locator("button").click())
    expect(new URL(page.url()).pathname).toBe("/")
    const event = await app.waitForEvent((e) => e.reference === "FD-BROWSER-1")
    expect(event).toMatchObject({ type: "payment.approved", subject: { kind: "charge", id: charge.id } })
    expect(await page.locator("#autocore-charges tbody tr", { hasText: "FD-BROWSER-1" }).textContent()).toContain(
      "applied"
    )
    expect((await deliveryRows(page, "FD-BROWSER-1")).join("\n")).toContain("HTTP 200")
  }, 60_000)

  it("refuses a real-looking card; a hostile description and reference render as text", async () => {
    const reference = '"><img src=x onerror=alert(1)>'
    const description = '<script>alert(2)</script>"><img src=x onerror="window.__ran=1">'
    const link = await newLink(reference, description)
    const page = await browser.page()
    const dialogs = recordDialogs(page)
    await page.goto(link.url)
    expect(await page.textContent("#reference")).toBe(reference)
    expect(await page.textContent("#description")).toBe(description)
    await page.fill("#number", "5500 0055 5555 5559")
    await page.fill("#expiry", "12/35")
    await page.fill("#cvv", "123")
    await page.fill("#holder", description)
    await navigates(page, () => page.click("#pay"))
    expect(await page.textContent("#form-error")).toContain("Esto es un sandbox")
    expect(await page.inputValue("#holder")).toBe(description)
    await screenshot(page, "autocore-real-card-refused")
    await pay(page, "4111111111111111")
    await app.waitForEvent((e) => e.reference === reference)
    await page.goto(app.sandbox.dashboardUrl)
    await expect(page.locator("#autocore-links tbody tr", { hasText: reference }).count()).resolves.toBe(1)
    await expect(page.locator("img").count()).resolves.toBe(0)
    expect(await page.evaluate(() => (window as { __ran?: number }).__ran)).toBeUndefined()
    expect(dialogs).toEqual([])
  }, 60_000)
})
