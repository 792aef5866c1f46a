/**
 * The adapter's only I/O: sends Autocore requests over `HttpClient`, authenticates each attempt (a
 * fresh `auth_token` from the `Clock`, or the API-key headers, built anew every time, retries
 * included), decodes answers with the `Wire` schemas and classifies every failure into a
 * `PaymentError` reason that says whether the request may have taken effect.
 *
 * Timeouts: each attempt may take `timeout` (the layer's `timeout` option, default 30 s) from
 * sending the request to having read the whole answer; a per-call `CallOptions.withTimeout` wins.
 *
 * Retries (`RetryPolicy`, core's `Retry.decide`; default 3 attempts in total, full-jitter backoff
 * `baseDelay` 100 ms × 2ⁿ⁻¹, `Retry-After` honoured up to 5 s), only where a retry cannot
 * duplicate anything:
 * - hotel listing, which changes nothing, on ProviderUnavailable (5xx, lost connection),
 *   RateLimited and Timeout;
 * - links, card charges, cash orders and gift cards only when the request provably never left:
 *   the connection was never made (`Retry.notSentCodes`: refused, DNS failure, TLS refused). A
 *   reset, a 5xx, a 429 or a timeout after sending is not proof, so those go to the caller.
 * Autocore has no endpoint to look anything up, so an ambiguous create (`OutcomeUnknown`) says in
 * its advice which `external_ref_id` to wait for (webhook) or look for (dashboard) first.
 *
 * Every attempt is a span `autocore.<operation>` (provider, merchant, operation, endpoint, attempt,
 * HTTP method and status, outcome). Spans and logs never carry credentials, tokens, bodies, card
 * data or ciphertext (for HTTP clients that log headers, the credential headers are marked redacted).
 */
