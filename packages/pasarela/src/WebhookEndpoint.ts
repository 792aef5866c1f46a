/**
 * One webhook endpoint for every merchant and provider: `POST <base>/<merchant>/<provider>`.
 * The merchant is resolved from the URL first, the notification verified with that merchant's
 * secret on the raw body, mapped, and then — with a durable store — checked against the journal,
 * stored in the inbox and answered at once (the dispatcher hands it to the application); without
 * one, deduplicated and handed to the application's handler before the answer, the way that
 * provider expects.
 *
 * It is meant to face the internet: whatever a caller sends gets an answer and never an exception —
 * 404 for a path it does not serve (one it cannot even decode included), 405 for a method other
 * than POST, 413 for a body over the limit, 408 for one that does not arrive in time, 400 for one
 * that is not UTF-8, the provider's own refusal for a notification that does not verify. Bodies are
 * read while streaming, never more than the limit kept. Only the application's handler failing
 * gives a 5xx.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { PaymentError, type PaymentEvent, Router, Webhooks } from "@pasarela/core"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { positiveDuration } from "./Config.js"
import { type DedupeStore, DedupeStore as DedupeStoreTag } from "./DedupeStore.js"
import * as EventHandler from "./EventHandler.js"
import { Inbox } from "./Inbox.js"
import * as RequestBody from "./internal/requestBody.js"

export interface IncomingNotification {
  readonly merchantId: string
  readonly provider: string
  /** The request URL as received (path and query at least). */
  readonly url: string
  /** The raw body. */
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export interface Outcome {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** What happened, for logs and tests. */
  readonly result:
    | "handled"
    | "duplicate"
    | "in-progress"
    /** Stored in the inbox for the dispatcher (durable store). */
    | "stored"
    /** Stored, but held from the application (it names no operation Pasarela created, or disagrees with it). */
    | "held"
    /** The inbox could not be written: 503, so a gateway that re-delivers does. */
    | "store-unavailable"
    | "rejected"
    | "handler-failed"
    | "unknown-merchant"
    /** Refused before verification: path, method or body (404, 405, 408, 413, 400). */
    | "refused"
  readonly event?: PaymentEvent.PaymentEvent
}

export interface Options {
  /** Path the endpoint serves under: `<basePath>/<merchant>/<provider>`. Default `/webhooks`. */
  readonly basePath?: string
  /** Largest body accepted, in bytes. Default 64 KiB: no provider sends notifications this large. */
  readonly maxBodyBytes?: number
  /** How long a body may take to arrive. Default 10 seconds. */
  readonly bodyTimeout?: Duration.DurationInput
  /**
   * How long the handler may run. Past it, the handler is interrupted, the event's claim released
   * and the endpoint answers 500 (the provider delivers again later). Default 20 seconds.
   */
  readonly handlerTimeout?: Duration.DurationInput
}

/** Options checked and filled with defaults. */
export interface Settings {
  readonly basePath: string
  readonly body: RequestBody.Limits
  readonly handlerTimeout: Duration.Duration
}

/** The documented body limit. */
export const MAX_BODY_BYTES = 64 * 1024

export const DEFAULTS = {
  basePath: "/webhooks",
  maxBodyBytes: MAX_BODY_BYTES,
  bodyTimeout: Duration.seconds(10),
  handlerTimeout: Duration.seconds(20)
} as const

/** The most `maxBodyBytes` may be: larger bodies are not notifications. */
export const MAX_BODY_LIMIT = 16 * 1024 * 1024

const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)*$/

/** Checks the options; every problem is reported at once as a `Configuration` error. */
export const settings = (options: Options = {}): Either.Either<Settings, PaymentError.PaymentError> => {
  const issues: Array<{ readonly path: string; readonly message: string }> = []
  const basePath = (options.basePath ?? DEFAULTS.basePath).replace(/\/+$/, "")
  if (!BASE_PATH.test(basePath)) {
    issues.push({ path: "basePath", message: 'must be a URL path such as "/webhooks"' })
  }
  const maxBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_BODY_LIMIT) {
    issues.push({ path: "maxBodyBytes", message: `must be a whole number of bytes from 1 to ${MAX_BODY_LIMIT}` })
  }
  const duration = (input: Duration.DurationInput | undefined, fallback: Duration.Duration, path: string) => {
    const decoded = input === undefined ? Option.some(fallback) : positiveDuration(input)
    if (Option.isSome(decoded)) return decoded.value
    issues.push({ path, message: 'must be a positive duration such as "10 seconds"' })
    return fallback
  }
  const timeout = duration(options.bodyTimeout, DEFAULTS.bodyTimeout, "bodyTimeout")
  const handlerTimeout = duration(options.handlerTimeout, DEFAULTS.handlerTimeout, "handlerTimeout")
  if (issues.length > 0) return Either.left(PaymentError.configurationError("pasarela", issues))
  return Either.right({ basePath, body: { maxBytes, timeout }, handlerTimeout })
}

