/**
 * The options schema: what `config()` reads from the environment, every documented variable, and
 * what decoding makes of it (defaults filled, durations as `Duration`, the base URL normalised).
 */
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { PlacetoPay } from "../src/index.js"

const read = (entries: ReadonlyArray<readonly [string, string]>, prefix?: string) =>
  PlacetoPay.config(prefix).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(entries), { pathDelim: "_" })),
    Effect.flatMap(PlacetoPay.resolve)
  )

describe("PlacetoPay options", () => {
  it.effect("config() reads every documented PLACETOPAY_* variable", () =>
    Effect.gen(function* () {
      const options = yield* read([
        ["PLACETOPAY_LOGIN", "site-login"],
        ["PLACETOPAY_SECRET_KEY", "site-secret"],
        ["PLACETOPAY_BASE_URL", "production"],
        ["PLACETOPAY_TRANKEY_ALGORITHM", "sha1"],
        ["PLACETOPAY_TIME_ZONE", "America/Lima"],
        ["PLACETOPAY_SESSION_MINUTES", "20"],
        ["PLACETOPAY_TIMEOUT", "12 seconds"],
        ["PLACETOPAY_DEFAULT_LINK_LIFETIME", "2 hours"],
        ["PLACETOPAY_MERCHANT_ID", "hotel-lima"],
        ["PLACETOPAY_RETRY_MAX_ATTEMPTS", "4"],
        ["PLACETOPAY_RETRY_BASE_DELAY", "20 millis"],
        ["PLACETOPAY_RETRY_MAX_RETRY_AFTER", "2 seconds"],
        ["PLACETOPAY_NOTIFICATION_TOLERANCE", "10 minutes"],
        ["PLACETOPAY_NOTIFICATIONS", "link,checkout"]
      ])
      expect({ ...options, secretKey: Redacted.value(options.secretKey) }).toEqual({
        login: "site-login",
        secretKey: "site-secret",
        baseUrl: PlacetoPay.environments.production,
        tranKeyAlgorithm: "sha1",
        timeZone: "America/Lima",
        sessionMinutes: 20,
        timeout: Duration.seconds(12),
        defaultLinkLifetime: Duration.hours(2),
        merchantId: "hotel-lima",
        retry: { maxAttempts: 4, baseDelay: Duration.millis(20), maxRetryAfter: Duration.seconds(2) },
        notificationTolerance: Duration.minutes(10),
        notifications: ["link", "checkout"]
      })
    })
  )

  it.effect("what the environment leaves out is the schema's default; another prefix for another site", () =>
    Effect.gen(function* () {
      const options = yield* read(
        [
          ["BOGOTA_LOGIN", "site-login"],
          ["BOGOTA_SECRET_KEY", "site-secret"],
          ["BOGOTA_BASE_URL", "http://127.0.0.1:8080/"]
        ],
        "BOGOTA"
      )
      const { DEFAULTS } = PlacetoPay
      expect(options).toMatchObject({
        baseUrl: "http://127.0.0.1:8080",
        tranKeyAlgorithm: DEFAULTS.tranKeyAlgorithm,
        timeZone: DEFAULTS.timeZone,
        sessionMinutes: DEFAULTS.sessionMinutes,
        timeout: DEFAULTS.timeout,
        defaultLinkLifetime: DEFAULTS.defaultLinkLifetime,
        retry: DEFAULTS.retry,
        notificationTolerance: DEFAULTS.notificationTolerance,
        notifications: DEFAULTS.notifications
      })
      expect(options.merchantId).toBeUndefined()
    })
  )

  it("durations as text, milliseconds or a Duration; each problem at its path, with the rule", () => {
    const base = { login: "site-login", secretKey: Redacted.make("site-secret"), baseUrl: "test" }
    const accepted = PlacetoPay.resolve({ ...base, timeout: 1500, defaultLinkLifetime: "3 days" })
    expect(
      Either.map(accepted, (o) => [Duration.toMillis(o.timeout), Duration.toHours(o.defaultLinkLifetime)])
    ).toEqual(Either.right([1500, 72]))
    const refused = PlacetoPay.resolve({
      ...base,
      timeout: Duration.infinity,
      notificationTolerance: 0,
      notifications: [],
      tranKeyAlgorithm: "md5" as never
    })
    expect(
      Either.isLeft(refused) &&
        (refused.left.reason._tag === "Configuration" ? refused.left.reason.issues : []).map(
          (i) => `${i.path}: ${i.message}`
        )
    ).toEqual([
      'tranKeyAlgorithm: must be one of "sha256", "sha1"',
      'timeout: must be a positive duration such as "30 seconds"',
      'notificationTolerance: must be a positive duration such as "30 seconds"',
      'notifications: must list one or both of "link" and "checkout"'
    ])
    // No tolerance at all is allowed: it turns the check off.
    expect(Either.isRight(PlacetoPay.resolve({ ...base, notificationTolerance: Duration.infinity }))).toBe(true)
  })
})
