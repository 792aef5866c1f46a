/**
 * The Autocore provider: `layer(options)` / `layerConfig(config)` give every service Autocore can
 * back (links: create only; charges; cash orders; gift cards; webhooks) plus `AutocoreHotels`.
 * Autocore documents no endpoint to read or cancel a link, so `links.get` / `links.disable` are not
 * among its capabilities and fail with `Unsupported`; none is invented.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import {
  Charges,
  Configuration,
  configurationError,
  FieldIssue,
  Fields,
  GiftCards,
  Money,
  OutcomeUnknown,
  PaymentError,
  PaymentLinks,
  PaymentOrders,
  ProtocolViolation,
  Provider,
  ProviderHttp,
  type Reason,
  Validation,
  Webhooks as WebhooksTag
} from "@pasarela/core"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Auth from "./Auth.js"
import * as Client from "./Client.js"
import * as Mapping from "./Mapping.js"
import * as Webhooks from "./Webhooks.js"
import type * as Wire from "./Wire.js"

/** Autocore's API base URLs (spec §1). */
export const environments = {
  development: "https://api-dev.autocore.pro",
  production: "https://api.autocore.pro"
} as const

export interface Options {
  /** API access key (sent as `access_key`, and inside every `auth_token`). */
  readonly accessKey: string
  readonly secretKey: Redacted.Redacted<string>
  /** `environments.production`, `environments.development`, or a loopback sandbox. https only otherwise. */
  readonly baseUrl: string
  /** Autocore's id of the hotel this configuration serves (see `AutocoreHotels.list`). */
  readonly hotelId: number
  /** Integration source, required by Autocore when the account has several. */
  readonly source?: string
  /** The hotel's currency: charges are made in it, and notification amounts read in it. Default COP. */
  readonly currency?: Money.Currency
  /** Send `order.currency` on charges (newer API versions), allowing other currencies. Default false. */
  readonly sendCurrency?: boolean
  /** Key of the default card cipher (spec §6). Not needed when a `CardCipher` layer is provided. */
  readonly cardEncryptionKey?: Redacted.Redacted<string>
  /** Keys the token appended to every notification URL; keep it per merchant and at least 16 characters. */
  readonly webhookSecret: Redacted.Redacted<string>
  /** Default notification URL when an input has none. https, or http on loopback. */
  readonly notificationUrl?: string
  /** The merchant id results and events carry, and inputs must match. Default `String(hotelId)`. */
  readonly merchantId?: string
  /**
   * How long one request attempt may take, from sending it to having read the whole answer.
   * Default 30 seconds. A per-call `CallOptions.withTimeout(…)` wins over it.
   */
  readonly timeout?: Duration.DurationInput
  /**
   * Retries, only where they cannot duplicate anything: hotel listing on unavailability, rate
   * limits, timeouts and lost connections; links, card charges, cash orders and gift cards only
   * when the connection was never made (refused, DNS failure). Defaults: `maxAttempts` 3 in total
   * (1 = no retries), `baseDelay` 100 ms (retry n waits a random time up to `baseDelay` × 2ⁿ⁻¹),
   * `maxRetryAfter` 5 seconds (a longer `Retry-After` is not waited for: RateLimited goes to the
   * caller).
   */
  readonly retry?: RetryOptions
  /** Zone of Autocore's zoneless timestamps, an IANA name. Default `America/Bogota` (UTC-5). */
  readonly timeZone?: string
  /**
   * How long a notification URL's token is accepted after its operation was created (for a link,
   * after the link's expiry). Autocore re-delivers every 30 minutes until answered 200, so give it
   * days. Default 30 days.
   */
  readonly webhookTokenLifetime?: Duration.DurationInput
}

export type RetryOptions = ProviderHttp.RetryOptions

/** Default `webhookTokenLifetime`: Autocore re-delivers for as long as it takes. */
export const DEFAULT_WEBHOOK_TOKEN_LIFETIME = Duration.days(30)

export const provider: Provider.ProviderInfo = Provider.make({
  name: Mapping.PROVIDER,
  displayName: "Autocore",
  capabilities: ["links.create", "charges.create", "orders.create", "giftCards.create", "webhooks.verify"]
})

// ---------------------------------------------------------------------------------------------
// Hotels

