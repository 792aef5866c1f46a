/**
 * Autocore's endpoints on core's `ProviderHttp` (time limits, retries, spans, transport failures):
 * each attempt authenticated anew (a fresh `auth_token` from the `Clock`, or the API-key headers),
 * answers decoded with the `Wire` schemas, and `classify`, the pure meaning of every answer. Only
 * hotel listing is retried after the request left (`isReadOnly`); see `reconcileAdvice` for the rest.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { CallOptions, PaymentError, ProviderHttp } from "@pasarela/core"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Auth from "./Auth.js"
import * as Wire from "./Wire.js"

/** Operations the client performs; the neutral names plus `hotels.list`. */
export type Operation = "links.create" | "charges.create" | "orders.create" | "giftCards.create" | "hotels.list"

export interface ClientConfig {
  readonly baseUrl: string
  readonly credentials: Auth.Credentials
  readonly hotelId: number
  readonly merchantId: string
  /** Per attempt: from sending the request to having read the whole answer. A per-call `CallOptions` timeout wins. */
  readonly timeout: Duration.Duration
  /** Default `ProviderHttp.defaultPolicy`. */
  readonly retry?: ProviderHttp.RetryPolicy
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
  ) => Effect.Effect<Wire.LinkResponse, PaymentError.PaymentError>
  /** `POST /v2/virtual-terminal/credit-card`. Retried only when provably not sent. */
  readonly createCharge: (
    body: Wire.ChargeRequest,
    options?: RequestOptions
  ) => Effect.Effect<ChargeAnswer, PaymentError.PaymentError>
  /** `POST /v2/apms/cash`. Retried only when provably not sent. */
  readonly createCashOrder: (
    body: Wire.CashRequest,
    options?: RequestOptions
  ) => Effect.Effect<Wire.CashResponse, PaymentError.PaymentError>
  /** `POST /v1/gift-cards`. Retried only when provably not sent. */
  readonly createGiftCard: (
    body: Wire.GiftCardRequest,
    options?: RequestOptions
  ) => Effect.Effect<Wire.GiftCardResponse, PaymentError.PaymentError>
  /** `GET /v2/hotels`, one page: both `offset` and `limit` are always sent (spec §9). Retried on transient failures. */
  readonly listHotels: (
    page: { readonly offset: number; readonly limit: number },
    options?: RequestOptions
  ) => Effect.Effect<Wire.HotelsPage, PaymentError.PaymentError>
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

// ---- classification (pure) ----

const decodeErrorEnvelope = ProviderHttp.jsonDecoder(Wire.ErrorEnvelope)
const decodeChargeAccepted = ProviderHttp.jsonDecoder(Wire.ChargeAccepted)
const decodeChargeRejected = ProviderHttp.jsonDecoder(Wire.ChargeRejected)
const decodeLinkResponse = ProviderHttp.jsonDecoder(Wire.LinkResponse)
const decodeCashResponse = ProviderHttp.jsonDecoder(Wire.CashResponse)
const decodeGiftCardResponse = ProviderHttp.jsonDecoder(Wire.GiftCardResponse)
const decodeHotelsPage = ProviderHttp.jsonDecoder(Wire.HotelsPage)

/** What classifying an answer needs besides the answer. */
export interface CallFacts {
  readonly operation: Operation
  /** The create's `external_ref_id` (or `ref_number`), for the advice of an ambiguous outcome. */
  readonly reference?: string | undefined
  /** For the hint of a 403. */
  readonly hotelId: number
}

const unknownOutcome = (facts: CallFacts, detail: string) =>
  new PaymentError.OutcomeUnknown({ detail, advice: reconcileAdvice(facts.operation, facts.reference) })

/** An answer that is not the expected 200 (the documented error statuses and anything else), as a reason. */
export const failure = (facts: CallFacts, answer: ProviderHttp.Answer, nowMs: number): PaymentError.Reason => {
  const { operation } = facts
  const { status } = answer
  const create = !isReadOnly(operation)
  if (status === 429) {
    const after = ProviderHttp.retryAfterMillis(answer.headers["retry-after"], nowMs)
    return new PaymentError.RateLimited(after === undefined ? {} : { retryAfterMillis: after })
  }
  if (status >= 500) {
    // 503: Autocore (or its front) refusing work. 500, 502 and 504 can come after Autocore acted
    // on the request (a crash mid-way, a gateway that forwarded it): ambiguous for a create.
    if (status === 503 || !create)
      return new PaymentError.ProviderUnavailable({ status, detail: `Autocore answered HTTP ${status}` })
    return unknownOutcome(facts, `Autocore answered HTTP ${status}`)
  }
  if (status >= 200 && status < 300) {
    // Not the documented 200: whatever it means, the request was processed somehow.
    return create
      ? unknownOutcome(facts, `Autocore answered HTTP ${status} instead of 200`)
      : new PaymentError.ProtocolViolation({ status, detail: `expected 200, got ${status}` })
  }
  const envelope = decodeErrorEnvelope(answer.body)
  if (Either.isLeft(envelope) || ![400, 401, 403, 404].includes(status)) {
    return new PaymentError.ProtocolViolation({
      status,
      detail: Either.isLeft(envelope) ? "the error answer is not Autocore's envelope" : "undocumented status"
    })
  }
  const code = String(envelope.right.code)
  const detail = envelope.right.detail ?? envelope.right.message
  switch (status) {
    case 400:
      return new PaymentError.InvalidRequest({
        issues: [new PaymentError.FieldIssue({ path: "", message: `Autocore refused the request: ${detail}` })]
      })
    case 401:
      return new PaymentError.Authentication({
        code,
        detail,
        hint: "check the access key and secret key; auth tokens live 30 seconds, so also check this server's clock"
      })
    case 403:
      return new PaymentError.Authentication({
        code,
        detail,
        hint:
          operation === "giftCards.create"
            ? "these API keys may not create gift cards"
            : `hotel ${facts.hotelId} does not belong to this Autocore account: check hotelId (see AutocoreHotels.list)`
      })
    default:
      return new PaymentError.NotFound({ detail })
  }
}

