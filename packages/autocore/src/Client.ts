/**
 * The adapter's only I/O: sends Autocore requests over `HttpClient`, authenticates each one (a fresh
 * `auth_token` every time, retries included), decodes answers with the `Wire` schemas and classifies
 * every failure into a `PaymentError` reason.
 *
 * The rule behind the classification: once a create request may have reached Autocore (connection
 * lost or timed out after sending, 500, 504, an answer that cannot be read), the outcome is
 * `OutcomeUnknown` and nothing is retried; only hotel listing, which changes nothing, retries.
 * Spans and logs carry provider, operation, endpoint, HTTP status and outcome; never credentials,
 * bodies or card data (credential headers are redacted from the HTTP client's own spans).
 */
import { Headers, HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import {
  Authentication,
  Configuration,
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
import { Duration, Effect, Either, Schedule, Schema } from "effect"
import * as Auth from "./Auth.js"
import * as Wire from "./Wire.js"

/** Operations the client performs; the neutral names plus `hotels.list`. */
export type Operation = "links.create" | "charges.create" | "orders.create" | "giftCards.create" | "hotels.list"

export interface ClientConfig {
  readonly baseUrl: string
  readonly credentials: Auth.Credentials
  readonly hotelId: number
  readonly merchantId: string
  /** Default per-call timeout. */
  readonly timeout: Duration.Duration
}

export interface CallOptions {
  /** Overrides the configured timeout for this call. */
  readonly timeout?: Duration.DurationInput
}

/** A charge's answer: accepted (approved or pending) or the 400 that declines the card. */
export type ChargeAnswer =
  | { readonly _tag: "Accepted"; readonly response: Wire.ChargeAccepted }
  | { readonly _tag: "Rejected"; readonly response: Wire.ChargeRejected }

export interface AutocoreClient {
  readonly createLink: (body: Wire.LinkRequest, options?: CallOptions) => Effect.Effect<Wire.LinkResponse, PaymentError>
  readonly createCharge: (body: Wire.ChargeRequest, options?: CallOptions) => Effect.Effect<ChargeAnswer, PaymentError>
  readonly createCashOrder: (
    body: Wire.CashRequest,
    options?: CallOptions
  ) => Effect.Effect<Wire.CashResponse, PaymentError>
  readonly createGiftCard: (
    body: Wire.GiftCardRequest,
    options?: CallOptions
  ) => Effect.Effect<Wire.GiftCardResponse, PaymentError>
  readonly listHotels: (
    page: { readonly offset?: number; readonly limit?: number },
    options?: CallOptions
  ) => Effect.Effect<Wire.HotelsPage, PaymentError>
}

/** Where to look before trying a create again. */
export const reconcileAdvice =
  "it may have been processed: check Autocore's dashboard or wait for its webhook before trying again"

const PROVIDER = "autocore"

/** Transport failures that happen before a request can have been sent (connecting, DNS, TLS). */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID"
])

/** Error codes anywhere in a cause chain (Node nests them in `cause` and AggregateError's `errors`). */
const errorCodes = (cause: unknown, depth = 0): ReadonlyArray<string> => {
  if (depth > 5 || typeof cause !== "object" || cause === null) return []
  const own = (cause as { code?: unknown }).code
  const nested = [
    ...errorCodes((cause as { cause?: unknown }).cause, depth + 1),
    ...(Array.isArray((cause as { errors?: unknown }).errors)
      ? (cause as { errors: Array<unknown> }).errors.flatMap((e) => errorCodes(e, depth + 1))
      : [])
  ]
  return typeof own === "string" ? [own, ...nested] : nested
}

/** True when the failure proves nothing reached Autocore. */
export const failedBeforeSending = (cause: unknown): boolean => {
  const codes = errorCodes(cause)
  return codes.length > 0 && codes.every((code) => NOT_SENT_CODES.has(code) || code.startsWith("ERR_TLS_"))
}

interface Answer {
  readonly status: number
  readonly text: string
  readonly retryAfter: string | undefined
}

const parseJson = (text: string): Either.Either<unknown, void> => {
  try {
    return Either.right(JSON.parse(text))
  } catch {
    return Either.left(undefined)
  }
}

/** Decodes an answer body with a schema; `Left` when it is not JSON or not that shape. */
const decodeBody = <A, I>(schema: Schema.Schema<A, I>, text: string): Either.Either<A, void> =>
  Either.flatMap(parseJson(text), (json) => Either.mapLeft(Schema.decodeUnknownEither(schema)(json), () => undefined))

const retryAfterMillis = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