/** `settings`, for arguments given in code: a wrong one is a programming error, thrown at once. */
const settingsOrThrow = (options: Options | undefined): Settings =>
  Either.getOrThrowWith(settings(options), (error) => error)

const plain = (status: number, body: string, result: Outcome["result"], headers: Record<string, string> = {}) =>
  ({
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
    body,
    result
  }) satisfies Outcome

/** A refusal closes the connection: whatever the caller still sends is not read. */
const refused = (status: number, body: string, headers: Record<string, string> = {}): Outcome =>
  plain(status, body, "refused", { connection: "close", ...headers })

const notFound = refused(404, "not found")

// ---------------------------------------------------------------------------------------------
// From verified notification to answer

/** What `handle` needs: the routes, the handler, and a dedupe store (used when there is no inbox). */
export type Requirements = Router.Router | DedupeStore | EventHandler.EventHandler

/**
 * Handles one notification (its body already read) end to end. Never fails: every outcome is an
 * answer. With an `Inbox` in context the event is stored for its dispatcher and answered at once;
 * otherwise the handler runs before the answer.
 */
export const handle = (
  notification: IncomingNotification,
  handlerTimeout: Duration.DurationInput = DEFAULTS.handlerTimeout
): Effect.Effect<Outcome, never, Requirements> =>
  Effect.gen(function* () {
    const router = yield* Router.Router
    const routes = yield* Effect.either(router.routesFor(notification.merchantId, notification.provider))
    const first = routes._tag === "Right" ? routes.right[0] : undefined
    if (first === undefined) return plain(404, "unknown merchant or provider", "unknown-merchant")
    const webhooks = Context.get(first.services, Webhooks)
    // Stamped by the router: the merchant, and a link's routed id (the one `links.get` takes).
    const verified = yield* Effect.either(
      router.verify({
        body: notification.body,
        url: notification.url,
        headers: notification.headers,
        merchantId: notification.merchantId,
        provider: notification.provider
      })
    )
    if (verified._tag === "Left") {
      yield* Effect.logWarning("notification rejected").pipe(
        Effect.annotateLogs({
          merchant: notification.merchantId,
          provider: notification.provider,
          reason: verified.left.reason.description
        })
      )
      return { ...webhooks.replies.rejected, result: "rejected" as const }
    }
    const event = verified.right
    const inbox = yield* Effect.serviceOption(Inbox)
    if (Option.isSome(inbox)) {
      const stored = yield* Effect.either(inbox.value.accept(event))
      if (stored._tag === "Left") {
        yield* Effect.logError("the inbox could not store an event", stored.left).pipe(
          Effect.annotateLogs({ merchant: notification.merchantId, dedupeKey: event.dedupeKey })
        )
        return { ...plain(503, "the event could not be stored; deliver it again", "store-unavailable"), event }
      }
      const result = stored.right === "added" ? ("stored" as const) : stored.right
      return { ...webhooks.replies.accepted, result, event }
    }
    return yield* handleNow(event, webhooks.replies, Duration.decode(handlerTimeout))
  }).pipe(
    Effect.withSpan("pasarela.webhooks.receive", {
      attributes: { "pasarela.merchant": notification.merchantId, "pasarela.provider": notification.provider }
    })
  )

/** Without an inbox: claim the event, run the handler, answer with its outcome. */
const handleNow = (
  event: PaymentEvent.PaymentEvent,
  replies: Webhooks["Type"]["replies"],
  handlerTimeout: Duration.Duration
) =>
  Effect.gen(function* () {
    const dedupe = yield* DedupeStoreTag
    const handler = yield* EventHandler.EventHandler
    const key = event.dedupeKey
    // The claim outlives the handler's time limit a little, so it is the handler's end that frees it.
    const claim = yield* dedupe.claim(key, Duration.sum(handlerTimeout, Duration.seconds(5)))
    if (claim === "done") return { ...replies.accepted, result: "duplicate" as const, event }
    if (claim === "in-progress") {
      // Not 200: a gateway that re-delivers will, and by then the first delivery's outcome is known.
      return { ...plain(409, "this event is being handled; deliver it again later", "in-progress"), event }
    }
    const handled = Effect.gen(function* () {
      const outcome = yield* EventHandler.run(handler, event, handlerTimeout)
      if (outcome._tag === "Right") {
        yield* dedupe.complete(key)
        return { ...replies.accepted, result: "handled" as const, event }
      }
      yield* dedupe.release(key)
      yield* Effect.logError("webhook handler failed; the provider may deliver again", outcome.left).pipe(
        Effect.annotateLogs({ merchant: event.merchantId, provider: event.provider, dedupeKey: key })
      )
      return { ...plain(500, "handler failed", "handler-failed"), event }
    })
    // The caller hanging up does not cut the handler short: it runs in its own fiber, which
    // finishes (or times out) and completes or releases its claim all the same.
    return yield* Effect.flatMap(Effect.forkDaemon(handled), Fiber.join)
  })

