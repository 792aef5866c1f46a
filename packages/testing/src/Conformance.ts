/**
 * The conformance suite: the behaviours every Pasarela provider shares, run against a provider
 * layer that also provides a `Driver` (how to pay, expire and listen on that provider).
 *
 * ```ts
 * conformance("memory", Layer.provideMerge(MemoryDriver.layer, Memory.layer()), {
 *   operations: Provider.allOperations,
 *   expire: true
 * })
 * ```
 */
import { expect, layer } from "@effect/vitest"
import {
  Charges,
  GiftCards,
  Money,
  type PaymentEvent,
  PaymentLinks,
  PaymentOrders,
  Provider,
  type Router,
  Webhooks
} from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { Driver } from "./Driver.js"
import { reasonOf } from "./Failures.js"

/** Everything a provider layer offers (the core `Router.ProviderServices`). */
export type ProviderServices = Router.ProviderServices

export interface Features {
  /** The operations the provider declares; the suite checks the declaration and exercises each. */
  readonly operations: ReadonlyArray<Provider.Operation>
  /** The driver can make a link expire on the provider's side. */
  readonly expire: boolean
  /** How long to wait for a notification (default 10 s). */
  readonly notificationTimeout?: Duration.DurationInput
}

let counter = 0
/** A reference unique to this run, with characters that must survive every wire format. */
const uniqueReference = (label: string) =>
  `BK/${label}-ñ#${Date.now().toString(36)}${(counter++).toString(36)}`.slice(0, 64)

/** Calls an operation with an empty input: an unsupported operation refuses before validating. */
const callEmpty = (operation: Provider.Operation) =>
  Effect.gen(function* () {
    const empty = {} as never
    switch (operation) {
      case "links.create":
        return yield* (yield* PaymentLinks).create(empty)
      case "links.get":
        return yield* (yield* PaymentLinks).get("unknown")
      case "links.disable":
        return yield* (yield* PaymentLinks).disable("unknown")
      case "charges.create":
        return yield* (yield* Charges).create(empty)
      case "orders.create":
        return yield* (yield* PaymentOrders).create(empty)
      case "giftCards.create":
        return yield* (yield* GiftCards).create(empty)
      case "webhooks.verify":
        return yield* (yield* Webhooks).verify({ body: "{}", url: "/" })
    }
  })

/** Reads notifications until the one for `reference` of the given type arrives; verifies each. */
const awaitEvent = (reference: string, type: PaymentEvent.EventType, timeout: Duration.DurationInput) =>
  Effect.gen(function* () {
    const driver = yield* Driver
    const webhooks = yield* Webhooks
    while (true) {
      const raw = yield* driver.takeNotification
      const event = yield* webhooks.verify(raw)
      if (event.reference === reference && event.type === type) return { event, raw }
    }
  }).pipe(
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () => new Error(`no ${type} notification for ${reference} within ${Duration.format(timeout)}`)
    })
  )

