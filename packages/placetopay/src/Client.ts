/**
 * The adapter's only I/O: POSTs JSON to the payment-links API with a fresh `auth` object per
 * request, decodes answers with the Wire schemas, and classifies every failure into a
 * `PaymentError` reason that says whether the request may have taken effect.
 *
 * Timeouts: each attempt may take `timeout` (the layer's `timeout` option, default 30 s) from
 * sending the request to having read the whole answer; a per-call `CallOptions.withTimeout` wins.
 *
 * Retries (`RetryPolicy`, default 3 attempts in total, backoff `baseDelay` 100 ms × 2ⁿ with full
 * jitter, `Retry-After` honoured up to 5 s), each with a new nonce and seed, only where a retry
 * cannot duplicate anything:
 * - a query (`links.get`) on ProviderUnavailable, RateLimited, Timeout and lost connections;
 * - a create or a disable only when the request provably never left: the connection was refused
 *   or the host did not resolve (`ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`, …). A reset, a 5xx, a
 *   429 or a timeout after sending is not proof, so those go to the caller.
 * A `Retry-After` beyond `maxRetryAfter` is not waited for: the RateLimited error goes to the caller.
 *
 * Every attempt is a span `placetopay.<operation>` (provider, merchant, operation, attempt, HTTP
 * status, outcome); spans and logs never carry the secret, tranKey, nonce or bodies.
 */