/**
 * An answer as the result `decode` reads from a 200, or the reason it is not: an unreadable 200
 * to a create means Autocore processed it somehow (OutcomeUnknown); to a query, a broken contract.
 */
export const classify = <A>(
  facts: CallFacts,
  decode: ProviderHttp.BodyDecoder<A>,
  answer: ProviderHttp.Answer,
  nowMs: number
): Either.Either<A, PaymentError.Reason> => {
  if (answer.status !== 200) return Either.left(failure(facts, answer, nowMs))
  return Either.mapLeft(decode(answer.body), () =>
    isReadOnly(facts.operation)
      ? new PaymentError.ProtocolViolation({ status: 200, detail: "the answer does not match the contract" })
      : unknownOutcome(facts, "Autocore answered 200 with a body this adapter cannot read")
  )
}

/** A charge's answer: accepted (200), declined (a 400 with `extra_info`: a result), or a reason. */
export const classifyCharge = (
  facts: CallFacts,
  answer: ProviderHttp.Answer,
  nowMs: number
): Either.Either<ChargeAnswer, PaymentError.Reason> => {
  if (answer.status === 400) {
    const rejected = decodeChargeRejected(answer.body)
    if (Either.isRight(rejected)) return Either.right({ _tag: "Rejected", response: rejected.right })
  }
  return Either.map(classify(facts, decodeChargeAccepted, answer, nowMs), (response) => ({
    _tag: "Accepted" as const,
    response
  }))
}

// ---- client ----

/** Operations authenticated with a fresh `auth_token`; the others with the API-key headers. */
const tokenOperations: ReadonlySet<string> = new Set(["charges.create", "orders.create", "hotels.list"])

export const make = (config: ClientConfig): Effect.Effect<AutocoreClient, never, HttpClient.HttpClient> =>
  Effect.map(
    ProviderHttp.make({
      provider: PROVIDER,
      displayName: "Autocore",
      baseUrl: config.baseUrl,
      timeout: config.timeout,
      retry: config.retry,
      merchantId: config.merchantId,
      authenticate: (operation) =>
        tokenOperations.has(operation)
          ? Effect.map(Clock.currentTimeMillis, (now) => ({ headers: Auth.authTokenHeaders(config.credentials, now) }))
          : Effect.succeed({ headers: Auth.apiKeyHeaders(config.credentials) }),
      credentialHeaders: Auth.credentialHeaders
    }),
    (http) => {
      const withOptions = <A>(
        effect: Effect.Effect<A, PaymentError.PaymentError>,
        options: RequestOptions | undefined
      ) => (options?.timeout === undefined ? effect : effect.pipe(CallOptions.withTimeout(options.timeout)))

      const post = <A>(
        operation: Operation,
        path: string,
        body: Readonly<Record<string, unknown>>,
        reference: string | undefined,
        classifyAnswer: (
          facts: CallFacts,
          answer: ProviderHttp.Answer,
          nowMs: number
        ) => Either.Either<A, PaymentError.Reason>,
        options: RequestOptions | undefined
      ) => {
        const facts: CallFacts = { operation, reference, hotelId: config.hotelId }
        return withOptions(
          http.send({
            operation,
            method: "POST",
            path,
            body,
            readOnly: false,
            advice: reconcileAdvice(operation, reference),
            classify: (answer, now) => classifyAnswer(facts, answer, now)
          }),
          options
        )
      }

      const reading =
        <A>(decode: ProviderHttp.BodyDecoder<A>) =>
        (facts: CallFacts, answer: ProviderHttp.Answer, nowMs: number) =>
          classify(facts, decode, answer, nowMs)

      const orderReference = (order: { readonly external_ref_id?: string | undefined; readonly ref_number: string }) =>
        order.external_ref_id ?? order.ref_number

      return {
        createLink: (body, options) =>
          post("links.create", "/v2/links/schedule/", body, body.external_ref_id, reading(decodeLinkResponse), options),
        createCharge: (body, options) =>
          post(
            "charges.create",
            "/v2/virtual-terminal/credit-card",
            body,
            orderReference(body.order),
            classifyCharge,
            options
          ),
        createCashOrder: (body, options) =>
          post(
            "orders.create",
            "/v2/apms/cash",
            body,
            orderReference(body.order),
            reading(decodeCashResponse),
            options
          ),
        createGiftCard: (body, options) =>
          post(
            "giftCards.create",
            "/v1/gift-cards",
            body,
            body.external_ref_id,
            reading(decodeGiftCardResponse),
            options
          ),
        listHotels: (page, options) => {
          const facts: CallFacts = { operation: "hotels.list", hotelId: config.hotelId }
          return withOptions(
            http.send({
              operation: "hotels.list",
              method: "GET",
              path: "/v2/hotels",
              // Both are always sent (spec §9).
              urlParams: { offset: String(page.offset), limit: String(page.limit) },
              readOnly: true,
              advice: reconcileAdvice("hotels.list", undefined),
              classify: (answer, now) => classify(facts, decodeHotelsPage, answer, now)
            }),
            options
          )
        }
      } satisfies AutocoreClient
    }
  )
