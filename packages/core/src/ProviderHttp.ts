/**
 * How every adapter talks to its gateway, so that they all behave alike: a base URL, credentials
 * built anew for each attempt (`authenticate`), a time limit per attempt, retries by `Effect.retry`
 * with one `Schedule`, a client span per attempt, and one meaning for each way a request can fail.
 * An adapter brings its endpoints and a pure `classify` of the answers; this module is its only I/O.
 *
 * The retry rule: a query (`readOnly`) may be retried on unavailability, rate limits, timeouts and
 * lost connections; anything that creates or changes something only when the request provably never
 * reached the provider (the connection was never made). Waits grow exponentially with full jitter
 * (retry n waits a random time up to `baseDelay` × 2ⁿ⁻¹), and a `Retry-After` is honoured up to
 * `maxRetryAfter`.
 *
 * One answer per situation, whichever the adapter: a create that was sent and then got no answer
 * (time limit passed, connection lost, call aborted) is `OutcomeUnknown` with the adapter's advice;
 * a query in the same situation is `Timeout` or `ProviderUnavailable`, since it changed nothing.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as CallOptions from "./CallOptions.js"
import {
  Configuration,
  FieldIssue,
  OutcomeUnknown,
  PaymentError,
  ProviderUnavailable,
  type Reason,
  Timeout
} from "./PaymentError.js"
import { issuesOf } from "./Validation.js"

// ---- policy ----

/** When and how often a failed request is tried again. */
export interface RetryPolicy {
  /** Attempts in total, the first included; 1 turns retries off. */
  readonly maxAttempts: number
  /** Retry n waits a random time in [0, baseDelay × 2ⁿ⁻¹] ("full jitter"). */
  readonly baseDelay: Duration.Duration
  /** A `Retry-After` longer than this is not waited for: the RateLimited error goes to the caller. */
  readonly maxRetryAfter: Duration.Duration
}

/** 3 attempts in total, 100 ms × 2ⁿ⁻¹ full-jitter backoff, `Retry-After` waited up to 5 s. */
export const defaultPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelay: Duration.millis(100),
  maxRetryAfter: Duration.seconds(5)
}

/** The most attempts `retry.maxAttempts` may ask for. */
export const MAX_ATTEMPTS = 10

// ---- how a request failed before an answer could be read (pure) ----

/**
 * Error codes of a connection that was never made: nothing reached the provider. Anything else
 * (a reset, a closed socket, an unreadable answer) may come after the provider received it.
 */
