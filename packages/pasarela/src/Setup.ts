/**
 * From configuration to routes: decodes the configuration, each merchant's provider options and
 * secrets (read from the environment variables it names), and reports every problem at once.
 */
import type { HttpClient } from "@effect/platform"
import {
  Charges,
  Configuration,
  FieldIssue,
  GiftCards,
  PaymentError,
  PaymentLinks,
  PaymentOrders,
  type Router,
  Validation
} from "@pasarela/core"
import { Config, Context, type Duration, Effect, Either, Layer, type Redacted, Schema } from "effect"
import { PasarelaConfig, type ProviderSettings } from "./Config.js"
import type * as Inbox from "./Inbox.js"
import type { Registry } from "./Registry.js"
import * as WebhookEndpoint from "./WebhookEndpoint.js"

export type Routes = Readonly<Record<string, Router.Route<PaymentError, HttpClient.HttpClient>>>

const configurationError = (issues: ReadonlyArray<FieldIssue>) =>
  new PaymentError({ provider: "pasarela", operation: "configure", reason: new Configuration({ issues }) })

const prefixed = (prefix: string, issues: ReadonlyArray<FieldIssue>) =>
  issues.map(
    (issue) => new FieldIssue({ path: issue.path === "" ? prefix : `${prefix}.${issue.path}`, message: issue.message })
  )

/** Joins a public base URL and the endpoint's path for one merchant and provider. */
export const notificationUrlFor = (publicBaseUrl: string, merchantId: string, provider: string) =>
  `${publicBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(merchantId)}/${encodeURIComponent(provider)}`

/** Reads and checks one provider's settings; issues are collected, never thrown. */
const providerRoute = (
  registry: Registry,
  merchantId: string,
  path: string,
  settings: ProviderSettings,
  publicBaseUrl: string | undefined,
  issues: Array<FieldIssue>
) =>
  Effect.gen(function* () {
    const definition = registry.get(settings.provider)
    if (definition === undefined) {
      issues.push(
        new FieldIssue({
          path: `${path}.provider`,
          message: `unknown provider "${settings.provider}" (known: ${[...registry.keys()].join(", ")})`
        })
      )
      return undefined
    }
    const secretNames = [...definition.secrets.required, ...definition.secrets.optional]
    for (const key of Object.keys(settings.options)) {
      if (secretNames.includes(key)) {
        issues.push(
          new FieldIssue({
            path: `${path}.options.${key}`,
            message: `is a secret: name the environment variable that holds it under "secrets" instead`
          })
        )
      }
    }
    const options = Schema.decodeUnknownEither(definition.options, { errors: "all", onExcessProperty: "error" })(
      Object.fromEntries(Object.entries(settings.options).filter(([key]) => !secretNames.includes(key)))
    )
    if (Either.isLeft(options)) issues.push(...prefixed(`${path}.options`, Validation.issuesOf(options.left)))

    const secrets: Record<string, Redacted.Redacted<string>> = {}
    for (const name of definition.secrets.required) {
      if (!Object.hasOwn(settings.secrets, name)) {
        issues.push(
          new FieldIssue({ path: `${path}.secrets.${name}`, message: "is required (an environment variable name)" })
        )
      }
    }
    for (const [name, variable] of Object.entries(settings.secrets)) {
      if (!secretNames.includes(name)) {
        issues.push(
          new FieldIssue({
            path: `${path}.secrets.${name}`,
            message: `is not a secret of ${definition.name} (its secrets: ${secretNames.join(", ") || "none"})`
          })
        )
        continue
      }
      const value = yield* Effect.either(Config.redacted(variable))
      if (Either.isLeft(value)) {
        issues.push(
          new FieldIssue({ path: `${path}.secrets.${name}`, message: `environment variable ${variable} is not set` })
        )
      } else secrets[name] = value.right
    }
    if (Either.isLeft(options)) return undefined
    const notificationUrl =
      publicBaseUrl === undefined ? undefined : notificationUrlFor(publicBaseUrl, merchantId, definition.name)
    const input = { merchantId, options: options.right, secrets, notificationUrl }
    const before = issues.length
    for (const issue of definition.check(input)) {
      const section = secretNames.includes(issue.path.split(".")[0] ?? "") ? "secrets" : "options"
      issues.push(new FieldIssue({ path: `${path}.${section}.${issue.path}`, message: issue.message }))
    }
    if (issues.length > before) return undefined
    const layer = definition.layer(input)
    return notificationUrl === undefined ? layer : Layer.map(layer, withDefaultNotificationUrl(notificationUrl))
  })

