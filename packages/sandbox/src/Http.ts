/**
 * HTTP plumbing both simulators share: JSON answers, request bodies read within a limit, and the
 * handler wrapper that answers typed errors in the gateway's own error envelope and defects with a
 * 500 that reveals nothing, and the fault control endpoints. Each gateway supplies its envelope and
 * its rules for what a body means.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Faults from "./Faults.js"
import { httpStatus, type SandboxError, type SandboxErrorReason } from "./SandboxError.js"

/** Bodies above this are refused with 413 before being read (or as soon as they pass it). */
export const MAX_BODY_BYTES = 1024 * 1024

export const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

/** A refusal answered with `status` in the gateway's error envelope. */
export class HttpError extends Data.TaggedError("HttpError")<{ readonly status: number; readonly message: string }> {}

const badRequest = (message: string) => new HttpError({ status: 400, message })

/**
 * The handlers of a simulator's fault control endpoints (`GET`, `POST`, `DELETE <prefix>/faults`):
 * the injector's state, rules added from the JSON body `readBody` reads, and clearing them.
 */
export const faultEndpoints = <R, B>(
  injector: Effect.Effect<Faults.Injector, never, R>,
  readBody: Effect.Effect<unknown, HttpError, B>
) => ({
  state: Effect.flatMap(injector, (faults) =>
    Effect.map(Effect.all({ pending: faults.pending, fired: faults.fired, requests: faults.requests }), (state) =>
      json({ routes: faults.routes, ...state })
    )
  ),
  inject: Effect.gen(function* () {
    const faults = yield* injector
    const rules = Faults.decodeRules(yield* readBody)
    if (Either.isLeft(rules)) return yield* badRequest(rules.left)
    yield* faults.injectAll(rules.right).pipe(Effect.catchTag("FaultRuleError", (error) => badRequest(error.message)))
    return json({ pending: yield* faults.pending })
  }),
  clear: Effect.flatMap(injector, (faults) => Effect.as(faults.clear, json({ pending: [] })))
})

/** The body of a gateway's error answer for `status` and `message` (and a refused operation's reason). */
export type Envelope<R> = (
  status: number,
  message: string,
  reason: SandboxErrorReason | undefined
) => Effect.Effect<unknown, never, R>

/**
 * Runs a handler: an `HttpError` or a `SandboxError` becomes the gateway's envelope with its status,
 * a defect a 500 in the same envelope with `internalMessage` (never the defect itself).
 */
export const handle =
  <E>(envelope: Envelope<E>, internalMessage: string) =>
  <R>(
    handler: Effect.Effect<HttpServerResponse.HttpServerResponse, HttpError | SandboxError, R>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | E> => {
    const answer = (status: number, message: string, reason?: SandboxErrorReason) =>
      Effect.map(envelope(status, message, reason), (body) => json(body, status))
    return handler.pipe(
      Effect.catchTags({
        HttpError: (error) => answer(error.status, error.message),
        SandboxError: (error) => answer(httpStatus[error.reason], error.message, error.reason)
      }),
      Effect.catchAllDefect(() => answer(500, internalMessage))
    )
  }

export type BodyText =
  | { readonly _tag: "Text"; readonly text: string; readonly contentType: string }
  | { readonly _tag: "TooLarge" }
  | { readonly _tag: "Unreadable" }

/**
 * The request body as text, at most `limit` bytes. A declared length over the limit is refused
 * before reading; past the limit, chunks are still read (and dropped) up to a larger bound, so the
 * client gets its answer instead of a reset connection; beyond that the connection is dropped.
 */
export const readText = (limit: number): Effect.Effect<BodyText, never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const declared = Number(request.headers["content-length"] ?? "0")
    if (Number.isFinite(declared) && declared > limit) return { _tag: "TooLarge" } as const
    const read = yield* request.stream.pipe(
      Stream.runFoldWhile(
        { size: 0, chunks: [] as Array<Uint8Array> },
        (acc) => acc.size <= 16 * limit,
        (acc, chunk) => {
          const size = acc.size + chunk.length
          if (size <= limit) acc.chunks.push(chunk)
          return { size, chunks: acc.chunks }
        }
      ),
      Effect.either
    )
    if (Either.isLeft(read)) return { _tag: "Unreadable" } as const
    if (read.right.size > limit) return { _tag: "TooLarge" } as const
    const text = Buffer.concat(read.right.chunks).toString("utf8")
    return { _tag: "Text", text, contentType: request.headers["content-type"] ?? "" } as const
  })

/** A request body read as JSON, or why it is not: each gateway decides what each case answers. */
export type JsonBody =
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Empty" }
  | { readonly _tag: "NotJson" }
  | { readonly _tag: "Malformed" }
  | { readonly _tag: "TooLarge" }
  | { readonly _tag: "Unreadable" }

/** The body (at most `MAX_BODY_BYTES`) parsed as JSON when `isJson` accepts its content type, else `NotJson`. */
export const readJson = (
  isJson: (contentType: string) => boolean
): Effect.Effect<JsonBody, never, HttpServerRequest.HttpServerRequest> =>
  Effect.map(readText(MAX_BODY_BYTES), (body): JsonBody => {
    if (body._tag !== "Text") return body
    if (body.text.trim() === "") return { _tag: "Empty" }
    if (!isJson(body.contentType)) return { _tag: "NotJson" }
    try {
      return { _tag: "Json", value: JSON.parse(body.text) as unknown }
    } catch {
      return { _tag: "Malformed" }
    }
  })
