/**
 * Durability in one process, on the sandbox over loopback: idempotent creates on the journal, the
 * inbox and its dispatcher, events checked against the journal, and the reconciler. (Several
 * processes on PostgreSQL, and crashes: `durability.processes.test.ts`.)
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Card, Charges, Money, type PaymentEvent, PaymentLinks, RoutedId } from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import { PlacetoPay } from "@pasarela/placetopay"
import { Sandbox } from "@pasarela/sandbox"
import { MemoryStore, Store } from "@pasarela/store"
import { EmbeddedStore } from "@pasarela/store/backends"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { createPasarela, Reconciler } from "pasarela"
import { type App, configFor, secrets, start, storeOf, using } from "./support/durable.js"

const guest = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }
let counter = 0
const reference = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}`

const linkInput = (ref: string, amount = "480000") => ({
  merchantId: "hotel-bogota",
  reference: ref,
  description: "3 nights",
  amount: Money.make(amount, "COP"),
  payer: guest,
  expiresIn: "2 hours"
})

const placetopayCreates = (app: App) =>
  Effect.map(app.sandbox.placetopay.faults.requests, (requests) => requests.filter((r) => r.route === "links.create"))

/** Waits (polling) until `condition` holds, for at most `seconds`. */
const eventually = <A, E>(read: Effect.Effect<A, E>, condition: (a: A) => boolean, seconds = 10) =>
  Effect.gen(function* () {
    for (let i = 0; i < seconds * 20; i++) {
      const value = yield* read
      if (condition(value)) return value
      yield* Effect.sleep("50 millis")
    }
    return yield* Effect.dieMessage("the condition never held")
  })

const recorder = Effect.gen(function* () {
  const events = yield* Ref.make<ReadonlyArray<PaymentEvent.PaymentEvent>>([])
  return {
    events,
    onEvent: (event: PaymentEvent.PaymentEvent) => Ref.update(events, (all) => [...all, event])
  }
})

describe("idempotent creates", () => {
  it.scopedLive("the same reference twice: one link at the gateway, the same result", () =>
    Effect.gen(function* () {
      const { onEvent } = yield* recorder
      const app = yield* start({ store: MemoryStore.layer, onEvent })
      const ref = reference("BK")
      const [first, second] = yield* using(app)(
        Effect.flatMap(PaymentLinks, (links) =>
          Effect.all([links.create(linkInput(ref)), links.create(linkInput(ref))])
        )
      )
      expect(second).toEqual(first)
      expect(yield* placetopayCreates(app)).toHaveLength(1)
    })
  )

  it.scopedLive("the same reference with another amount: Conflict, nothing sent", () =>
    Effect.gen(function* () {
      const { onEvent } = yield* recorder
      const app = yield* start({ store: MemoryStore.layer, onEvent })
      const ref = reference("BK")
      yield* using(app)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
      const error = yield* using(app)(
        Effect.flip(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref, "500000"))))
      )
      expect(error.reason._tag).toBe("Conflict")
      expect(error.message).toContain("480000.00 COP")
      expect(yield* placetopayCreates(app)).toHaveLength(1)
    })
  )

  it.scopedLive("a create that provably failed is sent again; one whose outcome is unknown is not", () =>
    Effect.gen(function* () {
      const { onEvent } = yield* recorder
      const app = yield* start({ store: MemoryStore.layer, onEvent })
      const create = (ref: string) => using(app)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
      const failed = reference("BK")
      yield* app.sandbox.placetopay.faults.inject({ route: "links.create", fault: { kind: "status", status: 503 } })
      expect((yield* Effect.flip(create(failed))).reason._tag).toBe("ProviderUnavailable")
      expect((yield* create(failed)).status).toBe("active")
      expect(yield* placetopayCreates(app)).toHaveLength(2)

      const unknown = reference("BK")
      yield* app.sandbox.placetopay.faults.inject({ route: "links.create", fault: { kind: "resetAfter" } })
      expect((yield* Effect.flip(create(unknown))).reason._tag).toBe("OutcomeUnknown")
      const refused = yield* Effect.flip(create(unknown))
      expect(refused.reason._tag).toBe("OutcomeUnknown")
      expect(refused.message).toContain("nothing was sent again")
      expect(yield* placetopayCreates(app)).toHaveLength(3)
      const listed = yield* storeOf(app).unknownOperations(new Date())
      expect(listed.map((op) => op.reference)).toContain(unknown)
    })
  )

  it.scopedLive("a declined card may be charged again with the same reference; an approved one is not", () =>
    Effect.gen(function* () {
      const { onEvent } = yield* recorder
      const app = yield* start({ store: MemoryStore.layer, onEvent })
      const charge = (ref: string, number: string) =>
        using(app)(
          Effect.flatMap(Charges, (charges) =>
            charges.create({
              merchantId: "hotel-cartagena",
              reference: ref,
              amount: Money.make("1000", "COP"),
              payer: { name: "Jhon", surname: "Doe", email: "jhon@example.com" },
              card: Card.make({
                number,
                cvv: "123",
                expiryMonth: 12,
                expiryYear: 2099,
                holderName: "JHON DOE",
                skipLuhnCheck: number === "1111111111111111"
              })
            })
          )
        )
      const ref = reference("FD")
      expect((yield* charge(ref, "1111111111111111")).outcome).toBe("declined")
      expect((yield* charge(ref, "4111111111111111")).outcome).toBe("approved")
      expect((yield* charge(ref, "4111111111111111")).outcome).toBe("approved")
      const charges = (yield* app.sandbox.autocore.faults.requests).filter((r) => r.route === "charges.create")
      expect(charges).toHaveLength(2)
    })
  )
})

