/**
 * A guest paying PlacetoPay links in a real browser: links created through the library (the
 * Promise API), paid through the checkout page's form with each test card, the app's webhook
 * handler receiving the event, `links.get` reading the new status, the dashboard listing the
 * delivery. Headless Chromium through playwright-core; skipped (with the reason printed) without it.
 */
import { Money, RoutedId } from "@pasarela/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, expect, it } from "vitest"
import { type App, startApp } from "./App.js"
import { type Browser, describeWithBrowser, launch, navigates, recordDialogs, screenshot } from "./Chromium.js"

/** PlacetoPay's test cards (its test environment, spec §5) and what each does. */
const cards = [
  ...[
    "4110760000000081",
    "4381080000000029",
    "4111111111111111",
    "5367680000000005",
    "377222581193005",
    "36545400000008"
  ].map((n) => [n, "approved"] as const),
  ...["4110760000000016", "4005580000000040", "5367680000000013", "376651792202224", "36545400000248"].map(
    (n) => [n, "rejected"] as const
  ),
  ...["4110760000000073", "4509564638437551"].map((n) => [n, "pending, then approved"] as const),
  ...["4048370000000037", "4381080000000003"].map((n) => [n, "pending, then rejected"] as const)
]

const headings = { approved: "Pago aprobado", rejected: "Pago rechazado", pending: "Pago pendiente" }

let app: App
let browser: Browser

/** Fills the card form and submits it; resolves once the next page has loaded. */
const pay = async (page: Page, number: string, holder = "Laura Pelaez") => {
  await page.fill("#number", number)
  await page.fill("#expiry", "12/35")
  await page.fill("#cvv", "123")
  await page.fill("#holder", holder)
  await navigates(page, () => page.click("#pay"))
}

const newLink = (reference: string, extra: Record<string, unknown> = {}) =>
  app.pasarela.links.create({
    merchantId: "hotel-bogota",
    reference,
    description: "2 noches, habitación doble",
    amount: Money.make("480000", "COP"),
    expiresIn: "2 hours",
    ...extra
  })

