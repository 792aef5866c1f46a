/**
 * The options schema: what `config()` reads from the environment, every documented variable, and
 * what decoding makes of it (defaults filled, durations as `Duration`, presets as their URLs).
 */
import { describe, expect, it } from "@effect/vitest"
import { ProviderHttp } from "@pasarela/core"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Autocore from "../src/Autocore.js"

const read = (entries: ReadonlyArray<readonly [string, string]>, prefix?: string) =>
  Autocore.config(prefix).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(entries), { pathDelim: "_" })),
    Effect.flatMap(Autocore.resolve)
  )

const required: ReadonlyArray<readonly [string, string]> = [
  ["AUTOCORE_ACCESS_KEY", "ACCESS-KEY-1"],
  ["AUTOCORE_SECRET_KEY", "SECRET-KEY-1"],
  ["AUTOCORE_BASE_URL", "development"],
  ["AUTOCORE_HOTEL_ID", "5"],
  ["AUTOCORE_WEBHOOK_SECRET", "webhook-secret-0123456789"]
]

const base: Autocore.Options = {
  accessKey: "ACCESS-KEY-1",
  secretKey: Redacted.make("SECRET-KEY-1"),
  baseUrl: "production",
  hotelId: 5,
  webhookSecret: Redacted.make("webhook-secret-0123456789")
}

describe("Autocore options", () => {
  it.effect("config() reads every documented AUTOCORE_* variable", () =>
    Effect.gen(function* () {
      const { settings, client } = yield* read([
        ...required,
        ["AUTOCORE_SOURCE", "Autocore WebApp"],
        ["AUTOCORE_CURRENCY", "USD"],
        ["AUTOCORE_SEND_CURRENCY", "true"],
        ["AUTOCORE_CARD_ENCRYPTION_KEY", "card-key"],
        ["AUTOCORE_NOTIFICATION_URL", "https://hotel.example/webhooks/autocore"],
        ["AUTOCORE_MERCHANT_ID", "hotel-cartagena"],
        ["AUTOCORE_TIMEOUT", "12 seconds"],
        ["AUTOCORE_TIME_ZONE", "America/Lima"],
        ["AUTOCORE_WEBHOOK_TOKEN_LIFETIME", "7 days"],
        ["AUTOCORE_RETRY_MAX_ATTEMPTS", "4"],
        ["AUTOCORE_RETRY_BASE_DELAY", "20 millis"],
        ["AUTOCORE_RETRY_MAX_RETRY_AFTER", "2 seconds"]
      ])
      expect({ ...settings, webhookSecret: Redacted.value(settings.webhookSecret) }).toEqual({
        hotelId: 5,
        merchantId: "hotel-cartagena",
        source: "Autocore WebApp",
        currency: "USD",
        sendCurrency: true,
        notificationUrl: "https://hotel.example/webhooks/autocore",
        webhookSecret: "webhook-secret-0123456789",
        timeZone: "America/Lima",
        webhookTokenLifetime: Duration.days(7),
        baseUrl: Autocore.environments.development
      })
      expect({
        ...client,
        credentials: { ...client.credentials, secretKey: Redacted.value(client.credentials.secretKey) }
      }).toEqual({
        baseUrl: Autocore.environments.development,
        credentials: { accessKey: "ACCESS-KEY-1", secretKey: "SECRET-KEY-1" },
        hotelId: 5,
        merchantId: "hotel-cartagena",
        timeout: Duration.seconds(12),
        retry: { maxAttempts: 4, baseDelay: Duration.millis(20), maxRetryAfter: Duration.seconds(2) }
      })
      const cardKey = yield* Autocore.config().pipe(
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map([...required, ["AUTOCORE_CARD_ENCRYPTION_KEY", "card-key"]]), {
            pathDelim: "_"
          })
        )
      )
      expect(cardKey.cardEncryptionKey && Redacted.value(cardKey.cardEncryptionKey)).toBe("card-key")
    })
  )

  it.effect("what the environment leaves out is the schema's default; the merchant is the hotel's id", () =>
    Effect.gen(function* () {
      const { settings, client } = yield* read(
        required.map(([name, value]) => [name.replace("AUTOCORE", "CARTAGENA"), value]),
        "CARTAGENA"
      )
      expect(settings).toMatchObject({
        merchantId: "5",
        currency: "COP",
        sendCurrency: false,
        timeZone: "America/Bogota",
        webhookTokenLifetime: Autocore.DEFAULT_WEBHOOK_TOKEN_LIFETIME
      })
      expect(settings.source).toBeUndefined()
      expect(settings.notificationUrl).toBeUndefined()
      expect(client.retry).toEqual(ProviderHttp.defaultPolicy)
      expect(Duration.toMillis(client.timeout)).toBe(30_000)
    })
  )

  it("a base URL is a preset's name or an https URL without query or fragment, kept without trailing slashes", () => {
    const baseUrlOf = (baseUrl: string) =>
      Either.match(Autocore.resolve({ ...base, baseUrl }), {
        onLeft: (error) => error.issues.map((i) => `${i.path}: ${i.message}`),
        onRight: (o) => [o.settings.baseUrl, o.client.baseUrl]
      })
    expect(baseUrlOf("development")).toEqual([Autocore.environments.development, Autocore.environments.development])
    expect(baseUrlOf("https://sandbox.example/v1/")).toEqual([
      "https://sandbox.example/v1",
      "https://sandbox.example/v1"
    ])
    expect(baseUrlOf("http://127.0.0.1:8080/")).toEqual(["http://127.0.0.1:8080", "http://127.0.0.1:8080"])
    expect(baseUrlOf("https://api.autocore.pro/?x=1")).toEqual(["baseUrl: must not have a query or fragment"])
    expect(baseUrlOf("https://api.autocore.pro/#f")).toEqual(["baseUrl: must not have a query or fragment"])
    expect(baseUrlOf("staging")).toEqual(["baseUrl: must be an absolute URL such as https://api.autocore.pro"])
    expect(baseUrlOf("http://api.autocore.pro")).toEqual([
      "baseUrl: must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)"
    ])
  })

  it("durations as text, milliseconds or a Duration; each problem at its path, with the rule", () => {
    const accepted = Autocore.resolve({ ...base, timeout: 1500, webhookTokenLifetime: "2 hours" })
    expect(
      Either.map(accepted, (o) => [
        o.settings.baseUrl,
        Duration.toMillis(o.client.timeout),
        Duration.toHours(o.settings.webhookTokenLifetime)
      ])
    ).toEqual(Either.right([Autocore.environments.production, 1500, 2]))
    const refused = Autocore.resolve({
      ...base,
      currency: "XXY" as never,
      timeout: "soon" as never,
      webhookTokenLifetime: "30 minutes",
      source: " "
    })
    expect(Either.isLeft(refused) && refused.left.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "source: must not be empty",
      "currency: must be a known ISO 4217 code such as COP",
      'timeout: must be a positive duration such as "30 seconds"',
      'webhookTokenLifetime: must be a finite duration of at least 1 hour, such as "30 days"'
    ])
  })
})
