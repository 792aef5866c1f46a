/**
 * Autocore's notifications (spec §10–§11). Autocore does not sign webhooks, so ([decision]) the
 * adapter appends a token to every `temp_webhook_url` it sends. The token is made per operation:
 * base64url HMAC-SHA256, keyed with the merchant's webhook secret, over the merchant, the kind of
 * operation (link, charge, order, gift card), its reference and currency, a random nonce and an
 * expiry — all but the merchant and reference travel in the URL beside it. A notification is
 * accepted only when the token verifies, in constant time, for this merchant and the payload's
 * reference, and has not expired. What the token vouches for is that this notification is about
 * the operation Pasarela created, nothing more: Autocore signs neither the status nor the amount,
 * so events say so (`authenticated`). Autocore re-delivers every 30 minutes until it gets exactly
 * 200, so events carry a dedupe key stable across re-deliveries.
 */
import {
  ConstantTime,
  jsonReply,
  Money,
  PaymentError,
  type PaymentEvent,
  type Provider,
  type RawNotification,
  Validation,
  type WebhooksService,
  Webhooks as WebhooksTag
} from "@pasarela/core"
import Base64url from "crypto-js/enc-base64url.js"
import HmacSHA256 from "crypto-js/hmac-sha256.js"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Wire from "./Wire.js"

/** Query parameters the adapter adds. Namespaced so they cannot clash with the integrator's own. */
export const TOKEN_PARAM = "pasarela_token"
export const KIND_PARAM = "pasarela_kind"
export const CURRENCY_PARAM = "pasarela_currency"
export const NONCE_PARAM = "pasarela_nonce"
/** Unix seconds after which the token is refused. */
export const EXPIRES_PARAM = "pasarela_expires"

/** What an Autocore operation can be: the token names one. */
export type OperationKind = "link" | "charge" | "order" | "giftCard"
const operationKinds: ReadonlyArray<OperationKind> = ["link", "charge", "order", "giftCard"]

/** Everything a token vouches for. */
export interface TokenClaims {
  readonly merchantId: string
  readonly kind: OperationKind
  readonly reference: string
  /** The operation's currency: Autocore's notifications carry none. */
  readonly currency: Money.Currency
  /** Random, base64url: two operations never share a token, even with the same reference. */
  readonly nonce: string
  /** Unix seconds. */
  readonly expiresAt: number
}

/** Domain separation: a token can never be mistaken for any other HMAC made with the same secret. */
const TOKEN_DOMAIN = "pasarela/autocore/webhook-token/v2"

/** base64url(HMAC-SHA256(secret, JSON array of the claims)). A JSON array, so no claim bleeds into the next. */
export const webhookToken = (claims: TokenClaims, secret: Redacted.Redacted<string>): string =>
  Base64url.stringify(
    HmacSHA256(
      JSON.stringify([
        TOKEN_DOMAIN,
        claims.merchantId,
        claims.kind,
        claims.reference,
        claims.currency,
        claims.nonce,
        claims.expiresAt
      ]),
      Redacted.value(secret)
    )
  )

/** `url` with the token and the claims it does not get from the payload set in its query. */
export const signWebhookUrl = (url: string, claims: TokenClaims, secret: Redacted.Redacted<string>): string => {
  const signed = new URL(url)
  signed.searchParams.set(KIND_PARAM, claims.kind)
  signed.searchParams.set(CURRENCY_PARAM, claims.currency)
  signed.searchParams.set(NONCE_PARAM, claims.nonce)
  signed.searchParams.set(EXPIRES_PARAM, String(claims.expiresAt))
  signed.searchParams.set(TOKEN_PARAM, webhookToken(claims, secret))
  return signed.toString()
}

/** A fresh nonce: 16 bytes from the platform's CSPRNG, base64url. */
export const makeNonce: Effect.Effect<string> = Effect.sync(() => {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16))
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
})

