/**
 * Secrets never reach logs or spans: a full lifecycle (plus failures and retries) runs with a
 * logger capturing everything at LogLevel.All and a tracer recording every span, attribute, event
 * and exit; none of the site secret, tranKeys, nonces or the card number may appear.
 */

import { describe, expect, it } from "@effect/vitest"
import { Money, PaymentLinks, Webhooks } from "@pasarela/core"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Tracer from "effect/Tracer"
import { PlacetoPay } from "../src/index.js"

import {
  APPROVED_CARD,
  closedPort,
  environment,
  Receiver,
  RequestLog,
  Sandbox,
  site1,
  siteOptions,
  withAdapter
} from "./support.js"

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const capturingTracer = (native: Tracer.Tracer, sink: Array<string>): Tracer.Tracer =>
  Tracer.make({
    span(name, parent, context, links, startTime, kind, options) {
      const span = native.span(name, parent, context, links, startTime, kind, options)
      sink.push(`span ${name} ${JSON.stringify(options?.attributes ?? {})}`)
      const attribute = span.attribute.bind(span)
      const event = span.event.bind(span)
      const end = span.end.bind(span)
      return Object.assign(span, {
        attribute: (key: string, value: unknown) => {
          sink.push(`attribute ${name} ${key}=${String(value)}`)
          attribute(key, value)
        },
        event: (eventName: string, time: bigint, attributes?: Record<string, unknown>) => {
          sink.push(`event ${name} ${eventName} ${JSON.stringify(attributes ?? {})}`)
          event(eventName, time, attributes)
        },
        end: (endTime: bigint, exit: Exit.Exit<unknown, unknown>) => {
          sink.push(`end ${name} ${Exit.isFailure(exit) ? Cause.pretty(exit.cause, { renderErrorCause: true }) : "ok"}`)
          end(endTime, exit)
        }
      })
    },
    context: (f, fiber) => native.context(f, fiber)
  })

const captureLogger = (sink: Array<string>) =>
  Logger.make((options) => {
    sink.push(Logger.logfmtLogger.log(options))
    sink.push(JSON.stringify(Logger.structuredLogger.log(options)))
  })

describe("logs and spans", () => {
  it.scopedLive("carry no secret, tranKey, nonce or card number through a full lifecycle", () => {
    const sink: Array<string> = []
    const wrongSecret = "wrong-secret-that-must-not-leak"

    const lifecycle = Effect.gen(function* () {
      const links = yield* PaymentLinks
      const webhooks = yield* Webhooks
      const sandbox = yield* Sandbox
      const receiver = yield* Receiver
      yield* Effect.logInfo("lifecycle starts")
      const link = yield* links.create({
        reference: `BK-log-${Date.now()}`,
        description: "2 noches",
        amount: Money.make("120000", "COP"),
        payer: { name: "Laura", email: "laura@example.com", phone: { callingCode: "+57", number: "3001234567" } },
        notificationUrl: receiver.url,
        metadata: { room: "201" }
      })
      yield* links.get(link.id)
      yield* sandbox.payLink(Number(link.id), { number: APPROVED_CARD, cvv: "123", expiry: "12/2099" })
      expect((yield* links.get(link.id)).status).toBe("paid")
      const raw = yield* receiver.take.pipe(Effect.timeout(Duration.seconds(5)))
      yield* webhooks.verify(raw)
      yield* webhooks.verify({ ...raw, body: raw.body.replace('"PAID"', '"EXPIRED"') }).pipe(Effect.flip)
      yield* links.disable(link.id)
      yield* links.disable(link.id).pipe(Effect.flip)
      yield* links.get("999999").pipe(Effect.flip)
      yield* withAdapter(
        Effect.flatMap(PaymentLinks, (l) => l.get(link.id)),
        site1,
        { secretKey: Redacted.make(wrongSecret) }
      ).pipe(Effect.flip)
      // Retries log too: a query against a closed port is retried, then fails.
      const port = yield* closedPort
      yield* Effect.flatMap(PaymentLinks, (l) => l.get(link.id)).pipe(
        Effect.provide(PlacetoPay.layer({ ...siteOptions(site1, `http://127.0.0.1:${port}`), merchantId: "hotel-9" })),
        Effect.flip
      )
      return yield* Effect.flatMap(RequestLog, Ref.get)
    })

    return Effect.gen(function* () {
      const native = yield* Effect.tracer
      const sent = yield* lifecycle.pipe(
        Effect.provide(environment()),
        Effect.provide(Logger.replace(Logger.defaultLogger, captureLogger(sink))),
        Logger.withMinimumLogLevel(LogLevel.All),
        Effect.withTracer(capturingTracer(native, sink))
      )
      const text = sink.join("\n")

      // The capture saw the adapter's work (so the absence checks below mean something).
      expect(text).toContain("span placetopay.links.create")
      expect(text).toContain("span pasarela.links.create")
      expect(text).toContain("attribute placetopay.links.get http.response.status_code=200")
      expect(text).toContain("attribute placetopay.links.get pasarela.outcome=Authentication")
      expect(text).toContain("PlacetoPay links.get failed: Authentication")
      expect(text).toContain("retrying in")
      // Each attempt is its own client span with provider, merchant, operation, attempt number and endpoint.
      for (const attempt of [1, 2, 3]) {
        const attributes = JSON.stringify({
          "pasarela.provider": "placetopay",
          "pasarela.merchant": "hotel-9",
          "pasarela.operation": "links.get",
          "pasarela.attempt": attempt,
          "http.request.method": "POST"
        })
        expect(text).toMatch(
          new RegExp(
            `span placetopay\\.links\\.get ${escapeRegExp(attributes.slice(0, -1))},"server\\.address":"[^"]+","url\\.path":"/api/payment-link/\\d+"\\}`
          )
        )
      }
      // The HTTP client's own span is off for PlacetoPay requests: the attempt span is their client span.
      expect(text).not.toMatch(/attribute http\.client POST url\.path=\/api\/payment-link/)
      expect(text).toContain("attribute placetopay.links.get pasarela.outcome=ProviderUnavailable")
      expect(text).toContain("lifecycle starts")

      const auths = sent
        .filter((r) => r.body !== "")
        .map((r) => (JSON.parse(r.body) as { auth: { tranKey: string; nonce: string } }).auth)
      expect(auths.length).toBeGreaterThanOrEqual(11)
      const secrets = [site1.secretKey, wrongSecret, APPROVED_CARD, ...auths.flatMap((a) => [a.tranKey, a.nonce])]
      for (const secret of secrets) expect(text).not.toContain(secret)
    })
  })
})