export const make = (config: ClientConfig): Effect.Effect<AutocoreClient, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    // Autocore knows nothing of our traces: no propagation headers on its requests.
    const http = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerPropagation(false))
    const base = config.baseUrl.replace(/\/+$/, "")
    const isCreate = (operation: Operation) => operation !== "hotels.list"

    const error = (operation: Operation, reason: Reason) =>
      new PaymentError({ provider: PROVIDER, operation, merchantId: config.merchantId, reason })

    const unknownOutcome = (operation: Operation, detail: string) =>
      error(operation, new OutcomeUnknown({ detail, advice: reconcileAdvice }))

    const transportError = (
      operation: Operation,
      failure: HttpClientError.HttpClientError
    ): Effect.Effect<never, PaymentError> => {
      if (failure._tag === "RequestError") {
        switch (failure.reason) {
          case "InvalidUrl":
            return Effect.fail(
              error(
                operation,
                new Configuration({ issues: [new FieldIssue({ path: "baseUrl", message: "is not a valid URL" })] })
              )
            )
          case "Encode":
            // Bodies are plain JSON built by Mapping: failing to encode one is a bug, not a runtime condition.
            return Effect.dieMessage(`autocore ${operation}: request body could not be encoded`)
          case "Transport":
            if (failedBeforeSending(failure.cause)) {
              return Effect.fail(error(operation, new ProviderUnavailable({ detail: "could not connect to Autocore" })))
            }
        }
      }
      // The connection broke after the request went out (or while reading the answer).
      return Effect.fail(
        isCreate(operation)
          ? unknownOutcome(operation, "the connection was lost after the request was sent")
          : error(operation, new ProviderUnavailable({ detail: "the connection to Autocore was lost" }))
      )
    }

    /** One HTTP exchange: builds the request (credentials fresh), sends, reads the whole answer, within the timeout. */
    const exchange = (
      operation: Operation,
      build: Effect.Effect<HttpClientRequest.HttpClientRequest>,
      options: CallOptions | undefined
    ): Effect.Effect<Answer, PaymentError> => {
      const timeout = options?.timeout === undefined ? config.timeout : Duration.decode(options.timeout)
      return Effect.gen(function* () {
        const request = yield* build
        const response = yield* http.execute(request)
        const text = yield* response.text
        return { status: response.status, text, retryAfter: response.headers["retry-after"] }
      }).pipe(
        Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, ...Auth.credentialHeaders]),
        Effect.catchAll((failure) => transportError(operation, failure)),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            isCreate(operation)
              ? unknownOutcome(operation, `no answer within ${Duration.toMillis(timeout)} ms`)
              : error(operation, new Timeout({ afterMillis: Duration.toMillis(timeout), mayHaveTakenEffect: false }))
        }),
        Effect.tap((answer) => Effect.annotateCurrentSpan("http.response.status_code", answer.status))
      )
    }

    /** The documented error statuses (and anything else that is not a success), as reasons. */
    const failure = (operation: Operation, answer: Answer): PaymentError => {
      const { status } = answer
      if (status === 429) return error(operation, new RateLimited(withRetryAfter(answer.retryAfter)))
      if (status >= 500) {
        // 502/503: a gateway or Autocore refusing work. 500 and 504: Autocore may have processed it.
        if (status === 502 || status === 503 || !isCreate(operation)) {
          return error(operation, new ProviderUnavailable({ status, detail: `Autocore answered HTTP ${status}` }))
        }
        return unknownOutcome(operation, `Autocore answered HTTP ${status}`)
      }
      if (status >= 200 && status < 300) {
        // Not the documented 200: whatever it means, the request was processed somehow.
        return isCreate(operation)
          ? unknownOutcome(operation, `Autocore answered HTTP ${status} instead of 200`)
          : error(operation, new ProtocolViolation({ status, detail: `expected 200, got ${status}` }))
      }
      const envelope = decodeBody(Wire.ErrorEnvelope, answer.text)
      if (Either.isLeft(envelope) || ![400, 401, 403, 404].includes(status)) {
        return error(
          operation,
          new ProtocolViolation({
            status,
            detail: Either.isLeft(envelope) ? "the error answer is not Autocore's envelope" : "undocumented status"
          })
        )
      }
      const code = String(envelope.right.code)
      const detail = envelope.right.detail ?? envelope.right.message
      switch (status) {
        case 400:
          return error(
            operation,
            new InvalidRequest({
              issues: [new FieldIssue({ path: "", message: `Autocore refused the request: ${detail}` })]
            })
          )
        case 401:
          return error(
            operation,
            new Authentication({
              code,
              detail,
              hint: "check the access key and secret key; auth tokens live 30 seconds, so also check this server's clock"
            })
          )
        case 403:
          return error(
            operation,
            new Authentication({
              code,
              detail,
              hint:
                operation === "giftCards.create"
                  ? "these API keys may not create gift cards"
                  : `hotel ${config.hotelId} does not belong to this Autocore account: check hotelId (see AutocoreHotels.list)`
            })
          )
        default:
          return error(operation, new NotFound({ detail }))
      }
    }

    /** A 200's body decoded, or the error its unreadability means. */
    const success = <A, I>(operation: Operation, schema: Schema.Schema<A, I>, answer: Answer) =>
      Either.match(decodeBody(schema, answer.text), {
        onRight: (value) => Effect.succeed(value),
        onLeft: () =>
          Effect.fail(
            isCreate(operation)
              ? unknownOutcome(operation, "Autocore answered 200 with a body this adapter cannot read")
              : error(
                  operation,
                  new ProtocolViolation({ status: 200, detail: "the answer does not match the contract" })
                )
          )
      })

    const build = (
      method: "GET" | "POST",
      path: string,
      auth: "apiKey" | "token",
      body: unknown,
      urlParams: Record<string, string> = {}
    ): Effect.Effect<HttpClientRequest.HttpClientRequest> =>
      Effect.map(
        auth === "token"
          ? Auth.authTokenHeaders(config.credentials)
          : Effect.succeed(Auth.apiKeyHeaders(config.credentials)),
        (headers) => {
          const request = HttpClientRequest.make(method)(`${base}${path}`).pipe(
            HttpClientRequest.setHeaders({ ...headers, accept: "application/json" }),
            HttpClientRequest.setUrlParams(urlParams)
          )
          return body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, body)
        }
      )

    /** Span and log around one call; the outcome is the reason's tag or `ok`. */
    const traced =
      (operation: Operation, path: string) =>
      <A>(effect: Effect.Effect<A, PaymentError>): Effect.Effect<A, PaymentError> =>
        effect.pipe(
          Effect.tap(() =>
            Effect.zipRight(
              Effect.annotateCurrentSpan("pasarela.outcome", "ok"),
              Effect.logDebug("autocore call succeeded")
            )
          ),
          Effect.tapError((e) =>
            Effect.zipRight(
              Effect.annotateCurrentSpan("pasarela.outcome", e.reason._tag),
              Effect.logWarning("autocore call failed", e.reason.description)
            )
          ),
          Effect.annotateLogs({ "pasarela.provider": PROVIDER, "pasarela.operation": operation }),
          Effect.withSpan(`autocore.${operation}`, {
            kind: "client",
            attributes: {
              "pasarela.provider": PROVIDER,
              "pasarela.operation": operation,
              "pasarela.merchant": config.merchantId,
              "autocore.endpoint": path
            }
          })
        )

    const create =
      <A, I>(operation: Operation, path: string, auth: "apiKey" | "token", schema: Schema.Schema<A, I>) =>
      (body: unknown, options?: CallOptions): Effect.Effect<A, PaymentError> =>
        exchange(operation, build("POST", path, auth, body), options).pipe(
          Effect.flatMap((answer) =>
            answer.status === 200 ? success(operation, schema, answer) : Effect.fail(failure(operation, answer))
          ),
          traced(operation, path)
        )

    const chargePath = "/v2/virtual-terminal/credit-card"
    const createCharge = (body: Wire.ChargeRequest, options?: CallOptions): Effect.Effect<ChargeAnswer, PaymentError> =>
      exchange("charges.create", build("POST", chargePath, "token", body), options).pipe(
        Effect.flatMap((answer): Effect.Effect<ChargeAnswer, PaymentError> => {
          if (answer.status === 200) {
            return Effect.map(success("charges.create", Wire.ChargeAccepted, answer), (response) => ({
              _tag: "Accepted" as const,
              response
            }))
          }
          // A declined card is a 400 with `extra_info`: a result. Any other 400 is a refused request.
          const rejected = answer.status === 400 ? decodeBody(Wire.ChargeRejected, answer.text) : Either.left(undefined)
          return Either.isRight(rejected)
            ? Effect.succeed({ _tag: "Rejected" as const, response: rejected.right })
            : Effect.fail(failure("charges.create", answer))
        }),
        traced("charges.create", chargePath)
      )

    const hotelsPath = "/v2/hotels"
    // Listing changes nothing: retry what is retry-safe, twice at most, with jittered backoff; every
    // attempt builds its request again, so each carries a fresh auth token.
    const retryListing = Schedule.exponential("200 millis").pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(2))
    )
    const listHotels: AutocoreClient["listHotels"] = (page, options) => {
      const params: Record<string, string> = {}
      if (page.offset !== undefined) params.offset = String(page.offset)
      if (page.limit !== undefined) params.limit = String(page.limit)
      return exchange("hotels.list", build("GET", hotelsPath, "token", undefined, params), options).pipe(
        Effect.flatMap((answer) =>
          answer.status === 200
            ? success("hotels.list", Wire.HotelsPage, answer)
            : Effect.fail(failure("hotels.list", answer))
        ),
        Effect.retry({ schedule: retryListing, while: (e) => e.isRetrySafe }),
        traced("hotels.list", hotelsPath)
      )
    }

    return {
      createLink: create("links.create", "/v2/links/schedule/", "apiKey", Wire.LinkResponse),
      createCharge,
      createCashOrder: create("orders.create", "/v2/apms/cash", "token", Wire.CashResponse),
      createGiftCard: create("giftCards.create", "/v1/gift-cards", "apiKey", Wire.GiftCardResponse),
      listHotels
    } satisfies AutocoreClient
  })

const withRetryAfter = (value: string | undefined): { retryAfterMillis?: number } => {
  const millis = retryAfterMillis(value)
  return millis === undefined ? {} : { retryAfterMillis: millis }
}