// ---------------------------------------------------------------------------------------------
// From HTTP request to notification

/** What both forms take from a request. */
export interface RawRequest {
  readonly method: string
  /** Path and query as received (percent-encoding untouched). */
  readonly url: string
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Stream.Stream<Uint8Array, unknown>
}

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * `<basePath>/<merchant>/<provider>` → both, decoded; undefined for any other path, and for one
 * whose segments do not decode (broken percent-encoding).
 */
export const parsePath = (
  url: string,
  basePath: string
): { readonly merchantId: string; readonly provider: string } | undefined => {
  const path = url.split("?", 1)[0] ?? ""
  const prefix = `${basePath}/`
  if (!path.startsWith(prefix)) return undefined
  const segments = path.slice(prefix.length).split("/")
  if (segments.length !== 2) return undefined
  const [merchantId, provider] = segments.map(decodeSegment)
  if (merchantId === undefined || provider === undefined || merchantId === "" || provider === "") return undefined
  return { merchantId, provider }
}

/** Serves one request: path, method and body checked before anything else. Never fails. */
export const serve = (request: RawRequest, settings: Settings): Effect.Effect<Outcome, never, Requirements> =>
  Effect.gen(function* () {
    const route = parsePath(request.url, settings.basePath)
    if (route === undefined) return notFound
    if (request.method !== "POST") return refused(405, "method not allowed", { allow: "POST" })
    const declared = RequestBody.declaredSize(request.headers["content-length"], settings.body)
    if (declared !== undefined) return refused(declared.status, declared.message)
    const body = yield* RequestBody.read(request.body, settings.body)
    if (Either.isLeft(body)) return refused(body.left.status, body.left.message)
    return yield* handle(
      { ...route, url: request.url, body: body.right, headers: request.headers },
      settings.handlerTimeout
    )
  }).pipe(
    // Nothing a caller sends gets here; a defect in this code answers 500 rather than escaping.
    Effect.catchAllCause((cause) =>
      Effect.as(Effect.logError("webhook endpoint failed", cause), plain(500, "internal error", "handler-failed"))
    )
  )

const lowerCaseHeaders = (headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>) =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) =>
      v === undefined ? [] : [[k.toLowerCase(), typeof v === "string" ? v : v.join(", ")]]
    )
  )

// ---------------------------------------------------------------------------------------------
// The two forms

/**
 * The endpoint as an Effect `HttpRouter` (every method, so others get 405 rather than 404): serve
 * it with `@effect/platform`. It needs what `Pasarela.layer` provides: the `Router`, the
 * application's `EventHandler` (`Pasarela.layer(config, { onEvent })`), a `DedupeStore`, and the
 * `Inbox` when a durable store is configured.
 */
export const router = (options?: Options) => {
  const resolved = settingsOrThrow(options)
  const app: HttpApp.Default<never, Requirements | HttpServerRequest.HttpServerRequest> = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const outcome = yield* serve(
      {
        method: request.method,
        url: request.url,
        headers: lowerCaseHeaders(request.headers),
        body: request.stream
      },
      resolved
    )
    return HttpServerResponse.text(outcome.body, { status: outcome.status, headers: outcome.headers })
  })
  return HttpRouter.empty.pipe(HttpRouter.all(`${resolved.basePath}/*` as HttpRouter.PathInput, app))
}

/**
 * The endpoint as a Web-standard handler, `(Request) => Promise<Response>`, for any server (Node,
 * Bun, Deno, edge). `run` executes an Effect with what `router` needs provided. The promise never
 * rejects: every request gets a response.
 */
export const toWebHandler = (
  run: <A>(effect: Effect.Effect<A, never, Requirements>) => Promise<A>,
  options?: Options
) => {
  const resolved = settingsOrThrow(options)
  return async (request: Request): Promise<Response> => {
    try {
      const url = new URL(request.url)
      const headers: Record<string, string> = {}
      request.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value
      })
      const body = request.body
      const outcome = await run(
        serve(
          {
            method: request.method,
            url: url.pathname + url.search,
            headers,
            body: body === null ? Stream.empty : Stream.fromReadableStream({ evaluate: () => body, onError: (e) => e })
          },
          resolved
        )
      )
      return new Response(outcome.body, { status: outcome.status, headers: outcome.headers })
    } catch {
      // `serve` never fails: only a runtime already closed (the app shutting down) gets here.
      return new Response("unavailable", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } })
    }
  }
}