/**
 * Points every create at this merchant's webhook endpoint unless the input names its own URL, so
 * notifications reach `<publicBaseUrl>/<merchant>/<provider>` with no per-call wiring.
 */
const withDefaultNotificationUrl =
  (url: string) =>
  (context: Context.Context<Router.ProviderServices>): Context.Context<Router.ProviderServices> => {
    const fill = <I>(input: I): I =>
      typeof input === "object" && input !== null && !("notificationUrl" in input)
        ? { ...input, notificationUrl: url }
        : input
    const links = Context.get(context, PaymentLinks)
    const charges = Context.get(context, Charges)
    const orders = Context.get(context, PaymentOrders)
    const giftCards = Context.get(context, GiftCards)
    return context.pipe(
      Context.add(PaymentLinks, { ...links, create: (input) => links.create(fill(input)) }),
      Context.add(Charges, { ...charges, create: (input) => charges.create(fill(input)) }),
      Context.add(PaymentOrders, { ...orders, create: (input) => orders.create(fill(input)) }),
      Context.add(GiftCards, { ...giftCards, create: (input) => giftCards.create(fill(input)) })
    )
  }

/**
 * Turns configuration (already parsed JSON, or an object) into the router's routes. Fails with one
 * `Configuration` error listing every problem: unknown providers, bad options, secrets written in
 * the file, missing environment variables.
 */
export const routes = (config: unknown, registry: Registry): Effect.Effect<Routes, PaymentError> =>
  Effect.gen(function* () {
    const decoded = Schema.decodeUnknownEither(PasarelaConfig, { errors: "all", onExcessProperty: "error" })(config)
    if (Either.isLeft(decoded)) return yield* Effect.fail(configurationError(Validation.issuesOf(decoded.left)))
    const { merchants, webhooks } = decoded.right
    const issues: Array<FieldIssue> = []
    const result: Record<string, Router.Route<PaymentError, HttpClient.HttpClient>> = {}
    for (const [merchantId, settings] of Object.entries(merchants)) {
      const path = `merchants.${merchantId}`
      const publicBaseUrl = webhooks?.publicBaseUrl
      const provider = yield* providerRoute(registry, merchantId, path, settings, publicBaseUrl, issues)
      const fallback =
        settings.fallback === undefined
          ? undefined
          : yield* providerRoute(registry, merchantId, `${path}.fallback`, settings.fallback, publicBaseUrl, issues)
      if (provider !== undefined) result[merchantId] = fallback === undefined ? { provider } : { provider, fallback }
    }
    const endpoint = webhookEndpoint(webhooks)
    if (Either.isLeft(endpoint)) issues.push(...endpoint.left)
    const store = decoded.right.store
    if (store?.type === "postgres" && Either.isLeft(yield* Effect.either(Config.redacted(store.secrets.url)))) {
      issues.push(
        new FieldIssue({ path: "store.secrets.url", message: `environment variable ${store.secrets.url} is not set` })
      )
    }
    if (issues.length > 0) return yield* Effect.fail(configurationError(issues))
    return result
  })

/**
 * The webhook endpoint's options from the configuration's `webhooks` section. The endpoint serves
 * under the path of `publicBaseUrl` unless `basePath` says otherwise, so notifications sent to the
 * public URL reach it.
 */
