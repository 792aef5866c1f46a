/**
 * PlacetoPay's notifications (spec §4): their signatures, pure and compared in constant time, and
 * the `Webhooks` service that verifies a site's notifications and maps them to events.
 *
 * - Payment-link notifications: lowercase hex SHA-256(linkId + status + date + secretKey), no prefix.
 * - Checkout-session notifications: hex SHA-1 of requestId + status + date + secretKey (legacy, no
 *   prefix), or `sha256:` + hex SHA-256 of the same text.
 */

import {
  ConstantTime,
  defaultReplies,
  PaymentError,
  type PaymentEvent,
  type Provider,
  type RawNotification,
  type WebhooksService,
  Webhooks as WebhooksTag
} from "@pasarela/core"
import Hex from "crypto-js/enc-hex.js"
import SHA1 from "crypto-js/sha1.js"
import SHA256 from "crypto-js/sha256.js"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Mapping from "./Mapping.js"
import * as Wire from "./Wire.js"

/** Lowercase hex of the digest of `text`'s UTF-8 bytes. */
const hex = (algorithm: "sha1" | "sha256", text: string): string =>
  Hex.stringify(algorithm === "sha256" ? SHA256(text) : SHA1(text))

/** The signature PlacetoPay puts on a payment-link notification. */
export const linkSignature = (
  linkId: number,
  status: string,
  date: string,
  secretKey: Redacted.Redacted<string>
): string => hex("sha256", `${linkId}${status}${date}${Redacted.value(secretKey)}`)

/** The signature on a checkout-session notification, in the legacy (SHA-1) or `sha256:` form. */
export const checkoutSignature = (
  requestId: number,
  status: string,
  date: string,
  secretKey: Redacted.Redacted<string>,
  algorithm: "sha1" | "sha256"
): string => {
  const digest = hex(algorithm, `${requestId}${status}${date}${Redacted.value(secretKey)}`)
  return algorithm === "sha256" ? `sha256:${digest}` : digest
}

/** Constant-time string equality (core's `ConstantTime.equals`). */
export const constantTimeEquals = ConstantTime.equals

/** The statuses of payment-link notifications (§4.1); checkout sessions never have these (§6). */
export const linkStatuses: ReadonlyArray<string> = ["PAID", "EXPIRED"]

/**
 * Both kinds sign the same text (`id + status + date + secretKey`), so a link's SHA-256 signature
 * would also pass as a session's `sha256:` one. The two status vocabularies are disjoint; a session
 * notification carrying a link status is refused, which keeps each kind's signatures its own.
 */
export const isCheckoutStatus = (status: string): boolean => !linkStatuses.includes(status)

export interface SignedLinkNotification {
  readonly linkId: number
  readonly status: string
  readonly date: string
  readonly signature: string
}

export interface SignedCheckoutNotification {
  readonly requestId: number
  readonly status: string
  readonly date: string
  readonly signature: string
}

export const verifyLink = (notification: SignedLinkNotification, secretKey: Redacted.Redacted<string>): boolean =>
  constantTimeEquals(
    notification.signature,
    linkSignature(notification.linkId, notification.status, notification.date, secretKey)
  )

const SHA256_PREFIX = "sha256:"

/** Accepts both forms: the prefix picks the algorithm (it is not secret). Never a link's status. */
export const verifyCheckout = (
  notification: SignedCheckoutNotification,
  secretKey: Redacted.Redacted<string>
): boolean => {
  const algorithm = notification.signature.startsWith(SHA256_PREFIX) ? "sha256" : "sha1"
  return (
    isCheckoutStatus(notification.status) &&
    constantTimeEquals(
      notification.signature,
      checkoutSignature(notification.requestId, notification.status, notification.date, secretKey, algorithm)
    )
  )
}

// ---------------------------------------------------------------------------------------------
// The service

/** Which notifications a site sends: payment links', checkout sessions', or both. */
export type NotificationKind = "link" | "checkout"

export interface WebhookSettings {
  readonly secretKey: Redacted.Redacted<string>
  readonly merchantId?: string | undefined
  /** The kinds this site accepts: a kind it is not configured for is refused. */
  readonly notifications: ReadonlyArray<NotificationKind>
  /** How far a notification's date may be from now (a replay, or a clock problem, beyond it). */
  readonly notificationTolerance: Duration.Duration
}

/** Notifications are decoded on every delivery: built once. */
const decodeNotification = Schema.decodeUnknownEither(Wire.Notification)

/**
 * Verifies a raw notification: decoded, of a kind the site accepts, signed with the site's secret,
 * dated within the tolerance. Every doubt is `WebhookRejected`.
 */
export const verify =
  (settings: WebhookSettings) =>
  (notification: RawNotification): Effect.Effect<PaymentEvent.PaymentEvent, PaymentError.PaymentError> => {
    const merchantId = notification.merchantId ?? settings.merchantId
    const reject = (detail: string) =>
      Mapping.failure("webhooks.verify", merchantId, new PaymentError.WebhookRejected({ detail }))
    return Effect.gen(function* () {
      const json = yield* Effect.try({
        try: (): unknown => JSON.parse(notification.body),
        catch: () => reject("the body is not JSON")
      })
      const decoded = yield* Either.mapLeft(decodeNotification(json), () =>
        reject("not a PlacetoPay notification (expected status, linkId or requestId, reference, signature)")
      )
      const { date, status } = decoded.status
      const kind: NotificationKind = Wire.isLinkNotification(decoded) ? "link" : "checkout"
      if (!settings.notifications.includes(kind)) {
        return yield* Effect.fail(
          reject(`${kind} notifications are not accepted for this site (its notifications option)`)
        )
      }
      if (kind === "checkout" && !isCheckoutStatus(status)) {
        return yield* Effect.fail(reject(`a checkout notification cannot carry the payment-link status ${status}`))
      }
      const authentic = Wire.isLinkNotification(decoded)
        ? verifyLink({ linkId: decoded.linkId, status, date, signature: decoded.signature }, settings.secretKey)
        : verifyCheckout(
            { requestId: decoded.requestId, status, date, signature: decoded.signature },
            settings.secretKey
          )
      if (!authentic) return yield* Effect.fail(reject("the signature does not match this site's secret"))
      const occurredAt = Mapping.notificationDate(decoded)
      if (occurredAt === undefined) return yield* Effect.fail(reject("its date is not ISO 8601 with a zone"))
      const now = yield* Clock.currentTimeMillis
      const tolerance = settings.notificationTolerance
      if (Duration.isFinite(tolerance) && Math.abs(now - occurredAt.getTime()) > Duration.toMillis(tolerance)) {
        return yield* Effect.fail(
          reject(`stale: dated more than ${Duration.format(tolerance)} from now (a replay, or a clock problem)`)
        )
      }
      return Mapping.toEvent(decoded, occurredAt, json, merchantId)
    })
  }

/** PlacetoPay only needs a fast 2xx and never retries: core's default replies (200, 400) do. */
export const replies: WebhooksService["replies"] = defaultReplies

/** The `Webhooks` service for one site. */
export const make = (provider: Provider.ProviderInfo, settings: WebhookSettings): WebhooksService =>
  WebhooksTag.make(provider, {
    verify: verify(settings),
    eventsOf: (link, merchantId, now) => Mapping.linkEvents(link, merchantId ?? settings.merchantId, now),
    replies
  })