import { HttpBody, HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import {
  Authentication,
  CallOptions,
  Configuration,
  Conflict,
  FastDecode,
  FieldIssue,
  InvalidRequest,
  LeanClient,
  NotFound,
  OutcomeUnknown,
  PaymentError,
  ProtocolViolation,
  ProviderUnavailable,
  RateLimited,
  type Reason,
  Retry,
  Timeout
} from "@pasarela/core"
import { Duration, Effect, Either, ParseResult, type Schema } from "effect"
import * as Auth from "./Auth.js"
import { invalidFrom422, PROVIDER } from "./Mapping.js"
import * as Wire from "./Wire.js"

export type Operation = "links.create" | "links.get" | "links.disable"

/** When and how often a failed request is tried again (see the module's description). */
export interface RetryPolicy extends Retry.RetryPolicy {}

export const DEFAULT_RETRY: RetryPolicy = Retry.defaultPolicy

export interface ClientConfig {
  readonly credentials: Auth.Credentials
  /** Validated base URL without a trailing slash (`https://sites-test.placetopay.com`). */
  readonly baseUrl: string
  /** Per attempt: from sending the request to having read the whole answer. A per-call `CallOptions` timeout wins. */
  readonly timeout: Duration.Duration
  /** Default `DEFAULT_RETRY`. */
  readonly retry?: RetryPolicy
  /** The merchant this site serves, for spans. */
  readonly merchantId?: string | undefined
}

/** Per-call facts for spans and advice. */
export interface CallContext {
  /** The merchant the call is for, when it differs from the site's. */
  readonly merchantId?: string | undefined
}

export interface PlacetoPayClient {
  /** `POST /api/payment-link`. Retried only when provably not sent. */
  readonly create: (
    request: Wire.CreateLinkRequest,
    context?: CallContext
  ) => Effect.Effect<Wire.CreatedLink, PaymentError>
  /** `POST /api/payment-link/{id}`. Retried on transient failures. */
  readonly query: (id: number, context?: CallContext) => Effect.Effect<Wire.QueriedLink, PaymentError>
  /** `POST /api/payment-link/disable/{id}`. Retried only when provably not sent. */
  readonly disable: (id: number, context?: CallContext) => Effect.Effect<Wire.DisabledLink, PaymentError>
}

// ---- classification (pure) ----

/** What came back over HTTP, body read in full. */
export interface Exchange {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const fail = (operation: Operation, reason: Reason) => new PaymentError({ provider: PROVIDER, operation, reason })

/**
 * What to do after a create whose outcome is unknown. PlacetoPay's API cannot look links up by
 * reference (spec §3), so only a person at the site's panel can tell.
 */
export const createAdvice = (reference?: string): string =>
  `the link may exist: check the PlacetoPay site's panel for reference ${
    reference === undefined ? "(the one sent)" : `"${reference}"`
  } before creating it again (the API cannot search by reference; a duplicate reference may be refused)`
export const DISABLE_ADVICE = "get the link to see whether it is disabled before trying again"

const adviceFor = (operation: Operation, reference: string | undefined): string =>
  operation === "links.create" ? createAdvice(reference) : DISABLE_ADVICE

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

/** An answer body's decoder, built once per schema: the value, or what is wrong with the body. */
export type BodyDecoder<A> = (body: string) => Either.Either<A, string>

export const bodyDecoder = <A, I>(schema: Schema.Schema<A, I>): BodyDecoder<A> => {
  const decode = FastDecode.decodeUnknownEither(schema)
  return (body) => {
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      return Either.left("the body is not JSON")
    }
    return Either.mapLeft(decode(json), describeParseError)
  }
}

const decodeErrorEnvelope = bodyDecoder(Wire.ErrorEnvelope)
const decodeValidationEnvelope = bodyDecoder(Wire.ValidationEnvelope)

/** The answers of the three calls. */
export const decodeCreated = bodyDecoder(Wire.CreatedLink)
export const decodeQueried = bodyDecoder(Wire.QueriedLink)
export const decodeDisabled = bodyDecoder(Wire.DisabledLink)

const envelopeMessage = (body: string): string | undefined =>
  Either.getOrUndefined(Either.map(decodeErrorEnvelope(body), (e) => e.status.message))

/**
 * Classifies an answer: decoded success, or the `PaymentError` its status means for `operation`.
 * A 2xx to a create or a disable that cannot be read means PlacetoPay (probably) acted on it:
 * OutcomeUnknown, so a caller never fails over and creates a second link. `reference` (of a
 * create) goes into the advice.
 */
export const classify = <A>(
  operation: Operation,
  decode: BodyDecoder<A>,
  exchange: Exchange,
  nowMs: number,
  reference?: string
): Either.Either<A, PaymentError> => {
  const { body, status } = exchange
  if (status >= 200 && status < 300) {
    return Either.mapLeft(decode(body), (detail) =>
      operation === "links.get"
        ? fail(operation, new ProtocolViolation({ status, detail }))
        : fail(
            operation,
            new OutcomeUnknown({
              detail: `PlacetoPay answered HTTP ${status} with a body that breaks its contract (${detail})`,
              advice: adviceFor(operation, reference)
            })
          )
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
      const decoded = decodeValidationEnvelope(body)
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
      const after = Retry.retryAfterMillis(exchange.headers["retry-after"], nowMs)
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
                advice: adviceFor(operation, reference)
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
              advice: adviceFor(operation, reference)
            })
          )
    )
  }
  return Either.left(
    fail(operation, new ProtocolViolation({ status, detail: "an HTTP status the contract does not list" }))
  )
}

// ---- transport failures ----

/** Only `links.get` changes nothing: it is the one operation retried after the request was sent. */
export const isReadOnly = (operation: Operation): boolean => operation === "links.get"

export const fromTransport = (
  operation: Operation,
  failure: Retry.TransportFailure,
  timeout: Duration.Duration,
  reference?: string
): PaymentError => {
  switch (failure._tag) {
    case "InvalidUrl":
    case "Refused":
      return fail(operation, new Configuration({ issues: [Retry.refusalIssue(failure)] }))
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
        : fail(operation, new OutcomeUnknown({ detail, advice: adviceFor(operation, reference) }))
    }
  }
}

// ---- client ----

/** Headers of every request: the body is JSON, and so must the answer be. */
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" } as const