import { Headers, HttpBody, HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import {
  Authentication,
  CallOptions,
  Configuration,
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
import { Clock, Duration, Effect, Either, type Schema } from "effect"
import * as Auth from "./Auth.js"
import * as Wire from "./Wire.js"

/** Operations the client performs; the neutral names plus `hotels.list`. */
export type Operation = "links.create" | "charges.create" | "orders.create" | "giftCards.create" | "hotels.list"

/** When and how often a failed request is tried again (see the module's description). */
export interface RetryPolicy extends Retry.RetryPolicy {}

/** 3 attempts in total, 100 ms × 2ⁿ⁻¹ full-jitter backoff, `Retry-After` waited up to 5 s. */
export const DEFAULT_RETRY: RetryPolicy = Retry.defaultPolicy

export interface ClientConfig {
  readonly baseUrl: string
  readonly credentials: Auth.Credentials
  readonly hotelId: number
  readonly merchantId: string
  /** Per attempt: from sending the request to having read the whole answer. A per-call `CallOptions` timeout wins. */
  readonly timeout: Duration.Duration
  /** Default `DEFAULT_RETRY`. */
  readonly retry?: RetryPolicy
}

/** Per-request settings for direct users of the client (the services use `CallOptions` instead). */
export interface RequestOptions {
  /** Overrides both a `CallOptions.withTimeout` and the configured timeout, per attempt. */
  readonly timeout?: Duration.DurationInput
}

/** A charge's answer: accepted (approved or pending) or the 400 that declines the card. */
export type ChargeAnswer =
  | { readonly _tag: "Accepted"; readonly response: Wire.ChargeAccepted }
  | { readonly _tag: "Rejected"; readonly response: Wire.ChargeRejected }

export interface AutocoreClient {
  /** `POST /v2/links/schedule/`. Retried only when provably not sent. */
  readonly createLink: (
    body: Wire.LinkRequest,
    options?: RequestOptions
  ) => Effect.Effect<Wire.LinkResponse, PaymentError>
  /** `POST /v2/virtual-terminal/credit-card`. Retried only when provably not sent. */
  readonly createCharge: (
    body: Wire.ChargeRequest,
    options?: RequestOptions
  ) => Effect.Effect<ChargeAnswer, PaymentError>
  /** `POST /v2/apms/cash`. Retried only when provably not sent. */
  readonly createCashOrder: (
    body: Wire.CashRequest,
    options?: RequestOptions
  ) => Effect.Effect<Wire.CashResponse, PaymentError>
  /** `POST /v1/gift-cards`. Retried only when provably not sent. */
  readonly createGiftCard: (
    body: Wire.GiftCardRequest,
    options?: RequestOptions
  ) => Effect.Effect<Wire.GiftCardResponse, PaymentError>
  /** `GET /v2/hotels`. Retried on transient failures. */
  /** One page of hotels: both `offset` and `limit` are always sent (spec §9). */
  readonly listHotels: (
    page: { readonly offset: number; readonly limit: number },
    options?: RequestOptions
  ) => Effect.Effect<Wire.HotelsPage, PaymentError>
}

const PROVIDER = "autocore"

/** Only hotel listing leaves nothing behind: it is the one operation retried after sending. */
export const isReadOnly = (operation: Operation): boolean => operation === "hotels.list"

const what: Readonly<Record<Operation, string>> = {
  "links.create": "the payment link may have been created",
  "charges.create": "the card may have been charged",
  "orders.create": "the cash payment order may have been created",
  "giftCards.create": "the gift card may have been issued",
  "hotels.list": "the request may have been processed"
}

/**
 * What to do after a create whose outcome is unknown. Autocore's API cannot look anything up
 * (spec §4–§8), so the caller waits for the webhook carrying that reference, or checks Autocore's
 * dashboard, before creating it again.
 */
export const reconcileAdvice = (operation: Operation, reference: string | undefined): string => {
  const ref = reference === undefined ? "the reference sent" : `"${reference}"`
  return `${what[operation]}: wait for Autocore's webhook for external_ref_id ${ref}, or look for that reference in Autocore's dashboard, before creating it again (Autocore's API cannot look it up)`
}

// ---- answers ----

/** What came back over HTTP, body read in full. */
export interface Answer {
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

/** An answer body's decoder (built once per schema); `Left` when it is not JSON or not that shape. */
type BodyDecoder<A> = (text: string) => Either.Either<A, void>

const bodyDecoder = <A, I>(schema: Schema.Schema<A, I>): BodyDecoder<A> => {
  const decode = FastDecode.decodeUnknownEither(schema)
  return (text) => Either.flatMap(parseJson(text), (json) => Either.mapLeft(decode(json), () => undefined))
}

const decodeErrorEnvelope = bodyDecoder(Wire.ErrorEnvelope)
const decodeChargeAccepted = bodyDecoder(Wire.ChargeAccepted)
const decodeChargeRejected = bodyDecoder(Wire.ChargeRejected)
const decodeHotelsPage = bodyDecoder(Wire.HotelsPage)

/** One call: what to send, and how to read what comes back. */
interface Call<A> {
  readonly operation: Operation
  readonly method: "GET" | "POST"
  readonly path: string
  readonly auth: "apiKey" | "token"
  readonly body?: unknown
  readonly urlParams?: Record<string, string>
  /** The create's `external_ref_id` (or `ref_number`), for the advice of an ambiguous outcome. */
  readonly reference?: string | undefined
  readonly read: (answer: Answer, nowMs: number) => Either.Either<A, PaymentError>
}

export const make = (config: ClientConfig): Effect.Effect<AutocoreClient, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    // The attempt span below is the client span of each request: the HTTP client's own span would
    // repeat it, and Autocore knows nothing of our traces (no propagation headers). A lean client
    // makes no span and logs no headers, so it needs neither that switch nor the redaction below.
    const client = yield* HttpClient.HttpClient
    const lean = LeanClient.isLean(client)
    const http = lean ? client : HttpClient.withTracerDisabledWhen(client, () => true)
    const base = config.baseUrl.replace(/\/+$/, "")
    const serverAddress = new URL(base).host
    const policy = config.retry ?? DEFAULT_RETRY

    const error = (operation: Operation, reason: Reason) =>
      new PaymentError({ provider: PROVIDER, operation, merchantId: config.merchantId, reason })

    const unknownOutcome = (operation: Operation, reference: string | undefined, detail: string) =>
      error(operation, new OutcomeUnknown({ detail, advice: reconcileAdvice(operation, reference) }))

    const fromTransport = (
      call: Call<unknown>,
      failure: Retry.TransportFailure,
      timeout: Duration.Duration
    ): PaymentError => {
      const { operation } = call
      switch (failure._tag) {
        case "InvalidUrl":
        case "Refused":
          return error(operation, new Configuration({ issues: [Retry.refusalIssue(failure)] }))
        case "NotSent":
          return error(
            operation,
            new ProviderUnavailable({ detail: `could not connect to Autocore (${failure.code}); nothing was sent` })
          )
        case "TimedOut":
          return isReadOnly(operation)
            ? error(operation, new Timeout({ afterMillis: Duration.toMillis(timeout), mayHaveTakenEffect: false }))
            : unknownOutcome(
                operation,
                call.reference,
                `no answer within ${Duration.toMillis(timeout)} ms after the request was sent`
              )
        case "Lost": {
          const detail = `the connection was lost after the request was sent${
            failure.code === undefined ? "" : ` (${failure.code})`
          }`
          return isReadOnly(operation)
            ? error(operation, new ProviderUnavailable({ detail }))
            : unknownOutcome(operation, call.reference, detail)
        }
      }
    }

    /** The documented error statuses (and anything else that is not the expected answer), as reasons. */
    const failure = (call: Call<unknown>, answer: Answer, nowMs: number): PaymentError => {
      const { operation, reference } = call
      const { status } = answer
      const create = !isReadOnly(operation)
      if (status === 429) {
        const after = Retry.retryAfterMillis(answer.retryAfter, nowMs)
        return error(operation, new RateLimited(after === undefined ? {} : { retryAfterMillis: after }))
      }
      if (status >= 500) {
        // 503: Autocore (or its front) refusing work. 500, 502 and 504 can come after Autocore acted
        // on the request (a crash mid-way, a gateway that forwarded it): ambiguous for a create.
        if (status === 503 || !create) {
          return error(operation, new ProviderUnavailable({ status, detail: `Autocore answered HTTP ${status}` }))
        }
        return unknownOutcome(operation, reference, `Autocore answered HTTP ${status}`)
      }
      if (status >= 200 && status < 300) {
        // Not the documented 200: whatever it means, the request was processed somehow.
        return create
          ? unknownOutcome(operation, reference, `Autocore answered HTTP ${status} instead of 200`)
          : error(operation, new ProtocolViolation({ status, detail: `expected 200, got ${status}` }))
      }
      const envelope = decodeErrorEnvelope(answer.text)
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
    const success = <A>(call: Call<unknown>, decode: BodyDecoder<A>, answer: Answer) =>
      Either.mapLeft(decode(answer.text), () =>
        isReadOnly(call.operation)
          ? error(
              call.operation,
              new ProtocolViolation({ status: 200, detail: "the answer does not match the contract" })
            )
          : unknownOutcome(call.operation, call.reference, "Autocore answered 200 with a body this adapter cannot read")
      )

    /** The request, credentials built now: every attempt gets a fresh `auth_token`. */
    const build = (call: Call<unknown>, now: number): HttpClientRequest.HttpClientRequest => {
      const credentials =
        call.auth === "token" ? Auth.authTokenHeaders(config.credentials, now) : Auth.apiKeyHeaders(config.credentials)
      return HttpClientRequest.make(call.method)(`${base}${call.path}`, {
        headers: { ...credentials, accept: "application/json" },
        ...(call.urlParams === undefined ? {} : { urlParams: call.urlParams }),
        ...(call.body === undefined ? {} : { body: HttpBody.text(JSON.stringify(call.body), "application/json") })
      })
    }

    /** Sends a built request and reads the whole answer. */
    const exchange = (
      request: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<Answer, HttpClientError.HttpClientError> =>
      Effect.flatMap(http.execute(request), (response) =>
        Effect.map(response.text, (text) => ({
          status: response.status,
          text,
          retryAfter: response.headers["retry-after"]
        }))
      )

    /** For HTTP clients that trace or log headers: the credentials show as <redacted>. */
    const redactingCredentials = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.locallyWith(exchange(request), Headers.currentRedactedNames, (names) => [
        ...names,
        ...Auth.credentialHeaders
      ])

    /** One HTTP exchange within `timeout`: build, send, read the whole answer. */
    const send = (call: Call<unknown>, timeout: Duration.Duration): Effect.Effect<Answer, Retry.TransportFailure> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Retry.send(client, build(call, now), lean ? exchange : redactingCredentials, Duration.toMillis(timeout))
      )

    /** One attempt as the client span of its request. */
    const attempt = <A>(
      call: Call<A>,
      timeout: Duration.Duration,
      number: number
    ): Effect.Effect<A, Retry.AttemptFailure> =>
      Retry.attempt({
        span: `autocore.${call.operation}`,
        attributes: {
          "pasarela.provider": PROVIDER,
          "pasarela.merchant": config.merchantId,
          "pasarela.operation": call.operation,
          "pasarela.attempt": number,
          "http.request.method": call.method,
          "autocore.endpoint": call.path,
          "server.address": serverAddress,
          "url.path": call.path
        },
        send: send(call, timeout),
        onFailure: (failure) => fromTransport(call, failure, timeout),
        onAnswer: call.read,
        label: `autocore ${call.operation} attempt ${number}`
      })

    /** Attempts the call until it succeeds or `Retry.decide` gives up; a final failure is logged. */
    const run = <A>(call: Call<A>, options: RequestOptions | undefined): Effect.Effect<A, PaymentError> =>
      Effect.flatMap(
        options?.timeout === undefined
          ? CallOptions.timeoutOr(config.timeout)
          : Effect.succeed(Duration.decode(options.timeout)),
        (timeout) =>
          Retry.run(
            policy,
            isReadOnly(call.operation),
            (number) => attempt(call, timeout, number),
            `autocore ${call.operation}`
          )
      ).pipe(
        Effect.tapError((e) =>
          Effect.logWarning("autocore call failed", e.reason.description).pipe(
            Effect.annotateLogs({
              "pasarela.provider": PROVIDER,
              "pasarela.operation": call.operation,
              "pasarela.merchant": config.merchantId
            })
          )
        )
      )

    const create = <A, I>(
      operation: Operation,
      path: string,
      auth: "apiKey" | "token",
      schema: Schema.Schema<A, I>
    ) => {
      const decode = bodyDecoder(schema)
      return (body: unknown, reference: string | undefined, options: RequestOptions | undefined) => {
        const call: Call<A> = {
          operation,
          method: "POST",
          path,
          auth,
          body,
          reference,
          read: (answer, now) =>
            answer.status === 200 ? success(call, decode, answer) : Either.left(failure(call, answer, now))
        }
        return run(call, options)
      }
    }

    const createLink = create("links.create", "/v2/links/schedule/", "apiKey", Wire.LinkResponse)
    const createCashOrder = create("orders.create", "/v2/apms/cash", "token", Wire.CashResponse)
    const createGiftCard = create("giftCards.create", "/v1/gift-cards", "apiKey", Wire.GiftCardResponse)

    const createCharge: AutocoreClient["createCharge"] = (body, options) => {
      const call: Call<ChargeAnswer> = {
        operation: "charges.create",
        method: "POST",
        path: "/v2/virtual-terminal/credit-card",
        auth: "token",
        body,
        reference: body.order.external_ref_id ?? body.order.ref_number,
        read: (answer, now) => {
          if (answer.status === 200) {
            return Either.map(success(call, decodeChargeAccepted, answer), (response) => ({
              _tag: "Accepted" as const,
              response
            }))
          }
          // A declined card is a 400 with `extra_info`: a result. Any other 400 is a refused request.
          const rejected = answer.status === 400 ? decodeChargeRejected(answer.text) : Either.left(undefined)
          return Either.isRight(rejected)
            ? Either.right({ _tag: "Rejected" as const, response: rejected.right })
            : Either.left(failure(call, answer, now))
        }
      }
      return run(call, options)
    }

    const listHotels: AutocoreClient["listHotels"] = (page, options) => {
      const urlParams: Record<string, string> = { offset: String(page.offset), limit: String(page.limit) }
      const call: Call<Wire.HotelsPage> = {
        operation: "hotels.list",
        method: "GET",
        path: "/v2/hotels",
        auth: "token",
        urlParams,
        read: (answer, now) =>
          answer.status === 200 ? success(call, decodeHotelsPage, answer) : Either.left(failure(call, answer, now))
      }
      return run(call, options)
    }

    return {
      createLink: (body, options) => createLink(body, body.external_ref_id, options),
      createCharge,
      createCashOrder: (body, options) =>
        createCashOrder(body, body.order.external_ref_id ?? body.order.ref_number, options),
      createGiftCard: (body, options) => createGiftCard(body, body.external_ref_id, options),
      listHotels
    } satisfies AutocoreClient
  })
