/**
 * The adapter against the Autocore simulator over real loopback HTTP: every operation, every
 * documented failure, and notifications end to end.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, layer } from "@effect/vitest"
import { Card, Charges, GiftCards, Money, PaymentLinks, PaymentOrders, Provider, Webhooks } from "@pasarela/core"
import { failureOf, reasonOf } from "@pasarela/testing/helpers"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Auth from "../src/Auth.js"
import * as Autocore from "../src/Autocore.js"
import { AutocoreHotels } from "../src/Autocore.js"
import * as AutocoreWebhooks from "../src/Webhooks.js"
import { giftCardInput, orderInput } from "./fixtures.js"
import {
  account,
  closedPort,
  countedSandbox,
  eventually,
  options,
  ReceiverLive,
  Sandbox,
  SandboxLive,
  sandboxCard,
  secondAccount,
  uniqueReference,
  WebhookReceiver,
  webhookSecret
} from "./support.js"

const Live = Layer.mergeAll(SandboxLive(), ReceiverLive, NodeHttpClient.layerUndici)

/** A base URL as the options schema reads it (a preset's name is its URL). */
const baseUrlOf = Schema.decodeSync(Autocore.Options.fields.baseUrl)

/** Runs `effect` with the Autocore services configured against the simulator. */
const withAutocore =
  (overrides: Partial<Autocore.Options> = {}) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const receiver = yield* WebhookReceiver
      return yield* effect.pipe(
        Effect.provide(
          Autocore.layer(
            options(sandbox.baseUrl, { notificationUrl: receiver.url, merchantId: "hotel-abc", ...overrides })
          )
        )
      )
    })

const payer = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }

const chargeInput = (number: string, overrides: Record<string, unknown> = {}) => ({
  reference: uniqueReference("CH"),
  description: "Booking payment Hotel ABC",
  amount: Money.make("1000", "COP"),
  payer: { ...payer, document: { type: "CC", number: "123456789" }, ip: "181.204.153.195" },
  card: sandboxCard(number),
  ...overrides
})

/** Takes notifications until the one for `reference`; verifies each with the adapter. */
const eventFor = (reference: string) =>
  Effect.gen(function* () {
    const receiver = yield* WebhookReceiver
    const webhooks = yield* Webhooks
    for (;;) {
      const raw = yield* receiver.take
      const event = yield* webhooks.verify(raw)
      if (event.reference === reference) return { event, raw }
    }
  }).pipe(Effect.timeout("10 seconds"))

