/**
 * Failure classification for answers the simulator does not produce (gateway errors, rate limits,
 * broken connections, silence, undecodable bodies), against a tiny loopback HTTP server that
 * answers exactly what each test scripts.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import {
  CallOptions,
  Charges,
  Money,
  type PaymentError,
  PaymentLinks,
  PaymentOrders,
  ProviderHttp
} from "@pasarela/core"
import { refusingHttpClient, urlRefusingHttpClient } from "@pasarela/testing"
import { failureOf } from "@pasarela/testing/helpers"
import {
  hangUp,
  jsonAnswer as json,
  type ScriptedServer,
  scriptedServer as scripted,
  silence
} from "@pasarela/testing/node"
import * as Clock from "effect/Clock"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Autocore from "../src/Autocore.js"
import { AutocoreHotels } from "../src/Autocore.js"
import * as Client from "../src/Client.js"
import { orderInput } from "./fixtures.js"
import { account, options, sandboxCard } from "./support.js"

const envelope = (status: number, detail: string) => ({ code: status, message: `Error http: ${status}`, detail })

const link = {
  reference: "R-1",
  description: "Reserva",
  amount: Money.make("1000", "COP"),
  payer: { name: "Laura", email: "l@example.com" }
}
const charge = {
  reference: "CH-1",
  amount: Money.make("1000", "COP"),
  payer: { name: "Jhon", surname: "Doe" },
  card: sandboxCard("4111111111111111")
}
const order = orderInput()

const run = <A>(
  server: ScriptedServer,
  effect: Effect.Effect<A, PaymentError.PaymentError, Autocore.Services>,
  overrides: Partial<Autocore.Options> = {}
) =>
  failureOf(effect).pipe(
    Effect.provide(Autocore.layer(options(server.baseUrl, overrides))),
    Effect.provide(NodeHttpClient.layerUndici)
  )

const createLink = Effect.flatMap(PaymentLinks, (l) => l.create(link))
const createCharge = Effect.flatMap(Charges, (c) => c.create(charge))
const createOrder = Effect.flatMap(PaymentOrders, (o) => o.create(order))
const listHotels = Effect.flatMap(AutocoreHotels, (h) => h.list())

describe("failure classification", () => {
  it.effect("a URL or request the HTTP client refuses is a Configuration error: nothing sent, nothing retried", () =>
    Effect.gen(function* () {
      const creates: ReadonlyArray<Effect.Effect<unknown, PaymentError.PaymentError, PaymentLinks | Charges>> = [
        createLink,
        createCharge
      ]
      for (const [refusing, path] of [
        [urlRefusingHttpClient, "baseUrl"],
        [refusingHttpClient, "httpClient"]
      ] as const) {
        for (const create of creates) {
          const attempts = { count: 0 }
          const error = yield* failureOf(create).pipe(
            Effect.provide(Autocore.layer(options("https://autocore.example"))),
            Effect.provide(refusing(attempts))
          )
          expect(error.reason, path).toMatchObject({ _tag: "Configuration", issues: [{ path }] })
          expect(error.mayHaveTakenEffect).toBe(false)
          expect(attempts.count).toBe(1)
        }
      }
    })
  )

  it.live("429 is RateLimited with its Retry-After", () =>
    Effect.gen(function* () {
      const server = yield* scripted(json(429, envelope(429, "slow down"), { "retry-after": "7" }))
      const error = yield* run(server, createLink)
      expect(error.reason).toMatchObject({ _tag: "RateLimited", retryAfterMillis: 7000 })
      expect(error.isRetrySafe).toBe(true)
    }).pipe(Effect.scoped)
  )

  it.live("503 is ProviderUnavailable: nothing happened, and a create is not retried", () =>
    Effect.gen(function* () {
      const server = yield* scripted(json(503, "<html>unavailable</html>"))
      const error = yield* run(server, createCharge)
      expect(error.reason).toMatchObject({ _tag: "ProviderUnavailable", status: 503 })
      expect(error.mayHaveTakenEffect).toBe(false)
      expect(server.received).toHaveLength(1)
    }).pipe(Effect.scoped)
  )

  it.live("500, 502 and 504 on creates are OutcomeUnknown, never retried, advice naming the reference", () =>
    Effect.gen(function* () {
      for (const [status, create, reference] of [
        [500, createCharge, charge.reference],
        [502, createCharge, charge.reference],
        [504, createCharge, charge.reference],
        [500, createOrder, order.reference],
        [502, createLink, link.reference],
        [500, createLink, link.reference]
      ] as const) {
        const server = yield* scripted(json(status, envelope(status, "boom")))
        const error = yield* run(server, create as Effect.Effect<unknown, PaymentError.PaymentError, Autocore.Services>)
        expect(error.reason._tag).toBe("OutcomeUnknown")
        if (error.reason._tag === "OutcomeUnknown") {
          expect(error.reason.advice).toContain("dashboard")
          expect(error.reason.advice).toContain("webhook")
          expect(error.reason.advice).toContain(`external_ref_id "${reference}"`)
        }
        expect(error.mayHaveTakenEffect).toBe(true)
        expect(error.isRetrySafe).toBe(false)
        expect(server.received).toHaveLength(1)
      }
    }).pipe(Effect.scoped)
  )

  it.live("a connection lost after sending a charge or an order is OutcomeUnknown, sent once", () =>
    Effect.gen(function* () {
      for (const create of [createCharge, createOrder]) {
        const server = yield* scripted(hangUp)
        const error = yield* run(server, create as Effect.Effect<unknown, PaymentError.PaymentError, Autocore.Services>)
        expect(error.reason._tag).toBe("OutcomeUnknown")
        expect(server.received).toHaveLength(1)
      }
    }).pipe(Effect.scoped)
  )

  it.live("no answer within the timeout: OutcomeUnknown for a charge", () =>
    Effect.gen(function* () {
      const server = yield* scripted(silence)
      const error = yield* run(server, createCharge, { timeout: "300 millis" })
      expect(error.reason._tag).toBe("OutcomeUnknown")
      if (error.reason._tag === "OutcomeUnknown") expect(error.reason.detail).toContain("300 ms")
      expect(server.received).toHaveLength(1)
    }).pipe(Effect.scoped)
  )

  it.live("a per-call timeout (CallOptions) wins over the configured one; a client request option over both", () =>
    Effect.gen(function* () {
      const server = yield* scripted(silence)
      const error = yield* run(server, createCharge.pipe(CallOptions.withTimeout("250 millis")), {
        timeout: "20 seconds"
      })
      expect(error.reason._tag).toBe("OutcomeUnknown")
      if (error.reason._tag === "OutcomeUnknown") expect(error.reason.detail).toContain("250 ms")
      expect(server.received).toHaveLength(1)

      const resolved = Autocore.resolve(options(server.baseUrl, { timeout: "20 seconds" }))
      if (Either.isLeft(resolved)) return yield* Effect.dieMessage("options should resolve")
      const direct = yield* Effect.flatMap(Client.make(resolved.right.client), (client) =>
        failureOf(
          client
            .createLink(
              {
                hotel_id: 5,
                guest_name: "Laura",
                email: "l@example.com",
                description: "Reserva",
                amount: 1000,
                currency: "COP",
                external_ref_id: "R-DIRECT"
              },
              { timeout: "150 millis" }
            )
            .pipe(CallOptions.withTimeout("10 seconds"))
        )
      ).pipe(Effect.provide(NodeHttpClient.layerUndici))
      expect(direct.reason._tag).toBe("OutcomeUnknown")
      if (direct.reason._tag === "OutcomeUnknown") {
        expect(direct.reason.detail).toContain("150 ms")
        expect(direct.reason.advice).toContain('external_ref_id "R-DIRECT"')
      }
      expect(server.received).toHaveLength(2)
    }).pipe(Effect.scoped)
  )

  it.live("hotel listing without retries (maxAttempts 1) sends once", () =>
    Effect.gen(function* () {
      const server = yield* scripted(json(503, "unavailable"))
      const error = yield* run(server, listHotels, { retry: { maxAttempts: 1 } })
      expect(error.reason).toMatchObject({ _tag: "ProviderUnavailable", status: 503 })
      expect(server.received).toHaveLength(1)
    }).pipe(Effect.scoped)
  )

  it.live("hotel listing waits out a short Retry-After, not one beyond maxRetryAfter", () =>
    Effect.gen(function* () {
      const short = yield* scripted(json(429, envelope(429, "slow down"), { "retry-after": "1" }))
      const waited = yield* run(short, listHotels, { retry: { maxAttempts: 2, maxRetryAfter: "2 seconds" } })
      expect(waited.reason).toMatchObject({ _tag: "RateLimited", retryAfterMillis: 1000 })
      expect(short.received).toHaveLength(2)
      const long = yield* scripted(json(429, envelope(429, "slow down"), { "retry-after": "3" }))
      const refused = yield* run(long, listHotels, { retry: { maxAttempts: 2, maxRetryAfter: "2 seconds" } })
      expect(refused.reason).toMatchObject({ _tag: "RateLimited", retryAfterMillis: 3000 })
      expect(long.received).toHaveLength(1)
    }).pipe(Effect.scoped)
  )

  it.live("an unreadable 200 to a create is OutcomeUnknown; an unreadable error is ProtocolViolation", () =>
    Effect.gen(function* () {
      const ok = yield* scripted(json(200, { msg: "ok", url: "not a url" }))
      expect((yield* run(ok, createLink)).reason._tag).toBe("OutcomeUnknown")
      const html = yield* scripted(json(401, "<html>login</html>"))
      expect((yield* run(html, createLink)).reason).toMatchObject({ _tag: "ProtocolViolation", status: 401 })
      const teapot = yield* scripted(json(418, envelope(418, "?")))
      expect((yield* run(teapot, createLink)).reason).toMatchObject({ _tag: "ProtocolViolation", status: 418 })
      const created = yield* scripted(json(201, { msg: "ok" }))
      expect((yield* run(created, createLink)).reason._tag).toBe("OutcomeUnknown")
    }).pipe(Effect.scoped)
  )

  it.live("a 200 charge with a status the adapter does not know is OutcomeUnknown", () =>
    Effect.gen(function* () {
      const server = yield* scripted(
        json(200, {
          msg: "?",
          details: { type: "charge", id: "CH-1", status_code: "chargeback", transaction_id: "T-1" }
        })
      )
      const error = yield* run(server, createCharge)
      expect(error.reason._tag).toBe("OutcomeUnknown")
      if (error.reason._tag === "OutcomeUnknown") expect(error.reason.detail).toContain("chargeback")
    }).pipe(Effect.scoped)
  )

  it.live("a 400 to a charge without extra_info is a refused request, not a decline", () =>
    Effect.gen(function* () {
      const server = yield* scripted(
        json(400, envelope(400, "Campos inválidos: order.ip (debe ser una dirección IPv4)"))
      )
      const error = yield* run(server, createCharge)
      expect(error.reason._tag).toBe("InvalidRequest")
    }).pipe(Effect.scoped)
  )

  it.live("hotel listing retries twice with a fresh auth token each time, then gives up", () =>
    Effect.gen(function* () {
      const server = yield* scripted(json(503, "unavailable"))
      // A clock that moves 10 s per reading, so each token is visibly built anew.
      let millis = 1_800_000_000_000
      const tick = () => {
        millis += 10_000
        return millis
      }
      const base = yield* Effect.clock
      const moving: Clock.Clock = {
        [Clock.ClockTypeId]: Clock.ClockTypeId,
        unsafeCurrentTimeMillis: tick,
        unsafeCurrentTimeNanos: () => BigInt(tick()) * 1_000_000n,
        currentTimeMillis: Effect.sync(tick),
        currentTimeNanos: Effect.sync(() => BigInt(tick()) * 1_000_000n),
        sleep: (duration) => base.sleep(duration)
      }
      const error = yield* run(server, listHotels.pipe(Effect.withClock(moving)))
      expect(error.reason).toMatchObject({ _tag: "ProviderUnavailable", status: 503 })
      expect(server.received).toHaveLength(3)
      const timestamps = server.received.map((r) => {
        const [accessKey, ts] = Buffer.from(String(r.headers.auth_token), "base64").toString("utf8").split(";")
        expect(accessKey).toBe(account.accessKey)
        return Number(ts)
      })
      expect(new Set(timestamps).size).toBe(3)
      // Spec §9 decision: offset and limit are always sent (defaults 0 and 50).
      expect(server.received.every((r) => r.url === "/v2/hotels?offset=0&limit=50")).toBe(true)
    }).pipe(Effect.scoped)
  )

  it.live("hotel listing recovers when a retry succeeds", () =>
    Effect.gen(function* () {
      const page = {
        paginate_info: {
          start: 0,
          items: 1,
          total_items: 1,
          total_pages: 1,
          links: { first: null, previous: null, next: null, last: null }
        },
        data: [{ id: 5, name: "Hotel ABC", currency: "COP" }]
      }
      const server = yield* scripted(json(503, "x"), json(200, page))
      const result = yield* Effect.flatMap(AutocoreHotels, (h) => h.list({ offset: 0, limit: 10 })).pipe(
        Effect.provide(Autocore.layer(options(server.baseUrl))),
        Effect.provide(NodeHttpClient.layerUndici)
      )
      expect(result.hotels).toEqual([{ id: 5, name: "Hotel ABC", currency: "COP" }])
      expect(server.received.map((r) => r.url)).toEqual([
        "/v2/hotels?offset=0&limit=10",
        "/v2/hotels?offset=0&limit=10"
      ])
    }).pipe(Effect.scoped)
  )

  it.live("hotel listing always sends offset and limit, 0 and 50 when the caller gives none", () =>
    Effect.gen(function* () {
      const page = {
        paginate_info: {
          start: 0,
          items: 0,
          total_items: 0,
          total_pages: 0,
          links: { first: null, previous: null, next: null, last: null }
        },
        data: []
      }
      const server = yield* scripted(json(200, page))
      yield* Effect.flatMap(AutocoreHotels, (h) =>
        Effect.all([h.list(), h.list({}), h.list({ offset: 3 }), h.list({ limit: 7 })])
      ).pipe(Effect.provide(Autocore.layer(options(server.baseUrl))), Effect.provide(NodeHttpClient.layerUndici))
      expect(server.received.map((r) => r.url)).toEqual([
        "/v2/hotels?offset=0&limit=50",
        "/v2/hotels?offset=0&limit=50",
        "/v2/hotels?offset=3&limit=50",
        "/v2/hotels?offset=0&limit=7"
      ])
    }).pipe(Effect.scoped)
  )

  it.live("the API key travels in headers, never in the URL", () =>
    Effect.gen(function* () {
      const server = yield* scripted(
        json(200, { msg: "ok", url: "https://app.autocore.pro/payment/x/abc", code: "abc" })
      )
      yield* Effect.flatMap(PaymentLinks, (l) => l.create(link)).pipe(
        Effect.provide(Autocore.layer(options(server.baseUrl))),
        Effect.provide(NodeHttpClient.layerUndici)
      )
      const [request] = server.received
      expect(request!.url).toBe("/v2/links/schedule/")
      expect(request!.headers.access_key).toBe(account.accessKey)
      expect(request!.headers.secret_key).toBe(account.secretKey)
      expect(request!.headers.traceparent).toBeUndefined()
      expect(Redacted.value(options("x").secretKey)).toBe(account.secretKey)
    }).pipe(Effect.scoped)
  )
})

describe("configuration", () => {
  it.effect("refuses clear-text base URLs off loopback and every other bad option, at once", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        Layer.build(
          Autocore.layer({
            ...options("http://api.autocore.pro"),
            hotelId: 0,
            accessKey: "a;b",
            webhookSecret: Redacted.make("short"),
            notificationUrl: "http://hooks.example.com/a",
            timeout: "0 seconds",
            timeZone: "UTC-5 please"
          })
        ).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
      )
      expect(error.reason._tag).toBe("Configuration")
      if (error.reason._tag === "Configuration") {
        expect(error.reason.issues.map((i) => i.path).sort()).toEqual(
          ["accessKey", "baseUrl", "hotelId", "notificationUrl", "timeZone", "timeout", "webhookSecret"].sort()
        )
      }
    })
  )

  it("a missing or non-text secret is a Configuration issue naming it, never a crash", () => {
    const missing = Redacted.make(undefined) as unknown as Redacted.Redacted<string>
    const refused = Autocore.resolve({
      ...options("http://127.0.0.1:4000"),
      secretKey: missing,
      webhookSecret: undefined as never,
      cardEncryptionKey: Redacted.make(7) as unknown as Redacted.Redacted<string>
    })
    expect(Either.isLeft(refused) && refused.left.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "secretKey: is missing: it holds undefined (an environment variable that is not set?)",
      "cardEncryptionKey: must be text, not a number",
      "webhookSecret: is missing"
    ])
    const noAccessKey = Autocore.resolve({ ...options("http://127.0.0.1:4000"), accessKey: undefined as never })
    expect(Either.isLeft(noAccessKey) && noAccessKey.left.issues.map((i) => i.path)).toEqual(["accessKey"])
  })

  it.effect("layerConfig: a missing secret is a Configuration error naming the variable", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        Layer.build(Autocore.layerConfig()).pipe(
          Effect.scoped,
          Effect.provide(NodeHttpClient.layerUndici),
          Effect.withConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["AUTOCORE_ACCESS_KEY", "K"],
                ["AUTOCORE_BASE_URL", "production"],
                ["AUTOCORE_HOTEL_ID", "5"],
                ["AUTOCORE_WEBHOOK_SECRET", "w".repeat(16)]
              ]),
              { pathDelim: "_" }
            )
          )
        )
      )
      expect(error.reason._tag).toBe("Configuration")
      expect(error.message).toContain("SECRET_KEY")
    })
  )

  it("refuses base and notification URLs carrying credentials", () => {
    const refused = Autocore.resolve({
      ...options("https://user:pass@api.autocore.pro"),
      notificationUrl: "https://user:pass@hooks.example.com/a"
    })
    expect(Either.isLeft(refused) && refused.left.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "baseUrl: must not carry credentials (user:password@)",
      "notificationUrl: must not carry credentials (user:password@)"
    ])
  })

  it("refuses keys that cannot travel in a header (a newline left by the file they were read from), naming them only", () => {
    const refused = Autocore.resolve({
      ...options("http://127.0.0.1:4000"),
      accessKey: `${account.accessKey}\n`,
      secretKey: Redacted.make(`${account.secretKey}\r\n`)
    })
    expect(Either.isLeft(refused) && refused.left.issues.map((i) => i.path)).toEqual(["accessKey", "secretKey"])
    expect(JSON.stringify(Either.isLeft(refused) && refused.left)).not.toContain(account.secretKey)
    for (const secretKey of [" padded", "tab\tinside", "ñandú"]) {
      const bad = Autocore.resolve({ ...options("http://127.0.0.1:4000"), secretKey: Redacted.make(secretKey) })
      expect(Either.isLeft(bad) && bad.left.issues.map((i) => i.path), secretKey).toEqual(["secretKey"])
    }
    const spaced = Autocore.resolve({ ...options("http://127.0.0.1:4000"), secretKey: Redacted.make("two words") })
    expect(Either.isRight(spaced)).toBe(true)
  })

  it("checks the retry option: 1 to 10 attempts, finite delays", () => {
    const refused = Autocore.resolve({
      ...options("http://127.0.0.1:4000"),
      retry: { maxAttempts: 0, baseDelay: Duration.infinity, maxRetryAfter: "soon" as Duration.DurationInput }
    })
    expect(Either.isLeft(refused) && refused.left.issues.map((i) => i.path).sort()).toEqual([
      "retry.baseDelay",
      "retry.maxAttempts",
      "retry.maxRetryAfter"
    ])
    const tooMany = Autocore.resolve({ ...options("http://127.0.0.1:4000"), retry: { maxAttempts: 11 } })
    expect(Either.isLeft(tooMany) && tooMany.left.issues.map((i) => i.path)).toEqual(["retry.maxAttempts"])
    const defaults = Autocore.resolve(options("http://127.0.0.1:4000"))
    expect(Either.isRight(defaults) && defaults.right.client.retry).toEqual(ProviderHttp.defaultPolicy)
    expect(Either.isRight(defaults) && Duration.toMillis(defaults.right.client.timeout)).toBe(30_000)
    const custom = Autocore.resolve({
      ...options("http://127.0.0.1:4000"),
      retry: { maxAttempts: 1, baseDelay: "0 millis", maxRetryAfter: "1 second" }
    })
    expect(Either.isRight(custom) && custom.right.client.retry).toEqual({
      maxAttempts: 1,
      baseDelay: Duration.millis(0),
      maxRetryAfter: Duration.seconds(1)
    })
  })

  it.effect("reads AUTOCORE_RETRY_* from Config, and leaves retry unset without them", () =>
    Effect.gen(function* () {
      const base: ReadonlyArray<[string, string]> = [
        ["AUTOCORE_ACCESS_KEY", "K"],
        ["AUTOCORE_SECRET_KEY", "S"],
        ["AUTOCORE_BASE_URL", "production"],
        ["AUTOCORE_HOTEL_ID", "5"],
        ["AUTOCORE_WEBHOOK_SECRET", "W"]
      ]
      const read = (entries: ReadonlyArray<[string, string]>) =>
        Autocore.config().pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([...base, ...entries]), { pathDelim: "_" }))
        )
      expect((yield* read([])).retry).toBeUndefined()
      const all = yield* read([
        ["AUTOCORE_RETRY_MAX_ATTEMPTS", "5"],
        ["AUTOCORE_RETRY_BASE_DELAY", "20 millis"],
        ["AUTOCORE_RETRY_MAX_RETRY_AFTER", "2 seconds"]
      ])
      expect(all.retry).toEqual({ maxAttempts: 5, baseDelay: Duration.millis(20), maxRetryAfter: Duration.seconds(2) })
      const one = yield* read([["AUTOCORE_RETRY_MAX_ATTEMPTS", "1"]])
      expect(one.retry).toEqual({ maxAttempts: 1 })
    })
  )

  it("accepts the presets and loopback", () => {
    for (const baseUrl of [
      Autocore.environments.production,
      Autocore.environments.development,
      "http://127.0.0.1:4000",
      "http://localhost:4000"
    ]) {
      expect(Autocore.resolve(options(baseUrl))._tag).toBe("Right")
    }
  })
})
