/**
 * What adapters' options are made of, so that each adapter defines its options once, as a Schema:
 * its Encoded side is what `layer(options)` takes (durations as `"30 seconds"`, milliseconds or a
 * `Duration`; secrets `Redacted`), its Type side the options checked and filled with defaults.
 * Here: the options every adapter shares (`timeout`, `retry`), the field kinds they all use
 * (durations, credentials, secrets), reading them from `Config`, and decoding into every problem at
 * its path (`retry.maxAttempts`).
 */
import * as Config from "effect/Config"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { credentialRule, endpointUrlProblem, isCredential, secretText } from "./Fields.js"
import type { FieldIssue } from "./PaymentError.js"
import { defaultPolicy, MAX_ATTEMPTS } from "./ProviderHttp.js"
import { issuesOf } from "./Validation.js"

// ---- field kinds ----

const DurationInput = Schema.declare(
  (input): input is Duration.DurationInput => Option.isSome(Duration.decodeUnknown(input)),
  { identifier: "DurationInput" }
)

const DurationFromInput = Schema.transform(DurationInput, Schema.DurationFromSelf, {
  strict: true,
  decode: Duration.decode,
  encode: identity
})

/**
 * A duration option: `"30 seconds"`, milliseconds or a `Duration`, decoded to a `Duration`. One
 * `message` for whatever is wrong with it, unreadable or refused by `accepts`.
 */
export const duration = (message: string, accepts: (duration: Duration.Duration) => boolean) =>
  DurationFromInput.pipe(Schema.filter(accepts)).annotations({ message: () => ({ message, override: true }) })

/** An IANA time zone name (`America/Bogota`), checked with Effect's `DateTime`. */
export const TimeZone = Schema.String.pipe(
  Schema.filter(
    (zone) => Option.isSome(DateTime.zoneMakeNamed(zone)) || "must be an IANA time zone such as America/Bogota"
  )
)

/** Text that is not blank. */
export const NonBlank = Schema.String.pipe(Schema.filter((s) => s.trim() !== "" || "must not be empty"))

/** One of `literals`, with one message naming them all. */
export const oneOf = <const Literals extends readonly [string, ...Array<string>]>(...literals: Literals) =>
  Schema.Literal(...literals).annotations({
    message: () => ({ message: `must be one of ${literals.map((l) => `"${l}"`).join(", ")}`, override: true })
  })

/**
 * A provider's base URL, given as one of `presets`' names or as an absolute URL (`example` shows
 * one): https (plain http on loopback), no credentials, and no query or fragment, since endpoint
 * paths are appended to it. The URL, or why it is refused; kept without trailing slashes.
 */
export const checkBaseUrl =
  (presets: Readonly<Record<string, string>>, example: string) =>
  (baseUrl: string): Either.Either<string, string> => {
    const preset = Object.hasOwn(presets, baseUrl) ? presets[baseUrl] : undefined
    let url: URL
    try {
      url = new URL(preset ?? baseUrl)
    } catch {
      return Either.left(`must be an absolute URL such as ${example}`)
    }
    const problem = endpointUrlProblem(url.href)
    if (problem !== undefined) return Either.left(problem)
    if (url.search !== "" || url.hash !== "") return Either.left("must not have a query or fragment")
    return Either.right(`${url.origin}${url.pathname.replace(/\/+$/, "")}`)
  }

/** The `baseUrl` option: see `checkBaseUrl`. */
export const baseUrl = (presets: Readonly<Record<string, string>>, example: string) => {
  const check = checkBaseUrl(presets, example)
  return Schema.transformOrFail(Schema.String, Schema.String, {
    strict: true,
    decode: (text, _, ast) =>
      Either.match(check(text), {
        onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, text, message)),
        onRight: ParseResult.succeed
      }),
    encode: ParseResult.succeed
  })
}

/** A login or key sent in headers or hashed: see `Fields.isCredential`. */
export const credential = <I>(text: Schema.Schema<string, I>) =>
  text.pipe(Schema.filter((s) => isCredential(s) || credentialRule))

/**
 * A secret: a `Redacted` string, or what is wrong with it (`Fields.secretText`), never its value.
 * `rule` judges the text.
 */