describe("inbox and dispatcher", () => {
  it.scopedLive("answers the gateway at once and hands the event over afterwards, with the journal's reference", () =>
    Effect.gen(function* () {
      const release = yield* Deferred.make<void>()
      const handled = yield* Ref.make<ReadonlyArray<PaymentEvent.PaymentEvent>>([])
      const app = yield* start({
        store: MemoryStore.layer,
        onEvent: (event) =>
          Effect.zipRight(
            Deferred.await(release),
            Ref.update(handled, (all) => [...all, event])
          )
      })
      const ref = reference("BK")
      const link = yield* using(app)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
      const linkId = Number(Option.getOrThrow(RoutedId.decode(link.id)).id)
      yield* app.sandbox.placetopay.payLink(linkId, { number: "4110760000000081" })
      // The notification was answered 200 while the handler is still waiting.
      const delivered = yield* app.sandbox.placetopay.notifications
      expect(delivered.at(-1)).toMatchObject({ linkId, responseStatus: 200 })
      expect(yield* Ref.get(handled)).toEqual([])
      yield* Deferred.succeed(release, undefined)
      const [event] = yield* eventually(Ref.get(handled), (all) => all.length === 1)
      expect(event).toMatchObject({ type: "payment.approved", reference: ref, merchantId: "hotel-bogota" })
      expect(Money.equals(event!.amount!, Money.make("480000", "COP"))).toBe(true)
      expect(event!.authenticated).toEqual(expect.arrayContaining(["reference", "amount", "subject.id", "type"]))
    })
  )

  it.scopedLive(
    "names the operation Pasarela created: an Autocore link's payment reported as a charge names the link",
    () =>
      Effect.gen(function* () {
        const { events, onEvent } = yield* recorder
        const app = yield* start({ store: MemoryStore.layer, onEvent })
        const ref = reference("CT")
        const link = yield* using(app)(
          Effect.flatMap(PaymentLinks, (links) =>
            links.create({ ...linkInput(ref), merchantId: "hotel-cartagena", amount: Money.make("250", "USD") })
          )
        )
        const stored = (yield* app.sandbox.autocore.state).links.find((l) => l.externalRefId === ref)!
        // The payment arrives typed as a charge, with the charge's own ids and no currency.
        const body = {
          payment_status: "Aplicado",
          amount: 250,
          payment_date: "2026-12-05T11:21:06.417487",
          transaction_id: "tx-link-payment",
          external_ref_id: ref,
          details: {
            type: "charge",
            id: "987654",
            external_ref_id: ref,
            status_code: "applied",
            transaction_id: "tx-link-payment"
          }
        }
        const status = yield* Effect.promise(() =>
          fetch(stored.tempWebhookUrl!, { method: "POST", body: JSON.stringify(body) }).then((r) => r.status)
        )
        expect(status).toBe(200)
        const [event] = yield* eventually(Ref.get(events), (all) => all.length === 1)
        expect(event!.subject).toEqual({ kind: "link", id: link.id, providerId: stored.code })
        expect(event!.reference).toBe(ref)
        expect(Money.equals(event!.amount!, Money.make("250", "USD"))).toBe(true)
      })
  )

  it.scopedLive("retries a failing handler with backoff, then dead-letters it; a replay hands it over again", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const failUntil = yield* Ref.make(Number.POSITIVE_INFINITY)
      const app = yield* start({
        store: MemoryStore.layer,
        onEvent: () =>
          Effect.flatMap(
            Ref.updateAndGet(attempts, (n) => n + 1),
            (n) =>
              Effect.flatMap(Ref.get(failUntil), (limit) =>
                n <= limit ? Effect.fail(new Error(`bookings database down (${n})`)) : Effect.void
              )
          ),
        extra: { events: { maxAttempts: 3, retryBase: "20 millis", pollInterval: "20 millis" } }
      })
      const ref = reference("BK")
      const link = yield* using(app)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
      yield* app.sandbox.placetopay.payLink(Number(Option.getOrThrow(RoutedId.decode(link.id)).id), {
        number: "4110760000000081"
      })
      const store = storeOf(app)
      const [dead] = yield* eventually(store.entries("dead", 100), (entries) => entries.length === 1)
      expect(dead).toMatchObject({ attempts: 3, lastError: "bookings database down (3)" })
      expect(yield* Ref.get(attempts)).toBe(3)
      yield* Ref.set(failUntil, 0)
      expect(yield* store.replay(dead!.key, new Date())).toBe(true)
      yield* eventually(store.entry(dead!.key), (entry) => entry?.status === "done")
      expect(yield* Ref.get(attempts)).toBe(4)
    })
  )

  it.scopedLive("holds a notification for a link Pasarela did not create, and a payment of another amount", () =>
    Effect.gen(function* () {
      const { events, onEvent } = yield* recorder
      const app = yield* start({ store: MemoryStore.layer, onEvent })
      // A link made straight at the gateway with the hotel's credentials, bypassing Pasarela, then paid.
      const outside = yield* Effect.flatMap(PaymentLinks, (links) =>
        links.create({
          reference: reference("OUT"),
          description: "made elsewhere",
          amount: Money.make("1000", "COP"),
          notificationUrl: `${app.webhooksUrl}/hotel-bogota/placetopay`
        })
      ).pipe(
        Effect.provide(
          PlacetoPay.layer({
            login: "sandbox-login-site-1001",
            secretKey: Redacted.make(secrets.BOGOTA_PLACETOPAY_SECRET),
            baseUrl: app.sandbox.baseUrl,
            merchantId: "hotel-bogota"
          }).pipe(Layer.provide(UndiciHttpClient.layer))
        )
      )
      yield* app.sandbox.placetopay.payLink(Number(outside.id), { number: "4110760000000081" })
      const store = storeOf(app)
      const [unknownLink] = yield* eventually(store.entries("held", 100), (entries) => entries.length === 1)
      expect(unknownLink!.heldReason).toContain("names no link Pasarela created")
      // An Autocore notification whose amount is not the link's: posted with the link's genuine URL.
      const ref = reference("CT")
      yield* using(app)(
        Effect.flatMap(PaymentLinks, (links) =>
          links.create({ ...linkInput(ref), merchantId: "hotel-cartagena", amount: Money.make("1350000", "COP") })
        )
      )
      const stored = (yield* app.sandbox.autocore.state).links.find((l) => l.externalRefId === ref)!
      const body = {
        payment_status: "Aplicado",
        amount: 1,
        payment_date: "2026-12-05T11:21:06.417487",
        transaction_id: "tx-forged",
        external_ref_id: ref,
        details: {
          type: "link",
          id: stored.code,
          external_ref_id: ref,
          status_code: "applied",
          transaction_id: "tx-forged"
        }
      }
      const status = yield* Effect.promise(() =>
        fetch(stored.tempWebhookUrl!, { method: "POST", body: JSON.stringify(body) }).then((r) => r.status)
      )
      expect(status).toBe(200)
      const [, held] = yield* eventually(store.entries("held", 100), (entries) => entries.length === 2)
      expect(held!.heldReason).toContain("1.00")
      yield* Effect.sleep("100 millis")
      expect(yield* Ref.get(events)).toEqual([])
    })
  )
})

