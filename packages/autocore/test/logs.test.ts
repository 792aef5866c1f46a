/**
 * Runs every operation (and failures) with every log line and span captured, then checks that no
 * secret, credential, card datum or ciphertext appears anywhere in them.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Card, Charges, GiftCards, Money, PaymentLinks, PaymentOrders, Webhooks } from "@pasarela/core"
import { type RecordedSpan, recordingTracer } from "@pasarela/testing"
import { failureOf } from "@pasarela/testing/helpers"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Auth from "../src/Auth.js"
import * as Autocore from "../src/Autocore.js"
import { AutocoreHotels } from "../src/Autocore.js"
import * as AutocoreWebhooks from "../src/Webhooks.js"
import { giftCardInput, orderInput } from "./fixtures.js"
import {
  account,
  futureYear,
  options,
  ReceiverLive,
  Sandbox,
  SandboxLive,
  uniqueReference,
  WebhookReceiver,
  webhookSecret
} from "./support.js"

const Live = Layer.mergeAll(SandboxLive(), ReceiverLive, NodeHttpClient.layerUndici)

layer(Live, { excludeTestServices: true })("what reaches logs and spans", (it) => {
  it.effect("never holds secrets, tokens, card data or ciphertext", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const receiver = yield* WebhookReceiver
      const lines: Array<string> = []
      const spans: Array<RecordedSpan> = []
      const ciphertexts: Array<string> = []
      const capture = Logger.make((entry) => {
        lines.push(
          JSON.stringify({
            level: entry.logLevel.label,
            message: entry.message,
            annotations: Object.fromEntries(entry.annotations),
            spans: [...entry.spans].map((s) => s.label),
            cause: Cause.isEmpty(entry.cause) ? undefined : Cause.pretty(entry.cause)
          })
        )
      })
      const standard = Auth.cardCipherFromKey(Redacted.make(account.cardEncryptionKey))
      const recordingCipher = Layer.succeed(Auth.CardCipher, {
        encrypt: (plaintext) => Effect.tap(standard.encrypt(plaintext), (c) => Effect.sync(() => ciphertexts.push(c)))
      })
      // An HTTP client that logs request headers the Effect way, redacting `Headers.currentRedactedNames`
      // (the adapter's own spans carry no headers, and the HTTP client's span is off).
      const headerLogging = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (client) =>
          HttpClient.tapRequest(client, (request) =>
            Effect.flatMap(FiberRef.get(Headers.currentRedactedNames), (names) =>
              Effect.logInfo(`request headers ${JSON.stringify(Headers.redact(request.headers, names))}`)
            )
          )
        )
      )
      const services = Autocore.layer(options(sandbox.baseUrl, { notificationUrl: receiver.url })).pipe(
        Layer.provide(recordingCipher),
        Layer.provide(headerLogging)
      )
      const wrongSecret = "definitely-not-the-secret-key"
      const wrong = Autocore.layer(options(sandbox.baseUrl, { secretKey: Redacted.make(wrongSecret) })).pipe(
        Layer.provide(headerLogging)
      )

      const cvv = "9731"
      const holder = "ZELDA QUIXOTE"
      const card = (number: string) =>
        Card.make({ number, cvv, expiryMonth: 11, expiryYear: futureYear, holderName: holder, skipLuhnCheck: true })
      const payer = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }

      // The simulator's own deliveries stand for Autocore, outside the adapter: not traced here.
      const autocoreSide = <A, E>(effect: Effect.Effect<A, E>) => Effect.withTracerEnabled(effect, false)

      const everything = Effect.gen(function* () {
        const links = yield* PaymentLinks
        const charges = yield* Charges
        const webhooks = yield* Webhooks
        const linkRef = uniqueReference("LOG")
        const link = yield* links.create({
          reference: linkRef,
          description: "Reserva",
          amount: Money.make("1000", "COP"),
          payer
        })
        yield* autocoreSide(sandbox.payLink(link.id))
        for (const number of ["4111111111111111", "1111111111111111", "36417002140808"]) {
          const result = yield* charges.create({
            reference: uniqueReference("LOGCH"),
            amount: Money.make("1000", "COP"),
            payer,
            card: card(number)
          })
          if (result.outcome === "pending") yield* autocoreSide(sandbox.settleCharge(result.id))
        }
        yield* (yield* PaymentOrders).create(orderInput({ reference: uniqueReference("LOGCASH") }))
        yield* (yield* GiftCards).create(giftCardInput({ reference: uniqueReference("LOGGC") }))
        yield* (yield* AutocoreHotels).all
        // Two notifications (link paid, charge settled), verified; then a forged one, rejected.
        const first = yield* receiver.take
        const second = yield* receiver.take
        yield* webhooks.verify(first)
        yield* webhooks.verify(second)
        yield* failureOf(webhooks.verify({ ...first, url: "/autocore/webhooks?pasarela_token=forged" }))
        // An expired card, refused before sending.
        yield* failureOf(
          charges.create({
            reference: "LOG-EXPIRED",
            amount: Money.make("1000", "COP"),
            payer,
            card: Card.make({ number: "4111111111111111", cvv, expiryMonth: 1, expiryYear: 2020, holderName: holder })
          })
        )
        return [first, second] as const
      }).pipe(Effect.provide(services))

      const failures = Effect.gen(function* () {
        yield* failureOf(
          Effect.flatMap(Charges, (c) =>
            c.create({ reference: "LOG-401", amount: Money.make("1000", "COP"), payer, card: card("4111111111111111") })
          )
        )
        yield* failureOf(
          Effect.flatMap(PaymentLinks, (l) =>
            l.create({ reference: "LOG-401", description: "Reserva", amount: Money.make("1000", "COP"), payer })
          )
        )
      }).pipe(Effect.provide(wrong))

      const notifications = yield* Effect.zipLeft(everything, failures).pipe(
        Effect.withTracer(recordingTracer(spans)),
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )

      const spanText = spans.map((s) =>
        JSON.stringify({
          name: s.name,
          attributes: Object.fromEntries([...s.attributes].map(([k, v]) => [k, String(v)])),
          events: s.events,
          exit: s.exit
        })
      )
      const captured = [...lines, ...spanText].join("\n")

      // The capture is real: operations, HTTP statuses, outcomes and redacted credential headers are there.
      const names = spans.map((s) => s.name)
      for (const name of [
        "autocore.links.create",
        "autocore.charges.create",
        "autocore.orders.create",
        "autocore.giftCards.create",
        "autocore.hotels.list",
        "pasarela.webhooks.verify"
      ]) {
        expect(names).toContain(name)
      }
      const chargeSpans = spans.filter((s) => s.name === "autocore.charges.create")
      expect(chargeSpans.map((s) => s.attributes.get("http.response.status_code"))).toEqual(
        expect.arrayContaining([200, 400, 401])
      )
      expect(chargeSpans.map((s) => s.attributes.get("pasarela.outcome"))).toEqual(
        expect.arrayContaining(["ok", "Authentication"])
      )
      const headerLines = lines.filter((line) => line.includes("request headers"))
      expect(headerLines.some((line) => line.includes('\\"auth_token\\":\\"<redacted>\\"'))).toBe(true)
      expect(headerLines.some((line) => line.includes('\\"secret_key\\":\\"<redacted>\\"'))).toBe(true)
      expect(spans.some((s) => [...s.attributes.keys()].some((key) => key.startsWith("http.request.header.")))).toBe(
        false
      )
      expect(lines.some((line) => line.includes("autocore call failed"))).toBe(true)
      expect(lines.some((line) => line.includes("autocore notification rejected"))).toBe(true)
      expect(ciphertexts).toHaveLength(15)

      const webhookTokens = notifications.map(
        (n) => new URL(n.url, "http://x").searchParams.get(AutocoreWebhooks.TOKEN_PARAM)!
      )
      const forbidden = [
        account.secretKey,
        account.cardEncryptionKey,
        wrongSecret,
        Redacted.value(webhookSecret),
        // Every auth token of this access key starts so (Base64 of "TESTACCESSKEY00").
        "VEVTVEFDQ0VTU0tFWTAw",
        "4111111111111111",
        "1111111111111111",
        "36417002140808",
        cvv,
        holder,
        ...webhookTokens,
        ...ciphertexts
      ]
      for (const secret of forbidden) {
        const at = captured.indexOf(secret)
        expect(at, captured.slice(Math.max(0, at - 300), at + 50)).toBe(-1)
      }
    })
  )
})