export const conformance = <E>(
  name: string,
  providerLayer: Layer.Layer<ProviderServices | Driver, E>,
  features: Features
): void => {
  const has = (operation: Provider.Operation) => features.operations.includes(operation)
  const timeout = features.notificationTimeout ?? Duration.seconds(10)

  const createLink = (label: string) =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const driver = yield* Driver
      const reference = uniqueReference(label)
      const link = yield* links.create({
        ...driver.linkDefaults,
        reference,
        description: `Conformance ${label}`,
        amount: driver.amount
      })
      return { link, reference, amount: driver.amount }
    })

  layer(providerLayer, { excludeTestServices: true, timeout: Duration.seconds(60) })(`conformance: ${name}`, (it) => {
    it.effect("declares exactly the capabilities it was registered with", () =>
      Effect.gen(function* () {
        const provider = yield* Provider.Provider
        expect([...provider.capabilities].sort()).toEqual([...features.operations].sort())
      })
    )

    it.effect("fails every undeclared operation with Unsupported, before any request", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const before = yield* driver.requestCount
        for (const operation of Provider.allOperations.filter((op) => !has(op))) {
          const reason = yield* reasonOf(callEmpty(operation))
          expect(reason._tag, operation).toBe("Unsupported")
        }
        expect(yield* driver.requestCount).toBe(before)
      })
    )

    it.effect("creates a link whose reference and amount round-trip exactly", () =>
      Effect.gen(function* () {
        const provider = yield* Provider.Provider
        const { link, reference, amount } = yield* createLink("create")
        expect(link.provider).toBe(provider.name)
        expect(link.reference).toBe(reference)
        expect(Money.equals(link.amount, amount)).toBe(true)
        expect(link.status).toBe("active")
        expect(link.url).toMatch(/^https?:\/\//)
        if (has("links.get")) {
          const read = yield* (yield* PaymentLinks).get(link.id)
          expect(read.id).toBe(link.id)
          expect(read.reference).toBe(reference)
          expect(Money.equals(read.amount, amount)).toBe(true)
          expect(read.status).toBe("active")
        }
      })
    )

    it.effect("refuses invalid input before any request, listing every bad field", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const before = yield* driver.requestCount
        const reason = yield* reasonOf(
          (yield* PaymentLinks).create({
            ...driver.linkDefaults,
            reference: "",
            description: " ",
            amount: driver.amount,
            notificationUrl: "not a url",
            maxPayments: 0
          })
        )
        expect(reason._tag).toBe("InvalidRequest")
        if (reason._tag === "InvalidRequest") {
          const paths = reason.issues.map((issue) => issue.path)
          expect(paths).toEqual(expect.arrayContaining(["reference", "description", "notificationUrl", "maxPayments"]))
        }
        expect(yield* driver.requestCount).toBe(before)
      })
    )

    it.effect.skipIf(!has("links.get"))("answers NotFound for a link that does not exist", () =>
      Effect.gen(function* () {
        const reason = yield* reasonOf((yield* PaymentLinks).get("999999999"))
        expect(reason._tag).toBe("NotFound")
      })
    )

    it.effect("notifies an approved payment, verified, once per fact", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const webhooks = yield* Webhooks
        const { link, reference, amount } = yield* createLink("pay")
        yield* driver.payLink(link)
        const { event, raw } = yield* awaitEvent(reference, "payment.approved", timeout)
        expect(event.verified).toBe(true)
        expect(event.reference).toBe(reference)
        if (event.amount !== undefined) expect(Money.equals(event.amount, amount)).toBe(true)
        // A re-delivery of the same notification is the same fact: same dedupe key.
        const again = yield* webhooks.verify(raw)
        expect(again.dedupeKey).toBe(event.dedupeKey)
        if (has("links.get")) {
          const read = yield* (yield* PaymentLinks).get(link.id)
          expect(read.status).toBe("paid")
          const approved = read.payments.filter((payment) => payment.status === "approved")
          expect(approved).toHaveLength(1)
          const paid = approved[0]?.amount
          if (paid !== undefined) expect(Money.equals(paid, amount)).toBe(true)
        }
      })
    )

    it.effect("rejects forged and malformed notifications", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const webhooks = yield* Webhooks
        const { link, reference } = yield* createLink("forge")
        yield* driver.payLink(link)
        const { raw } = yield* awaitEvent(reference, "payment.approved", timeout)
        for (const forged of [
          driver.forge(raw),
          { ...raw, body: raw.body.slice(0, Math.floor(raw.body.length / 2)) },
          { ...raw, body: "null" },
          { ...raw, body: "x".repeat(70_000) }
        ]) {
          const reason = yield* reasonOf(webhooks.verify(forged))
          expect(reason._tag).toBe("WebhookRejected")
        }
      })
    )

    it.effect.skipIf(!features.expire)("expires a link on the provider's side", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const { link, reference } = yield* createLink("expire")
        yield* driver.expireLink!(link)
        if (has("links.get")) {
          const read = yield* (yield* PaymentLinks).get(link.id)
          expect(read.status).toBe("expired")
        }
        if (driver.notifiesExpiry) {
          const { event } = yield* awaitEvent(reference, "link.expired", timeout)
          expect(event.verified).toBe(true)
        }
      })
    )

    it.effect.skipIf(!has("links.get"))("a paid link reads paid whatever happens to it afterwards", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const links = yield* PaymentLinks
        const { link, reference } = yield* createLink("paid-wins")
        yield* driver.payLink(link)
        yield* awaitEvent(reference, "payment.approved", timeout)
        // The provider may expire it anyway, or refuse to (it is used up): either way it was paid.
        if (features.expire) yield* Effect.either(driver.expireLink!(link))
        expect((yield* links.get(link.id)).status).toBe("paid")
        if (has("links.disable")) {
          // Disabling a paid link is refused (Conflict) or done; either way it still reads paid.
          const disabled = yield* Effect.either(links.disable(link.id))
          if (disabled._tag === "Left") expect(disabled.left.reason._tag).toBe("Conflict")
          else expect(disabled.right.status).toBe("paid")
          expect((yield* links.get(link.id)).status).toBe("paid")
        }
      })
    )

    it.effect.skipIf(!has("links.disable"))("disables a link once; a second time is a Conflict", () =>
      Effect.gen(function* () {
        const links = yield* PaymentLinks
        const { link } = yield* createLink("disable")
        const disabled = yield* links.disable(link.id)
        expect(disabled.status).toBe("disabled")
        if (has("links.get")) expect((yield* links.get(link.id)).status).toBe("disabled")
        const reason = yield* reasonOf(links.disable(link.id))
        expect(reason._tag).toBe("Conflict")
      })
    )

    it.effect.skipIf(!has("charges.create"))("charges cards: approved, declined, pending then settled", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const charges = yield* Charges
        const cards = driver.charges
        if (cards === undefined) return yield* Effect.die("a provider with charges.create needs driver.charges")

        const approved = yield* charges.create(cards.approved)
        expect(approved.outcome).toBe("approved")
        expect(approved.reference).toBe(cards.approved.reference)
        expect(Money.equals(approved.amount, cards.approved.amount)).toBe(true)

        const declined = yield* charges.create(cards.declined)
        expect(declined.outcome).toBe("declined")
        expect(declined.declineReason).toBeTruthy()

        const pending = yield* charges.create(cards.pendingThenApproved)
        expect(pending.outcome).toBe("pending")
        yield* cards.settle(pending.id)
        const { event } = yield* awaitEvent(cards.pendingThenApproved.reference, "payment.approved", timeout)
        expect(event.verified).toBe(true)
      })
    )

    it.effect.skipIf(!has("charges.create"))("refuses an invalid card before any request", () =>
      Effect.gen(function* () {
        const driver = yield* Driver
        const cards = driver.charges!
        const before = yield* driver.requestCount
        const input = cards.approved
        const reason = yield* reasonOf(
          (yield* Charges).create({
            ...input,
            card: { ...input.card, expiryMonth: 13, cvv: input.card.number, skipLuhnCheck: false }
          })
        )
        expect(reason._tag).toBe("InvalidRequest")
        if (reason._tag === "InvalidRequest") {
          expect(reason.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["card.expiryMonth", "card.cvv"]))
          // Card data never appears in what the error says.
          expect(JSON.stringify(reason.issues)).not.toContain("4111")
        }
        expect(yield* driver.requestCount).toBe(before)
      })
    )
  })
}
