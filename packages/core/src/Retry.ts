/**
 * How every adapter sends a provider request and when it tries again, shared so they agree: how an
 * attempt failed (`transportFailure`, pure), whether and after how long to retry (`decide`, pure),
 * and the effects that run it (`send` within a time limit, `attempt` as a client span, `run` the
 * retry loop). The rule: a query may be retried on unavailability, rate limits, timeouts and lost
 * connections; anything that creates or changes something (a link, a charge, a cash order) only
 * when the request provably never reached the provider: the connection was never made.
 */
import { Clock, Duration, Effect, Either, Random } from "effect"
import { request as withinDeadline } from "./Deadline.js"
import { type Annotate, useSpan } from "./internal/tracing.js"
import { FieldIssue, type PaymentError } from "./PaymentError.js"

export interface RetryPolicy {
  /** Attempts in total, the first included; 1 turns retries off. */
  readonly maxAttempts: number
  /** Retry n waits a random time in [0, baseDelay × 2ⁿ⁻¹] ("full jitter"). */
  readonly baseDelay: Duration.Duration
  /** A `Retry-After` longer than this is not waited for: the RateLimited error goes to the caller. */
  readonly maxRetryAfter: Duration.Duration
}

export const defaultPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelay: Duration.millis(100),
  maxRetryAfter: Duration.seconds(5)
}

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
 * How an attempt failed before an answer could be read. `InvalidUrl`: the HTTP client refused the
 * request's URL, so nothing was sent (a configuration problem: adapters check base URLs at start).
 * `Refused`: it would not send the request (a header or argument it rejects, a body it cannot
 * encode): nothing was sent, and trying again would not help.
 */
export type TransportFailure =
  | { readonly _tag: "NotSent"; readonly code: string }
  | { readonly _tag: "Lost"; readonly code: string | undefined }
  | { readonly _tag: "TimedOut" }
  | { readonly _tag: "InvalidUrl" }
  | { readonly _tag: "Refused"; readonly code: string | undefined }

/**
 * Classifies an HTTP client's failure (`@effect/platform`'s `RequestError` / `ResponseError`).
 * Only request errors prove the request was not sent: a never-connected code (`notSentCodes`) is
 * `NotSent` (worth retrying); a URL the client refused is `InvalidUrl`; a request it would not send
 * (`refusedCodes`, or a body it could not encode) is `Refused`. Anything else (reset, closed
 * socket, unreadable answer) may come after the provider received it: `Lost`.
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
  return { _tag: "Lost", code }
}

/**
 * What to tell the user of a request the HTTP client would not send, as a configuration issue: a
 * base URL it refuses, or a request it will not put on the wire (the client's error code, never
 * the values).
 */
export const refusalIssue = (
  failure: Extract<TransportFailure, { readonly _tag: "InvalidUrl" | "Refused" }>
): FieldIssue =>
  failure._tag === "InvalidUrl"
    ? new FieldIssue({ path: "baseUrl", message: "is not a valid URL" })
    : new FieldIssue({
        path: "httpClient",
        message: `refused to send the request${failure.code === undefined ? "" : ` (${failure.code})`}; nothing was sent`
      })

const timedOut = (): TransportFailure => ({ _tag: "TimedOut" })

const isTimedOut = (error: { readonly _tag: string }): error is TransportFailure => error._tag === "TimedOut"

/**
 * Sends `request` with `execute` (an HTTP client's call) within `millis` (`Deadline.request`), its
 * failure classified as a `TransportFailure`: `TimedOut` when the time passed, else
 * `transportFailure` of the client's error.
 */
export const send = <Req extends object, A, E extends Parameters<typeof transportFailure>[0], R>(
  client: unknown,
  request: Req,
  execute: (request: Req) => Effect.Effect<A, E, R>,
  millis: number
): Effect.Effect<A, TransportFailure, R> =>
  Effect.mapError(withinDeadline(client, request, execute, millis, timedOut), (error) =>
    isTimedOut(error) ? error : transportFailure(error)
  )

/** `Retry-After` as seconds (`120`) or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMillis = (value: string | undefined, nowMs: number): number | undefined => {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

/** A failed attempt: its error, and whether the request provably never reached the provider. */
export interface AttemptFailure {
  readonly error: PaymentError
  readonly notSent: boolean
}

export type Decision = { readonly _tag: "Retry"; readonly delayMillis: number } | { readonly _tag: "GiveUp" }

const giveUp: Decision = { _tag: "GiveUp" }