const webhookEndpoint = (
  webhooks: PasarelaConfig["webhooks"]
): Either.Either<WebhookEndpoint.Options, ReadonlyArray<FieldIssue>> => {
  let derived: string | undefined
  if (webhooks?.publicBaseUrl !== undefined) {
    try {
      derived = new URL(webhooks.publicBaseUrl).pathname
    } catch {
      return Either.left([
        new FieldIssue({
          path: "webhooks.publicBaseUrl",
          message: "must be an absolute URL such as https://hotel-app.example/webhooks"
        })
      ])
    }
  }
  const options: WebhookEndpoint.Options = {
    basePath: webhooks?.basePath ?? derived ?? WebhookEndpoint.DEFAULTS.basePath,
    ...(webhooks?.maxBodyBytes === undefined ? {} : { maxBodyBytes: webhooks.maxBodyBytes }),
    ...(webhooks?.bodyTimeout === undefined ? {} : { bodyTimeout: webhooks.bodyTimeout as Duration.DurationInput }),
    ...(webhooks?.handlerTimeout === undefined
      ? {}
      : { handlerTimeout: webhooks.handlerTimeout as Duration.DurationInput })
  }
  return Either.match(WebhookEndpoint.settings(options), {
    onLeft: (error) =>
      Either.left(prefixed("webhooks", error.reason._tag === "Configuration" ? error.reason.issues : [])),
    onRight: () => Either.right(options)
  })
}

/** The webhook endpoint's options the configuration gives, or every problem with them. */
export const endpointOptions = (config: unknown): Either.Either<WebhookEndpoint.Options, PaymentError> => {
  const decoded = Schema.decodeUnknownEither(PasarelaConfig, { errors: "all", onExcessProperty: "error" })(config)
  if (Either.isLeft(decoded)) return Either.left(configurationError(Validation.issuesOf(decoded.left)))
  return Either.mapLeft(webhookEndpoint(decoded.right.webhooks), configurationError)
}

/** The configuration's durability settings, the store's secret read from the environment. */
export interface Durability {
  readonly store:
    | undefined
    | { readonly type: "embedded"; readonly path: string; readonly tablePrefix: string | undefined }
    | {
        readonly type: "postgres"
        readonly url: Redacted.Redacted<string>
        readonly tablePrefix: string | undefined
        readonly maxConnections: number | undefined
      }
  readonly events: Inbox.DispatchOptions
  /** Undefined: never. */
  readonly reconcileEvery: Duration.DurationInput | undefined
}

/** Where an embedded store lives when the configuration names no path. */
export const DEFAULT_EMBEDDED_PATH = ".pasarela/store"

/** Reads the `store`, `events` and `reconcile` sections (their problems are `routes`' to report). */
export const durability = (config: unknown): Effect.Effect<Durability, PaymentError> =>
  Effect.gen(function* () {
    const decoded = Schema.decodeUnknownEither(PasarelaConfig, { errors: "all", onExcessProperty: "error" })(config)
    if (Either.isLeft(decoded)) return yield* Effect.fail(configurationError(Validation.issuesOf(decoded.left)))
    const { store, events: settings = {}, reconcile } = decoded.right
    const events: Inbox.DispatchOptions = {
      ...settings,
      // One time limit for the handler, whoever runs it.
      handlerTimeout: decoded.right.webhooks?.handlerTimeout as Duration.DurationInput | undefined,
      pollInterval: settings.pollInterval as Duration.DurationInput | undefined,
      retryBase: settings.retryBase as Duration.DurationInput | undefined,
      lease: settings.lease as Duration.DurationInput | undefined
    }
    const reconcileEvery =
      reconcile === false ? undefined : ((reconcile?.interval ?? "5 minutes") as Duration.DurationInput)
    if (store === undefined || store.type === "memory") return { store: undefined, events, reconcileEvery }
    if (store.type === "embedded") {
      return {
        store: { type: "embedded" as const, path: store.path ?? DEFAULT_EMBEDDED_PATH, tablePrefix: store.tablePrefix },
        events,
        reconcileEvery
      }
    }
    const url = yield* Effect.mapError(Config.redacted(store.secrets.url), () =>
      configurationError([
        new FieldIssue({ path: "store.secrets.url", message: `environment variable ${store.secrets.url} is not set` })
      ])
    )
    return {
      store: { type: "postgres" as const, url, tablePrefix: store.tablePrefix, maxConnections: store.maxConnections },
      events,
      reconcileEvery
    }
  })
