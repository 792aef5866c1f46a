/**
 * PlacetoPay's endpoints on core's `ProviderHttp`: JSON POSTs with a fresh `auth` object (nonce,
 * seed, tranKey) for every attempt, answers decoded with the Wire schemas, and `classify`, the pure
 * meaning of every answer. Time limits, retries, spans and transport failures are `ProviderHttp`'s,
 * the same as every adapter's. Only `links.get` reads: it is retried on transient failures; a
 * create or a disable only when the request provably never left.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { PaymentError, ProviderHttp } from "@pasarela/core"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Auth from "./Auth.js"
import { invalidFrom422, PROVIDER } from "./Mapping.js"
import * as Wire from "./Wire.js"

export type Operation = "links.create" | "links.get" | "links.disable"

export interface ClientConfig {
  readonly credentials: Auth.Credentials
  /** Validated base URL without a trailing slash (`https://sites-test.placetopay.com`). */
  readonly baseUrl: string
  /** Per attempt: from sending the request to having read the whole answer. A per-call `CallOptions` timeout wins. */
  readonly timeout: Duration.Duration
  /** Default `ProviderHttp.defaultPolicy`. */
  readonly retry?: ProviderHttp.RetryPolicy
  /** The merchant this site serves, for errors and spans. */
  readonly merchantId?: string | undefined
}

/** Per-call facts for spans and errors. */
export interface CallContext {
  /** The merchant the call is for, when it differs from the site's. */
  readonly merchantId?: string | undefined
}

export interface PlacetoPayClient {
  /** `POST /api/payment-link`. Retried only when provably not sent. */
  readonly create: (
    request: Wire.CreateLinkRequest,
    context?: CallContext
  ) => Effect.Effect<Wire.CreatedLink, PaymentError.PaymentError>
  /** `POST /api/payment-link/{id}`. Retried on transient failures. */
  readonly query: (id: number, context?: CallContext) => Effect.Effect<Wire.QueriedLink, PaymentError.PaymentError>
  /** `POST /api/payment-link/disable/{id}`. Retried only when provably not sent. */
  readonly disable: (id: number, context?: CallContext) => Effect.Effect<Wire.DisabledLink, PaymentError.PaymentError>
}

// ---- classification (pure) ----

/**
 * What to do after a create whose outcome is unknown. PlacetoPay's API cannot look links up by
 * reference (spec §3), so only a person at the site's panel can tell.
 */
export const createAdvice = (reference?: string): string =>
  `the link may exist: check the PlacetoPay site's panel for reference ${
    reference === undefined ? "(the one sent)" : `"${reference}"`
  } before creating it again (the API cannot search by reference; a duplicate reference may be refused)`
export const DISABLE_ADVICE = "get the link to see whether it is disabled before trying again"

const adviceFor = (operation: Operation, reference: string | undefined): string =>
  operation === "links.create" ? createAdvice(reference) : DISABLE_ADVICE

/** `"Authentication failed 102"` and `"102 (Authentication Failed)"` both → `"102"`. */
export const authenticationCode = (message: string): string | undefined => /\b(1\d\d)\b/.exec(message)?.[1]

export const authenticationHints: Readonly<Record<string, string>> = {
  "100": "the auth object was missing or malformed",
  "101": "credentials of another environment? (the login is unknown here; test and production sites differ)",
  "102": "check the secretKey and the site's tranKey algorithm (sha256 or sha1)",
  "103": "check the server clock (seed more than 5 minutes off)",
  "104": "the site is inactive",
  "105": "the site has expired",
  "106": "the site's credentials have expired"
}

const decodeErrorEnvelope = ProviderHttp.jsonDecoder(Wire.ErrorEnvelope)
const decodeValidationEnvelope = ProviderHttp.jsonDecoder(Wire.ValidationEnvelope)

/** The answers of the three calls. */
export const decodeCreated = ProviderHttp.jsonDecoder(Wire.CreatedLink)
export const decodeQueried = ProviderHttp.jsonDecoder(Wire.QueriedLink)
export const decodeDisabled = ProviderHttp.jsonDecoder(Wire.DisabledLink)

const envelopeMessage = (body: string): string | undefined =>
  Either.getOrUndefined(Either.map(decodeErrorEnvelope(body), (e) => e.status.message))

/**
 * Classifies an answer: decoded success, or the reason its status means for `operation`. A 2xx to
 * a create or a disable that cannot be read means PlacetoPay (probably) acted on it:
 * OutcomeUnknown, so a caller never fails over and creates a second link. `reference` (of a
 * create) goes into the advice.
 */
