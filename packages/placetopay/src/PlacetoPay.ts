/**
 * The PlacetoPay adapter as layers: `layer(options)` / `layerConfig(config)` provide the neutral
 * services for one PlacetoPay site. Payment links (create, get, disable) and notification
 * verification are implemented; card charges, payment orders and gift cards are not PlacetoPay
 * payment-link features and fail with `Unsupported`.
 *
 * ```ts
 * PlacetoPay.layer({ login, secretKey: Redacted.make(key), baseUrl: PlacetoPay.environments.test })
 *   .pipe(Layer.provide(UndiciHttpClient.layer)) // from @pasarela/node; any Effect HttpClient works
 * ```
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import {
  Charges,
  Fields,
  GiftCards,
  type LinkLookup,
  OutcomeUnknown,
  PaymentError,
  type PaymentLink,
  PaymentLinks,
  PaymentOrders,
  ProtocolViolation,
  Provider,
  ProviderHttp,
  Webhooks as WebhooksTag
} from "@pasarela/core"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { TranKeyAlgorithm } from "./Auth.js"
import * as Client from "./Client.js"
import * as Mapping from "./Mapping.js"
import * as Webhooks from "./Webhooks.js"
import { isTimeZone } from "./Wire.js"

/** PlacetoPay's payment-links (Microsites) hosts. */
export const environments = {
  test: "https://sites-test.placetopay.com",
  production: "https://sites.placetopay.com"
} as const

export type Environment = keyof typeof environments

export interface Options {
  /** The site's public login. */
  readonly login: string
  /** The site's secret key (what some SDKs confusingly call `tranKey`). */
  readonly secretKey: Redacted.Redacted<string>
  /** `environments.test`, `environments.production` (or just `"test"` / `"production"`), or another https URL. */
  readonly baseUrl: string
  /** The site's tranKey scheme: `sha256` (default) or legacy `sha1`. */
  readonly tranKeyAlgorithm?: TranKeyAlgorithm
  /** IANA zone of the site; link expiration dates are its local time. Default `America/Bogota`. */
  readonly timeZone?: string
  /** Lifetime of a link created without `expiresAt` / `expiresIn`. Default 24 hours. */
  readonly defaultLinkLifetime?: Duration.DurationInput
  /** Minutes each checkout session on a link lasts (`paymentExpiration`). Default 15. */
  readonly sessionMinutes?: number
  /**
   * How long one request attempt may take, from sending it to having read the whole answer.
   * Default 30 seconds. A per-call `CallOptions.withTimeout(…)` wins over it.
   */
  readonly timeout?: Duration.DurationInput
  /**
   * Retries, only where they cannot duplicate anything: link queries on unavailability, rate
   * limits, timeouts and lost connections; creates and disables only when the connection was never
   * made (refused, DNS failure). Defaults: `maxAttempts` 3 in total (1 = no retries), `baseDelay`
   * 100 ms (retry n waits a random time up to `baseDelay` × 2ⁿ⁻¹), `maxRetryAfter` 5 seconds (a
   * longer `Retry-After` is not waited for: RateLimited goes to the caller).
   */
  readonly retry?: RetryOptions
  /** The merchant (hotel) this site serves, stamped on links, events and errors. */
  readonly merchantId?: string
  /**
   * How far a notification's date may be from now before it is rejected as stale (or from the
   * future). PlacetoPay sends each notification once, right away, so anything much older is a
   * replay; the window covers delivery time and the ±5 minutes of clock skew PlacetoPay itself
   * tolerates. Default 15 minutes; `Duration.infinity` turns the check off.
   */
  readonly notificationTolerance?: Duration.DurationInput
  /**
   * The notifications this site's endpoint accepts: `link` (payment links, what this adapter
   * creates) and `checkout` (WebCheckout sessions, signed with the same secret). Default `["link"]`:
   * a kind the site is not configured for is refused, so one kind's signatures cannot pose as another's.
   */
  readonly notifications?: ReadonlyArray<NotificationKind>
}

/** The kinds of notification a site can receive (spec §4.1, §4.2). */
export type NotificationKind = Webhooks.NotificationKind
const notificationKinds: ReadonlyArray<NotificationKind> = ["link", "checkout"]

export type RetryOptions = ProviderHttp.RetryOptions

