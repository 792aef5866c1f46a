/** The dashboard at the sandbox's root, over loopback HTTP. */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { AutocoreSandbox, PlacetoPaySandbox, Sandbox } from "../src/index.js"
import { apiKeyHeaders, call, linkBody } from "./autocore-support.js"
import { card, open, submit, textOf } from "./pages-support.js"
import { createLink, receiver, site1 } from "./placetopay-support.js"

describe("the dashboard", () => {
  it.scopedLive("lists both gateways' records and each delivery with its answer, and refreshes by itself", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.serve()
      expect(sandbox.dashboardUrl).toBe(`${sandbox.baseUrl}/`)
      const empty = yield* open(sandbox.dashboardUrl)
      expect(empty.status).toBe(200)
      expect(textOf(empty.text)).toContain("Nothing sent yet")
      // Its one script is allowed by hash; nothing else may run.
      expect(empty.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[^']+'/)
      expect(empty.text).toContain('<input type="checkbox" id="auto" checked>')

      const hook = yield* receiver(500, "booking not found")
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url, reference: "BK-DASH" })
      yield* submit(link.url, card("4110760000000081"))
      const autocore = yield* call(sandbox.baseUrl, "POST", "/v2/links/schedule/", {
        headers: apiKeyHeaders(),
        body: linkBody({ external_ref_id: "BK-AC-DASH", temp_webhook_url: "http://127.0.0.1:9/refused" })
      })
      expect(autocore.status).toBe(200)

      const page = textOf((yield* open(sandbox.dashboardUrl)).text)
      expect(page).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC PlacetoPay link \d+ PAID BK-DASH/)
      expect(page).toContain("HTTP 500")
      expect(page).toContain("booking not found")
      expect(page).toContain("BK-AC-DASH")
      expect(page).toContain("Open checkout")
      expect(page).toContain("Open pay page")
      // The part the page fetches to refresh: the same content, no document around it.
      const fragment = yield* open("/__sandbox/dashboard", sandbox.baseUrl)
      expect(fragment.status).toBe(200)
      expect(fragment.text.startsWith('<p class="muted" id="updated">')).toBe(true)
      expect(textOf(fragment.text)).toContain("booking not found")
    })
  )

  it.scopedLive("each simulator served alone has its own at its root; other paths keep its 404", () =>
    Effect.gen(function* () {
      const placetopay = yield* PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites })
      const alone = textOf((yield* open("/", placetopay.baseUrl)).text)
      expect(alone).toContain("PlacetoPay links")
      expect(alone).not.toContain("Autocore links")
      const missing = yield* open("/nope", placetopay.baseUrl)
      expect(missing.status).toBe(404)
      expect(JSON.parse(missing.text).status.message).toBe("Resource not found")

      const autocore = yield* AutocoreSandbox.serve({ accounts: AutocoreSandbox.defaultAccounts })
      const other = textOf((yield* open("/", autocore.baseUrl)).text)
      expect(other).toContain("Autocore links")
      expect(other).not.toContain("PlacetoPay links")
      const gone = yield* open("/nope", autocore.baseUrl)
      expect(gone.status).toBe(404)
      expect(JSON.parse(gone.text)).toMatchObject({ code: 404, message: "Error http: 404" })
    })
  )
})
