/**
 * Field schemas shared by the neutral inputs. Messages are short and name the rule, never echo
 * the value (some values are personal data).
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/** Printable text without control characters, trimmed, between 1 and `max` characters. */
export const Text = (max: number) =>
  Schema.String.pipe(
    Schema.filter((s) => s.trim().length > 0 || "must not be empty"),
    Schema.filter((s) => s.length <= max || `must be at most ${max} characters`),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    Schema.filter((s) => !/[\u0000-\u001f\u007f]/.test(s) || "must not contain control characters")
  )

/**
 * A credential as gateways issue them (login, API key, secret): printable ASCII, spaces only
 * inside. Keys are sent in headers or hashed, so a line break or a trailing space left by the file
 * a key was read from would fail every request (a header an HTTP client refuses, a hash the gateway
 * refuses); checking at start names the setting instead.
 */
export const isCredential = (s: string): boolean => /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(s)

/** Why a value is not `isCredential`; never the value. */
export const credentialRule =
  "must be printable ASCII without line breaks or surrounding spaces (a key read from a file often ends with a newline)"

/**
 * The text of a secret option, or why there is none — never the value. A secret must be a
 * `Redacted` string: `Redacted.make(process.env.X!)` with X unset holds `undefined`, which would
 * otherwise only fail on the first request, deep inside a hash or a header.
 */
export const secretText = (secret: unknown): Either.Either<string, string> => {
  if (secret === undefined || secret === null) return Either.left("is missing")
  if (!Redacted.isRedacted(secret)) {
    return Either.left("must be a Redacted value: wrap it with Redacted.make(…) or read it with Config.redacted(…)")
  }
  let text: unknown
  try {
    text = Redacted.value(secret)
  } catch {
    return Either.left("can no longer be read: it was wiped")
  }
  if (text === undefined || text === null) {
    return Either.left(`is missing: it holds ${text} (an environment variable that is not set?)`)
  }
  return typeof text === "string" ? Either.right(text) : Either.left(`must be text, not a ${typeof text}`)
}

/** A merchant's own reference for a payment (booking number, folio…). */
export const Reference = Text(64).annotations({ identifier: "Reference" })

export const Email = Schema.String.pipe(
  Schema.filter((s) => (s.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) || "must be an email address")
).annotations({ identifier: "Email" })

/** An absolute http(s) URL. */
export const HttpUrl = Schema.String.pipe(
  Schema.filter((s) => {
    if (s.length > 2048) return "must be at most 2048 characters"
    try {
      const url = new URL(s)
      return url.protocol === "https:" || url.protocol === "http:" || "must be an http(s) URL"
    } catch {
      return "must be an absolute URL"
    }
  })
).annotations({ identifier: "HttpUrl" })

/** ISO 3166-1 alpha-2, upper case: `CO`. */
export const CountryCode = Schema.String.pipe(
  Schema.filter((s) => /^[A-Z]{2}$/.test(s) || "must be an ISO 3166-1 alpha-2 country code such as CO")
).annotations({ identifier: "CountryCode" })

/** `ll_CC`, e.g. `es_CO`, `en_US`. */
export const Locale = Schema.String.pipe(
  Schema.filter((s) => /^[a-z]{2}_[A-Z]{2}$/.test(s) || "must be a locale such as es_CO or en_US")
).annotations({ identifier: "Locale" })

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

export const IPv4 = Schema.String.pipe(Schema.filter((s) => IPV4.test(s) || "must be an IPv4 address")).annotations({
  identifier: "IPv4"
})

/** IPv4 or IPv6 text form. */
export const IpAddress = Schema.String.pipe(
  Schema.filter((s) => IPV4.test(s) || (/^[0-9a-fA-F:.]{2,45}$/.test(s) && s.includes(":")) || "must be an IP address")
).annotations({ identifier: "IpAddress" })

/** A date without time, `YYYY-MM-DD`, that exists in the calendar. */
export const CalendarDate = Schema.String.pipe(
  Schema.filter((s) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
    if (match === null) return "must be a date such as 2026-01-27"
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    return date.toISOString().slice(0, 10) === s || "must be a real calendar date"
  })
).annotations({ identifier: "CalendarDate" })

export const PositiveInt = Schema.Number.pipe(
  Schema.filter((n) => (Number.isSafeInteger(n) && n >= 1) || "must be a whole number of at least 1")
)

/** A valid `Date` (not `new Date("nonsense")`). */
export const ValidDate = Schema.DateFromSelf.pipe(
  Schema.filter((d) => !Number.isNaN(d.getTime()) || "must be a valid date")
)

/**
 * Keys of free-form records refuse `__proto__`: decoding copies a record into a plain object, where
 * that key would replace the object's prototype (or vanish) instead of being kept.
 */
const notProto = (key: string) => key !== "__proto__" || "must not be __proto__"

/** `{ … }` or `Object.create(null)`: an object whose own enumerable keys are all it holds. */
const isPlainObject = (input: unknown): boolean => {
  if (typeof input !== "object" || input === null) return false
  const prototype = Object.getPrototypeOf(input)
  return prototype === Object.prototype || prototype === null
}

/**
 * `record`, decoded only from a plain object. A record reads an object's own keys, so a `Map`, a
 * `Date` or a class instance would arrive as `{}`, its data silently lost: refused instead.
 */
const PlainRecord = <A, I>(record: Schema.Schema<A, I>) =>
  Schema.declare([record], {
    decode: (inner) => (input, options, ast) =>
      isPlainObject(input)
        ? ParseResult.decodeUnknown(inner)(input, options)
        : ParseResult.fail(new ParseResult.Type(ast, input, "must be a plain object")),
    encode: (inner) => (input, options) => ParseResult.encodeUnknown(inner)(input, options)
  })

/** Vendor-only options keyed by provider name (each adapter validates its own entry). */
export const ProviderOptions = PlainRecord(
  Schema.Record({ key: Schema.String.pipe(Schema.filter(notProto)), value: Schema.Unknown })
).annotations({ identifier: "ProviderOptions" })

/** Free-form key/value data the merchant wants carried along. Small and flat on purpose. */
export const Metadata = PlainRecord(
  Schema.Record({ key: Text(40).pipe(Schema.filter(notProto)), value: Schema.String })
).pipe(
  Schema.filter((m) => Object.keys(m).length <= 20 || "must have at most 20 entries"),
  Schema.filter((m) => Object.values(m).every((v) => v.length <= 500) || "values must be at most 500 characters")
)

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i

/** `127.x.x.x`, `::1` or `localhost`: this machine, where plain http is acceptable (tests, sandboxes). */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOST.test(hostname)

/**
 * Why a URL Pasarela sends requests to, or hands a gateway to call back, is refused, or undefined
 * when it is fine: https only (plain http on loopback, for sandboxes), and no credentials in it —
 * `user:password@` would travel with every request or notification.
 */
export const endpointUrlProblem = (url: string): string | undefined => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return "must be an absolute URL such as https://hotel.example/webhooks"
  }
  if (!isHttpsOrLoopback(parsed.href)) return "must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)"
  if (parsed.username !== "" || parsed.password !== "") return "must not carry credentials (user:password@)"
  return undefined
}

/** True for `https:` URLs, and `http:` ones on loopback. The rule every base and webhook URL follows. */
export const isHttpsOrLoopback = (url: string): boolean => {
  try {
    const parsed = new URL(url)
    return parsed.protocol === "https:" || (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname))
  } catch {
    return false
  }
}