describeWithBrowser("PlacetoPay checkout in Chromium", () => {
  beforeAll(async () => {
    app = await startApp()
    browser = await launch()
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it("pays with each test card through the form: result page, webhook, links.get, dashboard", async () => {
    const page = await browser.page()
    const dialogs = recordDialogs(page)
    const paid: Array<{ reference: string; id: string; outcome: string }> = []
    for (const [i, [number, outcome]] of cards.entries()) {
      const reference = `P2P-${i + 1}-${number.slice(-4)}`
      const link = await newLink(reference)
      await page.goto(link.url)
      if (i === 0) {
        expect(await page.textContent("#reference")).toBe(reference)
        expect(await page.textContent("#amount")).toBe("COP\u00a0480.000")
        await screenshot(page, "placetopay-checkout")
      }
      await pay(page, number)
      expect(page.url()).toMatch(/\/spa\/session\/\d+\/[0-9a-f]+$/)
      const first = outcome.startsWith("pending") ? "pending" : (outcome as "approved" | "rejected")
      expect(await page.textContent("h1")).toBe(headings[first])
      if (i === 0 || outcome !== cards[i - 1]![1]) await screenshot(page, `placetopay-result-${first}`)
      if (first === "pending") {
        // The session page plays the bank's later answer.
        await navigates(page, () => page.click("#settle"))
        expect(await page.textContent("h1")).toBe(headings[outcome.endsWith("approved") ? "approved" : "rejected"])
      }
      paid.push({ reference, id: link.id, outcome })
    }

    for (const { reference, id, outcome } of paid) {
      const link = await app.pasarela.links.get(id)
      if (outcome.endsWith("approved")) {
        const event = await app.waitForEvent((e) => e.reference === reference)
        expect(event).toMatchObject({ type: "payment.approved", provider: "placetopay", verified: true })
        expect(link.status).toBe("paid")
        expect(link.payments.at(-1)).toMatchObject({ status: "approved" })
      } else {
        // PlacetoPay notifies PAID and EXPIRED only: a rejection reaches the app through `get`.
        expect(app.events.some((e) => e.reference === reference)).toBe(false)
        expect(link.status).toBe("active")
        expect(link.payments.at(-1)).toMatchObject({ status: "declined" })
      }
    }

    await page.goto(app.sandbox.dashboardUrl)
    for (const { reference, outcome } of paid) {
      const rows = page.locator("#deliveries tbody tr", { hasText: reference })
      if (outcome.endsWith("approved")) {
        await expect(rows.count()).resolves.toBe(1)
        expect(await rows.first().textContent()).toMatch(/PAID[\s\S]*HTTP 200/)
      } else await expect(rows.count()).resolves.toBe(0)
    }
    await screenshot(page, "dashboard")
    expect(dialogs).toEqual([])
  }, 180_000)

  it("works with the keyboard alone on a phone-sized screen", async () => {
    const link = await newLink("P2P-KEYS", { description: "1 noche, habitación sencilla con vista al parque" })
    const page = await browser.page({ width: 390, height: 844 })
    await page.goto(link.url)
    // Nothing wider than the screen: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await screenshot(page, "placetopay-checkout-phone")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("number")
    await page.keyboard.type("4110 7600 0000 0081")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("expiry")
    await page.keyboard.type("12/35")
    await page.keyboard.press("Tab")
    await page.keyboard.type("123")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("holder")
    await page.keyboard.type("Laura Pelaez")
    await navigates(page, () => page.keyboard.press("Enter"))
    expect(await page.textContent("h1")).toBe("Pago aprobado")
    await app.waitForEvent((e) => e.reference === "P2P-KEYS")
    // The dashboard fits the phone too (its tables stack), and its refresh keeps the keyboard's place.
    await page.goto(app.sandbox.dashboardUrl)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await screenshot(page, "dashboard-phone")
    const checkoutLink = page.locator(`a[href="${new URL(link.url).pathname}${new URL(link.url).search}"]`)
    await checkoutLink.focus()
    const key = await checkoutLink.getAttribute("data-key")
    await newLink("P2P-KEYS-2") // changes the dashboard, so the next refresh replaces its content
    await page.waitForFunction(() => document.getElementById("live")?.textContent?.includes("P2P-KEYS-2"), undefined, {
      timeout: 10_000
    })
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-key"))).toBe(key)
    await navigates(page, () => page.keyboard.press("Enter"))
    expect(await page.textContent("#reference")).toBe("P2P-KEYS")
  }, 60_000)

  it("an expired, a disabled and a paid link show their state and refuse payment; a multi-payment link is paid again", async () => {
    const page = await browser.page()
    const expired = await newLink("P2P-EXPIRED")
    await Effect.runPromise(
      app.sandbox.placetopay.expireLink(Number(Option.getOrThrow(RoutedId.decode(expired.id)).id))
    )
    const disabled = await newLink("P2P-DISABLED")
    await app.pasarela.links.disable(disabled.id)
    const generic = await newLink("P2P-TWICE", { maxPayments: 2 })

    await page.goto(generic.url)
    expect(await page.textContent("#available")).toBe("2 de 2 disponibles")
    await pay(page, "4110760000000081")
    await navigates(page, () => page.click("#back"))
    expect(await page.textContent("#available")).toBe("1 de 2 disponibles")
    await pay(page, "5367680000000005")
    expect(await page.textContent("h1")).toBe("Pago aprobado")
    expect((await app.pasarela.links.get(generic.id)).payments.map((p) => p.lastDigits)).toEqual(["0081", "0005"])

    for (const [link, status, says] of [
      [expired, "expired", "Este link venció"],
      [disabled, "disabled", "El comercio desactivó este link"],
      [generic, "paid", "Este link ya fue pagado"]
    ] as const) {
      await page.goto(link.url)
      expect(await page.textContent("#not-payable")).toContain(says)
      await expect(page.locator("form").count()).resolves.toBe(0)
      if (status === "expired") await screenshot(page, "placetopay-expired")
      // Posting the form anyway (as a stale tab would) is refused.
      const refused = await page.evaluate(async () => {
        const response = await fetch(location.href, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "number=4110760000000081&expiry=12%2F35&cvv=123&holder=Laura"
        })
        return response.status
      })
      expect(refused).toBe(409)
      expect((await app.pasarela.links.get(link.id)).status).toBe(status)
    }
    expect((await app.pasarela.links.get(expired.id)).payments).toEqual([])
  }, 60_000)

  it("a number that is not a test card is refused on the page, saying this is a sandbox", async () => {
    const link = await newLink("P2P-REAL-CARD")
    const page = await browser.page()
    await page.goto(link.url)
    await page.fill("#number", "4242 4242 4242 4242")
    await page.fill("#expiry", "12/35")
    await page.fill("#cvv", "123")
    await page.fill("#holder", "Laura Pelaez")
    await navigates(page, () => page.click("#pay"))
    expect(await page.textContent("#form-error")).toContain("Esto es un sandbox")
    // The number is not kept, even in the form shown again.
    expect(await page.inputValue("#number")).toBe("")
    expect(await page.content()).not.toContain("4242424242424242")
    await screenshot(page, "placetopay-real-card-refused")
    expect((await app.pasarela.links.get(link.id)).payments).toEqual([])
  }, 60_000)

  it("a hostile description and reference render as text: no script runs on any page", async () => {
    const reference = '"><img src=x onerror=alert(1)>'
    const description = '<script>alert(2)</script>"><img src=x onerror="window.__ran=1">'
    const link = await newLink(reference, { description, title: "<script>alert(3)</script>" })
    const page = await browser.page()
    const dialogs = recordDialogs(page)
    const inert = async () => {
      await expect(page.locator("img").count()).resolves.toBe(0)
      expect(await page.evaluate(() => (window as { __ran?: number }).__ran)).toBeUndefined()
      expect(await page.evaluate(() => [...document.scripts].every((s) => !s.textContent?.includes("alert")))).toBe(
        true
      )
    }
    await page.goto(link.url)
    expect(await page.textContent("#reference")).toBe(reference)
    expect(await page.textContent("#description")).toBe(description)
    expect(await page.textContent("h1")).toBe("<script>alert(3)</script>")
    await inert()
    await pay(page, "4110760000000081")
    expect(await page.textContent("#description")).toBe(description)
    await inert()
    await app.waitForEvent((e) => e.reference === reference)
    await page.goto(app.sandbox.dashboardUrl)
    await expect(page.locator("#deliveries tbody tr", { hasText: reference }).count()).resolves.toBe(1)
    await inert()
    // A refresh puts the same escaped markup in place: still nothing runs.
    await page.waitForTimeout(2_500)
    await inert()
    expect(dialogs).toEqual([])
  }, 60_000)
})