/** Every default in one place (documented on `Options`). */
export const DEFAULTS = {
  tranKeyAlgorithm: "sha256",
  timeZone: "America/Bogota",
  defaultLinkLifetime: Duration.hours(24),
  sessionMinutes: 15,
  /** Per attempt. */
  timeout: Duration.seconds(30),
  notificationTolerance: Duration.minutes(15),
  notifications: ["link"] as ReadonlyArray<NotificationKind>,
  /** 3 attempts in total, 100 ms × 2ⁿ full-jitter backoff, Retry-After waited up to 5 s. */
  retry: ProviderHttp.defaultPolicy
} as const

export const provider: Provider.ProviderInfo = Provider.make({
  name: Mapping.PROVIDER,
  displayName: "PlacetoPay",
  capabilities: ["links.create", "links.get", "links.disable", "webhooks.verify"]
})

/** Options checked and filled with defaults. */
export interface Resolved {
  readonly login: string
  readonly secretKey: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly tranKeyAlgorithm: TranKeyAlgorithm
  readonly timeZone: string
  readonly defaultLinkLifetime: Duration.Duration
  readonly sessionMinutes: number
  readonly timeout: Duration.Duration
  readonly retry: ProviderHttp.RetryPolicy
  readonly merchantId: string | undefined
  readonly notificationTolerance: Duration.Duration
  readonly notifications: ReadonlyArray<NotificationKind>
}

/** The base URL without a trailing slash, or why it is refused: https only, plain http for loopback. */
export const checkBaseUrl = (baseUrl: string): Either.Either<string, string> => {
  const text = Object.hasOwn(environments, baseUrl) ? environments[baseUrl as Environment] : baseUrl
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return Either.left("must be an absolute URL such as https://sites-test.placetopay.com")
  }
  const problem = Fields.endpointUrlProblem(url.href)
  if (problem !== undefined) return Either.left(problem)
  if (url.search !== "" || url.hash !== "") return Either.left("must not have a query or fragment")
  return Either.right(`${url.origin}${url.pathname.replace(/\/+$/, "")}`)
}

const positiveDuration = (
  input: Duration.DurationInput | undefined,
  fallback: Duration.Duration,
  path: string,
  issues: Array<{ path: string; message: string }>,
  allowInfinity = false
): Duration.Duration => {
  if (input === undefined) return fallback
  const decoded = Duration.decodeUnknown(input)
  if (
    Option.isNone(decoded) ||
    !Duration.greaterThan(decoded.value, Duration.zero) ||
    (!allowInfinity && !Duration.isFinite(decoded.value))
  ) {
    issues.push({ path, message: 'must be a positive duration such as "30 seconds"' })
    return fallback
  }
  return decoded.value
}

/** Checks every option at once; a `Configuration` error lists all problems. */
export const resolve = (options: Options): Either.Either<Resolved, PaymentError> => {
  const issues: Array<{ path: string; message: string }> = []
  if (typeof options.login !== "string" || options.login.trim() === "") {
    issues.push({ path: "login", message: "must not be empty" })
  } else if (!Fields.isCredential(options.login)) issues.push({ path: "login", message: Fields.credentialRule })
  const secretKey = Fields.secretText(options.secretKey)
  if (Either.isLeft(secretKey)) issues.push({ path: "secretKey", message: secretKey.left })
  else if (secretKey.right.length === 0) issues.push({ path: "secretKey", message: "must not be empty" })
  else if (!Fields.isCredential(secretKey.right)) issues.push({ path: "secretKey", message: Fields.credentialRule })
  const baseUrl = checkBaseUrl(String(options.baseUrl))
  if (Either.isLeft(baseUrl)) issues.push({ path: "baseUrl", message: baseUrl.left })
  const tranKeyAlgorithm = options.tranKeyAlgorithm ?? DEFAULTS.tranKeyAlgorithm
  if (tranKeyAlgorithm !== "sha256" && tranKeyAlgorithm !== "sha1") {
    issues.push({ path: "tranKeyAlgorithm", message: "must be sha256 or sha1" })
  }
  const timeZone = options.timeZone ?? DEFAULTS.timeZone
  if (!isTimeZone(timeZone))
    issues.push({ path: "timeZone", message: "must be an IANA time zone such as America/Bogota" })
  const sessionMinutes = options.sessionMinutes ?? DEFAULTS.sessionMinutes
  if (!Number.isSafeInteger(sessionMinutes) || sessionMinutes < 1) {
    issues.push({ path: "sessionMinutes", message: "must be a whole number of minutes, at least 1" })
  }
  const defaultLinkLifetime = positiveDuration(
    options.defaultLinkLifetime,
    DEFAULTS.defaultLinkLifetime,
    "defaultLinkLifetime",
    issues
  )
  const timeout = positiveDuration(options.timeout, DEFAULTS.timeout, "timeout", issues)
  const notificationTolerance = positiveDuration(
    options.notificationTolerance,
    DEFAULTS.notificationTolerance,
    "notificationTolerance",
    issues,
    true
  )
  const retry = ProviderHttp.retryPolicyOf(options.retry)
  if (Either.isLeft(retry)) issues.push(...retry.left)
  if (options.merchantId !== undefined && options.merchantId.trim() === "") {
    issues.push({ path: "merchantId", message: "must not be empty" })
  }
  const notifications = options.notifications ?? DEFAULTS.notifications
  if (
    !Array.isArray(notifications) ||
    notifications.length === 0 ||
    !notifications.every((kind) => notificationKinds.includes(kind))
  ) {
    issues.push({ path: "notifications", message: 'must list one or both of "link" and "checkout"' })
  }
  if (issues.length > 0 || Either.isLeft(baseUrl) || Either.isLeft(retry)) {
    return Either.left(Client.configurationError(issues))
  }
  return Either.right({
    login: options.login,
    secretKey: options.secretKey,
    baseUrl: baseUrl.right,
    tranKeyAlgorithm,
    timeZone,
    defaultLinkLifetime,
    sessionMinutes,
    timeout,
    retry: retry.right,
    merchantId: options.merchantId,
    notificationTolerance,
    notifications
  })
}

