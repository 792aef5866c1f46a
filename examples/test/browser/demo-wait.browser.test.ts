/**
 * `pnpm demo --wait` with a person as the guest: the demo prints the two checkout URLs and waits;
 * the links are paid in Chromium (a declined card first, then a good one), and the demo goes on
 * as `pnpm demo` does.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, expect, it } from "vitest"
import { run } from "../../demo.js"
import { type Browser, describeWithBrowser, launch, navigates } from "./Chromium.js"

let browser: Browser

const pay = async (page: Page, url: string, number: string) => {
  await page.goto(url)
  await page.fill("#number", number)
  await page.fill("#expiry", "12/35")
  await page.fill("#cvv", "123")
  await page.fill("#holder", "Laura Pelaez")
  await navigates(page, () => page.click("#pay"))
}

const until = async (done: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  if (!done()) throw new Error(`timed out waiting for ${what}`)
}

describeWithBrowser("the demo, waiting for a person", () => {
  beforeAll(async () => {
    browser = await launch()
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
  })

  it("prints the checkout URLs, waits until both are paid in a browser, then goes on", async () => {
    const printed: Array<string> = []
    const demo = Effect.runFork(run({ wait: true, print: (line) => Effect.sync(() => void printed.push(line)) }))
    try {
      await until(() => printed.some((line) => line.includes("Waiting for both payments")), "the demo to wait")
      const urls = printed.filter((line) => line.startsWith("link ")).map((line) => line.split(" → ")[1]!)
      expect(urls).toHaveLength(2)
      expect(printed.join("\n")).toMatch(
        /Dashboard \(every webhook delivery and what this app answered\): http:\/\/127\.0\.0\.1:\d+\//
      )

      const page = await browser.page()
      // A rejected card: PlacetoPay notifies nothing, the demo keeps waiting.
      await pay(page, urls[0]!, "4005580000000040")
      expect(await page.textContent("h1")).toBe("Pago rechazado")
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(printed.some((line) => line.startsWith("event"))).toBe(false)
      await pay(page, urls[0]!, "4110760000000081")
      expect(await page.textContent("h1")).toBe("Pago aprobado")
      // A declined card on Autocore is notified: the demo shows it and keeps waiting.
      await pay(page, urls[1]!, "1111111111111111")
      await pay(page, urls[1]!, "4111111111111111")

      const summary = await Effect.runPromise(Fiber.join(demo))
      const text = summary.lines.join("\n")
      expect(text).toContain("event    hotel-bogota from placetopay: payment.approved BK-BOG-1001 (verified)")
      expect(text).toContain("event    hotel-cartagena from autocore: payment.declined BK-CTG-2001 (verified)")
      expect(text).toContain("event    hotel-cartagena from autocore: payment.approved BK-CTG-2001 (verified)")
      expect(text).toContain("status   BK-BOG-1001 on PlacetoPay is now paid")
      expect(text).toContain("event    hotel-cartagena from autocore: payment.approved FD-3003 (settled)")
      expect(summary.lines).toEqual(printed.filter((line) => !line.startsWith("\n")))
    } finally {
      await Effect.runPromise(Fiber.interrupt(demo))
    }
  }, 90_000)
})
