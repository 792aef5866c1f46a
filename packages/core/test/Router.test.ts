import { describe, expect, it } from "@effect/vitest"
import {
  Charges,
  GiftCards,
  Money,
  PaymentError,
  type PaymentLink,
  PaymentLinks,
  PaymentOrders,
  Provider,
  RoutedId,
  Router,
  Webhooks
} from "@pasarela/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/** A minimal provider for routing tests: links in a map, an optional failure for creates (fixed, or asked each time). */
const testProvider = (
  name: string,
  options: {
    failCreate?: PaymentError.Reason | (() => PaymentError.Reason | undefined)
    builds?: { count: number }
  } = {}
) => {
  const info = Provider.make({
    name,
    displayName: name,
    capabilities: ["links.create", "links.get", "links.disable", "webhooks.verify"]
  })
  return Layer.effectContext(
    Effect.sync(() => {
      if (options.builds) options.builds.count++
      const store = new Map<string, PaymentLink.PaymentLink>()
      const links = PaymentLinks.make(info, {
        create: (input) => {
          const failure = typeof options.failCreate === "function" ? options.failCreate() : options.failCreate
          if (failure) {
            return Effect.fail(
              new PaymentError.PaymentError({ provider: name, operation: "links.create", reason: failure })
            )
          }
          const id = String(store.size + 1)
          const link: PaymentLink.PaymentLink = {
            id,
            provider: name,
            url: `https://${name}.test/${id}`,
            reference: input.reference,
            amount: input.amount,
            status: "active",
            providerStatus: "ACTIVE",
            payments: []
          }
          store.set(id, link)
          return Effect.succeed(link)
        },
        get: ({ id }) => Effect.succeed(store.get(id)!),
        disable: ({ id }) => {
          const disabled = { ...store.get(id)!, status: "disabled" as const }
          store.set(id, disabled)
          return Effect.succeed(disabled)
        }
      })
      const webhooks = Webhooks.make(info, {
        verify: (n) =>
          Effect.succeed({
            provider: name,
            type: "payment.approved" as const,
            subject: { kind: "link" as const, id: "1" },
            reference: n.body,
            providerStatus: "PAID",
            occurredAt: new Date(0),
            dedupeKey: `${name}:${n.body}`,
            verified: true,
            authenticated: [],
            raw: n.body
          })
      })
      return Context.empty().pipe(
        Context.add(Provider.Provider, info),
        Context.add(PaymentLinks, links),
        Context.add(Charges, Charges.make(info, {})),
        Context.add(PaymentOrders, PaymentOrders.make(info, {})),
        Context.add(GiftCards, GiftCards.make(info, {})),
        Context.add(Webhooks, webhooks)
      )
    })
  )
}

const input = (merchantId: string) => ({
  merchantId,
  reference: "BK-1",
  description: "2 nights",
  amount: Money.make("120000", "COP")
})