export type Hotel = Mapping.Hotel
export type HotelsPage = Mapping.HotelsPage

export interface AutocoreHotelsService {
  /**
   * One page of the account's hotels: `offset` (default 0) and `limit` 1–100 (default 50), both
   * always sent. Retried (per the `retry` option) when that is safe.
   */
  readonly list: (page?: {
    readonly offset?: number
    readonly limit?: number
  }) => Effect.Effect<HotelsPage, PaymentError>
  /** Every hotel of the account, walking the pages. */
  readonly all: Effect.Effect<ReadonlyArray<Hotel>, PaymentError>
}

/** The hotels of the Autocore account (spec §9): to find `hotelId` values. */
export class AutocoreHotels extends Context.Tag("@pasarela/autocore/AutocoreHotels")<
  AutocoreHotels,
  AutocoreHotelsService
>() {}

const PAGE_SIZE = 100

/** Spec §9 decision: `offset` and `limit` are always sent, 0 and 50 when the caller gives none. */
export const DEFAULT_HOTELS_PAGE = { offset: 0, limit: 50 } as const

const HotelsQuery = Schema.Struct({
  offset: Schema.optionalWith(Schema.Int.pipe(Schema.greaterThanOrEqualTo(0)), {
    exact: true,
    default: () => DEFAULT_HOTELS_PAGE.offset
  }),
  limit: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, PAGE_SIZE)), {
    exact: true,
    default: () => DEFAULT_HOTELS_PAGE.limit
  })
})

// ---------------------------------------------------------------------------------------------
// Configuration

export interface ResolvedOptions {
  readonly settings: Mapping.Settings
  readonly client: Client.ClientConfig
}