const withMerchant =
  (merchantId: string | undefined) =>
  (error: PaymentError): PaymentError =>
    merchantId === undefined || error.merchantId !== undefined
      ? error
      : new PaymentError({ provider: error.provider, operation: error.operation, reason: error.reason, merchantId })

export type Services = Provider.Provider | PaymentLinks | WebhooksTag | Charges | PaymentOrders | GiftCards

/** The services of one PlacetoPay site. */
export const make = (options: Options): Effect.Effect<Context.Context<Services>, PaymentError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(options)
    const client = yield* Client.make({
      credentials: {
        login: resolved.login,
        secretKey: resolved.secretKey,
        tranKeyAlgorithm: resolved.tranKeyAlgorithm,
        timeZone: resolved.timeZone
      },
      baseUrl: resolved.baseUrl,
      timeout: resolved.timeout,
      retry: resolved.retry,
      merchantId: resolved.merchantId
    })
    const settings: Mapping.Settings = {
      timeZone: resolved.timeZone,
      defaultLinkLifetime: resolved.defaultLinkLifetime,
      sessionMinutes: resolved.sessionMinutes,
      merchantId: resolved.merchantId
    }

    const read = (operation: string, id: number): Effect.Effect<PaymentLink.PaymentLink, PaymentError> =>
      Effect.flatMap(client.query(id), (wire) => {
        if (wire.id !== id) {
          return Effect.fail(
            Mapping.failure(
              operation,
              undefined,
              new ProtocolViolation({ status: 200, detail: "answered with another link" })
            )
          )
        }
        return Either.mapLeft(Mapping.fromQueried(wire, settings), (detail) =>
          Mapping.failure(operation, undefined, new ProtocolViolation({ status: 200, detail }))
        )
      })

    const create = (input: PaymentLink.CreatePaymentLink) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const request = yield* Mapping.toCreateRequest(input, now, settings)
        const created = yield* client.create(request, { merchantId: input.merchantId })
        return Mapping.fromCreated(created, request, input, settings)
      }).pipe(Effect.mapError(withMerchant(input.merchantId ?? resolved.merchantId)))

    const get = (lookup: LinkLookup) =>
      Effect.flatMap(Mapping.parseLinkId(lookup.id, "links.get"), (id) => read("links.get", id)).pipe(
        Effect.mapError(withMerchant(resolved.merchantId))
      )

    const disable = (lookup: LinkLookup) =>
      Effect.gen(function* () {
        const id = yield* Mapping.parseLinkId(lookup.id, "links.disable")
        yield* client.disable(id)
        // The disable answer carries only the id: read the link back for its state.
        return yield* read("links.disable", id).pipe(
          Effect.mapError((error) =>
            Mapping.failure(
              "links.disable",
              undefined,
              new OutcomeUnknown({
                detail: `the link was disabled, but reading it back failed (${error.reason.description})`,
                advice: "get the link to see its state"
              })
            )
          )
        )
      }).pipe(Effect.mapError(withMerchant(resolved.merchantId)))

    return Context.make(Provider.Provider, provider).pipe(
      Context.add(
        PaymentLinks,
        PaymentLinks.make(provider, { create, get, disable, rules: { create: Mapping.linkRules(settings) } })
      ),
      Context.add(
        WebhooksTag,
        Webhooks.make(provider, {
          secretKey: resolved.secretKey,
          merchantId: resolved.merchantId,
          notifications: resolved.notifications,
          notificationTolerance: resolved.notificationTolerance
        })
      ),
      Context.add(Charges, Charges.make(provider, {})),
      Context.add(PaymentOrders, PaymentOrders.make(provider, {})),
      Context.add(GiftCards, GiftCards.make(provider, {}))
    )
  })