/** The claims a URL carries (all but merchant and reference), and its token. */
export interface SignedUrl {
  readonly kind: OperationKind
  readonly currency: Money.Currency
  readonly nonce: string
  readonly expiresAt: number
  readonly token: string
}

/** Reads a request URL (absolute, or path and query as servers see it). */
const parseUrl = (url: string): URL | undefined => {
  try {
    return new URL(url, "http://webhook.invalid")
  } catch {
    return undefined
  }
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/
const SECONDS = /^[1-9][0-9]{0,11}$/

/** The token and its claims from a notification URL, or why they are missing or malformed. */
export const readWebhookUrl = (url: string): Either.Either<SignedUrl, string> => {
  const params = parseUrl(url)?.searchParams
  const token = params?.get(TOKEN_PARAM)
  if (params === undefined || token === null || token === undefined || token === "") {
    return Either.left("no token in the URL")
  }
  const kind = operationKinds.find((k) => k === params.get(KIND_PARAM))
  const currency = params.get(CURRENCY_PARAM) ?? ""
  const nonce = params.get(NONCE_PARAM) ?? ""
  const expires = params.get(EXPIRES_PARAM) ?? ""
  if (kind === undefined || !Money.isCurrency(currency) || !NONCE.test(nonce) || !SECONDS.test(expires)) {
    return Either.left("the URL's token is incomplete (made by an older version, or edited)")
  }
  return Either.right({ kind, currency, nonce, expiresAt: Number(expires), token })
}

/** Constant-time check of a token against the claims it should have been made for. */
export const verifyToken = (token: string, claims: TokenClaims, secret: Redacted.Redacted<string>): boolean =>
  ConstantTime.equals(token, webhookToken(claims, secret))

/** True when `url` carries a complete token that verifies for this merchant and reference (expiry aside). */
export const verifyWebhookUrl = (
  url: string,
  merchantId: string,
  reference: string,
  secret: Redacted.Redacted<string>
): boolean =>
  Either.match(readWebhookUrl(url), {
    onLeft: () => false,
    onRight: ({ token, ...claims }) => verifyToken(token, { ...claims, merchantId, reference }, secret)
  })

// ---------------------------------------------------------------------------------------------
// Status vocabulary (§11)

/** Lower case, accents removed, spaces collapsed: `Tarjeta no válida` → `tarjeta no valida`. */
export const normalizeLabel = (label: string): string =>
  label.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim().replace(/\s+/g, " ")

const byStatusCode: Readonly<Record<string, PaymentEvent.EventType>> = {
  applied: "payment.approved",
  in_process: "payment.pending",
  rejected: "payment.declined",
  invalid_card: "payment.declined",
  total_refound: "refund.completed",
  partial_refound: "refund.partial",
  rejected_refound: "refund.failed",
  pending_refound: "refund.pending"
}

const byLabel: Readonly<Record<string, PaymentEvent.EventType>> = {
  aplicado: "payment.approved",
  "en proceso": "payment.pending",
  pendiente: "payment.pending",
  rechazado: "payment.declined",
  "tarjeta no valida": "payment.declined"
}

/**
 * The neutral event type of a payload: `details.status_code` when present (authoritative, even when
 * unknown), else the `payment_status` label. Anything unknown is `unknown`, never a guess.
 */
export const eventTypeOf = (payload: Wire.WebhookPayload): PaymentEvent.EventType => {
  const code = payload.details?.status_code
  if (code !== undefined) return byStatusCode[normalizeLabel(code)] ?? "unknown"
  return byLabel[normalizeLabel(payload.payment_status)] ?? "unknown"
}

const isInvalidCard = (payload: Wire.WebhookPayload): boolean =>
  payload.details?.status_code !== undefined
    ? normalizeLabel(payload.details.status_code) === "invalid_card"
    : normalizeLabel(payload.payment_status) === "tarjeta no valida"

// ---------------------------------------------------------------------------------------------
// Payload → PaymentEvent (pure)

export interface WebhookSettings {
  readonly merchantId: string
  readonly webhookSecret: Redacted.Redacted<string>
  /** Zone Autocore's zoneless timestamps are read in, an IANA name (`America/Bogota`). */
  readonly timeZone: string
  /**
   * How long after an operation its notification URL is accepted (Autocore re-delivers every 30
   * minutes until answered 200); for a link, counted from the link's expiry.
   */
  readonly webhookTokenLifetime: Duration.Duration
}

/** Autocore's `details.type` → the kind it names. */
const kindOfType: Readonly<Record<string, OperationKind>> = {
  link: "link",
  charge: "charge",
  cash: "order",
  gift_card: "giftCard"
}

const present = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim() === "" ? undefined : value

/** Autocore writes `"N/A"` as the transaction id of rejected payments. */
const transactionIdOf = (payload: Wire.WebhookPayload): string | undefined => {
  const id = present(payload.details?.transaction_id) ?? present(payload.transaction_id)
  return id === undefined || id.toUpperCase() === "N/A" ? undefined : id
}

/** The reference the token was made for: `details.external_ref_id`, else the top-level one. */
export const referenceOf = (payload: Wire.WebhookPayload): Either.Either<string, string> => {
  const inDetails = present(payload.details?.external_ref_id)
  const top = present(payload.external_ref_id)
  if (inDetails !== undefined && top !== undefined && inDetails !== top) {
    return Either.left("external_ref_id differs between the payload and its details")
  }
  const reference = inDetails ?? top
  return reference === undefined
    ? Either.left("no external_ref_id to verify the token against")
    : Either.right(reference)
}

/** What the URL token vouches for: the operation (its kind and reference), not what the payload says of it. */
export const authenticatedFields: ReadonlyArray<PaymentEvent.AuthenticatedField> = ["subject.kind", "reference"]

/**
 * Maps a decoded payload whose token verified to a `PaymentEvent`. The operation's kind and
 * currency come from the token's claims (Autocore's payload carries no currency, and its
 * `details.type` may name the payment rather than the operation it paid).
 */
export const toEvent = (
  payload: Wire.WebhookPayload,
  raw: unknown,
  claims: TokenClaims,
  settings: WebhookSettings
): Either.Either<PaymentEvent.PaymentEvent, string> => {
  const details = payload.details
  const kind = claims.kind
  const when = present(details?.transaction_date) ?? present(payload.payment_date)
  const occurredAt = when === undefined ? undefined : Wire.parseTimestamp(when, settings.timeZone)
  if (occurredAt === undefined) return Either.left("no readable payment or transaction date")
  const amount = Money.fromString(payload.amount, claims.currency)
  if (Either.isLeft(amount)) return Either.left(`amount: ${amount.left.message}`)
  const type = eventTypeOf(payload)
  const statusCode = details?.status_code
  const providerStatus = statusCode ?? payload.payment_status
  const transactionId = transactionIdOf(payload)
  // Charges and orders are known by their transaction id (what Charge.id / PaymentOrder.id hold);
  // links and gift cards by Autocore's code for them, when the payload is about that very thing.
  const aboutTheOperation = details !== undefined && details !== null && kindOfType[details.type] === kind
  const ownId = (aboutTheOperation ? present(details.id) : undefined) ?? claims.reference
  const subjectId = (kind === "charge" || kind === "order") && transactionId !== undefined ? transactionId : ownId
  // Rejections have no transaction id; their date tells two attempts apart, and a re-delivery repeats it.
  const attempt = transactionId ?? `na@${when}`
  const status =
    statusCode === undefined ? `label:${normalizeLabel(payload.payment_status)}` : normalizeLabel(statusCode)
  const dedupeKey = `autocore:${settings.merchantId}:${kind}:${ownId}:${attempt}:${status}`
  const comments = present(details?.comments) ?? present(details?.status_detail)
  const detail =
    type === "payment.declined"
      ? (comments ?? (isInvalidCard(payload) ? "invalid card" : undefined))
      : type === "refund.failed"
        ? comments
        : undefined
  return Either.right({
    provider: "autocore",
    merchantId: settings.merchantId,
    type,
    subject: { kind, id: subjectId },
    reference: claims.reference,
    amount: amount.right,
    providerStatus,
    ...(detail === undefined ? {} : { detail }),
    occurredAt,
    dedupeKey,
    verified: true,
    authenticated: authenticatedFields,
    raw
  })
}

// ---------------------------------------------------------------------------------------------
// The service

const decodePayload = Schema.decodeUnknownEither(Wire.WebhookPayload, { errors: "all" })

/** Paths of the fields that did not decode: never their values, which are the sender's data. */
const describeDecodeError = (error: ParseResult.ParseError): string =>
  Validation.issuesOf(error)
    .map((issue) => (issue.path === "" ? "body" : issue.path))
    .join(", ")

/**
 * Verifies a raw notification: the token needs the reference, so the body is parsed and decoded,
 * then the token is checked (and its expiry) before anything is mapped. Every doubt is
 * `WebhookRejected`.
 */
export const verify =
  (provider: Provider.ProviderInfo, settings: WebhookSettings) =>
  (notification: RawNotification): Effect.Effect<PaymentEvent.PaymentEvent, PaymentError.PaymentError> => {
    const reject = (detail: string) =>
      Effect.fail(
        new PaymentError.PaymentError({
          provider: provider.name,
          operation: "webhooks.verify",
          merchantId: settings.merchantId,
          reason: new PaymentError.WebhookRejected({ detail })
        })
      ).pipe(Effect.tapError(() => Effect.logWarning("autocore notification rejected", detail)))
    if (notification.merchantId !== undefined && notification.merchantId !== settings.merchantId) {
      return reject("notification is for another merchant")
    }
    const signedUrl = readWebhookUrl(notification.url)
    if (Either.isLeft(signedUrl)) return reject(signedUrl.left)
    let json: unknown
    try {
      json = JSON.parse(notification.body)
    } catch {
      return reject("body is not JSON")
    }
    const decoded = decodePayload(json)
    if (Either.isLeft(decoded)) return reject(`not an Autocore notification (${describeDecodeError(decoded.left)})`)
    const payload = decoded.right
    const reference = referenceOf(payload)
    if (Either.isLeft(reference)) return reject(reference.left)
    const { token, ...fromUrl } = signedUrl.right
    const claims: TokenClaims = { ...fromUrl, merchantId: settings.merchantId, reference: reference.right }
    if (!verifyToken(token, claims, settings.webhookSecret)) {
      return reject("token does not verify for this merchant and reference")
    }
    return Effect.flatMap(Clock.currentTimeMillis, (now) =>
      now > claims.expiresAt * 1000
        ? reject("token expired: the operation is older than webhookTokenLifetime allows")
        : Either.match(toEvent(payload, json, claims, settings), {
            onLeft: reject,
            onRight: (event) => Effect.succeed(event)
          })
    )
  }

/** When a token made `now` for an operation that lasts until `until` (if known) stops being accepted. */
export const tokenExpiry = (now: Date, until: Date | undefined, lifetime: Duration.Duration): number =>
  Math.ceil((Math.max(now.getTime(), until?.getTime() ?? 0) + Duration.toMillis(lifetime)) / 1000)

/** Autocore stops re-delivering only on exactly 200; a rejected notification gets 401. */
export const replies: WebhooksService["replies"] = {
  accepted: jsonReply(200, { ok: true }),
  rejected: jsonReply(401, { ok: false })
}

/** The `Webhooks` service for one merchant. */
export const make = (provider: Provider.ProviderInfo, settings: WebhookSettings): WebhooksService =>
  WebhooksTag.make(provider, { verify: verify(provider, settings), replies })