describe("the Promise API with a durable store", () => {
  it.live("close() lets the event in hand finish before it returns", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.serve()
      let finished = false
      let started: () => void = () => {}
      const running = new Promise<void>((resolve) => {
        started = resolve
      })
      const pasarela = yield* Effect.promise(() =>
        createPasarela(configFor(sandbox.baseUrl, "http://127.0.0.1:9/webhooks"), {
          env: secrets,
          store: MemoryStore.layer,
          onEvent: async () => {
            started()
            await new Promise((resolve) => setTimeout(resolve, 500))
            finished = true
          }
        })
      )
      const ref = reference("BK")
      const link = yield* Effect.promise(() => pasarela.links.create(linkInput(ref)))
      const linkId = Number(Option.getOrThrow(RoutedId.decode(link.id)).id)
      // The app is reached directly (its public URL in the configuration leads nowhere).
      const notification = yield* sandbox.placetopay.payLink(linkId, { number: "4110760000000081" }).pipe(
        Effect.zipRight(sandbox.placetopay.notifications),
        Effect.map((all) => all.at(-1)!.body)
      )
      const response = yield* Effect.promise(() =>
        pasarela.webhooks.handle(
          new Request("http://localhost/webhooks/hotel-bogota/placetopay", {
            method: "POST",
            body: JSON.stringify(notification)
          })
        )
      )
      expect(response.status).toBe(200)
      yield* Effect.promise(() => running)
      yield* Effect.promise(() => pasarela.close())
      expect(finished).toBe(true)
    }).pipe(Effect.scoped)
  )
})

