/**
 * The built-in provider definitions: memory, placetopay, autocore. Each adapter is imported only
 * when a configured merchant uses it: a configuration naming only PlacetoPay never loads Autocore.
 */
import type { Autocore } from "@pasarela/autocore"
import { Money, type PaymentError, PaymentLink } from "@pasarela/core"
import type { Memory } from "@pasarela/memory"
import type { PlacetoPay } from "@pasarela/placetopay"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Registry from "./Registry.js"

// A module that cannot be imported is a broken installation (a defect), not a configuration problem.
const loadMemory = Effect.promise(() => import("@pasarela/memory").then((module) => module.Memory))
const loadPlacetoPay = Effect.promise(() => import("@pasarela/placetopay").then((module) => module.PlacetoPay))
const loadAutocore = Effect.promise(() => import("@pasarela/autocore").then((module) => module.Autocore))

const optional = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { exact: true })
/** Durations in JSON are text: `"30 seconds"`, `"24 hours"`. */
const DurationText = PaymentLink.Lifetime

/** `{ "maxAttempts": 3, "baseDelay": "100 millis", "maxRetryAfter": "5 seconds" }`, each optional. */
const RetryOptions = Schema.Struct({
  maxAttempts: optional(Schema.Int),
  baseDelay: optional(DurationText),
  maxRetryAfter: optional(DurationText)
})

/** Drops keys whose values are undefined: the adapters' options are exact (absent, never undefined). */
const present = <Options>(value: { readonly [K in keyof Options]: Options[K] | undefined }): Options =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Options

const issueOf = (issue: { readonly path?: string; readonly message?: string; readonly description?: string }) => ({
  path: issue.path ?? "",
  message: issue.message ?? issue.description ?? "is invalid"
})

/** A `Configuration` failure's issues as the registry's; any other reason as one issue. */
const issuesOfError = (error: PaymentError) =>
  (error.reason._tag === "Configuration" ? error.reason.issues : [error.reason]).map(issueOf)

const MemoryJson = Schema.Struct({
  idPrefix: optional(Schema.String),
  baseUrl: optional(Schema.String),
  testWebhooks: optional(Schema.Boolean)
})

/**
 * The memory provider from configuration. Its default webhook secret is published, so a memory
 * merchant accepts notifications only with a `webhookSecret` of its own, or with
 * `"testWebhooks": true` in a configuration meant for tests.
 */
const memoryOptions = ({
  merchantId,
  options: { testWebhooks, ...options },
  secrets
}: Registry.BuildInput<typeof MemoryJson.Type>) =>
  present<Memory.Options>({
    merchantId,
    ...options,
    webhookSecret: secrets.webhookSecret,
    acceptNotifications: secrets.webhookSecret !== undefined || testWebhooks === true
  })

export const memory = Registry.define({
  name: "memory",
  options: MemoryJson,
  secrets: { required: [], optional: ["webhookSecret"] },
  layer: (input) => Layer.unwrapEffect(Effect.map(loadMemory, (adapter) => adapter.layer(memoryOptions(input)))),
  check: (input) =>
    Effect.map(loadMemory, (adapter) =>
      Either.match(adapter.resolve(memoryOptions(input)), { onLeft: issuesOfError, onRight: () => [] })
    )
})

const PlacetoPayJson = Schema.Struct({
  login: Schema.String,
  /** `test`, `production`, or a URL (https, or http on loopback for the sandbox). */
  baseUrl: Schema.String,
  tranKeyAlgorithm: optional(Schema.Literal("sha256", "sha1")),
  timeZone: optional(Schema.String),
  defaultLinkLifetime: optional(DurationText),
  sessionMinutes: optional(Schema.Int),
  timeout: optional(DurationText),
  retry: optional(RetryOptions),
  notificationTolerance: optional(DurationText),
  notifications: optional(Schema.Array(Schema.Literal("link", "checkout")))
})
type PlacetoPayJson = typeof PlacetoPayJson.Type

const placetopayOptions = ({ merchantId, options, secrets }: Registry.BuildInput<PlacetoPayJson>) =>
  present<PlacetoPay.Options>({ ...options, merchantId, secretKey: secrets.secretKey! })

export const placetopay = Registry.define({
  name: "placetopay",
  options: PlacetoPayJson,
  secrets: { required: ["secretKey"] },
  layer: (input) =>
    Layer.unwrapEffect(Effect.map(loadPlacetoPay, (adapter) => adapter.layer(placetopayOptions(input)))),
  check: (input) =>
    Effect.map(loadPlacetoPay, (adapter) =>
      Either.match(adapter.resolve(placetopayOptions(input)), { onLeft: issuesOfError, onRight: () => [] })
    )
})

const AutocoreJson = Schema.Struct({
  accessKey: Schema.String,
  /** `development`, `production`, or a URL (https, or http on loopback for the sandbox). */
  baseUrl: Schema.String,
  hotelId: Schema.Int,
  source: optional(Schema.String),
  currency: optional(Money.Currency),
  sendCurrency: optional(Schema.Boolean),
  notificationUrl: optional(Schema.String),
  timeout: optional(DurationText),
  retry: optional(RetryOptions),
  timeZone: optional(Schema.String),
  webhookTokenLifetime: optional(DurationText)
})
type AutocoreJson = typeof AutocoreJson.Type

const autocoreOptions = (
  environments: Readonly<Record<string, string>>,
  { merchantId, options, secrets, notificationUrl }: Registry.BuildInput<AutocoreJson>
) =>
  present<Autocore.Options>({
    notificationUrl,
    ...options,
    baseUrl: environments[options.baseUrl] ?? options.baseUrl,
    merchantId,
    secretKey: secrets.secretKey!,
    webhookSecret: secrets.webhookSecret!,
    cardEncryptionKey: secrets.cardEncryptionKey
  })

export const autocore = Registry.define({
  name: "autocore",
  options: AutocoreJson,
  secrets: { required: ["secretKey", "webhookSecret"], optional: ["cardEncryptionKey"] },
  layer: (input) =>
    Layer.unwrapEffect(
      Effect.map(loadAutocore, (adapter) => adapter.layer(autocoreOptions(adapter.environments, input)))
    ),
  check: (input) =>
    Effect.map(loadAutocore, (adapter) =>
      Either.match(adapter.resolve(autocoreOptions(adapter.environments, input)), {
        onLeft: (configuration) => configuration.issues.map(issueOf),
        onRight: () => []
      })
    )
})

export const builtIn: Registry.Registry = Registry.make([memory, placetopay, autocore])
