/**
 * An `HttpClient` for provider calls, on undici: each request is one `Dispatcher.request` and its
 * answer is read whole before the response is returned. Payment APIs answer small JSON bodies, and
 * this does per request a fraction of the work of `NodeHttpClient.layerUndici` (no span of its
 * own, no streams, no per-response finalizer): the adapters' attempt spans already describe each
 * request, with status and outcome.
 *
 * ```ts
 * PlacetoPay.layer(options).pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 *
 * Differences from the platform's clients, by design:
 * - Bodies are sent whole: a `Stream` or `FormData` request body fails with a `RequestError`
 *   (reason `Encode`) before anything is sent.
 * - Time limits: undici's header and body timeouts are off. A request sent while
 *   `Deadline.currentRequestDeadline` is set (the adapters set it per attempt, through
 *   `Deadline.request`) is aborted when that time passes and fails with a `RequestError` whose
 *   cause is a `Deadline.DeadlineExceeded`; the answer's body counts within the limit. Interrupting
 *   the request aborts it too.
 * - A connection that cannot be made fails with a `RequestError` (reason `Transport`) whose cause
 *   carries undici's error code (`ECONNREFUSED`, …); a failure while reading the answer is a
 *   `ResponseError` (reason `Decode`).
 */
import {
  Cookies,
  Headers,
  HttpClient,
  HttpClientError,
  type HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "@effect/platform"
import { Deadline } from "@pasarela/core"
import { Effect, Either, Inspectable, Layer, Option, Stream } from "effect"
import { Agent, type Dispatcher } from "undici"

const decoder = new TextDecoder()

/** A response whose body has been read in full. */
class WholeResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  private cachedHeaders: Headers.Headers | undefined
  private cachedText: string | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly rawHeaders: Record<string, string | Array<string> | undefined>,
    private readonly body: Uint8Array
  ) {
    super()
  }

  get headers(): Headers.Headers {
    this.cachedHeaders ??= Headers.fromInput(this.rawHeaders as Headers.Input)
    return this.cachedHeaders
  }

  get cookies(): Cookies.Cookies {
    const header = this.rawHeaders["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private get bodyText(): string {
    this.cachedText ??= decoder.decode(this.body)
    return this.cachedText
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.sync(() => this.bodyText)
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => (this.body.length === 0 ? null : JSON.parse(this.bodyText)),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => UrlParams.fromInput(new URLSearchParams(this.bodyText)),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(
      () => this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer
    )
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new Response(new Blob([this.body as Uint8Array<ArrayBuffer>]), { headers: this.headers }).formData(),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(this.body)
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const requestError = (
  request: HttpClientRequest.HttpClientRequest,
  reason: "Transport" | "Encode" | "InvalidUrl",
  cause: unknown
) => new HttpClientError.RequestError({ request, reason, cause })

/** The body as undici takes it; `undefined` when this client cannot send it whole. */
const bodyOf = (request: HttpClientRequest.HttpClientRequest): Either.Either<Uint8Array | null, string> => {
  switch (request.body._tag) {
    case "Empty":
      return Either.right(null)
    case "Uint8Array":
      return Either.right(request.body.body)
    case "Raw":
      return request.body.body instanceof Uint8Array || typeof request.body.body === "string"
        ? Either.right(
            typeof request.body.body === "string" ? new TextEncoder().encode(request.body.body) : request.body.body
          )
        : Either.left("a raw body that is not bytes or text")
    default:
      return Either.left(`a ${request.body._tag} body (this client sends whole bodies only)`)
  }
}

const send = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (Either.isLeft(url)) return Effect.fail(requestError(request, "InvalidUrl", url.left))
  const body = bodyOf(request)
  if (Either.isLeft(body)) return Effect.fail(requestError(request, "Encode", new Error(`cannot send ${body.left}`)))
  return Effect.withFiberRuntime((fiber) => {
    const deadline = fiber.getFiberRef(Deadline.currentRequestDeadline)
    return Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
      const controller = new AbortController()
      let exceeded: Deadline.DeadlineExceeded | undefined
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(() => {
              exceeded = new Deadline.DeadlineExceeded({ afterMillis: deadline })
              controller.abort(exceeded)
            }, deadline)
      const done = (result: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>) => {
        clearTimeout(timer)
        resume(result)
      }
      dispatcher
        .request({
          origin: url.right.origin,
          path: url.right.pathname + url.right.search,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: body.right,
          signal: controller.signal,
          // Time limits come from `Deadline.currentRequestDeadline` (or the caller); 0 turns undici's own off.
          headersTimeout: 0,
          bodyTimeout: 0
        })
        .then(
          (answer) =>
            answer.body.bytes().then(
              (bytes) => done(Effect.succeed(new WholeResponse(request, answer.statusCode, answer.headers, bytes))),
              (cause: unknown) => {
                if (exceeded !== undefined) return done(Effect.fail(requestError(request, "Transport", exceeded)))
                const response = new WholeResponse(request, answer.statusCode, answer.headers, new Uint8Array(0))
                done(Effect.fail(new HttpClientError.ResponseError({ request, response, reason: "Decode", cause })))
              }
            ),
          (cause: unknown) => done(Effect.fail(requestError(request, "Transport", exceeded ?? cause)))
        )
      return Effect.sync(() => {
        clearTimeout(timer)
        controller.abort()
      })
    })
  })
}

/** The client on `dispatcher` (an undici `Agent`, `Pool`, `ProxyAgent`, …). */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  Deadline.markEnforcing(
    HttpClient.makeWith<HttpClientError.HttpClientError, never, HttpClientError.HttpClientError, never>(
      (request) => Effect.flatMap(request, (r) => send(dispatcher, r)),
      Effect.succeed
    )
  )

/** The client on an undici `Agent` of its own (keep-alive connections), closed with the layer. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Agent()),
      (agent) => Effect.promise(() => agent.close())
    ),
    make
  )
)
