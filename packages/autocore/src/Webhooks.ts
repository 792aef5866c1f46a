/**
 * Autocore's notifications (spec §10–§11). Autocore does not sign webhooks, so ([decision]) the
 * adapter appends a token to every `temp_webhook_url` it sends: base64url HMAC-SHA256 keyed with the
 * merchant's webhook secret over `${merchantId}:${reference}`. A notification is accepted only when
 * the token in its URL verifies, in constant time, for this merchant and the payload's reference.
 * Autocore re-delivers every 30 minutes until it gets exactly 200, so events carry a dedupe key
 * stable across re-deliveries.
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import {
  FastDecode,
  jsonReply,
  Money,
  PaymentError,
  type PaymentEvent,
  type Provider,
  type RawNotification,
  Validation,
  WebhookRejected,
  type WebhooksService,
  Webhooks as WebhooksTag
} from "@pasarela/core"
import { Effect, Either, type ParseResult, Redacted } from "effect"
import * as Wire from "./Wire.js"

/** Query parameter carrying the token. Namespaced so it cannot clash with the integrator's own. */
export const TOKEN_PARAM = "pasarela_token"

/**
 * Query parameter naming what the URL was created for (`link`, `charge`, `order`, `giftCard`).
 * Older payloads have no `details.type`; this says what they are about without guessing. It is not
 * covered by the token: whoever holds the tokenised URL can already post any body to it.
 */
export const KIND_PARAM = "pasarela_kind"

export type SubjectKind = PaymentEvent.Subject["kind"]
const subjectKinds: ReadonlyArray<SubjectKind> = ["link", "charge", "order", "giftCard", "session"]

/** base64url(HMAC-SHA256(secret, `${merchantId}:${reference}`)). */
export const webhookToken = (merchantId: string, reference: string, secret: Redacted.Redacted<string>): string =>
  createHmac("sha256", Redacted.value(secret)).update(`${merchantId}:${reference}`, "utf8").digest("base64url")

/** `url` with the token (and, when given, the subject kind) set in its query. */
export const signWebhookUrl = (
  url: string,
  merchantId: string,
  reference: string,
  secret: Redacted.Redacted<string>,
  kind?: SubjectKind
): string => {
  const signed = new URL(url)
  if (kind !== undefined) signed.searchParams.set(KIND_PARAM, kind)
  signed.searchParams.set(TOKEN_PARAM, webhookToken(merchantId, reference, secret))
  return signed.toString()
}

/** Constant-time check of a token. The expected length is public (an HMAC's), so only equal lengths are compared. */
export const verifyToken = (
  token: string,
  merchantId: string,
  reference: string,
  secret: Redacted.Redacted<string>
): boolean => {
  const expected = Buffer.from(webhookToken(merchantId, reference, secret), "utf8")
  const given = Buffer.from(token, "utf8")
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Reads a request URL (absolute, or path and query as servers see it). */
const parseUrl = (url: string): URL | undefined => {
  try {
    return new URL(url, "http://webhook.invalid")
  } catch {
    return undefined
  }
}

/** True when `url` carries a token that verifies for this merchant and reference. */
export const verifyWebhookUrl = (
  url: string,
  merchantId: string,
  reference: string,
  secret: Redacted.Redacted<string>
): boolean => {
  const token = parseUrl(url)?.searchParams.get(TOKEN_PARAM)
  return token !== null && token !== undefined && verifyToken(token, merchantId, reference, secret)
}

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
  /** Autocore's notifications carry no currency: amounts are read in this one. */
  readonly currency: Money.Currency
  /** Zone Autocore's zoneless timestamps are read in, minutes from UTC (-300 for Colombia). */
  readonly timeZoneOffsetMinutes: number
}