/** The neutral services for one PlacetoPay site; fails at build with `Configuration` on bad options. */
export const layer = (options: Options): Layer.Layer<Services, PaymentError, HttpClient.HttpClient> =>
  Layer.effectContext(make(options))

/**
 * The options read from `Config`: `PLACETOPAY_LOGIN`, `PLACETOPAY_SECRET_KEY` (redacted),
 * `PLACETOPAY_BASE_URL`, and optionally `PLACETOPAY_TRANKEY_ALGORITHM`, `PLACETOPAY_TIME_ZONE`,
 * `PLACETOPAY_SESSION_MINUTES`, `PLACETOPAY_TIMEOUT`, `PLACETOPAY_DEFAULT_LINK_LIFETIME`,
 * `PLACETOPAY_MERCHANT_ID`, `PLACETOPAY_RETRY_MAX_ATTEMPTS`, `PLACETOPAY_RETRY_BASE_DELAY`,
 * `PLACETOPAY_RETRY_MAX_RETRY_AFTER`, `PLACETOPAY_NOTIFICATION_TOLERANCE`, `PLACETOPAY_NOTIFICATIONS`
 * (`link`, or `link,checkout`) (another prefix for several sites).
 */
export const config = (prefix = "PLACETOPAY"): Config.Config<Options> => {
  const optional = <A>(c: Config.Config<A>) => Config.option(c).pipe(Config.map(Option.getOrUndefined))
  return Config.all({
    login: Config.string("LOGIN"),
    secretKey: Config.redacted("SECRET_KEY"),
    baseUrl: Config.string("BASE_URL"),
    tranKeyAlgorithm: optional(Config.literal("sha256", "sha1")("TRANKEY_ALGORITHM")),
    timeZone: optional(Config.string("TIME_ZONE")),
    sessionMinutes: optional(Config.integer("SESSION_MINUTES")),
    timeout: optional(Config.duration("TIMEOUT")),
    defaultLinkLifetime: optional(Config.duration("DEFAULT_LINK_LIFETIME")),
    merchantId: optional(Config.string("MERCHANT_ID")),
    retry: ProviderHttp.retryConfig,
    notificationTolerance: optional(Config.duration("NOTIFICATION_TOLERANCE")),
    notifications: optional(Config.array(Config.literal("link", "checkout")(), "NOTIFICATIONS"))
  }).pipe(
    Config.nested(prefix),
    Config.map((c): Options => {
      const options: { -readonly [K in keyof Options]: Options[K] } = {
        login: c.login,
        secretKey: c.secretKey,
        baseUrl: c.baseUrl
      }
      if (c.tranKeyAlgorithm !== undefined) options.tranKeyAlgorithm = c.tranKeyAlgorithm
      if (c.timeZone !== undefined) options.timeZone = c.timeZone
      if (c.sessionMinutes !== undefined) options.sessionMinutes = c.sessionMinutes
      if (c.timeout !== undefined) options.timeout = c.timeout
      if (c.defaultLinkLifetime !== undefined) options.defaultLinkLifetime = c.defaultLinkLifetime
      if (c.merchantId !== undefined) options.merchantId = c.merchantId
      if (c.notificationTolerance !== undefined) options.notificationTolerance = c.notificationTolerance
      if (c.notifications !== undefined) options.notifications = c.notifications
      if (c.retry !== undefined) options.retry = c.retry
      return options
    })
  )
}

const fromConfigError = (error: ConfigError.ConfigError): PaymentError =>
  Client.configurationError([{ path: "", message: String(error) }])

/**
 * `layer` with options from `Config` (`config()` by default, reading `PLACETOPAY_*`); the secret
 * is read with `Config.redacted`. Missing or invalid configuration fails as `Configuration`.
 */
export const layerConfig = (
  options: Config.Config<Options> | Config.Config.Wrap<Options> = config()
): Layer.Layer<Services, PaymentError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Config.unwrap(options as Config.Config.Wrap<Options>).pipe(Effect.mapError(fromConfigError), Effect.map(layer))
  )