export const secret = (rule: (text: string) => true | string = () => true): Schema.Schema<Redacted.Redacted<string>> =>
  Schema.declare([], {
    decode: () => (input, _, ast) =>
      Either.match(secretText(input), {
        onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, input, message)),
        onRight: (text) => {
          const judged = rule(text)
          return judged === true
            ? ParseResult.succeed(input as Redacted.Redacted<string>)
            : ParseResult.fail(new ParseResult.Type(ast, input, judged))
        }
      }),
    encode: () => (input) => ParseResult.succeed(input as Redacted.Redacted<string>)
  }).annotations({ identifier: "Secret" })

/** A secret key sent in headers or hashed: not empty, and a credential. */
export const SecretCredential = secret((text) =>
  text === "" ? "must not be empty" : isCredential(text) || credentialRule
)

// ---- the options every adapter takes ----

/** Default `timeout`: per attempt. */
export const DEFAULT_TIMEOUT = Duration.seconds(30)

const wait = duration('must be a finite duration such as "100 millis" (0 for none)', Duration.isFinite)

/**
 * `retry`: `maxAttempts` in total, the first included (1 to `MAX_ATTEMPTS`, default 3); `baseDelay`,
 * retry n waits a random time in [0, baseDelay × 2ⁿ⁻¹] (default 100 ms); `maxRetryAfter`, the
 * longest `Retry-After` waited for (default 5 seconds). Decodes to a `ProviderHttp.RetryPolicy`.
 */
export const RetryOptions = Schema.Struct({
  maxAttempts: Schema.optionalWith(
    Schema.Int.pipe(
      Schema.filter((n) => (n >= 1 && n <= MAX_ATTEMPTS) || `must be a whole number from 1 to ${MAX_ATTEMPTS}`)
    ),
    { default: () => defaultPolicy.maxAttempts }
  ),
  baseDelay: Schema.optionalWith(wait, { default: () => defaultPolicy.baseDelay }),
  maxRetryAfter: Schema.optionalWith(wait, { default: () => defaultPolicy.maxRetryAfter })
})

/** The retry options as an adapter takes them: each optional, durations as `"100 millis"` or a `Duration`. */
export type RetryOptions = typeof RetryOptions.Encoded

/**
 * Spread into an adapter's options: `timeout`, how long one request attempt may take, from sending
 * it to having read the whole answer (positive and finite, default 30 seconds; a per-call
 * `CallOptions.withTimeout(…)` wins over it), and `retry` (`RetryOptions`).
 */
export const fields = {
  timeout: Schema.optionalWith(
    duration(
      'must be a positive duration such as "30 seconds"',
      (d) => Duration.isFinite(d) && Duration.greaterThan(d, Duration.zero)
    ),
    { default: () => DEFAULT_TIMEOUT }
  ),
  retry: Schema.optionalWith(RetryOptions, { default: (): typeof RetryOptions.Type => defaultPolicy })
}

// ---- reading and checking ----

/** An optional `Config`: undefined when not set, so the options schema fills the default. */
export const optional = <A>(config: Config.Config<A>): Config.Config<A | undefined> =>
  Config.option(config).pipe(Config.map(Option.getOrUndefined))

/**
 * The retry options from `Config`, under the adapter's prefix: `RETRY_MAX_ATTEMPTS`,
 * `RETRY_BASE_DELAY`, `RETRY_MAX_RETRY_AFTER`, each optional; undefined when none is set.
 */
export const retryConfig: Config.Config<RetryOptions | undefined> = Config.all({
  maxAttempts: optional(Config.integer("RETRY_MAX_ATTEMPTS")),
  baseDelay: optional(Config.duration("RETRY_BASE_DELAY")),
  maxRetryAfter: optional(Config.duration("RETRY_MAX_RETRY_AFTER"))
}).pipe(Config.map((retry) => (Object.values(retry).every((value) => value === undefined) ? undefined : retry)))

/** Decodes an adapter's options: the options checked and filled, or every problem at its path. */
export const decoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all" })
  return (options: I): Either.Either<A, ReadonlyArray<FieldIssue>> => Either.mapLeft(decode(options), issuesOf)
}