export const make = (config: ClientConfig): Effect.Effect<PlacetoPayClient, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (client) => {
    // The attempt span below is the client span of each request: the HTTP client's own span would
    // repeat it (and its propagation headers mean nothing to PlacetoPay). A lean client makes none.
    const http = LeanClient.isLean(client) ? client : HttpClient.withTracerDisabledWhen(client, () => true)
    const policy = config.retry ?? DEFAULT_RETRY
    const serverAddress = new URL(config.baseUrl).host

    /** Sends a built request and reads the whole answer. */
    const exchange = (
      request: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<Exchange, HttpClientError.HttpClientError> =>
      Effect.flatMap(http.execute(request), (response) =>
        Effect.map(response.text, (body) => ({ status: response.status, headers: response.headers, body }))
      )

    /** One exchange within `timeout`: the request is built per attempt (a nonce is never reused, a retry gets a fresh seed). */
    const send = (
      path: string,
      payload: object,
      timeout: Duration.Duration
    ): Effect.Effect<Exchange, Retry.TransportFailure> =>
      Effect.flatMap(Auth.make(config.credentials), (auth) =>
        Retry.send(
          client,
          HttpClientRequest.post(`${config.baseUrl}${path}`, {
            headers: JSON_HEADERS,
            body: HttpBody.text(JSON.stringify({ auth, ...payload }), "application/json")
          }),
          exchange,
          Duration.toMillis(timeout)
        )
      )

    interface Call<A> {
      readonly operation: Operation
      readonly path: string
      readonly payload: object
      readonly decode: BodyDecoder<A>
      readonly reference?: string | undefined
      readonly merchantId: string | undefined
    }

    /** One attempt as the client span of its request: provider, merchant, operation, attempt, status, outcome. */
    const attempt = <A>(
      call: Call<A>,
      timeout: Duration.Duration,
      number: number
    ): Effect.Effect<A, Retry.AttemptFailure> =>
      Retry.attempt({
        span: `placetopay.${call.operation}`,
        attributes: {
          "pasarela.provider": PROVIDER,
          ...(call.merchantId === undefined ? {} : { "pasarela.merchant": call.merchantId }),
          "pasarela.operation": call.operation,
          "pasarela.attempt": number,
          "http.request.method": "POST",
          "server.address": serverAddress,
          "url.path": call.path
        },
        send: send(call.path, call.payload, timeout),
        onFailure: (failure) => fromTransport(call.operation, failure, timeout, call.reference),
        onAnswer: (exchange, now) => classify(call.operation, call.decode, exchange, now, call.reference),
        label: `PlacetoPay ${call.operation}`
      })

    /** Attempts the call until it succeeds or `Retry.decide` gives up. */
    const run = <A>(call: Call<A>): Effect.Effect<A, PaymentError> =>
      Effect.flatMap(CallOptions.timeoutOr(config.timeout), (timeout) =>
        Retry.run(
          policy,
          isReadOnly(call.operation),
          (number) => attempt(call, timeout, number),
          `PlacetoPay ${call.operation}`
        )
      )

    const merchant = (context: CallContext | undefined) => context?.merchantId ?? config.merchantId

    return {
      create: (request, context) =>
        run({
          operation: "links.create",
          path: "/api/payment-link",
          payload: request,
          decode: decodeCreated,
          reference: request.reference,
          merchantId: merchant(context)
        }),
      query: (id, context) =>
        run({
          operation: "links.get",
          path: `/api/payment-link/${id}`,
          payload: {},
          decode: decodeQueried,
          merchantId: merchant(context)
        }),
      disable: (id, context) =>
        run({
          operation: "links.disable",
          path: `/api/payment-link/disable/${id}`,
          payload: {},
          decode: decodeDisabled,
          merchantId: merchant(context)
        })
    }
  })

/** Configuration problems as the error `layer` fails with. */
export const configurationError = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  new PaymentError({
    provider: PROVIDER,
    operation: "configure",
    reason: new Configuration({ issues: issues.map((i) => new FieldIssue(i)) })
  })
