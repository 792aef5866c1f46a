/** The built-in provider definitions: memory, placetopay, autocore. */
import { Autocore } from "@pasarela/autocore"
import { Money, PaymentLink } from "@pasarela/core"
import { Memory } from "@pasarela/memory"
import { PlacetoPay } from "@pasarela/placetopay"
import { Schema } from "effect"
import * as Registry from "./Registry.js"

const optional = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { exact: true })
/** Durations in JSON are text: `"30 seconds"`, `"24 hours"`. */
const DurationText = PaymentLink.Lifetime

/** Drops keys whose values are undefined: the adapters' options are exact (absent, never undefined). */
const present = <Options>(value: { readonly [K in keyof Options]: Options[K] | undefined }): Options =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Options

export const memory = Registry.define({
  name: "memory",
  options: Schema.Struct({ idPrefix: optional(Schema.String), baseUrl: optional(Schema.String) }),
  secrets: { required: [], optional: ["webhookSecret"] },
  layer: ({ merchantId, options, secrets }) =>
    Memory.layer(present<Memory.Options>({ merchantId, ...options, webhookSecret: secrets.webhookSecret }))
})

export const placetopay = Registry.define({
  name: "placetopay",
  options: Schema.Struct({
    login: Schema.String,
    /** `test`, `production`, or a URL (https, or http on loopback for the sandbox). */
    baseUrl: Schema.String,
    tranKeyAlgorithm: optional(Schema.Literal("sha256", "sha1")),
    timeZone: optional(Schema.String),
    defaultLinkLifetime: optional(DurationText),
    sessionMinutes: optional(Schema.Int),
    timeout: optional(DurationText),
    notificationTolerance: optional(DurationText)
  }),
  secrets: { required: ["secretKey"] },
  layer: ({ merchantId, options, secrets }) =>
    PlacetoPay.layer(present<PlacetoPay.Options>({ ...options, merchantId, secretKey: secrets.secretKey! }))
})

const autocoreEnvironments: Record<string, string> = Autocore.environments

export const autocore = Registry.define({
  name: "autocore",
  options: Schema.Struct({
    accessKey: Schema.String,
    /** `development`, `production`, or a URL (https, or http on loopback for the sandbox). */
    baseUrl: Schema.String,
    hotelId: Schema.Int,
    source: optional(Schema.String),
    currency: optional(Money.Currency),
    sendCurrency: optional(Schema.Boolean),
    notificationUrl: optional(Schema.String),
    timeout: optional(DurationText),
    timeZoneOffset: optional(Schema.String)
  }),
  secrets: { required: ["secretKey", "webhookSecret"], optional: ["cardEncryptionKey"] },
  layer: ({ merchantId, options, secrets, notificationUrl }) =>
    Autocore.layer(
      present<Autocore.Options>({
        notificationUrl,
        ...options,
        baseUrl: autocoreEnvironments[options.baseUrl] ?? options.baseUrl,
        merchantId,
        secretKey: secrets.secretKey!,
        webhookSecret: secrets.webhookSecret!,
        cardEncryptionKey: secrets.cardEncryptionKey
      })
    )
})

export const builtIn: Registry.Registry = Registry.make([memory, placetopay, autocore])
