/**
 * The adapter's only I/O: POSTs JSON to the payment-links API with a fresh `auth` object per
 * request, decodes answers with the Wire schemas, and classifies every failure into a
 * `PaymentError` reason that says whether the request may have taken effect.
 *
 * Queries are retried (at most `retries` more times, exponential backoff with jitter, new auth each
 * time) on ProviderUnavailable, RateLimited and Timeout. Creates and disables are never retried
 * once sent. Spans and logs carry provider, operation, HTTP status and outcome only: never the
 * secret, tranKey, nonce or bodies.
 */
import { HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import {
  Authentication,
  Configuration,
  Conflict,
  FieldIssue,
  InvalidRequest,
  NotFound,
  OutcomeUnknown,
  PaymentError,
  ProtocolViolation,
  ProviderUnavailable,
  RateLimited,
  type Reason,
  Timeout
} from "@pasarela/core"
import { Clock, Duration, Effect, Either, ParseResult, Random, Schema } from "effect"
import * as Auth from "./Auth.js"
import { invalidFrom422, PROVIDER } from "./Mapping.js"
import * as Wire from "./Wire.js"

export type Operation = "links.create" | "links.get" | "links.disable"

export interface ClientConfig {
  readonly credentials: Auth.Credentials
  /** Validated base URL without a trailing slash (`https://sites-test.placetopay.com`). */
  readonly baseUrl: string
  /** Per attempt: from sending the request to having read the whole answer. */
  readonly timeout: Duration.Duration
  /** Extra attempts for a query (default 2). */
  readonly retries?: number
  /** First backoff delay (default 100 ms), doubled each retry, with jitter. */
  readonly retryBaseDelay?: Duration.Duration
  /** A `Retry-After` longer than this is not waited for: the RateLimited error goes to the caller (default 5 s). */
  readonly maxRetryAfter?: Duration.Duration
}

export interface PlacetoPayClient {
  /** `POST /api/payment-link`. Never retried. */
  readonly create: (request: Wire.CreateLinkRequest) => Effect.Effect<Wire.CreatedLink, PaymentError>
  /** `POST /api/payment-link/{id}`. Retried on transient failures. */
  readonly query: (id: number) => Effect.Effect<Wire.QueriedLink, PaymentError>
  /** `POST /api/payment-link/disable/{id}`. Never retried. */
  readonly disable: (id: number) => Effect.Effect<Wire.DisabledLink, PaymentError>
}

// ---- classification (pure) ----

/** What came back over HTTP, body read in full. */
export interface Exchange {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const fail = (operation: Operation, reason: Reason) => new PaymentError({ provider: PROVIDER, operation, reason })

export const CREATE_ADVICE =
  "the link may have been created: look for its reference in the PlacetoPay site's panel (the API cannot search by reference) before creating it again"
export const DISABLE_ADVICE = "get the link to see whether it is disabled before trying again"

/** `"Authentication failed 102"` and `"102 (Authentication Failed)"` both → `"102"`. */
export const authenticationCode = (message: string): string | undefined => /\b(1\d\d)\b/.exec(message)?.[1]

export const authenticationHints: Readonly<Record<string, string>> = {
  "100": "the auth object was missing or malformed",
  "101": "credentials of another environment? (the login is unknown here; test and production sites differ)",
  "102": "check the secretKey and the site's tranKey algorithm (sha256 or sha1)",
  "103": "check the server clock (seed more than 5 minutes off)",
  "104": "the site is inactive",
  "105": "the site has expired",
  "106": "the site's credentials have expired"
}

/** Parse problems as `path: expectation`, never quoting values (answers can hold personal data). */
const describeParseError = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).join(".")
      const message = issue.message.replace(/, actual [\s\S]*$/, "")
      return path === "" ? message : `${path}: ${message}`
    })
    .join("; ")

const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: string): Either.Either<A, string> => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return Either.left("the body is not JSON")
  }
  return Either.mapLeft(Schema.decodeUnknownEither(schema)(json), describeParseError)
}

/** Seconds (`120`) or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMillis = (value: string | undefined, nowMs: number): number | undefined => {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

const envelopeMessage = (body: string): string | undefined =>
  Either.getOrUndefined(Either.map(decodeBody(Wire.ErrorEnvelope, body), (e) => e.status.message))

/**
 * Classifies an answer: decoded success, or the `PaymentError` its status means for `operation`.
 * A 2xx to a create that cannot be read means a link was (probably) created: OutcomeUnknown, so a
 * caller never fails over and creates a second one.
 */
