/**
 * Signatures on PlacetoPay's notifications (spec §4), pure, compared in constant time.
 *
 * - Payment-link notifications: lowercase hex SHA-256(linkId + status + date + secretKey), no prefix.
 * - Checkout-session notifications: hex SHA-1 of requestId + status + date + secretKey (legacy, no
 *   prefix), or `sha256:` + hex SHA-256 of the same text.
 */

import { ConstantTime, type PaymentEvent } from "@pasarela/core"
import Hex from "crypto-js/enc-hex.js"
import SHA1 from "crypto-js/sha1.js"
import SHA256 from "crypto-js/sha256.js"
import * as Redacted from "effect/Redacted"

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

/**
 * What a notification's signature vouches for: the subject (link or session, and its id), the
 * status and the date. Not the reference, which is sent beside the signature unsigned.
 */
export const authenticatedFields: ReadonlyArray<PaymentEvent.AuthenticatedField> = [
  "subject.kind",
  "subject.id",
  "type",
  "occurredAt"
]

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