const kindOfType: Readonly<Record<string, SubjectKind>> = {
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

/**
 * Maps a decoded, already verified payload to a `PaymentEvent`. `kindHint` is the kind the URL was
 * created for, used when the payload does not say (older payloads without `details`).
 */
export const toEvent = (
  payload: Wire.WebhookPayload,
  raw: unknown,
  reference: string,
  kindHint: SubjectKind | undefined,
  settings: WebhookSettings
): Either.Either<PaymentEvent.PaymentEvent, string> => {
  const details = payload.details
  const kind = (details === undefined || details === null ? undefined : kindOfType[details.type]) ?? kindHint
  if (kind === undefined) return Either.left("cannot tell what the notification is about (no details.type)")
  const when = present(details?.transaction_date) ?? present(payload.payment_date)
  const occurredAt = when === undefined ? undefined : Wire.parseTimestamp(when, settings.timeZoneOffsetMinutes)
  if (occurredAt === undefined) return Either.left("no readable payment or transaction date")
  const amount = Money.fromString(payload.amount, settings.currency)
  if (Either.isLeft(amount)) return Either.left(`amount: ${amount.left.message}`)
  const type = eventTypeOf(payload)
  const statusCode = details?.status_code
  const providerStatus = statusCode ?? payload.payment_status
  const transactionId = transactionIdOf(payload)
  // Charges and orders are known by their transaction id (what Charge.id / PaymentOrder.id hold);
  // links and gift cards by Autocore's code for them.
  const ownId = present(details?.id) ?? reference
  const subjectId = (kind === "charge" || kind === "order") && transactionId !== undefined ? transactionId : ownId
  // Rejections have no transaction id; their date tells two attempts apart, and a re-delivery repeats it.
  const attempt = transactionId ?? `na@${when}`
  const status =
    statusCode === undefined ? `label:${normalizeLabel(payload.payment_status)}` : normalizeLabel(statusCode)
  const dedupeKey = `autocore:${settings.merchantId}:${details?.type ?? kind}:${ownId}:${attempt}:${status}`
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
    reference,
    amount: amount.right,
    providerStatus,
    ...(detail === undefined ? {} : { detail }),
    occurredAt,
    dedupeKey,
    verified: true,
    raw
  })
}

// ---------------------------------------------------------------------------------------------
// The service

const decodePayload = FastDecode.decodeUnknownEither(Wire.WebhookPayload, { errors: "all" })

/** Paths of the fields that did not decode: never their values, which are the sender's data. */
const describeDecodeError = (error: ParseResult.ParseError): string =>
  Validation.issuesOf(error)
    .map((issue) => (issue.path === "" ? "body" : issue.path))
    .join(", ")

/**
 * Verifies a raw notification: token first needs the reference, so the body is parsed and decoded,
 * then the token is checked before anything is mapped. Every doubt is `WebhookRejected`.
 */
export const verify =
  (provider: Provider.ProviderInfo, settings: WebhookSettings) =>
  (notification: RawNotification): Effect.Effect<PaymentEvent.PaymentEvent, PaymentError> => {
    const reject = (detail: string) =>
      Effect.fail(
        new PaymentError({
          provider: provider.name,
          operation: "webhooks.verify",
          merchantId: settings.merchantId,
          reason: new WebhookRejected({ detail })
        })
      ).pipe(Effect.tapError(() => Effect.logWarning("autocore notification rejected", detail)))
    if (notification.merchantId !== undefined && notification.merchantId !== settings.merchantId) {
      return reject("notification is for another merchant")
    }
    const url = parseUrl(notification.url)
    const token = url?.searchParams.get(TOKEN_PARAM)
    if (url === undefined || token === null || token === undefined || token === "") return reject("no token in the URL")
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
    if (!verifyToken(token, settings.merchantId, reference.right, settings.webhookSecret)) {
      return reject("token does not verify for this merchant and reference")
    }
    const hint = url.searchParams.get(KIND_PARAM)
    const kindHint = subjectKinds.find((kind) => kind === hint)
    return Either.match(toEvent(payload, json, reference.right, kindHint, settings), {
      onLeft: reject,
      onRight: (event) => Effect.succeed(event)
    })
  }

/** Autocore stops re-delivering only on exactly 200; a rejected notification gets 401. */
export const replies: WebhooksService["replies"] = {
  accepted: jsonReply(200, { ok: true }),
  rejected: jsonReply(401, { ok: false })
}

/** The `Webhooks` service for one merchant. */
export const make = (provider: Provider.ProviderInfo, settings: WebhookSettings): WebhooksService =>
  WebhooksTag.make(provider, { verify: verify(provider, settings), replies })