export const classify = <A, I>(
  operation: Operation,
  schema: Schema.Schema<A, I>,
  exchange: Exchange,
  nowMs: number
): Either.Either<A, PaymentError> => {
  const { body, status } = exchange
  if (status >= 200 && status < 300) {
    return Either.mapLeft(decodeBody(schema, body), (detail) =>
      operation === "links.create"
        ? fail(
            operation,
            new OutcomeUnknown({
              detail: `PlacetoPay answered HTTP ${status} with a body that breaks its contract (${detail})`,
              advice: CREATE_ADVICE
            })
          )
        : fail(operation, new ProtocolViolation({ status, detail }))
    )
  }
  switch (status) {
    case 401: {
      const message = envelopeMessage(body)
      const code = message === undefined ? undefined : authenticationCode(message)
      const hint =
        code === undefined
          ? operation === "links.create"
            ? undefined
            : "the link may belong to another site"
          : authenticationHints[code]
      return Either.left(
        fail(
          operation,
          new Authentication({
            ...(code === undefined ? {} : { code }),
            detail: message ?? "PlacetoPay refused the credentials (HTTP 401)",
            ...(hint === undefined ? {} : { hint })
          })
        )
      )
    }
    case 404:
      return Either.left(
        fail(
          operation,
          new NotFound({
            detail:
              operation === "links.create"
                ? "PlacetoPay has no payment-links API at this base URL"
                : (envelopeMessage(body) ?? "no such payment link")
          })
        )
      )
    case 422: {
      const decoded = decodeBody(Wire.ValidationEnvelope, body)
      return Either.left(
        Either.isRight(decoded)
          ? invalidFrom422(operation, decoded.right.errors)
          : fail(
              operation,
              new InvalidRequest({
                issues: [
                  new FieldIssue({ path: "", message: envelopeMessage(body) ?? "PlacetoPay refused the request" })
                ]
              })
            )
      )
    }
    case 400:
      return Either.left(
        operation === "links.disable"
          ? fail(
              operation,
              new Conflict({
                detail: `the link is already disabled or expired (${envelopeMessage(body) ?? "HTTP 400"})`
              })
            )
          : fail(operation, new ProtocolViolation({ status, detail: envelopeMessage(body) ?? "HTTP 400 Bad Request" }))
      )
    case 429: {
      const after = retryAfterMillis(exchange.headers["retry-after"], nowMs)
      return Either.left(fail(operation, new RateLimited(after === undefined ? {} : { retryAfterMillis: after })))
    }
    case 503:
      return Either.left(fail(operation, new ProviderUnavailable({ status, detail: "PlacetoPay is unavailable" })))
    case 502:
    case 504:
      // A gateway that already forwarded the request may answer 502/504 after PlacetoPay acted on it:
      // harmless for a query, ambiguous for a create or disable (never fail over on those).
      return Either.left(
        operation === "links.get"
          ? fail(operation, new ProviderUnavailable({ status, detail: "a gateway in front of PlacetoPay failed" }))
          : fail(
              operation,
              new OutcomeUnknown({
                detail: `a gateway in front of PlacetoPay answered HTTP ${status} after the request was sent`,
                advice: operation === "links.create" ? CREATE_ADVICE : DISABLE_ADVICE
              })
            )
      )
  }
  if (status >= 500) {
    // A 500 can come after the work was done: only a query is known to have changed nothing.
    return Either.left(
      operation === "links.get"
        ? fail(operation, new ProviderUnavailable({ status, detail: "PlacetoPay failed to answer the query" }))
        : fail(
            operation,
            new OutcomeUnknown({
              detail: `PlacetoPay failed with HTTP ${status} while processing the request`,
              advice: operation === "links.create" ? CREATE_ADVICE : DISABLE_ADVICE
            })
          )
    )
  }
  return Either.left(
    fail(operation, new ProtocolViolation({ status, detail: "an HTTP status the contract does not list" }))
  )
}

// ---- transport failures ----

/** Error codes meaning the connection was never made, so the request was not sent. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID"
])

/** The first error code in a cause chain (undici, node:http and fetch wrap them differently). */
export const errorCode = (cause: unknown, depth = 0): string | undefined => {
  if (depth > 5 || typeof cause !== "object" || cause === null) return undefined
  const code = (cause as { code?: unknown }).code
  if (typeof code === "string") return code
  const errors = (cause as { errors?: unknown }).errors
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = errorCode(inner, depth + 1)
      if (found !== undefined) return found
    }
  }
  return errorCode((cause as { cause?: unknown }).cause, depth + 1)
}

type TransportFailure =
  | { readonly _tag: "NotSent"; readonly code: string }
  | { readonly _tag: "Lost"; readonly code: string | undefined }
  | { readonly _tag: "TimedOut" }

const transportFailure = (error: HttpClientError.HttpClientError): TransportFailure => {
  const code = errorCode(error.cause)
  if (error._tag === "RequestError" && code !== undefined && NOT_SENT_CODES.has(code)) return { _tag: "NotSent", code }
  return { _tag: "Lost", code }
}

