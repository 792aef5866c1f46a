/**
 * The Autocore provider: `layer(options)` / `layerConfig(config)` give every service Autocore can
 * back (links: create only; charges; cash orders; gift cards; webhooks) plus `AutocoreHotels`.
 * Autocore documents no endpoint to read or cancel a link, so `links.get` / `links.disable` are not
 * among its capabilities and fail with `Unsupported`; none is invented.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import {
  AdapterOptions,
  Charges,
  GiftCards,
  PaymentError,
  PaymentLinks,
  PaymentOrders,
  Provider,
  Validation,
  Webhooks as WebhooksTag
} from "@pasarela/core"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Record from "effect/Record"
import * as Schema from "effect/Schema"
import * as Auth from "./Auth.js"
import * as Client from "./Client.js"
import * as Mapping from "./Mapping.js"
import { Options } from "./Options.js"
import * as Webhooks from "./Webhooks.js"
import type * as Wire from "./Wire.js"

export { DEFAULT_WEBHOOK_TOKEN_LIFETIME, environments, Options } from "./Options.js"

export type RetryOptions = AdapterOptions.RetryOptions

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
  }) => Effect.Effect<HotelsPage, PaymentError.PaymentError>
  /** Every hotel of the account, walking the pages. */
  readonly all: Effect.Effect<ReadonlyArray<Hotel>, PaymentError.PaymentError>
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

const decode = AdapterOptions.decoder(Options)

/** Checks options and resolves defaults; every problem is reported at once as a `Configuration` reason. */
export const resolve = (options: Options): Either.Either<ResolvedOptions, PaymentError.Configuration> =>
  Either.match(decode(options), {
    onLeft: (issues) => Either.left(new PaymentError.Configuration({ issues })),
    onRight: ({ accessKey, secretKey, timeout, retry, cardEncryptionKey: _, ...settings }) => {
      const merchantId = settings.merchantId ?? String(settings.hotelId)
      return Either.right({
        settings: { ...settings, source: settings.source, notificationUrl: settings.notificationUrl, merchantId },
        client: {
          baseUrl: settings.baseUrl,
          credentials: { accessKey, secretKey },
          hotelId: settings.hotelId,
          merchantId,
          timeout,
          retry
        }
      })
    }
  })

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

const fail = (operation: string, merchantId: string, reason: PaymentError.Reason) =>
  new PaymentError.PaymentError({ provider: provider.name, operation, merchantId, reason })

/**
 * Every service, built once. The card cipher is the `CardCipher` in context when there is one (an
 * integrator's own scheme), else the default keyed with `cardEncryptionKey`; with neither, charges
 * fail with `Configuration` and everything else works.
 */
export const make = (
  options: Options
): Effect.Effect<Context.Context<Services>, PaymentError.PaymentError, HttpClient.HttpClient> =>
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

    const cipherFailure = (path: string, message: string) =>
      fail(
        "charges.create",
        merchantId,
        new PaymentError.Configuration({ issues: [new PaymentError.FieldIssue({ path, message })] })
      )
    const encryptCard = (card: Mapping.ChargePlan["card"]): Effect.Effect<Wire.CardItem, PaymentError.PaymentError> =>
      Option.match(cipher, {
        onNone: () =>
          Effect.fail(
            cipherFailure(
              "cardEncryptionKey",
              "card charges need a card cipher: set cardEncryptionKey or provide a CardCipher layer"
            )
          ),
        onSome: (service) =>
          Effect.all(
            Record.map(card, (field) => service.encrypt(field)),
            { concurrency: 1 }
          ).pipe(Effect.mapError((error) => cipherFailure("cardCipher", error.message)))
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
                ? new PaymentError.OutcomeUnknown({
                    detail: `Autocore reported status "${statusCode}", which this adapter does not know`,
                    advice: Client.reconcileAdvice("charges.create", input.reference)
                  })
                : // A 400 cannot have charged the card, whatever status it names.
                  new PaymentError.ProtocolViolation({
                    status: 400,
                    detail: `a rejection reporting status "${statusCode}"`
                  })
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
        Effect.mapError((error) => new PaymentError.PaymentError({ ...error, merchantId })),
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
            new PaymentError.ProtocolViolation({ status: 200, detail: "an empty page announced more hotels" })
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
export const layer = (options: Options): Layer.Layer<Services, PaymentError.PaymentError, HttpClient.HttpClient> =>
  Layer.effectContext(make(options))

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
    baseUrl: Config.string("BASE_URL"),
    hotelId: Config.integer("HOTEL_ID"),
    webhookSecret: Config.redacted("WEBHOOK_SECRET"),
    source: AdapterOptions.optional(Config.string("SOURCE")),
    currency: AdapterOptions.optional(Config.string("CURRENCY")),
    sendCurrency: AdapterOptions.optional(Config.boolean("SEND_CURRENCY")),
    cardEncryptionKey: AdapterOptions.optional(Config.redacted("CARD_ENCRYPTION_KEY")),
    notificationUrl: AdapterOptions.optional(Config.string("NOTIFICATION_URL")),
    merchantId: AdapterOptions.optional(Config.string("MERCHANT_ID")),
    timeout: AdapterOptions.optional(Config.duration("TIMEOUT")),
    timeZone: AdapterOptions.optional(Config.string("TIME_ZONE")),
    webhookTokenLifetime: AdapterOptions.optional(Config.duration("WEBHOOK_TOKEN_LIFETIME")),
    retry: AdapterOptions.retryConfig
  }).pipe(Config.nested(prefix))

/** Missing or invalid configuration, as the `Configuration` reason every other problem is. */
const fromConfigError = (error: ConfigError.ConfigError): PaymentError.PaymentError =>
  PaymentError.configurationError(provider.name, [{ path: "", message: String(error) }])

/**
 * `layer` with options read from `Config` (default: `config()`, the `AUTOCORE_*` variables), or
 * from a `Config.Config.Wrap` of them (each option its own `Config`). Missing or invalid
 * configuration fails as `Configuration`, naming the variable.
 */
export const layerConfig = (
  options: Config.Config<Options> | Config.Config.Wrap<Options> = config()
): Layer.Layer<Services, PaymentError.PaymentError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Config.unwrap(options as Config.Config.Wrap<Options>).pipe(Effect.mapError(fromConfigError), Effect.map(layer))
  )