describe("processes without the application's handler", () => {
  it.scopedLive("store what they receive and never claim it: the application's process handles it", () =>
    Effect.gen(function* () {
      const shared = Layer.succeed(Store, MemoryStore.make())
      const sandbox = yield* Sandbox.serve()
      // A one-off process (a command, an admin task) receives the notification: no handler there.
      const oneOff = yield* start({ store: shared, sandbox })
      const ref = reference("BK")
      const link = yield* using(oneOff)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
      yield* sandbox.placetopay.payLink(Number(Option.getOrThrow(RoutedId.decode(link.id)).id), {
        number: "4110760000000081"
      })
      yield* Effect.sleep("300 millis")
      const [pending] = yield* storeOf(oneOff).entries("pending", 10)
      expect(pending).toMatchObject({ attempts: 0 })
      // The application's process hands it over.
      const { events, onEvent } = yield* recorder
      yield* start({ store: shared, sandbox, onEvent, listen: false })
      const [event] = yield* eventually(Ref.get(events), (all) => all.length === 1)
      expect(event).toMatchObject({ reference: ref })
    })
  )
})

describe("reconciler", () => {
  it.scopedLive("after a restart, recovers the notification sent while the app was down (embedded store on disk)", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "pasarela-restart-"))),
        (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
      )
      const store = EmbeddedStore.layer({ path: join(dir, "store") })
      const sandbox = yield* Sandbox.serve()
      const ref = reference("BK")
      // Before: the app creates the link, then stops (a deploy).
      const linkId = yield* Effect.scoped(
        Effect.gen(function* () {
          const app = yield* start({ store, onEvent: () => Effect.void, sandbox, listen: false })
          const link = yield* using(app)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
          return Number(Option.getOrThrow(RoutedId.decode(link.id)).id)
        })
      )
      // Meanwhile the guest pays: PlacetoPay's one notification finds nobody.
      yield* sandbox.placetopay.payLink(linkId, { number: "4110760000000081" })
      expect((yield* sandbox.placetopay.notifications).at(-1)?.responseStatus).toBeNull()
      // After: the new process reconciles on its own, from what the journal kept.
      const { events, onEvent } = yield* recorder
      yield* start({ store, onEvent, sandbox, extra: { reconcile: { interval: "200 millis" } } })
      const [event] = yield* eventually(Ref.get(events), (all) => all.length === 1)
      expect(event).toMatchObject({ type: "payment.approved", reference: ref, merchantId: "hotel-bogota" })
      yield* Effect.sleep("600 millis")
      expect(yield* Ref.get(events)).toHaveLength(1)
    })
  )

  it.scopedLive("recovers a PlacetoPay notification lost while the app was down, once", () =>
    Effect.gen(function* () {
      const { events, onEvent } = yield* recorder
      const app = yield* start({ store: MemoryStore.layer, onEvent, listen: false })
      const ref = reference("BK")
      const link = yield* using(app)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
      const linkId = Number(Option.getOrThrow(RoutedId.decode(link.id)).id)
      yield* app.sandbox.placetopay.payLink(linkId, { number: "4110760000000081" })
      expect((yield* app.sandbox.placetopay.notifications).at(-1)?.responseStatus).toBeNull()
      const summary = yield* using(app)(Reconciler.runOnce())
      expect(summary).toMatchObject({ recovered: 1, closed: 1 })
      const [event] = yield* eventually(Ref.get(events), (all) => all.length === 1)
      expect(event).toMatchObject({ type: "payment.approved", reference: ref, subject: { kind: "link" } })
      // A second round finds nothing open; the link is closed.
      expect(yield* using(app)(Reconciler.runOnce())).toMatchObject({ checked: 0, recovered: 0 })
    })
  )

  it.scopedLive("adds nothing when the notification did arrive", () =>
    Effect.gen(function* () {
      const { events, onEvent } = yield* recorder
      const app = yield* start({ store: MemoryStore.layer, onEvent })
      const ref = reference("BK")
      const link = yield* using(app)(Effect.flatMap(PaymentLinks, (links) => links.create(linkInput(ref))))
      yield* app.sandbox.placetopay.payLink(Number(Option.getOrThrow(RoutedId.decode(link.id)).id), {
        number: "4110760000000081"
      })
      yield* eventually(Ref.get(events), (all) => all.length === 1)
      expect(yield* using(app)(Reconciler.runOnce())).toMatchObject({ checked: 1, recovered: 0, closed: 1 })
      yield* Effect.sleep("200 millis")
      expect(yield* Ref.get(events)).toHaveLength(1)
    })
  )
})
