/**
 * One webhook endpoint for every merchant and provider: `POST <base>/<merchant>/<provider>`.
 * The merchant is resolved from the URL first, the notification verified with that merchant's
 * secret on the raw body, mapped, deduplicated, handed to the application's handler, and answered
 * the way that provider expects.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { type PaymentError, type PaymentEvent, Router, Webhooks } from "@pasarela/core"
import { Context, Effect } from "effect"
import { DedupeStore } from "./DedupeStore.js"

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
  readonly result: "handled" | "duplicate" | "rejected" | "handler-failed" | "unknown-merchant"
  readonly event?: PaymentEvent.PaymentEvent
}

/** The application's handler; a failure makes the endpoint answer 500 so the provider re-delivers. */
export type Handler<R = never> = (event: PaymentEvent.PaymentEvent) => Effect.Effect<void, unknown, R>

const plain = (status: number, body: string, result: Outcome["result"]): Outcome => ({
  status,
  headers: { "content-type": "text/plain; charset=utf-8" },
  body,
  result
})

/** Bodies above this are refused before reading on: no provider sends notifications this large. */
export const MAX_BODY_BYTES = 64 * 1024

/** Handles one notification end to end. Never fails: every outcome is an HTTP answer. */
export const handle = <R>(
  notification: IncomingNotification,
  handler: Handler<R>
): Effect.Effect<Outcome, never, Router.Router | DedupeStore | R> =>
  Effect.gen(function* () {
    const router = yield* Router.Router
    const dedupe = yield* DedupeStore
    const services = yield* Effect.either(router.servicesFor(notification.merchantId, notification.provider))
    if (services._tag === "Left") return plain(404, "unknown merchant or provider", "unknown-merchant")
    const webhooks = Context.get(services.right, Webhooks)
    const verified = yield* Effect.either(
      webhooks.verify({
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
          reason: (verified.left as PaymentError).reason.description
        })
      )
      return { ...webhooks.replies.rejected, result: "rejected" as const }
    }
    const event = { ...verified.right, merchantId: notification.merchantId }
    if (!(yield* dedupe.claim(event.dedupeKey))) {
      return { ...webhooks.replies.accepted, result: "duplicate" as const, event }
    }
    const handled = yield* Effect.either(Effect.suspend(() => handler(event)))
    if (handled._tag === "Left") {
      yield* dedupe.release(event.dedupeKey)
      yield* Effect.logError("webhook handler failed; the provider may deliver again").pipe(
        Effect.annotateLogs({ merchant: notification.merchantId, dedupeKey: event.dedupeKey })
      )
      return { ...plain(500, "handler failed", "handler-failed"), event }
    }
    return { ...webhooks.replies.accepted, result: "handled" as const, event }
  }).pipe(
    Effect.withSpan("pasarela.webhooks.receive", {
      attributes: { "pasarela.merchant": notification.merchantId, "pasarela.provider": notification.provider }
    })
  )

const lowerCaseHeaders = (headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>) =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) =>
      v === undefined ? [] : [[k.toLowerCase(), typeof v === "string" ? v : v.join(", ")]]
    )
  )

/**
 * The endpoint as an Effect `HttpRouter`, mounted at `basePath` (default `/webhooks`):
 * `POST /webhooks/:merchant/:provider`.
 */
export const router = <R>(handler: Handler<R>, basePath = "/webhooks") =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      `${basePath}/:merchant/:provider` as HttpRouter.PathInput,
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const params = yield* HttpRouter.params
        const length = Number(request.headers["content-length"] ?? "0")
        if (length > MAX_BODY_BYTES) return HttpServerResponse.text("body too large", { status: 413 })
        const body = yield* Effect.orElseSucceed(request.text, () => "")
        const outcome = yield* handle(
          {
            merchantId: params.merchant ?? "",
            provider: params.provider ?? "",
            url: request.url,
            body,
            headers: lowerCaseHeaders(request.headers)
          },
          handler
        )
        return HttpServerResponse.text(outcome.body, { status: outcome.status, headers: outcome.headers })
      })
    )
  )

/**
 * The endpoint as a Web-standard handler, `(Request) => Promise<Response>`, for any server
 * (Node, Bun, Deno, edge). `run` executes an Effect with the router and dedupe store provided.
 */
export const toWebHandler =
  (
    run: <A>(effect: Effect.Effect<A, never, Router.Router | DedupeStore>) => Promise<A>,
    handler: Handler,
    basePath = "/webhooks"
  ) =>
  async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const prefix = `${basePath.replace(/\/+$/, "")}/`
    const parts = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length).split("/") : []
    if (request.method !== "POST" || parts.length !== 2 || parts.some((p) => p === "")) {
      return new Response("not found", { status: 404 })
    }
    if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) {
      return new Response("body too large", { status: 413 })
    }
    const body = await request.text()
    if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) return new Response("body too large", { status: 413 })
    const headers: Record<string, string> = {}
    request.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value
    })
    const outcome = await run(
      handle(
        {
          merchantId: decodeURIComponent(parts[0]!),
          provider: decodeURIComponent(parts[1]!),
          url: url.pathname + url.search,
          body,
          headers
        },
        handler
      )
    )
    return new Response(outcome.body, { status: outcome.status, headers: outcome.headers })
  }
