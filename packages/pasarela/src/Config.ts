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
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

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

/** A duration every setting here takes: positive and finite, in words Effect reads (`"30 seconds"`). */
export const positiveDuration = (input: unknown): Option.Option<Duration.Duration> =>
  Option.filter(Duration.decodeUnknown(input), (d) => Duration.isFinite(d) && Duration.greaterThan(d, Duration.zero))

/** A duration in words, `"30 seconds"`, `"5 minutes"`, decoded to a `Duration`. */
const DurationText = Schema.transformOrFail(Schema.String, Schema.DurationFromSelf, {
  strict: true,
  decode: (text, _, ast) =>
    Option.match(positiveDuration(text), {
      onNone: () =>
        ParseResult.fail(new ParseResult.Type(ast, text, 'must be a positive duration such as "30 seconds"')),
      onSome: ParseResult.succeed
    }),
  encode: (duration) => ParseResult.succeed(`${Duration.toMillis(duration)} millis`)
})

const TablePrefix = Schema.String.pipe(
  Schema.filter(
    (s) => /^[a-z_][a-z0-9_]{0,30}$/.test(s) || "must be lower-case letters, digits and underscores, at most 31"
  )
)

/**
 * Where the journal and the inbox live. `memory` (the default): nothing durable, events handled
 * before the answer. `embedded`: PGlite in a directory, one process. `postgres`: a PostgreSQL
 * server (its URL read from the environment variable named), any number of processes.
 */
export const StoreSettings = Schema.Union(
  Schema.Struct({ type: Schema.Literal("memory") }),
  Schema.Struct({
    type: Schema.Literal("embedded"),
    /** Directory of the data (created when missing), relative to the working directory. Default `.pasarela/store`. */
    path: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
    tablePrefix: Schema.optional(TablePrefix)
  }),
  Schema.Struct({
    type: Schema.Literal("postgres"),
    secrets: Schema.Struct({ url: EnvVarName }),
    tablePrefix: Schema.optional(TablePrefix),
    maxConnections: Schema.optional(Schema.Int.pipe(Schema.between(1, 100)))
  })
)
export type StoreSettings = typeof StoreSettings.Type

/** How the dispatcher hands stored events to the application (durable stores only). */
export const EventSettings = Schema.Struct({
  /** Events handled at once by each process. Default 4. */
  concurrency: Schema.optional(Schema.Int.pipe(Schema.between(1, 256))),
  /** Attempts before an event is dead-lettered. Default 10. */
  maxAttempts: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  /** How often the inbox is looked at when nothing arrived. Default `"1 second"`. */
  pollInterval: Schema.optional(DurationText),
  /** First retry delay, doubled each time (with jitter) up to an hour. Default `"5 seconds"`. */
  retryBase: Schema.optional(DurationText),
  /** How long a process holds a claimed event before another may take it. Default: the handler timeout + 30 s. */
  lease: Schema.optional(DurationText)
})

/** How often open links are read back from their providers (durable stores only); `false`: never. */
export const ReconcileSettings = Schema.Union(Schema.Literal(false), Schema.Struct({ interval: DurationText }))

export const PasarelaConfig = Schema.Struct({
  store: Schema.optional(StoreSettings),
  events: Schema.optional(EventSettings),
  reconcile: Schema.optional(ReconcileSettings),
  merchants: Schema.Record({ key: MerchantId, value: MerchantSettings }).pipe(
    Schema.filter((m) => Object.keys(m).length > 0 || "must list at least one merchant")
  ),
  webhooks: Schema.optional(
    Schema.Struct({
      /**
       * Where this app's webhook endpoint is reachable from the providers, e.g.
       * `https://hotel-app.example/webhooks`; each merchant's notifications go to
       * `<publicBaseUrl>/<merchant>/<provider>`, and the endpoint serves under its path
       * (`/webhooks` here) unless `basePath` says otherwise (a proxy in front rewriting paths).
       */
      publicBaseUrl: Schema.optional(
        Schema.String.pipe(Schema.filter((url) => Fields.endpointUrlProblem(url) ?? true))
      ),
      /** Path the endpoint serves under. Default: the path of `publicBaseUrl`, else `/webhooks`. */
      basePath: Schema.optional(Schema.String),
      /** Largest notification body accepted, in bytes. Default 65536. */
      maxBodyBytes: Schema.optional(Schema.Int),
      /** How long a body may take to arrive, e.g. `"10 seconds"` (the default). */
      bodyTimeout: Schema.optional(DurationText),
      /** How long the application's handler may run, e.g. `"20 seconds"` (the default). */
      handlerTimeout: Schema.optional(DurationText)
    })
  )
})
export type PasarelaConfig = typeof PasarelaConfig.Type
export type PasarelaConfigInput = typeof PasarelaConfig.Encoded
