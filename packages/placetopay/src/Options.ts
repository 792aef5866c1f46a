/**
 * The options of one PlacetoPay site, defined once: `Options` is a Schema whose Encoded side is what
 * `PlacetoPay.layer(options)` takes and whose Type side is the options checked, normalised and
 * filled with `DEFAULTS`. A light module (no client, no hashing), so a configuration can be checked
 * without loading the adapter.
 */
import { AdapterOptions, ProviderHttp } from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"
import type { NotificationKind } from "./Webhooks.js"

export type { NotificationKind }

/** PlacetoPay's payment-links (Microsites) hosts. */
export const environments = {
  test: "https://sites-test.placetopay.com",
  production: "https://sites.placetopay.com"
} as const

export type Environment = keyof typeof environments

/** Every default in one place (documented on `Options`). */
export const DEFAULTS = {
  tranKeyAlgorithm: "sha256",
  timeZone: "America/Bogota",
  defaultLinkLifetime: Duration.hours(24),
  sessionMinutes: 15,
  /** Per attempt. */
  timeout: AdapterOptions.DEFAULT_TIMEOUT,
  notificationTolerance: Duration.minutes(15),
  notifications: ["link"] as ReadonlyArray<NotificationKind>,
  /** 3 attempts in total, 100 ms × 2ⁿ full-jitter backoff, Retry-After waited up to 5 s. */
  retry: ProviderHttp.defaultPolicy
} as const

/** The base URL without a trailing slash, or why it is refused: see `AdapterOptions.checkBaseUrl`. */
export const checkBaseUrl = AdapterOptions.checkBaseUrl(environments, "https://sites-test.placetopay.com")

const positive = (d: Duration.Duration) => Duration.greaterThan(d, Duration.zero)
const positiveDuration = 'must be a positive duration such as "30 seconds"'

export const Options = Schema.Struct({
  /** The site's public login. */
  login: AdapterOptions.credential(AdapterOptions.NonBlank),
  /** The site's secret key (what some SDKs confusingly call `tranKey`). */
  secretKey: AdapterOptions.SecretCredential,
  /** `environments.test`, `environments.production` (or just `"test"` / `"production"`), or another https URL. */
  baseUrl: AdapterOptions.baseUrl(environments, "https://sites-test.placetopay.com"),
  /** The site's tranKey scheme: `sha256` (default) or legacy `sha1`. */
  tranKeyAlgorithm: Schema.optionalWith(AdapterOptions.oneOf("sha256", "sha1"), {
    default: () => DEFAULTS.tranKeyAlgorithm
  }),
  /** IANA zone of the site; link expiration dates are its local time. Default `America/Bogota`. */
  timeZone: Schema.optionalWith(AdapterOptions.TimeZone, { default: () => DEFAULTS.timeZone }),
  /** Minutes each checkout session on a link lasts (`paymentExpiration`). Default 15. */
  sessionMinutes: Schema.optionalWith(
    Schema.Number.pipe(
      Schema.filter((n) => (Number.isSafeInteger(n) && n >= 1) || "must be a whole number of minutes, at least 1")
    ),
    { default: () => DEFAULTS.sessionMinutes }
  ),
  /** Lifetime of a link created without `expiresAt` / `expiresIn`. Default 24 hours. */
  defaultLinkLifetime: Schema.optionalWith(
    AdapterOptions.duration(positiveDuration, (d) => positive(d) && Duration.isFinite(d)),
    { default: () => DEFAULTS.defaultLinkLifetime }
  ),
  /**
   * `timeout` per request attempt (default 30 seconds) and `retry` (see `AdapterOptions.fields`).
   * Retried only where nothing can be duplicated: link queries on unavailability, rate limits,
   * timeouts and lost connections; creates and disables only when the connection was never made.
   */
  ...AdapterOptions.fields,
  /**
   * How far a notification's date may be from now before it is rejected as stale (or from the
   * future). PlacetoPay sends each notification once, right away, so anything much older is a
   * replay; the window covers delivery time and the ±5 minutes of clock skew PlacetoPay itself
   * tolerates. Default 15 minutes; `Duration.infinity` turns the check off.
   */
  notificationTolerance: Schema.optionalWith(AdapterOptions.duration(positiveDuration, positive), {
    default: () => DEFAULTS.notificationTolerance
  }),
  /** The merchant (hotel) this site serves, stamped on links, events and errors. */
  merchantId: Schema.optional(AdapterOptions.NonBlank),
  /**
   * The notifications this site's endpoint accepts: `link` (payment links, what this adapter
   * creates) and `checkout` (WebCheckout sessions, signed with the same secret). Default `["link"]`:
   * a kind the site is not configured for is refused, so one kind's signatures cannot pose as another's.
   */
  notifications: Schema.optionalWith(
    Schema.Array(Schema.Literal("link", "checkout"))
      .pipe(Schema.minItems(1))
      .annotations({ message: () => ({ message: 'must list one or both of "link" and "checkout"', override: true }) }),
    { default: () => DEFAULTS.notifications }
  )
})

/** What `PlacetoPay.layer` takes; `typeof Options.Type` is the same options checked and filled. */
export type Options = typeof Options.Encoded
