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
 * - Time limits: undici's header and body timeouts are off; the caller's time limit (the adapters'
 *   per attempt) interrupts the request, which aborts it, whether it is still connecting, waiting
 *   or reading the answer. The client records no spans and logs nothing.
 * - A connection that cannot be made fails with a `RequestError` (reason `Transport`) whose cause
 *   carries undici's error code (`ECONNREFUSED`, …); a failure while reading the answer is a
 *   `ResponseError` (reason `Decode`).
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
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

/**
 * One exchange on undici's dispatch API: the answer's chunks are collected as they arrive and
 * the request settles exactly once, by its answer, its failure or an abort.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined
  /** Set when aborted before undici started the request: applied as soon as it does. */
  private pendingAbort: Error | undefined
  private status: number | undefined
  private headers: Record<string, string | Array<string> | undefined> = {}
  private chunks: Array<Buffer> = []
  private settled = false

  constructor(
    private readonly request: HttpClientRequest.HttpClientRequest,
    private readonly resume: (
      result: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
    ) => void
  ) {}

  abort(reason: Error): void {
    if (this.controller === undefined) this.pendingAbort = reason
    else if (!this.controller.aborted) this.controller.abort(reason)
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    if (this.pendingAbort !== undefined) controller.abort(this.pendingAbort)
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | Array<string> | undefined>
  ): void {
    this.status = status
    this.headers = headers
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk)
  }

  onResponseEnd(): void {
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
    this.settle(Effect.succeed(new WholeResponse(this.request, this.status!, this.headers, body)))
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, cause: Error): void {
    if (this.status === undefined) {
      this.settle(Effect.fail(requestError(this.request, "Transport", cause)))
      return
    }
    // The answer had begun: its body could not be read.
    const response = new WholeResponse(this.request, this.status, this.headers, new Uint8Array(0))
    this.settle(
      Effect.fail(new HttpClientError.ResponseError({ request: this.request, response, reason: "Decode", cause }))
    )
  }

  private settle(result: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>) {
    if (this.settled) return
    this.settled = true
    this.resume(result)
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
  return Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
    const exchange = new Exchange(request, resume)
    dispatcher.dispatch(
      {
        origin: url.right.origin,
        path: url.right.pathname + url.right.search,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: body.right,
        // Time limits are the caller's (interruption aborts); 0 turns undici's own off.
        headersTimeout: 0,
        bodyTimeout: 0
      },
      exchange
    )
    return Effect.sync(() => exchange.abort(new Error("the request was interrupted")))
  })
}

/** The client on `dispatcher` (an undici `Agent`, `Pool`, `ProxyAgent`, …). */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  HttpClient.makeWith<HttpClientError.HttpClientError, never, HttpClientError.HttpClientError, never>(
    (request) => Effect.flatMap(request, (r) => send(dispatcher, r)),
    Effect.succeed
  )

/**
 * The client on a dispatcher made for it (`() => new Agent({ connections: 16 })`), closed with the
 * layer. Where the runtime's undici lacks the dispatch API (Bun replaces undici with its own), it
 * dies when built, saying so, rather than failing every call.
 */
export const layerWith = (makeDispatcher: () => Dispatcher): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.flatMap(
      Effect.acquireRelease(Effect.sync(makeDispatcher), (dispatcher) =>
        typeof dispatcher.close === "function" ? Effect.promise(() => dispatcher.close()) : Effect.void
      ),
      (dispatcher) =>
        typeof dispatcher.dispatch === "function"
          ? Effect.succeed(make(dispatcher))
          : Effect.dieMessage(
              "UndiciHttpClient needs undici's dispatch API, which this runtime's undici lacks (Bun's): use the platform's FetchHttpClient there (pasarela's default)"
            )
    )
  )

/** The client on an undici `Agent` of its own (keep-alive connections), closed with the layer. */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith(() => new Agent())
