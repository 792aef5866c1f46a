/**
 * The options of the Autocore provider for one hotel, defined once: `Options` is a Schema whose
 * Encoded side is what `Autocore.layer(options)` takes and whose Type side is the options checked
 * and filled with defaults. A light module (no client, no cipher), so a configuration can be
 * checked without loading the adapter.
 */
import { AdapterOptions, Fields, Money } from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"

/** Autocore's API base URLs (spec §1). */
export const environments = {
  development: "https://api-dev.autocore.pro",
  production: "https://api.autocore.pro"
} as const

/** Default `webhookTokenLifetime`: Autocore re-delivers for as long as it takes. */
export const DEFAULT_WEBHOOK_TOKEN_LIFETIME = Duration.days(30)

/**
 * Why a notification URL is refused: it carries the webhook token in its query, so it must not
 * cross the network in clear (https, plain http only on loopback), and credentials in it would reach Autocore.
 */
export const notificationUrlProblem = (url: string): string | undefined =>
  Fields.isHttpsOrLoopback(url)
    ? Fields.endpointUrlProblem(url)
    : "must be an https URL (it carries the webhook token), or http on loopback"

export const Options = Schema.Struct({
  /** API access key (sent as `access_key`, and inside every `auth_token`). */
  accessKey: AdapterOptions.credential(
    Schema.String.pipe(
      Schema.filter((key) => (key.trim() !== "" && !key.includes(";")) || "must be a non-empty key without ';'")
    )
  ),
  secretKey: AdapterOptions.SecretCredential,
  /** `environments.production`, `environments.development` (or just their names), or a loopback sandbox. https only otherwise. */
  baseUrl: AdapterOptions.baseUrl(environments, environments.production),
  /** Autocore's id of the hotel this configuration serves (see `AutocoreHotels.list`). */
  hotelId: Schema.Number.pipe(
    Schema.filter((id) => (Number.isSafeInteger(id) && id >= 1) || "must be a positive integer")
  ),
  /** Integration source, required by Autocore when the account has several. */
  source: Schema.optional(AdapterOptions.NonBlank),
  /** The hotel's currency: charges are made in it, and notification amounts read in it. Default COP. */
  currency: Schema.optionalWith(
    Schema.String.pipe(Schema.filter(Money.isCurrency, { message: () => "must be a known ISO 4217 code such as COP" })),
    { default: () => "COP" }
  ),
  /** Send `order.currency` on charges (newer API versions), allowing other currencies. Default false. */
  sendCurrency: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Key of the default card cipher (spec §6). Not needed when a `CardCipher` layer is provided. */
  cardEncryptionKey: Schema.optional(AdapterOptions.secret((key) => key !== "" || "must not be empty")),
  /** Keys the token appended to every notification URL; keep it per merchant and at least 16 characters. */
  webhookSecret: AdapterOptions.secret((secret) => secret.length >= 16 || "must be at least 16 characters"),
  /** Default notification URL when an input has none: see `notificationUrlProblem`. */
  notificationUrl: Schema.optional(Schema.String.pipe(Schema.filter((url) => notificationUrlProblem(url) ?? true))),
  /** The merchant id results and events carry, and inputs must match. Default `String(hotelId)`. */
  merchantId: Schema.optional(AdapterOptions.NonBlank),
  /**
   * `timeout` per request attempt (default 30 seconds) and `retry` (see `AdapterOptions.fields`).
   * Retried only where nothing can be duplicated: hotel listing on unavailability, rate limits,
   * timeouts and lost connections; links, charges, cash orders and gift cards only when the
   * connection was never made.
   */
  ...AdapterOptions.fields,
  /** Zone of Autocore's zoneless timestamps, an IANA name. Default `America/Bogota` (UTC-5). */
  timeZone: Schema.optionalWith(AdapterOptions.TimeZone, { default: () => "America/Bogota" }),
  /**
   * How long a notification URL's token is accepted after its operation was created (for a link,
   * after the link's expiry). Autocore re-delivers every 30 minutes until answered 200, so give it
   * days. Default 30 days.
   */
  webhookTokenLifetime: Schema.optionalWith(
    AdapterOptions.duration(
      'must be a finite duration of at least 1 hour, such as "30 days"',
      (d) => Duration.isFinite(d) && Duration.greaterThanOrEqualTo(d, Duration.hours(1))
    ),
    { default: () => DEFAULT_WEBHOOK_TOKEN_LIFETIME }
  )
})

/** What `Autocore.layer` takes; `typeof Options.Type` is the same options checked and filled. */
export type Options = typeof Options.Encoded