/**
 * Whether attempt `attempt` (1-based) of an operation, which failed with `failure`, is followed by
 * another, and after how long. `readOnly` operations (queries) retry on more failures. `random`
 * is a number in [0, 1) for the jitter.
 */
export const decide = (
  policy: RetryPolicy,
  readOnly: boolean,
  failure: AttemptFailure,
  attempt: number,
  random: number
): Decision => {
  if (attempt >= policy.maxAttempts) return giveUp
  const reason = failure.error.reason
  const safe =
    failure.notSent ||
    (readOnly && (reason._tag === "ProviderUnavailable" || reason._tag === "RateLimited" || reason._tag === "Timeout"))
  if (!safe) return giveUp
  const backoff = Math.floor(random * Duration.toMillis(policy.baseDelay) * 2 ** (attempt - 1))
  if (reason._tag === "RateLimited" && reason.retryAfterMillis !== undefined) {
    if (reason.retryAfterMillis > Duration.toMillis(policy.maxRetryAfter)) return giveUp
    return { _tag: "Retry", delayMillis: Math.max(reason.retryAfterMillis, backoff) }
  }
  return { _tag: "Retry", delayMillis: backoff }
}

/**
 * Runs `attempt(1)`, then further attempts (numbered from 2) while `decide` allows, sleeping the
 * decided delay between them. The last attempt's error goes to the caller. `label` names the call
 * in the debug log line of each retry.
 */
export const run = <A>(
  policy: RetryPolicy,
  readOnly: boolean,
  attempt: (number: number) => Effect.Effect<A, AttemptFailure>,
  label: string
): Effect.Effect<A, PaymentError> => {
  const loop = (number: number): Effect.Effect<A, PaymentError> =>
    Effect.catchAll(attempt(number), (failure) =>
      Effect.flatMap(Random.next, (random) => {
        const decision = decide(policy, readOnly, failure, number, random)
        if (decision._tag === "GiveUp") return Effect.fail(failure.error)
        return Effect.logDebug(`${label}: ${failure.error.reason._tag}, retrying in ${decision.delayMillis} ms`).pipe(
          Effect.zipRight(Effect.sleep(Duration.millis(decision.delayMillis))),
          Effect.zipRight(loop(number + 1))
        )
      })
    )
  return loop(1)
}

/** Records an attempt's outcome on its span (`pasarela.outcome`: "ok" or the reason's tag); logs a failure at debug. */
const settle = <A>(
  annotate: Annotate,
  outcome: Either.Either<A, AttemptFailure>,
  label: string
): Effect.Effect<A, AttemptFailure> => {
  if (Either.isRight(outcome)) {
    annotate("pasarela.outcome", "ok")
    return Effect.succeed(outcome.right)
  }
  const tag = outcome.left.error.reason._tag
  annotate("pasarela.outcome", tag)
  return Effect.zipRight(Effect.logDebug(`${label} failed: ${tag}`), Effect.fail(outcome.left))
}

/**
 * One attempt of a provider request, as the request's client span (`span`, with `attributes`):
 * runs `send`, then turns a transport failure into the error `onFailure` gives (never sent when
 * its tag is `NotSent`) and an answer into a result or error with `onAnswer`. The answer's HTTP
 * status and the outcome go on the span; a failure is logged at debug level under `label`.
 *
 * The span is a child of the caller's current span but does not become the current span of
 * `send`: nothing in an attempt makes spans of its own (the adapters' HTTP clients make none), and
 * switching the fiber's context costs, per attempt, about as much as the rest of the attempt. Like
 * every span here, it is made only where a tracer keeps it (`internal/tracing.ts`).
 */
export const attempt = <S extends { readonly status: number }, F extends { readonly _tag: string }, A>(options: {
  readonly span: string
  readonly attributes: Record<string, unknown>
  readonly send: Effect.Effect<S, F>
  readonly onFailure: (failure: F) => PaymentError
  readonly onAnswer: (answer: S, nowMs: number) => Either.Either<A, PaymentError>
  readonly label: string
}): Effect.Effect<A, AttemptFailure> =>
  useSpan(options.span, { kind: "client", captureStackTrace: false, attributes: options.attributes }, (annotate) =>
    Effect.flatMap(Effect.either(options.send), (sent) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        if (Either.isLeft(sent)) {
          const failure = { error: options.onFailure(sent.left), notSent: sent.left._tag === "NotSent" }
          return settle(annotate, Either.left(failure), options.label)
        }
        annotate("http.response.status_code", sent.right.status)
        const outcome = Either.mapLeft(options.onAnswer(sent.right, now), (error) => ({ error, notSent: false }))
        return settle(annotate, outcome, options.label)
      })
    )
  )
