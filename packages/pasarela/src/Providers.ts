/**
 * The built-in provider definitions: memory, placetopay, autocore. Each adapter is imported only
 * when a configured merchant uses it: a configuration naming only PlacetoPay never loads Autocore.
 * A file's options for an adapter are that adapter's options schema (from its light `Options`
 * module), less what the registry fills: the secrets and the merchant.
 */
import { Options as AutocoreOptions } from "@pasarela/autocore/Options"
import { AdapterOptions, type PaymentError } from "@pasarela/core"
import type { Memory } from "@pasarela/memory"
import { Options as PlacetoPayOptions } from "@pasarela/placetopay/Options"
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

/** Drops keys whose values are undefined: the memory provider's options are exact (absent, never undefined). */
const present = <Options>(value: { readonly [K in keyof Options]: Options[K] | undefined }): Options =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Options

const issueOf = (issue: { readonly path?: string; readonly message?: string; readonly description?: string }) => ({
  path: issue.path ?? "",
  message: issue.message ?? issue.description ?? "is invalid"
})

/** A `Configuration` failure's issues as the registry's; any other reason as one issue. */
const issuesOfError = (error: PaymentError.PaymentError) =>
  (error.reason._tag === "Configuration" ? error.reason.issues : [error.reason]).map(issueOf)

/**
 * The adapter's options schema checks them all, secrets included: the file holds only the names of
 * the secrets' variables, so their values are checked here, once read. No adapter is loaded.
 */
const checkWith = <A, I, Json>(schema: Schema.Schema<A, I>, options: (input: Registry.BuildInput<Json>) => I) => {
  const decode = AdapterOptions.decoder(schema)
  return (input: Registry.BuildInput<Json>) =>
    Either.match(decode(options(input)), { onLeft: (issues) => issues, onRight: () => [] })
}

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

/** What a file gives: the options, but the secrets and the merchant, which the registry fills. */
const PlacetoPayJson = PlacetoPayOptions.omit("secretKey", "merchantId")

const placetopayOptions = ({
  merchantId,
  options,
  secrets
}: Registry.BuildInput<typeof PlacetoPayJson.Type>): PlacetoPayOptions => ({
  ...options,
  merchantId,
  secretKey: secrets.secretKey!
})

export const placetopay = Registry.define({
  name: "placetopay",
  options: PlacetoPayJson,
  secrets: { required: ["secretKey"] },
  layer: (input) =>
    Layer.unwrapEffect(Effect.map(loadPlacetoPay, (adapter) => adapter.layer(placetopayOptions(input)))),
  check: checkWith(PlacetoPayOptions, placetopayOptions)
})

const AutocoreJson = AutocoreOptions.omit("secretKey", "webhookSecret", "cardEncryptionKey", "merchantId")

const autocoreOptions = ({
  merchantId,
  options,
  secrets,
  notificationUrl
}: Registry.BuildInput<typeof AutocoreJson.Type>): AutocoreOptions => ({
  ...options,
  notificationUrl: options.notificationUrl ?? notificationUrl,
  merchantId,
  secretKey: secrets.secretKey!,
  webhookSecret: secrets.webhookSecret!,
  cardEncryptionKey: secrets.cardEncryptionKey
})

export const autocore = Registry.define({
  name: "autocore",
  options: AutocoreJson,
  secrets: { required: ["secretKey", "webhookSecret"], optional: ["cardEncryptionKey"] },
  layer: (input) => Layer.unwrapEffect(Effect.map(loadAutocore, (adapter) => adapter.layer(autocoreOptions(input)))),
  check: checkWith(AutocoreOptions, autocoreOptions)
})

export const builtIn: Registry.Registry = Registry.make([memory, placetopay, autocore])