describe("Router", () => {
  it.scoped("dispatches on merchantId, building each provider once, and stamps results", () =>
    Effect.gen(function* () {
      const builds = { count: 0 }
      const context = yield* Router.make({
        bogota: { provider: testProvider("alpha", { builds }) },
        lima: { provider: testProvider("beta") }
      })
      const links = Context.get(context, PaymentLinks)
      expect(builds.count).toBe(0)
      const a = yield* links.create(input("bogota"))
      const b = yield* links.create(input("lima"))
      yield* links.create(input("bogota"))
      expect(builds.count).toBe(1)
      expect([a.provider, a.merchantId, b.provider, b.merchantId]).toEqual(["alpha", "bogota", "beta", "lima"])
      expect(a.id).toBe("alpha:bogota:primary:1")
      expect(Option.getOrThrow(RoutedId.decode(a.id))).toEqual({
        provider: "alpha",
        merchantId: "bogota",
        route: "primary",
        id: "1"
      })
      const read = yield* links.get(a.id)
      expect(read).toMatchObject({ id: a.id, merchantId: "bogota", reference: "BK-1" })
      expect((yield* links.disable(b.id)).status).toBe("disabled")
    })
  )

  it.scoped("builds a merchant's provider once even when its first calls arrive together", () =>
    Effect.gen(function* () {
      const builds = { count: 0 }
      const links = Context.get(
        yield* Router.make({ bogota: { provider: testProvider("alpha", { builds }) } }),
        PaymentLinks
      )
      const created = yield* Effect.all(
        Array.from({ length: 20 }, () => links.create(input("bogota"))),
        { concurrency: "unbounded" }
      )
      expect(builds.count).toBe(1)
      expect(new Set(created.map((link) => link.id)).size).toBe(20)
    })
  )

  it.scoped("routes ids issued by another router instance (another process)", () =>
    Effect.gen(function* () {
      const routes = { bogota: { provider: testProvider("alpha") } }
      const first = Context.get(yield* Router.make(routes), PaymentLinks)
      const link = yield* first.create(input("bogota"))
      const second = Context.get(yield* Router.make({ bogota: { provider: testProvider("alpha") } }), PaymentLinks)
      // The second instance has its own (empty) provider state: routing alone is what is tested.
      const error = yield* Effect.flip(second.get("alpha:elsewhere:1"))
      expect(error.message).toContain('no merchant "elsewhere" is configured')
      expect(RoutedId.decode(link.id)).toEqual(
        Option.some({ provider: "alpha", merchantId: "bogota", route: "primary", id: "1" })
      )
    })
  )

  it.scoped("names the merchant in typed errors", () =>
    Effect.gen(function* () {
      const context = yield* Router.make({ bogota: { provider: testProvider("alpha") } })
      const unknown = yield* Effect.flip(Context.get(context, PaymentLinks).create(input("cusco")))
      expect(unknown.reason._tag).toBe("Configuration")
      expect(unknown.merchantId).toBe("cusco")
      const missing = yield* Effect.flip(
        Context.get(context, PaymentLinks).create({ ...input("x"), merchantId: undefined } as never)
      )
      expect(missing.reason._tag).toBe("InvalidRequest")
      const unsupported = yield* Effect.flip(
        Context.get(context, PaymentOrders).create({ merchantId: "bogota" } as never)
      )
      expect(unsupported.reason._tag).toBe("Unsupported")
      expect(unsupported.merchantId).toBe("bogota")
      expect(unsupported.provider).toBe("alpha")
      const badId = yield* Effect.flip(Context.get(context, PaymentLinks).get("nonsense"))
      expect(badId.reason._tag).toBe("NotFound")
    })
  )

  it.scoped("falls back only when the first failure proves nothing was created", () =>
    Effect.gen(function* () {
      const context = yield* Router.make({
        down: {
          provider: testProvider("alpha", {
            failCreate: new PaymentError.ProviderUnavailable({ status: 503, detail: "down" })
          }),
          fallback: testProvider("beta")
        },
        ambiguous: {
          provider: testProvider("alpha", {
            failCreate: new PaymentError.OutcomeUnknown({ detail: "reset", advice: "look up" })
          }),
          fallback: testProvider("beta")
        }
      })
      const links = Context.get(context, PaymentLinks)
      const served = yield* links.create(input("down"))
      expect(served.provider).toBe("beta")
      expect(served.id).toBe("beta:down:fallback:1")
      expect((yield* links.get(served.id)).provider).toBe("beta")
      const error = yield* Effect.flip(links.create(input("ambiguous")))
      expect(error.reason._tag).toBe("OutcomeUnknown")
      expect(error.mayHaveTakenEffect).toBe(true)
    })
  )

  it.scoped("ids say which configured route made a link: a fallback on the same provider is reached", () =>
    Effect.gen(function* () {
      // Two sites of one provider: each numbers its links from 1, so their own ids collide.
      let primaryDown = false
      const primary = testProvider("alpha", {
        failCreate: () =>
          primaryDown ? new PaymentError.ProviderUnavailable({ status: 503, detail: "down" }) : undefined
      })
      const links = Context.get(
        yield* Router.make({ hotel: { provider: primary, fallback: testProvider("alpha") } }),
        PaymentLinks
      )
      const first = yield* links.create({ ...input("hotel"), reference: "BK-PRIMARY" })
      primaryDown = true
      const second = yield* links.create({ ...input("hotel"), reference: "BK-FALLBACK" })
      primaryDown = false
      expect(first.id).toBe("alpha:hotel:primary:1")
      expect(second.id).toBe("alpha:hotel:fallback:1")
      expect(Option.getOrThrow(RoutedId.decode(second.id))).toEqual({
        provider: "alpha",
        merchantId: "hotel",
        route: "fallback",
        id: "1"
      })
      expect(yield* links.get(second.id)).toMatchObject({ id: second.id, reference: "BK-FALLBACK" })
      expect(yield* links.get(first.id)).toMatchObject({ id: first.id, reference: "BK-PRIMARY" })
      expect(yield* links.disable(second.id)).toMatchObject({ id: second.id, status: "disabled" })
      expect((yield* links.get(second.id)).status).toBe("disabled")
      expect((yield* links.get(first.id)).status).toBe("active")
      // An id issued before routes were recorded reaches the primary.
      expect(yield* links.get("alpha:hotel:1")).toMatchObject({ id: "alpha:hotel:1", reference: "BK-PRIMARY" })
    })
  )

  it.scoped("refuses a routed id the configuration can no longer serve", () =>
    Effect.gen(function* () {
      const links = Context.get(
        yield* Router.make({ hotel: { provider: testProvider("alpha"), fallback: testProvider("beta") } }),
        PaymentLinks
      )
      yield* links.create(input("hotel"))
      const noFallback = Context.get(yield* Router.make({ hotel: { provider: testProvider("alpha") } }), PaymentLinks)
      const missing = yield* Effect.flip(noFallback.get("beta:hotel:fallback:1"))
      expect(missing.reason._tag).toBe("Configuration")
      expect(missing.message).toContain("has no fallback")
      const changed = yield* Effect.flip(links.get("gamma:hotel:fallback:1"))
      expect(changed.reason._tag).toBe("Configuration")
      expect(changed.message).toContain('its fallback is "beta", not "gamma"')
      const badRoute = yield* Effect.flip(links.get("alpha:hotel:secondary:1"))
      expect(badRoute.reason._tag).toBe("NotFound")
    })
  )

  it.scoped("verifies notifications with the merchant's provider and stamps the merchant", () =>
    Effect.gen(function* () {
      const context = yield* Router.make({
        bogota: { provider: testProvider("alpha"), fallback: testProvider("beta") }
      })
      const webhooks = Context.get(context, Webhooks)
      const event = yield* webhooks.verify({ body: "BK-1", url: "/webhooks/bogota/alpha", merchantId: "bogota" })
      expect(event).toMatchObject({ merchantId: "bogota", provider: "alpha" })
      const viaFallback = yield* webhooks.verify({ body: "BK-2", url: "/", merchantId: "bogota", provider: "beta" })
      expect(viaFallback.provider).toBe("beta")
      const anonymous = yield* Effect.flip(webhooks.verify({ body: "BK-1", url: "/" }))
      expect(anonymous.reason._tag).toBe("WebhookRejected")
    })
  )

  it.scoped("reports a provider that cannot start as a Configuration error, and retries the build later", () =>
    Effect.gen(function* () {
      let attempts = 0
      const flaky = Layer.unwrapEffect(
        Effect.suspend(() =>
          ++attempts === 1 ? Effect.fail(new Error("missing PLACETOPAY_SECRET")) : Effect.succeed(testProvider("alpha"))
        )
      )
      const links = Context.get(yield* Router.make({ bogota: { provider: flaky } }), PaymentLinks)
      const error = yield* Effect.flip(links.create(input("bogota")))
      expect(error.message).toContain("its provider could not start: missing PLACETOPAY_SECRET")
      expect((yield* links.create(input("bogota"))).provider).toBe("alpha")
    })
  )
})
