/**
 * Fallback routing from configuration, over real loopback HTTP: a hotel whose fallback is another
 * PlacetoPay site (on a second sandbox, so both sites number their links from 1 and the provider's
 * own ids collide), and a hotel whose fallback is another provider.
 */
import { describe, expect, it } from "@effect/vitest"
import { Money, PaymentLinks, Router } from "@pasarela/core"
import { Webhooks as PlacetoPayWebhooks } from "@pasarela/placetopay"
import { PlacetoPaySandbox } from "@pasarela/sandbox"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Pasarela } from "pasarela"

const [siteA, siteB] = PlacetoPaySandbox.defaultSites as [PlacetoPaySandbox.Site, PlacetoPaySandbox.Site]

const env = { SITE_A_SECRET: siteA.secretKey, SITE_B_SECRET: siteB.secretKey }

const placetopay = (site: PlacetoPaySandbox.Site, baseUrl: string, secret: string) => ({
  provider: "placetopay",
  options: { login: site.login, baseUrl },
  secrets: { secretKey: secret }
})

const input = (reference: string) => ({
  merchantId: "hotel-f",
  reference,
  description: "2 nights",
  amount: Money.make("120000", "COP")
})

/** The routed services from `config`, with the secrets above. */
const build = (config: unknown) =>
  Layer.build(Pasarela.layer(config)).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
    Effect.map((context) => Context.get(context, PaymentLinks))
  )

/** The primary site refuses the next create with a 503: nothing was created, so the fallback is tried. */
const primaryDownOnce = (sandbox: PlacetoPaySandbox.PlacetoPaySandbox) =>
  Effect.orDie(sandbox.faults.inject({ route: "links.create", fault: { kind: "status", status: 503 } }))

describe("fallback routing", () => {
  it.scoped("a fallback on another site of the same provider: get and disable reach the site that made the link", () =>
    Effect.gen(function* () {
      const a = yield* PlacetoPaySandbox.serve({ sites: [siteA] })
      const b = yield* PlacetoPaySandbox.serve({ sites: [siteB] })
      const links = yield* build({
        merchants: {
          "hotel-f": {
            ...placetopay(siteA, a.baseUrl, "SITE_A_SECRET"),
            fallback: placetopay(siteB, b.baseUrl, "SITE_B_SECRET")
          }
        }
      })

      const onPrimary = yield* links.create(input("BK-GUEST-1"))
      yield* primaryDownOnce(a)
      const onFallback = yield* links.create(input("BK-GUEST-2"))
      // Each site's first link is its link 1.
      expect([(yield* a.links)[0]?.id, (yield* b.links)[0]?.id]).toEqual([1, 1])
      expect(onPrimary.id).toBe("placetopay:hotel-f:primary:1")
      expect(onFallback.id).toBe("placetopay:hotel-f:fallback:1")

      expect(yield* links.get(onFallback.id)).toMatchObject({ id: onFallback.id, reference: "BK-GUEST-2" })
      expect(yield* links.get(onPrimary.id)).toMatchObject({ id: onPrimary.id, reference: "BK-GUEST-1" })

      expect(yield* links.disable(onFallback.id)).toMatchObject({ reference: "BK-GUEST-2", status: "disabled" })
      expect((yield* b.links).map((l) => [l.reference, l.status])).toEqual([["BK-GUEST-2", "INACTIVE"]])
      expect((yield* a.links).map((l) => [l.reference, l.status])).toEqual([["BK-GUEST-1", "ACTIVE"]])

      // An id issued before routes were recorded keeps reaching the primary.
      expect(yield* links.get("placetopay:hotel-f:1")).toMatchObject({ reference: "BK-GUEST-1", status: "active" })
    })
  )

  it.scopedLive("each site's notifications verify with that site's secret, and name the link `links.get` reads", () =>
    Effect.gen(function* () {
      const a = yield* PlacetoPaySandbox.serve({ sites: [siteA] })
      const b = yield* PlacetoPaySandbox.serve({ sites: [siteB] })
      const context = yield* Layer.build(
        Pasarela.layer({
          merchants: {
            "hotel-f": {
              ...placetopay(siteA, a.baseUrl, "SITE_A_SECRET"),
              fallback: placetopay(siteB, b.baseUrl, "SITE_B_SECRET")
            }
          }
        })
      ).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
      const links = Context.get(context, PaymentLinks)
      const router = Context.get(context, Router.Router)
      yield* links.create(input("BK-GUEST-1"))
      yield* primaryDownOnce(a)
      yield* links.create(input("BK-GUEST-2"))
      // Both sites' link 1 is paid, in the same second: a PAID notification from each site.
      const date = new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00")
      const paid = (secret: string) =>
        JSON.stringify({
          status: { status: "PAID", reason: 200, message: "paid", date },
          linkId: 1,
          reference: "unsigned",
          signature: PlacetoPayWebhooks.linkSignature(1, "PAID", date, Redacted.make(secret))
        })
      const verify = (body: string) =>
        router.verify({ body, url: "/webhooks/hotel-f/placetopay", merchantId: "hotel-f", provider: "placetopay" })
      const fromA = yield* verify(paid(siteA.secretKey))
      const fromB = yield* verify(paid(siteB.secretKey))
      expect([fromA.subject, fromB.subject]).toEqual([
        { kind: "link", id: "placetopay:hotel-f:primary:1", providerId: "1" },
        { kind: "link", id: "placetopay:hotel-f:fallback:1", providerId: "1" }
      ])
      expect(fromA.dedupeKey).not.toBe(fromB.dedupeKey)
      expect((yield* links.get(fromA.subject.id)).reference).toBe("BK-GUEST-1")
      expect((yield* links.get(fromB.subject.id)).reference).toBe("BK-GUEST-2")
      // Signed by neither site: refused, with the primary's reason.
      const forged = yield* Effect.flip(verify(paid("neither-site-secret")))
      expect(forged.reason._tag).toBe("WebhookRejected")
    })
  )

  it.scoped("a fallback on another provider: get and disable reach it", () =>
    Effect.gen(function* () {
      const a = yield* PlacetoPaySandbox.serve({ sites: [siteA] })
      const links = yield* build({
        merchants: { "hotel-f": { ...placetopay(siteA, a.baseUrl, "SITE_A_SECRET"), fallback: { provider: "memory" } } }
      })
      const onPrimary = yield* links.create(input("BK-GUEST-1"))
      yield* primaryDownOnce(a)
      const onFallback = yield* links.create(input("BK-GUEST-2"))
      expect(onPrimary.id).toBe("placetopay:hotel-f:primary:1")
      expect(onFallback.id).toBe("memory:hotel-f:fallback:lnk_1")
      expect(yield* links.get(onFallback.id)).toMatchObject({ provider: "memory", reference: "BK-GUEST-2" })
      expect(yield* links.disable(onFallback.id)).toMatchObject({ provider: "memory", status: "disabled" })
      expect(yield* links.get(onPrimary.id)).toMatchObject({ provider: "placetopay", status: "active" })
      expect((yield* a.links).map((l) => [l.reference, l.status])).toEqual([["BK-GUEST-1", "ACTIVE"]])
    })
  )
})