/** Checks options and resolves defaults; every problem is reported at once as a `Configuration` reason. */
export const resolve = (options: Options): Either.Either<ResolvedOptions, Configuration> => {
  const issues: Array<FieldIssue> = []
  const bad = (path: string, message: string) => issues.push(new FieldIssue({ path, message }))
  if (typeof options.accessKey !== "string" || options.accessKey.trim() === "" || options.accessKey.includes(";")) {
    bad("accessKey", "must be a non-empty key without ';'")
  } else if (!Fields.isCredential(options.accessKey)) bad("accessKey", Fields.credentialRule)
  const secretKey = Fields.secretText(options.secretKey)
  if (Either.isLeft(secretKey)) bad("secretKey", secretKey.left)
  else if (secretKey.right === "") bad("secretKey", "must not be empty")
  else if (!Fields.isCredential(secretKey.right)) bad("secretKey", Fields.credentialRule)
  if (!Mapping.isHttpsOrLoopback(options.baseUrl)) bad("baseUrl", "must be an https URL (http only on loopback)")
  else if (Fields.endpointUrlProblem(options.baseUrl) !== undefined) {
    bad("baseUrl", Fields.endpointUrlProblem(options.baseUrl)!)
  }
  if (!Number.isSafeInteger(options.hotelId) || options.hotelId < 1) bad("hotelId", "must be a positive integer")
  const currency = options.currency ?? "COP"
  if (!Money.isCurrency(currency)) bad("currency", "must be a known ISO 4217 code such as COP")
  if (options.source !== undefined && options.source.trim() === "") bad("source", "must not be empty")
  if (options.cardEncryptionKey !== undefined) {
    const key = Fields.secretText(options.cardEncryptionKey)
    if (Either.isLeft(key)) bad("cardEncryptionKey", key.left)
    else if (key.right === "") bad("cardEncryptionKey", "must not be empty")
  }
  const webhookSecret = Fields.secretText(options.webhookSecret)
  if (Either.isLeft(webhookSecret)) bad("webhookSecret", webhookSecret.left)
  else if (webhookSecret.right.length < 16) bad("webhookSecret", "must be at least 16 characters")
  if (options.notificationUrl !== undefined && !Mapping.isHttpsOrLoopback(options.notificationUrl)) {
    bad("notificationUrl", "must be an https URL (it carries the webhook token), or http on loopback")
  } else if (
    options.notificationUrl !== undefined &&
    Fields.endpointUrlProblem(options.notificationUrl) !== undefined
  ) {
    bad("notificationUrl", Fields.endpointUrlProblem(options.notificationUrl)!)
  }
  const merchantId = options.merchantId ?? String(options.hotelId)
  if (merchantId.trim() === "") bad("merchantId", "must not be empty")
  const timeout = Option.getOrUndefined(Duration.decodeUnknown(options.timeout ?? "30 seconds"))
  if (timeout === undefined || !Duration.greaterThan(timeout, Duration.zero) || !Duration.isFinite(timeout)) {
    bad("timeout", "must be a positive duration")
  }
  const retry = ProviderHttp.retryPolicyOf(options.retry)
  if (Either.isLeft(retry)) for (const issue of retry.left) bad(issue.path, issue.message)
  const timeZone = options.timeZone ?? "America/Bogota"
  if (Option.isNone(DateTime.zoneMakeNamed(timeZone)))
    bad("timeZone", "must be an IANA time zone such as America/Bogota")
  const webhookTokenLifetime = Option.getOrUndefined(
    Duration.decodeUnknown(options.webhookTokenLifetime ?? DEFAULT_WEBHOOK_TOKEN_LIFETIME)
  )
  if (
    webhookTokenLifetime === undefined ||
    !Duration.isFinite(webhookTokenLifetime) ||
    Duration.lessThan(webhookTokenLifetime, Duration.hours(1))
  ) {
    bad("webhookTokenLifetime", 'must be a finite duration of at least 1 hour, such as "30 days"')
  }
  if (issues.length > 0 || Either.isLeft(retry)) return Either.left(new Configuration({ issues }))
  return Either.right({
    settings: {
      hotelId: options.hotelId,
      merchantId,
      source: options.source,
      currency: currency as Money.Currency,
      sendCurrency: options.sendCurrency ?? false,
      notificationUrl: options.notificationUrl,
      webhookSecret: options.webhookSecret,
      timeZone,
      webhookTokenLifetime: webhookTokenLifetime!,
      baseUrl: options.baseUrl
    },
    client: {
      baseUrl: options.baseUrl,
      credentials: { accessKey: options.accessKey, secretKey: options.secretKey },
      hotelId: options.hotelId,
      merchantId,
      timeout: timeout!,
      retry: retry.right
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Services

export type Services =
  | Provider.Provider
  | PaymentLinks
  | Charges
  | PaymentOrders
  | GiftCards
  | WebhooksTag
  | AutocoreHotels

const fail = (operation: string, merchantId: string, reason: Reason) =>
  new PaymentError({ provider: provider.name, operation, merchantId, reason })

/**
 * Every service, built once. The card cipher is the `CardCipher` in context when there is one (an
 * integrator's own scheme), else the default keyed with `cardEncryptionKey`; with neither, charges
 * fail with `Configuration` and everything else works.
 */
export const make = (options: Options): Effect.Effect<Context.Context<Services>, PaymentError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const merchantForErrors = options.merchantId ?? String(options.hotelId)
    const { settings, client: clientConfig } = yield* Either.mapLeft(resolve(options), (reason) =>
      fail("configure", merchantForErrors, reason)
    )
    const client = yield* Client.make(clientConfig)
    const provided = yield* Effect.serviceOption(Auth.CardCipher)
    const cipher = Option.isSome(provided)
      ? Option.some(provided.value)
      : Option.map(Option.fromNullable(options.cardEncryptionKey), Auth.cardCipherFromKey)
    const merchantId = settings.merchantId
    const stamp: Effect.Effect<Mapping.Stamp> = Effect.zipWith(
      Clock.currentTimeMillis,
      Webhooks.makeNonce,
      (millis, nonce) => ({ now: new Date(millis), nonce })
    )
    const refused = <A>(operation: string, mapped: Either.Either<A, Mapping.Refusal>) =>
      Either.mapLeft(mapped, (reason) => fail(operation, merchantId, reason))

    const encryptCard = (card: Mapping.ChargePlan["card"]): Effect.Effect<Wire.CardItem, PaymentError> =>
      Option.match(cipher, {
        onNone: () =>
          Effect.fail(
            fail(
              "charges.create",
              merchantId,
              new Configuration({
                issues: [
                  new FieldIssue({
                    path: "cardEncryptionKey",
                    message: "card charges need a card cipher: set cardEncryptionKey or provide a CardCipher layer"
                  })
                ]
              })
            )
          ),
        onSome: (service) =>
          Effect.all(
            {
              cc_number: service.encrypt(card.cc_number),
              cc_code: service.encrypt(card.cc_code),
              cc_expire_month: service.encrypt(card.cc_expire_month),
              cc_expire_year: service.encrypt(card.cc_expire_year),
              cc_holder: service.encrypt(card.cc_holder)
            },
            { concurrency: 1 }
          ).pipe(
            Effect.mapError((error) =>
              fail(
                "charges.create",
                merchantId,
                new Configuration({ issues: [new FieldIssue({ path: "cardCipher", message: error.message })] })
              )
            )
          )
      })

    const links = PaymentLinks.make(provider, {
      create: (input) =>
        Effect.gen(function* () {
          const plan = yield* refused("links.create", Mapping.linkRequest(input, settings, yield* stamp))
          const response = yield* client.createLink(plan.body)
          return Mapping.linkResult(input, response, plan, settings)
        }),
      rules: { create: Mapping.linkRules(settings) }
    })

    const charges = Charges.make(provider, {
      create: (input) =>
        Effect.gen(function* () {
          const plan = yield* refused("charges.create", Mapping.chargeRequest(input, settings, yield* stamp))
          const cardItem = yield* encryptCard(plan.card)
          const answer = yield* client.createCharge({ order: plan.order, card_item: cardItem })
          const charge =
            answer._tag === "Accepted"
              ? Mapping.chargeAccepted(input, answer.response, settings)
              : Mapping.chargeRejected(input, answer.response, settings)
          return yield* Either.mapLeft(charge, (statusCode) =>
            fail(
              "charges.create",
              merchantId,
              answer._tag === "Accepted"
                ? new OutcomeUnknown({
                    detail: `Autocore reported status "${statusCode}", which this adapter does not know`,
                    advice: Client.reconcileAdvice("charges.create", input.reference)
                  })
                : // A 400 cannot have charged the card, whatever status it names.
                  new ProtocolViolation({ status: 400, detail: `a rejection reporting status "${statusCode}"` })
            )
          )
        }),
      rules: { create: Mapping.chargeRules(settings) }
    })

    const orders = PaymentOrders.make(provider, {
      create: (input) =>
        Effect.gen(function* () {
          const body = yield* refused("orders.create", Mapping.orderRequest(input, settings, yield* stamp))
          const response = yield* client.createCashOrder(body)
          return Mapping.orderResult(input, response, settings)
        }),
      rules: { create: Mapping.orderRules(settings) }
    })

    const giftCards = GiftCards.make(provider, {
      create: (input) =>
        Effect.gen(function* () {
          const body = yield* refused("giftCards.create", Mapping.giftCardRequest(input, settings, yield* stamp))
          const response = yield* client.createGiftCard(body)
          return Mapping.giftCardResult(input, response, settings)
        }),
      rules: { create: Mapping.giftCardRules(settings) }
    })

    const validateQuery = Validation.validate(HotelsQuery, { provider: provider.name, operation: "hotels.list" })
    const list: AutocoreHotelsService["list"] = (page = {}) =>
      validateQuery(page).pipe(
        Effect.mapError((error) => new PaymentError({ ...error, merchantId })),
        Effect.flatMap((query) => client.listHotels(query)),
        Effect.map(Mapping.hotelsPage)
      )
    const all: AutocoreHotelsService["all"] = Effect.gen(function* () {
      const hotels: Array<Hotel> = []
      for (let offset = 0; ; ) {
        const page = yield* list({ offset, limit: PAGE_SIZE })
        hotels.push(...page.hotels)
        if (!page.hasMore) return hotels
        // More announced but none given: following it could loop forever.
        if (page.hotels.length === 0) {
          return yield* fail(
            "hotels.list",
            merchantId,
            new ProtocolViolation({ status: 200, detail: "an empty page announced more hotels" })
          )
        }
        offset += page.hotels.length
      }
    })

    return Context.make(Provider.Provider, provider).pipe(
      Context.add(PaymentLinks, links),
      Context.add(Charges, charges),
      Context.add(PaymentOrders, orders),
      Context.add(GiftCards, giftCards),
      Context.add(WebhooksTag, Webhooks.make(provider, settings)),
      Context.add(AutocoreHotels, { list, all })
    )
  })

/**
 * Every Autocore service for one hotel. Needs an `HttpClient` (on Node, `UndiciHttpClient.layer`
 * from `@pasarela/node`). To use Autocore's own card scheme, provide a `CardCipher` layer to this one:
 * `Autocore.layer(options).pipe(Layer.provide(myCipherLayer))`.
 */
export const layer = (options: Options): Layer.Layer<Services, PaymentError, HttpClient.HttpClient> =>
  Layer.effectContext(make(options))

const optional = <A>(config: Config.Config<A>) => Config.option(config).pipe(Config.map(Option.getOrUndefined))

/** A base URL, or the name of a preset (`production`, `development`). */
const baseUrlConfig = Config.string("BASE_URL").pipe(
  Config.map((value) => (value === "production" || value === "development" ? environments[value] : value))
)

/**
 * Options from `Config` (by default environment variables `AUTOCORE_ACCESS_KEY`,
 * `AUTOCORE_SECRET_KEY`, `AUTOCORE_BASE_URL` (a URL, `production` or `development`),
 * `AUTOCORE_HOTEL_ID`, `AUTOCORE_WEBHOOK_SECRET`, and optionally `AUTOCORE_SOURCE`,
 * `AUTOCORE_CURRENCY`, `AUTOCORE_SEND_CURRENCY`, `AUTOCORE_CARD_ENCRYPTION_KEY`,
 * `AUTOCORE_NOTIFICATION_URL`, `AUTOCORE_MERCHANT_ID`, `AUTOCORE_TIMEOUT`, `AUTOCORE_TIME_ZONE`,
 * `AUTOCORE_WEBHOOK_TOKEN_LIFETIME`, `AUTOCORE_RETRY_MAX_ATTEMPTS`, `AUTOCORE_RETRY_BASE_DELAY`, `AUTOCORE_RETRY_MAX_RETRY_AFTER`).
 * Secrets are read with `Config.redacted`. Another `prefix` for several hotels: `config("CARTAGENA")`.
 */
export const config = (prefix = "AUTOCORE"): Config.Config<Options> =>
  Config.all({
    accessKey: Config.string("ACCESS_KEY"),
    secretKey: Config.redacted("SECRET_KEY"),
    baseUrl: baseUrlConfig,
    hotelId: Config.integer("HOTEL_ID"),
    webhookSecret: Config.redacted("WEBHOOK_SECRET"),
    source: optional(Config.string("SOURCE")),
    currency: optional(Config.literal(...(Object.keys(Money.currencies) as Array<Money.Currency>))("CURRENCY")),
    sendCurrency: optional(Config.boolean("SEND_CURRENCY")),
    cardEncryptionKey: optional(Config.redacted("CARD_ENCRYPTION_KEY")),
    notificationUrl: optional(Config.string("NOTIFICATION_URL")),
    merchantId: optional(Config.string("MERCHANT_ID")),
    timeout: optional(Config.duration("TIMEOUT")),
    timeZone: optional(Config.string("TIME_ZONE")),
    webhookTokenLifetime: optional(Config.duration("WEBHOOK_TOKEN_LIFETIME")),
    retry: ProviderHttp.retryConfig
  }).pipe(
    Config.map((read): Options => {
      const { accessKey, secretKey, baseUrl, hotelId, webhookSecret, ...rest } = read
      // Options are exact: what the environment does not set is absent, not undefined.
      const present = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined))
      return { accessKey, secretKey, baseUrl, hotelId, webhookSecret, ...present }
    }),
    Config.nested(prefix)
  )

/** Missing or invalid configuration, as the `Configuration` reason every other problem is. */
const fromConfigError = (error: ConfigError.ConfigError): PaymentError =>
  configurationError(provider.name, [{ path: "", message: String(error) }])

/**
 * `layer` with options read from `Config` (default: `config()`, the `AUTOCORE_*` variables), or
 * from a `Config.Config.Wrap` of them (each option its own `Config`). Missing or invalid
 * configuration fails as `Configuration`, naming the variable.
 */
export const layerConfig = (
  options: Config.Config<Options> | Config.Config.Wrap<Options> = config()
): Layer.Layer<Services, PaymentError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Config.unwrap(options as Config.Config.Wrap<Options>).pipe(Effect.mapError(fromConfigError), Effect.map(layer))
  )