const fromTransport = (operation: Operation, failure: TransportFailure, timeout: Duration.Duration): PaymentError => {
  switch (failure._tag) {
    case "NotSent":
      return fail(
        operation,
        new ProviderUnavailable({ detail: `could not connect (${failure.code}); nothing was sent` })
      )
    case "TimedOut":
      return fail(
        operation,
        new Timeout({ afterMillis: Duration.toMillis(timeout), mayHaveTakenEffect: operation !== "links.get" })
      )
    case "Lost": {
      const detail = `the connection failed after the request was sent${failure.code === undefined ? "" : ` (${failure.code})`}`
      return operation === "links.get"
        ? fail(operation, new ProviderUnavailable({ detail }))
        : fail(
            operation,
            new OutcomeUnknown({ detail, advice: operation === "links.create" ? CREATE_ADVICE : DISABLE_ADVICE })
          )
    }
  }
}

const isRetryable = (error: PaymentError): boolean =>
  error.reason._tag === "ProviderUnavailable" || error.reason._tag === "RateLimited" || error.reason._tag === "Timeout"

// ---- client ----

export const make = (config: ClientConfig): Effect.Effect<PlacetoPayClient, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const retries = config.retries ?? 2
    const baseDelay = Duration.toMillis(config.retryBaseDelay ?? Duration.millis(100))
    const maxRetryAfter = Duration.toMillis(config.maxRetryAfter ?? Duration.seconds(5))

    const send = (path: string, payload: object): Effect.Effect<Exchange, TransportFailure> =>
      Effect.gen(function* () {
        // Built per attempt: a nonce is never reused, and a retry gets a fresh seed.
        const auth = yield* Auth.make(config.credentials)
        const request = HttpClientRequest.post(`${config.baseUrl}${path}`).pipe(
          HttpClientRequest.acceptJson,
          HttpClientRequest.bodyUnsafeJson({ auth, ...payload })
        )
        const response = yield* http.execute(request)
        const body = yield* response.text
        return { status: response.status, headers: response.headers, body }
      }).pipe(
        Effect.catchIf(
          (error) =>
            HttpClientError.isHttpClientError(error) && error._tag === "RequestError" && error.reason === "InvalidUrl",
          () => Effect.die(new Error("PlacetoPay base URL rejected by the HTTP client (validated at layer build)"))
        ),
        Effect.mapError(transportFailure),
        Effect.timeoutFail({ duration: config.timeout, onTimeout: (): TransportFailure => ({ _tag: "TimedOut" }) })
      )

    const attempt = <A, I>(
      operation: Operation,
      path: string,
      payload: object,
      schema: Schema.Schema<A, I>,
      number: number
    ): Effect.Effect<A, PaymentError> =>
      send(path, payload).pipe(
        Effect.mapError((failure) => fromTransport(operation, failure, config.timeout)),
        Effect.tap((exchange) => Effect.annotateCurrentSpan("http.response.status_code", exchange.status)),
        Effect.flatMap((exchange) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => classify(operation, schema, exchange, now))
        ),
        Effect.tapBoth({
          onFailure: (error) =>
            Effect.zipRight(
              Effect.annotateCurrentSpan("pasarela.outcome", error.reason._tag),
              Effect.logDebug(`PlacetoPay ${operation} failed: ${error.reason._tag}`)
            ),
          onSuccess: () => Effect.annotateCurrentSpan("pasarela.outcome", "ok")
        }),
        Effect.withSpan(`placetopay.${operation}`, {
          kind: "client",
          attributes: {
            "pasarela.provider": PROVIDER,
            "pasarela.operation": operation,
            "pasarela.attempt": number
          }
        })
      )

    /** Attempts `number`… until success, a failure not worth retrying, or the retry budget is spent. */
    const withRetries = <A>(
      run: (number: number) => Effect.Effect<A, PaymentError>,
      number = 1
    ): Effect.Effect<A, PaymentError> =>
      Effect.catchAll(run(number), (error) => {
        if (number > retries || !isRetryable(error)) return Effect.fail(error)
        const retryAfter = error.reason._tag === "RateLimited" ? error.reason.retryAfterMillis : undefined
        if (retryAfter !== undefined && retryAfter > maxRetryAfter) return Effect.fail(error)
        return Effect.gen(function* () {
          const jitter = yield* Random.nextRange(0.5, 1.5)
          const delay = Math.max(baseDelay * 2 ** (number - 1) * jitter, retryAfter ?? 0)
          yield* Effect.logDebug(
            `PlacetoPay ${error.operation}: ${error.reason._tag}, retrying in ${Math.round(delay)} ms`
          )
          yield* Effect.sleep(Duration.millis(delay))
          return yield* withRetries(run, number + 1)
        })
      })

    return {
      create: (request) => attempt("links.create", "/api/payment-link", request, Wire.CreatedLink, 1),
      query: (id) => withRetries((n) => attempt("links.get", `/api/payment-link/${id}`, {}, Wire.QueriedLink, n)),
      disable: (id) => attempt("links.disable", `/api/payment-link/disable/${id}`, {}, Wire.DisabledLink, 1)
    }
  })

/** Configuration problems as the error `layer` fails with. */
export const configurationError = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  new PaymentError({
    provider: PROVIDER,
    operation: "configure",
    reason: new Configuration({ issues: issues.map((i) => new FieldIssue(i)) })
  })