export const notSentCodes: ReadonlySet<string> = new Set([
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

/**
 * Error codes of a request the HTTP client would not send (undici's argument check, node:http's
 * header checks): nothing went out, and sending it again would be refused again.
 */
export const refusedCodes: ReadonlySet<string> = new Set([
  "UND_ERR_INVALID_ARG",
  "ERR_INVALID_CHAR",
  "ERR_HTTP_INVALID_HEADER_VALUE",
  "ERR_INVALID_HTTP_TOKEN"
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

/**
 * Whether fetch refused the URL's port before connecting: the Fetch standard blocks some ports
 * (1, 9, 25, 6000…), and Node's fetch says so only in its cause's message, with no code.
 */
const isBlockedPort = (cause: unknown, depth = 0): boolean =>
  depth <= 5 &&
  typeof cause === "object" &&
  cause !== null &&
  ((cause as { message?: unknown }).message === "bad port" ||
    isBlockedPort((cause as { cause?: unknown }).cause, depth + 1))

/**
 * How an attempt failed before an answer could be read. `NotSent`: the connection was never made.
 * `Lost`: it failed once the request may have reached the provider. `TimedOut`: the attempt's time
 * limit passed. `InvalidUrl`: the HTTP client refused the URL. `Refused`: it would not send the
 * request (a header or argument it rejects, a body it cannot encode); trying again would not help.
 */
export type TransportFailure =
  | { readonly _tag: "NotSent"; readonly code: string }
  | { readonly _tag: "Lost"; readonly code: string | undefined }
  | { readonly _tag: "TimedOut"; readonly afterMillis: number }
  | { readonly _tag: "InvalidUrl" }
  | { readonly _tag: "Refused"; readonly code: string | undefined }

/**
 * Classifies an HTTP client's failure (`@effect/platform`'s `RequestError` / `ResponseError`).
 * Only request errors prove the request was not sent: a never-connected code (`notSentCodes`) is
 * `NotSent`; a URL the client refused is `InvalidUrl`; a request it would not send (`refusedCodes`,
 * a body it could not encode, a port fetch blocks) is `Refused`. Anything else may come after the provider received it.
 */
export const transportFailure = (error: {
  readonly _tag: string
  readonly reason?: string
  readonly cause?: unknown
}): TransportFailure => {
  if (error._tag === "RequestError" && error.reason === "InvalidUrl") return { _tag: "InvalidUrl" }
  const code = errorCode(error.cause)
  if (error._tag !== "RequestError") return { _tag: "Lost", code }
  if (code !== undefined && notSentCodes.has(code)) return { _tag: "NotSent", code }
  if (error.reason === "Encode" || (code !== undefined && refusedCodes.has(code))) return { _tag: "Refused", code }
  if (isBlockedPort(error.cause)) return { _tag: "Refused", code: "bad port" }
  return { _tag: "Lost", code }
}

/** What one request is, as far as its failures are concerned. */
export interface Situation {
  /** The gateway's name for people: `PlacetoPay`. */
  readonly displayName: string
  /** Whether the operation only reads (then nothing it does can be duplicated). */
  readonly readOnly: boolean
  /** What to do when a create's outcome is unknown (which reference to look for, and where). */
  readonly advice: string
}

/** The reason a transport failure means, the same for every adapter. */
export const transportReason = (failure: TransportFailure, situation: Situation): Reason => {
  const unknown = (detail: string) => new OutcomeUnknown({ detail, advice: situation.advice })
  switch (failure._tag) {
    case "InvalidUrl":
      return new Configuration({ issues: [new FieldIssue({ path: "baseUrl", message: "is not a valid URL" })] })
    case "Refused":
      return new Configuration({
        issues: [
          new FieldIssue({
            path: "httpClient",
            message: `refused to send the request${failure.code === undefined ? "" : ` (${failure.code})`}; nothing was sent`
          })
        ]
      })
    case "NotSent":
      return new ProviderUnavailable({
        detail: `could not connect to ${situation.displayName} (${failure.code}); nothing was sent`
      })
    case "TimedOut":
      return situation.readOnly
        ? new Timeout({ afterMillis: failure.afterMillis })
        : unknown(`no answer within ${failure.afterMillis} ms after the request was sent`)
    case "Lost": {
      const detail = `the connection failed after the request was sent${failure.code === undefined ? "" : ` (${failure.code})`}`
      return situation.readOnly ? new ProviderUnavailable({ detail }) : unknown(detail)
    }
  }
}

/**
 * The reason of a call whose signal was aborted (`CallOptions.withSignal`): `OutcomeUnknown` for a
 * create whose request was on its way; otherwise nothing changed: `Timeout` when the call's time
 * limit aborted it, `Aborted` when its caller did.
 */
export const abortReason = (signalReason: unknown, situation: Situation, inFlight: boolean): Reason => {
  if (!inFlight || situation.readOnly) {
    return CallOptions.abortedReason(
      signalReason,
      inFlight ? "the call was aborted; a query changes nothing" : "nothing was sent"
    )
  }
  const limit = CallOptions.timeLimitOf(signalReason)
  return new OutcomeUnknown({
    detail:
      limit === undefined
        ? "the call was aborted after the request was sent"
        : `no answer within the call's ${limit} ms after the request was sent`,
    advice: situation.advice
  })
}

/** `Retry-After` as seconds (`120`) or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMillis = (value: string | undefined, nowMs: number): number | undefined => {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

// ---- when to try again (pure rule, one Schedule) ----

/** A failed attempt: its error, and whether the connection was provably never made. */
export interface AttemptFailure {
  readonly error: PaymentError
  readonly neverConnected: boolean
}

/**
 * Whether another attempt may follow `failure`: when nothing was sent, or for a query on a
 * transient failure; never past a `Retry-After` longer than the policy waits.
 */
export const isWorthRetrying = (policy: RetryPolicy, readOnly: boolean, failure: AttemptFailure): boolean => {
  const { reason } = failure.error
  if (reason._tag === "RateLimited" && (reason.retryAfterMillis ?? 0) > Duration.toMillis(policy.maxRetryAfter)) {
    return false
  }
  return (
    failure.neverConnected ||
    (readOnly && (reason._tag === "ProviderUnavailable" || reason._tag === "RateLimited" || reason._tag === "Timeout"))
  )
}

/**
 * The retry schedule: at most `maxAttempts - 1` retries while `isWorthRetrying`, each after a
 * full-jitter exponential wait, or after the provider's `Retry-After` when that is longer.
 */
export const retrySchedule = (
  policy: RetryPolicy,
  readOnly: boolean
): Schedule.Schedule<AttemptFailure, AttemptFailure> =>
  Schedule.exponential(policy.baseDelay).pipe(
    Schedule.modifyDelayEffect((_, delay) =>
      Effect.map(Random.next, (random) => Duration.millis(Math.floor(random * Duration.toMillis(delay))))
    ),
    Schedule.intersect(Schedule.recurs(policy.maxAttempts - 1)),
    Schedule.intersect(Schedule.recurWhile((failure: AttemptFailure) => isWorthRetrying(policy, readOnly, failure))),
    Schedule.intersect(
      Schedule.identity<AttemptFailure>().pipe(
        Schedule.addDelay((failure) =>
          Duration.millis(
            failure.error.reason._tag === "RateLimited" ? (failure.error.reason.retryAfterMillis ?? 0) : 0
          )
        )
      )
    ),
    Schedule.map(([, failure]) => failure)
  )

// ---- answers ----

/** What came back over HTTP, body read in full. */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: string
}

/** An answer body's decoder: the value, or what is wrong with the body (paths and expectations, never values). */
export type BodyDecoder<A> = (body: string) => Either.Either<A, string>

/** A `BodyDecoder` for JSON bodies of `schema`, built once per schema. */
export const jsonDecoder = <A, I>(schema: Schema.Schema<A, I>): BodyDecoder<A> => {
  const decode = Schema.decodeUnknownEither(schema)
  return (body) => {
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      return Either.left("the body is not JSON")
    }
    return Either.mapLeft(decode(json), (error) =>
      issuesOf(error)
        .slice(0, 3)
        .map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`))
        .join("; ")
    )
  }
}

// ---- what an application may watch ----

/**
 * One attempt of a provider request, as an application's hooks see it: never a header, a body, the
 * query string, a secret or card data.
 */
export interface RequestInfo {
  readonly provider: string
  readonly merchantId: string | undefined
  /** `links.create`. */
  readonly operation: string
  /** 1 for the first attempt. */
  readonly attempt: number
  readonly method: "GET" | "POST"
  /** Origin and path, without the query. */
  readonly url: string
}

export interface ResponseInfo extends RequestInfo {
  /** The HTTP status, when an answer came. */
  readonly status: number | undefined
  /** `ok`, or the reason the attempt failed (`ProviderUnavailable`, `Timeout`…). */
  readonly outcome: string
  readonly durationMillis: number
}

export interface RetryInfo extends RequestInfo {
  /** Why the attempt that failed is tried again. */
  readonly reason: string
  /** The wait before the next attempt. */
  readonly delayMillis: number
}

/** Callbacks around every provider request (logging, metrics, a request log of your own). */
export interface Hooks {
  readonly onRequest?: (info: RequestInfo) => Effect.Effect<void>
  readonly onResponse?: (info: ResponseInfo) => Effect.Effect<void>
  readonly onRetry?: (info: RetryInfo) => Effect.Effect<void>
}

/** The hooks in effect (none by default): `Effect.provideService(ProviderHttp.CurrentHooks, hooks)`. */
export class CurrentHooks extends Context.Reference<CurrentHooks>()("@pasarela/core/ProviderHttp/CurrentHooks", {
  defaultValue: (): Hooks => ({})
}) {}

// ---- requests ----

/** One call of an operation: what to send, and how to read what comes back. */
export interface Request<A> extends Omit<Situation, "displayName"> {
  /** Names the call in errors and spans: `links.create`. */
  readonly operation: string
  readonly method: "GET" | "POST"
  /** Under the base URL: `/api/payment-link`. */
  readonly path: string
  readonly urlParams?: Readonly<Record<string, string>>
  /** Sent as JSON, after the body fields `authenticate` gives. */
  readonly body?: Readonly<Record<string, unknown>>
  /** The merchant the call is for, when it is not the one in `Options`. */
  readonly merchantId?: string | undefined
  /** The answer's meaning: the result, or the reason it is a failure (pure). */
  readonly classify: (answer: Answer, nowMs: number) => Either.Either<A, Reason>
}

/** What authenticates one attempt: headers, and fields put first in a JSON body. */
export interface Credentials {
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: Readonly<Record<string, unknown>>
}

export interface Options {
  /** The provider's machine name: errors' `provider`, and the prefix of span names. */
  readonly provider: string
  readonly displayName: string
  /** A validated base URL. */
  readonly baseUrl: string
  /** Per attempt: from sending the request to having read the whole answer. A per-call `CallOptions` timeout wins. */
  readonly timeout: Duration.Duration
  readonly retry?: RetryPolicy | undefined
  /** The merchant the client serves, for errors and spans. */
  readonly merchantId?: string | undefined
  /** Credentials for one attempt of `operation`, built anew each time (fresh nonces, tokens, clocks). */
  readonly authenticate: (operation: string) => Effect.Effect<Credentials>
  /** Headers that carry credentials: shown as `<redacted>` by HTTP clients that log headers. */
  readonly credentialHeaders?: ReadonlyArray<string>
}

export interface ProviderHttp {
  /** Sends the request (retrying as the policy allows) and classifies its answer. */
  readonly send: <A>(request: Request<A>) => Effect.Effect<A, PaymentError>
}

export const make = (options: Options): Effect.Effect<ProviderHttp, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (client) => {
    // Each attempt is a client span of its own (below): the HTTP client's span would repeat it, and
    // its trace headers mean nothing to a gateway.
    const http = HttpClient.withTracerDisabledWhen(client, () => true)
    const base = options.baseUrl.replace(/\/+$/, "")
    const serverAddress = new URL(base).host
    const policy = options.retry ?? defaultPolicy
    const credentialHeaders = options.credentialHeaders ?? []

    const merchantOf = (request: Request<unknown>) => request.merchantId ?? options.merchantId

    const fail = (request: Request<unknown>, reason: Reason): PaymentError => {
      const merchantId = merchantOf(request)
      return new PaymentError({
        provider: options.provider,
        operation: request.operation,
        ...(merchantId === undefined ? {} : { merchantId }),
        reason
      })
    }

    const build = (request: Request<unknown>, credentials: Credentials) => {
      const json = request.body === undefined && credentials.body === undefined
      return HttpClientRequest.make(request.method)(`${base}${request.path}`, {
        headers: { accept: "application/json", ...credentials.headers },
        ...(request.urlParams === undefined ? {} : { urlParams: request.urlParams }),
        ...(json
          ? {}
          : { body: HttpBody.text(JSON.stringify({ ...credentials.body, ...request.body }), "application/json") })
      })
    }

    const exchange = (
      request: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<Answer, HttpClientError.HttpClientError> =>
      Effect.flatMap(http.execute(request), (response) =>
        Effect.map(response.text, (body) => ({ status: response.status, headers: response.headers, body }))
      )

    const exchangeRedacted =
      credentialHeaders.length === 0
        ? exchange
        : (request: HttpClientRequest.HttpClientRequest) =>
            Effect.locallyWith(exchange(request), Headers.currentRedactedNames, (names) => [
              ...names,
              ...credentialHeaders
            ])

    /** What a call keeps between attempts: how many were made, and whether one is on the wire. */
    interface CallState {
      attempts: number
      inFlight: boolean
    }

    const infoOf = (request: Request<unknown>, attempt: number): RequestInfo => ({
      provider: options.provider,
      merchantId: merchantOf(request),
      operation: request.operation,
      attempt,
      method: request.method,
      url: `${base}${request.path}`
    })

    /** One attempt, as the client span of its request. */
    const attempt = <A>(request: Request<A>, timeout: Duration.Duration, state: CallState, hooks: Hooks) =>
      Effect.gen(function* () {
        state.attempts += 1
        const credentials = yield* options.authenticate(request.operation)
        const http = build(request, credentials)
        if (hooks.onRequest !== undefined) yield* hooks.onRequest(infoOf(request, state.attempts))
        const startedAt = hooks.onResponse === undefined ? 0 : yield* Clock.currentTimeMillis
        state.inFlight = true
        const sent = yield* exchangeRedacted(http).pipe(
          Effect.mapError(transportFailure),
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: (): TransportFailure => ({ _tag: "TimedOut", afterMillis: Duration.toMillis(timeout) })
          }),
          Effect.either,
          Effect.ensuring(Effect.sync(() => (state.inFlight = false)))
        )
        const now = yield* Clock.currentTimeMillis
        if (Either.isRight(sent)) yield* Effect.annotateCurrentSpan("http.response.status_code", sent.right.status)
        const outcome: Either.Either<A, AttemptFailure> = Either.isLeft(sent)
          ? Either.left({
              error: fail(request, transportReason(sent.left, { ...request, displayName: options.displayName })),
              neverConnected: sent.left._tag === "NotSent"
            })
          : Either.mapLeft(request.classify(sent.right, now), (reason) => ({
              error: fail(request, reason),
              neverConnected: false
            }))
        const outcomeName = Either.isRight(outcome) ? "ok" : outcome.left.error.reason._tag
        yield* Effect.annotateCurrentSpan("pasarela.outcome", outcomeName)
        if (hooks.onResponse !== undefined) {
          yield* hooks.onResponse({
            ...infoOf(request, state.attempts),
            status: Either.isRight(sent) ? sent.right.status : undefined,
            outcome: outcomeName,
            durationMillis: now - startedAt
          })
        }
        if (Either.isLeft(outcome)) {
          yield* Effect.logDebug(
            `${options.displayName} ${request.operation} failed: ${outcome.left.error.reason._tag}`
          )
        }
        return yield* outcome
      }).pipe(
        Effect.withSpan(`${options.provider}.${request.operation}`, {
          kind: "client",
          captureStackTrace: false,
          attributes: {
            "pasarela.provider": options.provider,
            ...(merchantOf(request) === undefined ? {} : { "pasarela.merchant": merchantOf(request) }),
            "pasarela.operation": request.operation,
            "pasarela.attempt": state.attempts + 1,
            "http.request.method": request.method,
            "server.address": serverAddress,
            "url.path": request.path
          }
        })
      )

    const send = <A>(request: Request<A>): Effect.Effect<A, PaymentError> =>
      Effect.gen(function* () {
        const timeout = yield* CallOptions.timeoutOr(options.timeout)
        const signal = yield* CallOptions.CallSignal
        const hooks = yield* CurrentHooks
        const state: CallState = { attempts: 0, inFlight: false }
        const attempts = Effect.retry(
          Effect.suspend(() => attempt(request, timeout, state, hooks)),
          retrySchedule(policy, request.readOnly).pipe(
            Schedule.modifyDelayEffect((failure, delay) =>
              Effect.as(
                Effect.zipRight(
                  Effect.logDebug(
                    `${options.displayName} ${request.operation}: ${failure.error.reason._tag}, retrying in ${Duration.toMillis(delay)} ms`
                  ),
                  hooks.onRetry === undefined
                    ? Effect.void
                    : hooks.onRetry({
                        ...infoOf(request, state.attempts),
                        reason: failure.error.reason._tag,
                        delayMillis: Duration.toMillis(delay)
                      })
                ),
                delay
              )
            )
          )
        )
        const situation = { ...request, displayName: options.displayName }
        if (signal?.aborted) return yield* Effect.fail(fail(request, abortReason(signal.reason, situation, false)))
        const abortable =
          signal === undefined
            ? attempts
            : Effect.raceFirst(
                attempts,
                Effect.flatMap(abortOf(signal), (reason) =>
                  Effect.fail({
                    error: fail(request, abortReason(reason, situation, state.inFlight)),
                    neverConnected: false
                  })
                )
              )
        return yield* Effect.mapError(abortable, (failure) => failure.error)
      }).pipe(
        // The call's final failure, once, whatever the caller does with it (attempts log at debug).
        Effect.tapError((error) =>
          Effect.logWarning(`${options.provider} call failed`, error.reason.description).pipe(
            Effect.annotateLogs({
              "pasarela.provider": options.provider,
              "pasarela.operation": request.operation,
              ...(error.merchantId === undefined ? {} : { "pasarela.merchant": error.merchantId })
            })
          )
        )
      )

    return { send }
  })

/** Succeeds with the signal's reason once it is aborted (at once if it already is). */
const abortOf = (signal: AbortSignal): Effect.Effect<unknown> =>
  Effect.async<unknown>((resume) => {
    if (signal.aborted) return resume(Effect.succeed(signal.reason))
    const onAbort = () => resume(Effect.succeed(signal.reason))
    signal.addEventListener("abort", onAbort, { once: true })
    return Effect.sync(() => signal.removeEventListener("abort", onAbort))
  })
