/**
 * The configuration format: merchants (hotels), each with its provider, that provider's options,
 * an optional fallback, and — for every secret — the environment variable it is read from. The
 * file never holds secrets.
 *
 * ```json
 * {
 *   "webhooks": { "publicBaseUrl": "https://hotel-app.example/webhooks" },
 *   "merchants": {
 *     "hotel-bogota": {
 *       "provider": "placetopay",
 *       "options": { "login": "5d9a…", "baseUrl": "test" },
 *       "secrets": { "secretKey": "BOGOTA_PLACETOPAY_SECRET" }
 *     }
 *   }
 * }
 * ```
 */
import { Fields } from "@pasarela/core"
import { Schema } from "effect"

/** `hotel-bogota`: letters, digits, dots, dashes and underscores (it appears in URLs and ids). */
export const MerchantId = Schema.String.pipe(
  Schema.filter(
    (s) => /^[A-Za-z0-9._-]{1,64}$/.test(s) || "must be 1 to 64 letters, digits, dots, dashes or underscores"
  )
)

/** The name of an environment variable: `PLACETOPAY_SECRET`. */
export const EnvVarName = Schema.String.pipe(
  Schema.filter((s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) || "must be an environment variable name such as MY_SECRET")
)

export const ProviderSettings = Schema.Struct({
  /** A provider name from the registry: `placetopay`, `autocore`, `memory`, or a third party's. */
  provider: Schema.String,
  /** The provider's non-secret options (see each provider in the README). */
  options: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { default: () => ({}) }),
  /** Secret option name → environment variable holding it. */
  secrets: Schema.optionalWith(Schema.Record({ key: Schema.String, value: EnvVarName }), { default: () => ({}) })
})
export type ProviderSettings = typeof ProviderSettings.Type

export const MerchantSettings = Schema.Struct({
  ...ProviderSettings.fields,
  /** Tried for link creation only when the primary provably created nothing. */
  fallback: Schema.optional(ProviderSettings)
})
export type MerchantSettings = typeof MerchantSettings.Type

export const PasarelaConfig = Schema.Struct({
  merchants: Schema.Record({ key: MerchantId, value: MerchantSettings }).pipe(
    Schema.filter((m) => Object.keys(m).length > 0 || "must list at least one merchant")
  ),
  webhooks: Schema.optional(
    Schema.Struct({
      /**
       * Where this app's webhook endpoint is reachable from the providers, e.g.
       * `https://hotel-app.example/webhooks`; each merchant's notifications go to
       * `<publicBaseUrl>/<merchant>/<provider>`.
       */
      publicBaseUrl: Schema.optional(Schema.String.pipe(Schema.filter((url) => Fields.endpointUrlProblem(url) ?? true)))
    })
  )
})
export type PasarelaConfig = typeof PasarelaConfig.Type
export type PasarelaConfigInput = typeof PasarelaConfig.Encoded