export const classify = <A>(
  operation: Operation,
  decode: ProviderHttp.BodyDecoder<A>,
  answer: ProviderHttp.Answer,
  nowMs: number,
  reference?: string
): Either.Either<A, PaymentError.Reason> => {
  const { body, status } = answer
  const unknown = (detail: string) =>
    new PaymentError.OutcomeUnknown({ detail, advice: adviceFor(operation, reference) })
  if (status >= 200 && status < 300) {
    return Either.mapLeft(decode(body), (detail) =>
      operation === "links.get"
        ? new PaymentError.ProtocolViolation({ status, detail })
        : unknown(`PlacetoPay answered HTTP ${status} with a body that breaks its contract (${detail})`)
    )
  }
  switch (status) {
    case 401: {
      const message = envelopeMessage(body)
      const code = message === undefined ? undefined : authenticationCode(message)
      const hint =
        code === undefined
          ? operation === "links.create"
            ? undefined
            : "the link may belong to another site"
          : authenticationHints[code]
      return Either.left(
        new PaymentError.Authentication({
          ...(code === undefined ? {} : { code }),
          detail: message ?? "PlacetoPay refused the credentials (HTTP 401)",
          ...(hint === undefined ? {} : { hint })
        })
      )
    }
    case 404:
      return Either.left(
        new PaymentError.NotFound({
          detail:
            operation === "links.create"
              ? "PlacetoPay has no payment-links API at this base URL"
              : (envelopeMessage(body) ?? "no such payment link")
        })
      )
    case 422: {
      const decoded = decodeValidationEnvelope(body)
      return Either.left(
        Either.isRight(decoded)
          ? invalidFrom422(decoded.right.errors)
          : new PaymentError.InvalidRequest({
              issues: [
                new PaymentError.FieldIssue({
                  path: "",
                  message: envelopeMessage(body) ?? "PlacetoPay refused the request"
                })
              ]
            })
      )
    }
    case 400:
      return Either.left(
        operation === "links.disable"
          ? new PaymentError.Conflict({
              detail: `the link is already disabled or expired (${envelopeMessage(body) ?? "HTTP 400"})`
            })
          : new PaymentError.ProtocolViolation({ status, detail: envelopeMessage(body) ?? "HTTP 400 Bad Request" })
      )
    case 429: {
      const after = ProviderHttp.retryAfterMillis(answer.headers["retry-after"], nowMs)
      return Either.left(new PaymentError.RateLimited(after === undefined ? {} : { retryAfterMillis: after }))
    }
    case 503:
      return Either.left(new PaymentError.ProviderUnavailable({ status, detail: "PlacetoPay is unavailable" }))
    case 502:
    case 504:
      // A gateway that already forwarded the request may answer 502/504 after PlacetoPay acted on it:
      // harmless for a query, ambiguous for a create or disable (never fail over on those).
      return Either.left(
        operation === "links.get"
          ? new PaymentError.ProviderUnavailable({ status, detail: "a gateway in front of PlacetoPay failed" })
          : unknown(`a gateway in front of PlacetoPay answered HTTP ${status} after the request was sent`)
      )
  }
  if (status >= 500) {
    // A 500 can come after the work was done: only a query is known to have changed nothing.
    return Either.left(
      operation === "links.get"
        ? new PaymentError.ProviderUnavailable({ status, detail: "PlacetoPay failed to answer the query" })
        : unknown(`PlacetoPay failed with HTTP ${status} while processing the request`)
    )
  }
  return Either.left(
    new PaymentError.ProtocolViolation({ status, detail: "an HTTP status the contract does not list" })
  )
}

// ---- client ----

/** Only `links.get` changes nothing: it is the one operation retried after the request was sent. */
export const isReadOnly = (operation: Operation): boolean => operation === "links.get"

export const make = (config: ClientConfig): Effect.Effect<PlacetoPayClient, never, HttpClient.HttpClient> =>
  Effect.map(
    ProviderHttp.make({
      provider: PROVIDER,
      displayName: "PlacetoPay",
      baseUrl: config.baseUrl,
      timeout: config.timeout,
      retry: config.retry,
      merchantId: config.merchantId,
      // A new nonce and seed for every attempt: PlacetoPay refuses a nonce it has seen.
      authenticate: () => Effect.map(Auth.make(config.credentials), (auth) => ({ body: { auth } }))
    }),
    (http) => {
      const post = <A>(
        operation: Operation,
        path: string,
        decode: ProviderHttp.BodyDecoder<A>,
        body: Readonly<Record<string, unknown>>,
        context: CallContext | undefined,
        reference?: string
      ) =>
        http.send({
          operation,
          method: "POST",
          path,
          body,
          readOnly: isReadOnly(operation),
          advice: adviceFor(operation, reference),
          merchantId: context?.merchantId,
          classify: (answer, now) => classify(operation, decode, answer, now, reference)
        })
      return {
        create: (request, context) =>
          post("links.create", "/api/payment-link", decodeCreated, request, context, request.reference),
        query: (id, context) => post("links.get", `/api/payment-link/${id}`, decodeQueried, {}, context),
        disable: (id, context) => post("links.disable", `/api/payment-link/disable/${id}`, decodeDisabled, {}, context)
      }
    }
  )

/** Configuration problems as the error `layer` fails with. */
export const configurationError = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  PaymentError.configurationError(PROVIDER, issues)