layer(Live, { excludeTestServices: true })("Autocore adapter on the simulator", (it) => {
  describe("provider", () => {
    it.effect("declares its capabilities; reading or disabling a link is Unsupported without a request", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const provider = yield* Provider.Provider
          expect(provider.name).toBe("autocore")
          expect([...provider.capabilities].sort()).toEqual(
            ["charges.create", "giftCards.create", "links.create", "orders.create", "webhooks.verify"].sort()
          )
          const before = yield* sandbox.requestCount
          const links = yield* PaymentLinks
          expect((yield* reasonOf(links.get("abc")))._tag).toBe("Unsupported")
          expect((yield* reasonOf(links.disable("abc")))._tag).toBe("Unsupported")
          expect(yield* sandbox.requestCount).toBe(before)
        })
      )
    )
  })

  describe("payment links", () => {
    it.effect("creates a link carrying every mapped field", () =>
      withAutocore({ source: "Autocore WebApp" })(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const reference = uniqueReference("BK/ñ#")
          const started = Date.now()
          const link = yield* (yield* PaymentLinks).create({
            reference,
            description: "Reserva de 3 dias en Hotel ABC",
            amount: Money.make("120000", "COP"),
            payer: { ...payer, phone: { callingCode: "+57", number: "3012104512" }, country: "CO" },
            expiresIn: "90 minutes",
            booking: { checkIn: "2026-01-27", checkOut: "2026-01-29", reservationId: "BK-00230690" },
            paymentMethods: ["card", "pse", "nequi"],
            returnUrls: { success: "https://hotel.example/ok", failure: "https://hotel.example/ko" },
            installments: 2
          })
          expect(link.provider).toBe("autocore")
          expect(link.merchantId).toBe("hotel-abc")
          expect(link.reference).toBe(reference)
          expect(link.status).toBe("active")
          expect(link.url).toBe(`${sandbox.baseUrl}/__sandbox/autocore/app/payment/hotel_abc/${link.id}`)
          expect(link.id).toMatch(/^[a-z0-9]{12}$/)
          // 90 minutes is sent as 2 hours: the link reports the expiry Autocore will apply.
          const lifetime = link.expiresAt!.getTime() - started
          expect(lifetime).toBeGreaterThanOrEqual(2 * 3_600_000 - 1000)
          expect(lifetime).toBeLessThanOrEqual(2 * 3_600_000 + 5000)
          const stored = (yield* sandbox.state).links.find((l) => l.code === link.id)!
          expect(stored).toMatchObject({
            hotelId: 5,
            amount: 120000,
            currency: "COP",
            guestName: "Laura Pelaez",
            email: "laura@example.com",
            source: "Autocore WebApp",
            externalRefId: reference,
            reservationId: "BK-00230690",
            availableHours: 2,
            installments: 2,
            allowedPaymentOptions: ["credit_card", "pse", "nequi"],
            bookingDates: "2026-01-27 - 2026-01-29",
            successUrl: "https://hotel.example/ok",
            failureUrl: "https://hotel.example/ko"
          })
          expect(AutocoreWebhooks.verifyWebhookUrl(stored.tempWebhookUrl!, "hotel-abc", reference, webhookSecret)).toBe(
            true
          )
          expect(stored.tempWebhookUrl!.startsWith(`${(yield* WebhookReceiver).url}?`)).toBe(true)
        })
      )
    )

    it.effect("notifies the link's payment with a verified event", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const reference = uniqueReference("PAY")
          const link = yield* (yield* PaymentLinks).create({
            reference,
            description: "Reserva",
            amount: Money.make("120000", "COP"),
            payer
          })
          yield* sandbox.payLink(link.id)
          const { event } = yield* eventFor(reference)
          expect(event).toMatchObject({
            provider: "autocore",
            merchantId: "hotel-abc",
            type: "payment.approved",
            subject: { kind: "link", id: link.id },
            reference,
            providerStatus: "applied",
            verified: true
          })
          expect(Money.equals(event.amount!, Money.make("120000", "COP"))).toBe(true)
        })
      )
    )

    it.effect("states the operation's currency in its events, never the hotel's by default", () =>
      withAutocore({ sendCurrency: true })(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const reference = uniqueReference("USD")
          const link = yield* (yield* PaymentLinks).create({
            reference,
            description: "Reserva",
            amount: Money.make("250", "USD"),
            payer
          })
          yield* sandbox.payLink(link.id)
          const { event } = yield* eventFor(reference)
          expect(Money.equals(event.amount!, Money.make("250", "USD"))).toBe(true)
          const input = chargeInput("36417002140808", { amount: Money.make("99.50", "USD") })
          const charge = yield* (yield* Charges).create(input)
          yield* sandbox.settleCharge(charge.id)
          const settled = yield* eventFor(input.reference)
          expect(Money.equals(settled.event.amount!, Money.make("99.50", "USD"))).toBe(true)
        })
      )
    )

    it.effect("notifies a declined attempt, and reads Autocore's older payloads without details", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const reference = uniqueReference("DECL")
          const link = yield* (yield* PaymentLinks).create({
            reference,
            description: "Reserva",
            amount: Money.make("120000", "COP"),
            payer
          })
          yield* sandbox.payLink(link.id, "declined")
          const declined = yield* eventFor(reference)
          expect(declined.event).toMatchObject({ type: "payment.declined", detail: "Fondos insuficientes." })
          // A declined attempt leaves the link payable; this payment is notified in the legacy shape.
          yield* sandbox.payLink(link.id, "approved", { legacy: true })
          const approved = yield* eventFor(reference)
          expect(JSON.parse(approved.raw.body)).not.toHaveProperty("details")
          expect(approved.event).toMatchObject({
            type: "payment.approved",
            providerStatus: "Aplicado",
            subject: { kind: "link" },
            verified: true
          })
          expect(approved.event.dedupeKey).not.toBe(declined.event.dedupeKey)
        })
      )
    )

    it.effect("refuses a fractional amount and a missing payer before any request", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const before = yield* sandbox.requestCount
          const links = yield* PaymentLinks
          const fractional = yield* reasonOf(
            links.create({ reference: "R", description: "D", amount: Money.make("10.50", "COP"), payer })
          )
          expect(fractional._tag).toBe("InvalidRequest")
          const unsupported = yield* reasonOf(
            links.create({ reference: "R", description: "D", amount: Money.make("10", "COP"), payer, locale: "es_CO" })
          )
          expect(unsupported._tag).toBe("Unsupported")
          expect(yield* sandbox.requestCount).toBe(before)
        })
      )
    )
  })

  describe("failures Autocore reports", () => {
    const link = { reference: "R-1", description: "Reserva", amount: Money.make("1000", "COP"), payer }

    it.effect("wrong keys: Authentication (401), for API-key and token endpoints alike", () =>
      withAutocore({ secretKey: Redacted.make("not-the-secret") })(
        Effect.gen(function* () {
          const viaApiKey = yield* reasonOf((yield* PaymentLinks).create(link))
          expect(viaApiKey._tag).toBe("Authentication")
          const viaToken = yield* reasonOf((yield* Charges).create(chargeInput("4111111111111111")))
          expect(viaToken._tag).toBe("Authentication")
          if (viaToken._tag === "Authentication") expect(viaToken.code).toBe("401")
          const hotels = yield* failureOf((yield* AutocoreHotels).list())
          expect(hotels.reason._tag).toBe("Authentication")
          expect(hotels.isRetrySafe).toBe(false)
        })
      )
    )

    it.effect("a hotel of another account: Authentication (403) with a hint", () =>
      withAutocore({ hotelId: secondAccount.hotels[0]!.id })(
        Effect.gen(function* () {
          const reason = yield* reasonOf((yield* PaymentLinks).create(link))
          expect(reason._tag).toBe("Authentication")
          if (reason._tag === "Authentication") {
            expect(reason.code).toBe("403")
            expect(reason.hint).toContain(`hotel ${secondAccount.hotels[0]!.id}`)
          }
        })
      )
    )

    it.effect("an unknown hotel: NotFound (404)", () =>
      withAutocore({ hotelId: 999_999 })(
        Effect.gen(function* () {
          expect((yield* reasonOf((yield* PaymentLinks).create(link)))._tag).toBe("NotFound")
        })
      )
    )

    it.effect("a body Autocore refuses: InvalidRequest (400) with its detail", () =>
      withAutocore({ source: "Not A Source" })(
        Effect.gen(function* () {
          const reason = yield* reasonOf((yield* PaymentLinks).create(link))
          expect(reason._tag).toBe("InvalidRequest")
          if (reason._tag === "InvalidRequest") expect(reason.issues[0]!.message).toContain("source")
        })
      )
    )

    it.effect("an account with several sources needs one", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const second = Autocore.layer(
          options(sandbox.baseUrl, {
            accessKey: secondAccount.accessKey,
            secretKey: Redacted.make(secondAccount.secretKey),
            hotelId: secondAccount.hotels[0]!.id
          })
        )
        const refused = yield* reasonOf(
          Effect.flatMap(PaymentLinks, (l) => l.create(link)).pipe(Effect.provide(second))
        )
        expect(refused._tag).toBe("InvalidRequest")
        const created = yield* Effect.flatMap(PaymentLinks, (l) =>
          l.create({ ...link, providerOptions: { autocore: { source: "Bitrix24" } } })
        ).pipe(Effect.provide(second))
        expect(created.status).toBe("active")
      })
    )

    it.effect("nothing listening: ProviderUnavailable, safe to retry, for links and charges", () =>
      Effect.gen(function* () {
        const port = yield* closedPort
        const services = Autocore.layer(options(`http://127.0.0.1:${port}`))
        const linkError = yield* failureOf(
          Effect.flatMap(PaymentLinks, (l) => l.create(link)).pipe(Effect.provide(services))
        )
        expect(linkError.reason._tag).toBe("ProviderUnavailable")
        expect(linkError.isRetrySafe).toBe(true)
        expect(linkError.mayHaveTakenEffect).toBe(false)
        const chargeError = yield* failureOf(
          Effect.flatMap(Charges, (c) => c.create(chargeInput("4111111111111111"))).pipe(Effect.provide(services))
        )
        expect(chargeError.reason._tag).toBe("ProviderUnavailable")
      })
    )

    it.effect("an expired auth token: Authentication, and hotel listing does not retry it", () =>
      Effect.gen(function* () {
        const skewed = yield* Effect.scoped(
          Effect.gen(function* () {
            const sandbox = yield* countedSandbox({ authClockSkew: "31 seconds" })
            const error = yield* failureOf(
              Effect.flatMap(AutocoreHotels, (h) => h.list()).pipe(
                Effect.provide(Autocore.layer(options(sandbox.baseUrl)))
              )
            )
            return { error, requests: yield* sandbox.requestCount }
          })
        )
        expect(skewed.error.reason._tag).toBe("Authentication")
        expect(skewed.requests).toBe(1)
      })
    )
  })

  describe("card charges", () => {
    it.effect("approves 4111111111111111 at once", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const input = chargeInput("4111111111111111", { taxRate: "0.19", serviceRate: "0.1", installments: 2 })
          const result = yield* (yield* Charges).create(input)
          expect(result).toMatchObject({
            provider: "autocore",
            merchantId: "hotel-abc",
            reference: input.reference,
            outcome: "approved",
            providerStatus: "applied",
            lastDigits: "1111"
          })
          expect(result.id).toMatch(/^RB-\d+$/)
          expect(result.voucherUrl).toMatch(new RegExp(`^${sandbox.baseUrl}/v2/terminal-payments/\\d+/vouchers$`))
          expect(result.processedAt).toBeInstanceOf(Date)
          const stored = (yield* sandbox.state).charges.find((c) => c.refNumber === input.reference)!
          expect(stored).toMatchObject({
            amount: 1000,
            installments: 2,
            cardLast4: "1111",
            externalRefId: input.reference
          })
        })
      )
    )

    it.effect("declines 1111111111111111 as a result, not an error", () =>
      withAutocore()(
        Effect.gen(function* () {
          const result = yield* (yield* Charges).create(chargeInput("1111111111111111"))
          expect(result.outcome).toBe("declined")
          expect(result.providerStatus).toBe("rejected")
          expect(result.declineReason).toBe("Fondos insuficientes.")
        })
      )
    )

    it.effect("36417002140808 is pending, then approved by webhook", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const input = chargeInput("36417002140808")
          const result = yield* (yield* Charges).create(input)
          expect(result.outcome).toBe("pending")
          expect(result.providerStatus).toBe("in_process")
          yield* sandbox.settleCharge(result.id)
          const { event } = yield* eventFor(input.reference)
          expect(event).toMatchObject({
            type: "payment.approved",
            subject: { kind: "charge", id: result.id },
            reference: input.reference,
            verified: true
          })
        })
      )
    )

    it.effect("5555555555554444 is pending, then declined by webhook", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const input = chargeInput("5555555555554444")
          const result = yield* (yield* Charges).create(input)
          expect(result.outcome).toBe("pending")
          yield* sandbox.settleCharge(result.id)
          const { event } = yield* eventFor(input.reference)
          expect(event.type).toBe("payment.declined")
          expect(event.detail).toBe("Fondos insuficientes.")
        })
      )
    )

    it.effect("a card Autocore does not know is declined as invalid", () =>
      withAutocore()(
        Effect.gen(function* () {
          const result = yield* (yield* Charges).create(chargeInput("4242424242424242"))
          expect(result.outcome).toBe("declined")
          expect(result.providerStatus).toBe("invalid_card")
        })
      )
    )

    it.effect("refuses an expired card before any request", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const before = yield* sandbox.requestCount
          const lastYear = new Date().getUTCFullYear() - 1
          const reason = yield* reasonOf(
            (yield* Charges).create(
              chargeInput("4111111111111111", {
                card: Card.make({
                  number: "4111111111111111",
                  cvv: "123",
                  expiryMonth: 12,
                  expiryYear: lastYear,
                  holderName: "JOHN DOE"
                })
              })
            )
          )
          expect(reason._tag).toBe("InvalidRequest")
          expect(yield* sandbox.requestCount).toBe(before)
        })
      )
    )

    it.effect("lists every bad field at once: Autocore's own rules beside the shared schema's", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const before = yield* sandbox.requestCount
          const lastYear = new Date().getUTCFullYear() - 1
          const reason = yield* reasonOf(
            (yield* Charges).create(
              chargeInput("4111111111111111", {
                description: "d".repeat(100),
                amount: Money.make("1000", "USD"),
                payer: { name: "Laura", email: "not-an-email" },
                card: Card.make({
                  number: "4111111111111111",
                  cvv: "12345",
                  expiryMonth: 12,
                  expiryYear: lastYear,
                  holderName: "JOHN DOE"
                })
              })
            )
          )
          expect(reason._tag).toBe("InvalidRequest")
          if (reason._tag === "InvalidRequest") {
            expect(reason.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
              "payer.email: must be an email address",
              "card.cvv: must be 3 or 4 digits",
              "payer.surname: is required by Autocore (ref_lastname)",
              "description: Autocore takes at most 99 characters for a charge",
              "amount: Autocore charges are made in COP; enable sendCurrency to charge in USD",
              "card: has expired"
            ])
          }
          const link = yield* reasonOf(
            (yield* PaymentLinks).create({
              reference: "",
              description: "Reserva",
              amount: Money.make("1000.50", "COP"),
              payer: { name: "Laura" }
            })
          )
          expect(link._tag === "InvalidRequest" && link.issues.map((i) => i.path)).toEqual([
            "reference",
            "payer.email",
            "amount"
          ])
          expect(yield* sandbox.requestCount).toBe(before)
        })
      )
    )

    it.effect("without a card cipher, charges fail with Configuration before any request", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const before = yield* sandbox.requestCount
        const { cardEncryptionKey: _, ...noKey } = options(sandbox.baseUrl)
        const reason = yield* reasonOf(
          Effect.flatMap(Charges, (c) => c.create(chargeInput("4111111111111111"))).pipe(
            Effect.provide(Autocore.layer(noKey))
          )
        )
        expect(reason._tag).toBe("Configuration")
        expect(yield* sandbox.requestCount).toBe(before)
      })
    )

    it.effect("uses the integrator's CardCipher layer when one is provided", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        let calls = 0
        const standard = Auth.cardCipherFromKey(Redacted.make(account.cardEncryptionKey))
        const counting = Layer.succeed(Auth.CardCipher, {
          encrypt: (plaintext) => Effect.tap(standard.encrypt(plaintext), () => Effect.sync(() => calls++))
        })
        const { cardEncryptionKey: _, ...noKey } = options(sandbox.baseUrl)
        const result = yield* Effect.flatMap(Charges, (c) => c.create(chargeInput("4111111111111111"))).pipe(
          Effect.provide(Autocore.layer(noKey).pipe(Layer.provide(counting)))
        )
        expect(result.outcome).toBe("approved")
        expect(calls).toBe(5)
        // A cipher Autocore cannot read: the request is refused (nothing charged).
        const wrongKey = Auth.cardCipherLayer(Redacted.make("some-other-key"))
        const reason = yield* reasonOf(
          Effect.flatMap(Charges, (c) => c.create(chargeInput("4111111111111111"))).pipe(
            Effect.provide(Autocore.layer(options(sandbox.baseUrl)).pipe(Layer.provide(wrongKey)))
          )
        )
        expect(reason._tag).toBe("InvalidRequest")
      })
    )
  })

  describe("cash orders and gift cards", () => {
    it.effect("creates a cash order, paid later by webhook", () =>
      withAutocore({ hotelId: 103 })(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const reference = uniqueReference("CASH")
          const result = yield* (yield* PaymentOrders).create(orderInput({ reference, taxRate: "0.19" }))
          expect(result).toMatchObject({ provider: "autocore", reference, status: "pending" })
          expect(result.checkoutUrl).toContain(result.id)
          const stored = (yield* sandbox.state).orders.find((o) => o.transactionId === result.id)!
          expect(stored).toMatchObject({
            paymentType: "daviplata",
            userType: "N",
            fiscalNumberType: "CC",
            amount: 123000
          })
          yield* sandbox.payOrder(result.id)
          const { event } = yield* eventFor(reference)
          expect(event).toMatchObject({ type: "payment.approved", subject: { kind: "order", id: result.id } })
        })
      )
    )

    it.effect("creates a gift card whose link payment arrives by webhook", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const reference = uniqueReference("GC")
          const card = yield* (yield* GiftCards).create(giftCardInput({ reference }))
          expect(card.status).toBe("pending_payment")
          expect(card.code).toMatch(/^[A-Z0-9]{10}$/)
          expect(card.paymentLink.id).toMatch(/^GC_/)
          yield* sandbox.payLink(card.paymentLink.id)
          const { event } = yield* eventFor(reference)
          expect(event).toMatchObject({ type: "payment.approved", subject: { kind: "giftCard", id: card.code } })
          const stored = (yield* sandbox.state).giftCards.find((g) => g.giftCardCode === card.code)!
          expect(stored.status).toBe("active")
        })
      )
    )
  })

  describe("hotels", () => {
    it.effect("lists a page and walks every page", () =>
      withAutocore()(
        Effect.gen(function* () {
          const hotels = yield* AutocoreHotels
          const first = yield* hotels.list({ limit: 3 })
          expect(first.hotels.map((h) => h.id)).toEqual([1, 5, 103])
          expect(first).toMatchObject({ offset: 0, totalItems: 4, totalPages: 2, hasMore: true })
          const second = yield* hotels.list({ offset: 3, limit: 3 })
          expect(second.hotels).toEqual([{ id: 7, name: "Hotel Playa", currency: "USD" }])
          expect(second.hasMore).toBe(false)
          expect((yield* hotels.all).map((h) => h.id)).toEqual(account.hotels.map((h) => h.id))
          const reason = yield* reasonOf(hotels.list({ limit: 500 }))
          expect(reason._tag).toBe("InvalidRequest")
        })
      )
    )
  })

  describe("configuration", () => {
    it.effect("layerConfig reads options from Config, secrets redacted", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const provider = ConfigProvider.fromMap(
          new Map([
            ["AUTOCORE_ACCESS_KEY", account.accessKey],
            ["AUTOCORE_SECRET_KEY", account.secretKey],
            ["AUTOCORE_BASE_URL", sandbox.baseUrl],
            ["AUTOCORE_HOTEL_ID", "5"],
            ["AUTOCORE_WEBHOOK_SECRET", Redacted.value(webhookSecret)],
            ["AUTOCORE_MERCHANT_ID", "hotel-abc"],
            ["AUTOCORE_TIMEOUT", "10 seconds"]
          ]),
          { pathDelim: "_" }
        )
        const link = yield* Effect.flatMap(PaymentLinks, (l) =>
          l.create({
            reference: uniqueReference("CFG"),
            description: "Reserva",
            amount: Money.make("1000", "COP"),
            payer
          })
        ).pipe(Effect.provide(Autocore.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(provider)))))
        expect(link.merchantId).toBe("hotel-abc")
        const options = yield* Autocore.config().pipe(Effect.withConfigProvider(provider))
        expect(String(options.secretKey)).toBe("<redacted>")
        expect(options.timeZone).toBeUndefined()
        const production = yield* Autocore.config().pipe(
          Effect.withConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["AUTOCORE_ACCESS_KEY", "K"],
                ["AUTOCORE_SECRET_KEY", "S"],
                ["AUTOCORE_BASE_URL", "production"],
                ["AUTOCORE_HOTEL_ID", "5"],
                ["AUTOCORE_WEBHOOK_SECRET", "W"]
              ]),
              { pathDelim: "_" }
            )
          )
        )
        // The options schema turns a preset's name into its URL.
        expect(baseUrlOf(production.baseUrl)).toBe(Autocore.environments.production)
        // Another prefix for another hotel, and each option its own Config (`Config.Config.Wrap`).
        const cartagena = yield* Autocore.config("CARTAGENA").pipe(
          Effect.withConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["CARTAGENA_ACCESS_KEY", "K2"],
                ["CARTAGENA_SECRET_KEY", "S2"],
                ["CARTAGENA_BASE_URL", "development"],
                ["CARTAGENA_HOTEL_ID", "7"],
                ["CARTAGENA_WEBHOOK_SECRET", "W2"]
              ]),
              { pathDelim: "_" }
            )
          )
        )
        expect([cartagena.accessKey, cartagena.hotelId, baseUrlOf(cartagena.baseUrl)]).toEqual([
          "K2",
          7,
          Autocore.environments.development
        ])
        const wrapped = yield* Effect.flatMap(PaymentLinks, (l) =>
          l.create({
            reference: uniqueReference("WRAP"),
            description: "Reserva",
            amount: Money.make("1000", "COP"),
            payer
          })
        ).pipe(
          Effect.provide(
            Autocore.layerConfig({
              accessKey: Config.succeed(account.accessKey),
              secretKey: Config.succeed(Redacted.make(account.secretKey)),
              baseUrl: Config.succeed(sandbox.baseUrl),
              hotelId: Config.succeed(5),
              webhookSecret: Config.succeed(webhookSecret),
              merchantId: Config.string("HOTEL_MERCHANT")
            }).pipe(
              Layer.provide(
                Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["HOTEL_MERCHANT", "hotel-wrapped"]])))
              )
            )
          )
        )
        expect(wrapped.merchantId).toBe("hotel-wrapped")
      })
    )
  })

  describe("webhook delivery", () => {
    it.effect("re-delivered until answered 200; the duplicate is handled once", () =>
      withAutocore()(
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const receiver = yield* WebhookReceiver
          const webhooks = yield* Webhooks
          const seen = new Set<string>()
          const keys: Array<string> = []
          const handled: Array<string> = []
          let deliveries = 0
          // The intake a merchant writes: verify, handle each fact once (dedupe key), answer as Autocore
          // expects. The first delivery is handled but answered 500, as if the process died before replying.
          yield* receiver.respondWith((raw) =>
            webhooks.verify(raw).pipe(
              Effect.map((event) => {
                keys.push(event.dedupeKey)
                if (!seen.has(event.dedupeKey)) {
                  seen.add(event.dedupeKey)
                  handled.push(event.reference)
                }
                return ++deliveries === 1 ? 500 : webhooks.replies.accepted.status
              }),
              Effect.catchAll(() => Effect.succeed(webhooks.replies.rejected.status))
            )
          )
          const reference = uniqueReference("RETRY")
          const link = yield* (yield* PaymentLinks).create({
            reference,
            description: "Reserva",
            amount: Money.make("1000", "COP"),
            payer
          })
          yield* sandbox.payLink(link.id)
          const attempts = yield* eventually(
            Effect.map(sandbox.webhookDeliveries, (all) =>
              all.filter((d) => d.url.startsWith(receiver.url) && JSON.stringify(d.body).includes(reference))
            ),
            (all) => all.some((d) => d.status === 200)
          )
          expect(attempts.map((d) => d.status)).toEqual([500, 200])
          // Both deliveries carried the same fact: one dedupe key, handled once.
          expect(keys).toHaveLength(2)
          expect(keys[0]).toBe(keys[1])
          expect(handled).toEqual([reference])
          yield* receiver.respondWith(() => Effect.succeed(200))
        })
      )
    )
  })
})
