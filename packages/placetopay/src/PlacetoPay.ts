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
  AdapterOptions,
  Charges,
  GiftCards,
  type LinkLookup,
  PaymentError,
  type PaymentLink,
  PaymentLinks,
  PaymentOrders,
  Provider,
  Webhooks as WebhooksTag
} from "@pasarela/core"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Client from "./Client.js"
import * as Mapping from "./Mapping.js"
import { Options } from "./Options.js"
import * as Webhooks from "./Webhooks.js"

export {
  checkBaseUrl,
  DEFAULTS,
  type Environment,
  environments,
  type NotificationKind,
  Options
} from "./Options.js"

export type RetryOptions = AdapterOptions.RetryOptions

export const provider: Provider.ProviderInfo = Provider.make({
  name: Mapping.PROVIDER,
  displayName: "PlacetoPay",
  capabilities: ["links.create", "links.get", "links.disable", "webhooks.verify"]
})

const decode = AdapterOptions.decoder(Options)

/** Checks every option at once; a `Configuration` error lists all problems. */
export const resolve = (options: Options): Either.Either<typeof Options.Type, PaymentError.PaymentError> =>
  Either.mapLeft(decode(options), Client.configurationError)

const withMerchant =
  (merchantId: string | undefined) =>
  (error: PaymentError.PaymentError): PaymentError.PaymentError =>
    merchantId === undefined || error.merchantId !== undefined
      ? error
      : new PaymentError.PaymentError({
          provider: error.provider,
          operation: error.operation,
          reason: error.reason,
          merchantId
        })

export type Services = Provider.Provider | PaymentLinks | WebhooksTag | Charges | PaymentOrders | GiftCards

/** The services of one PlacetoPay site. */
export const make = (
  options: Options
): Effect.Effect<Context.Context<Services>, PaymentError.PaymentError, HttpClient.HttpClient> =>
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

    const read = (operation: string, id: number): Effect.Effect<PaymentLink.PaymentLink, PaymentError.PaymentError> =>
      Effect.flatMap(client.query(id), (wire) =>
        Either.mapLeft(
          wire.id === id ? Mapping.fromQueried(wire, settings) : Either.left("answered with another link"),
          (detail) => Mapping.failure(operation, undefined, new PaymentError.ProtocolViolation({ status: 200, detail }))
        )
      )

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
              new PaymentError.OutcomeUnknown({
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
      Context.add(WebhooksTag, Webhooks.make(provider, resolved)),
      Context.add(Charges, Charges.make(provider, {})),
      Context.add(PaymentOrders, PaymentOrders.make(provider, {})),
      Context.add(GiftCards, GiftCards.make(provider, {}))
    )
  })

/** The neutral services for one PlacetoPay site; fails at build with `Configuration` on bad options. */
export const layer = (options: Options): Layer.Layer<Services, PaymentError.PaymentError, HttpClient.HttpClient> =>
  Layer.effectContext(make(options))

/**
 * The options read from `Config`: `PLACETOPAY_LOGIN`, `PLACETOPAY_SECRET_KEY` (redacted),
 * `PLACETOPAY_BASE_URL`, and optionally `PLACETOPAY_TRANKEY_ALGORITHM`, `PLACETOPAY_TIME_ZONE`,
 * `PLACETOPAY_SESSION_MINUTES`, `PLACETOPAY_TIMEOUT`, `PLACETOPAY_DEFAULT_LINK_LIFETIME`,
 * `PLACETOPAY_MERCHANT_ID`, `PLACETOPAY_RETRY_MAX_ATTEMPTS`, `PLACETOPAY_RETRY_BASE_DELAY`,
 * `PLACETOPAY_RETRY_MAX_RETRY_AFTER`, `PLACETOPAY_NOTIFICATION_TOLERANCE`, `PLACETOPAY_NOTIFICATIONS`
 * (`link`, or `link,checkout`) (another prefix for several sites).
 */
export const config = (prefix = "PLACETOPAY"): Config.Config<Options> =>
  Config.all({
    login: Config.string("LOGIN"),
    secretKey: Config.redacted("SECRET_KEY"),
    baseUrl: Config.string("BASE_URL"),
    tranKeyAlgorithm: AdapterOptions.optional(Config.literal("sha256", "sha1")("TRANKEY_ALGORITHM")),
    timeZone: AdapterOptions.optional(Config.string("TIME_ZONE")),
    sessionMinutes: AdapterOptions.optional(Config.integer("SESSION_MINUTES")),
    timeout: AdapterOptions.optional(Config.duration("TIMEOUT")),
    defaultLinkLifetime: AdapterOptions.optional(Config.duration("DEFAULT_LINK_LIFETIME")),
    merchantId: AdapterOptions.optional(Config.string("MERCHANT_ID")),
    retry: AdapterOptions.retryConfig,
    notificationTolerance: AdapterOptions.optional(Config.duration("NOTIFICATION_TOLERANCE")),
    notifications: AdapterOptions.optional(Config.array(Config.literal("link", "checkout")(), "NOTIFICATIONS"))
  }).pipe(Config.nested(prefix))

const fromConfigError = (error: ConfigError.ConfigError): PaymentError.PaymentError =>
  Client.configurationError([{ path: "", message: String(error) }])

/**
 * `layer` with options from `Config` (`config()` by default, reading `PLACETOPAY_*`); the secret
 * is read with `Config.redacted`. Missing or invalid configuration fails as `Configuration`.
 */
export const layerConfig = (
  options: Config.Config<Options> | Config.Config.Wrap<Options> = config()
): Layer.Layer<Services, PaymentError.PaymentError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Config.unwrap(options as Config.Config.Wrap<Options>).pipe(Effect.mapError(fromConfigError), Effect.map(layer))
  )
