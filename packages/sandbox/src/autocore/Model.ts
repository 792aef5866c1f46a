/**
 * The simulator's data model: configured accounts and the records it keeps. Records hold no card
 * data (at most the last four digits) and no credentials, so snapshots of them are safe to print.
 */

export interface Hotel {
  readonly id: number
  readonly name: string
  readonly currency: string
  /** Used in hosted pay-page URLs: `<appBase>/payment/<slug>/<code>`. */
  readonly slug: string
}

export interface Account {
  readonly accessKey: string
  readonly secretKey: string
  /** Text the card-field key is derived from (SHA-256 of its UTF-8 bytes, spec §6). */
  readonly cardEncryptionKey: string
  readonly company: string
  /** Integration sources; `source` is required in requests when there are several. */
  readonly sources: ReadonlyArray<string>
  readonly hotels: ReadonlyArray<Hotel>
}

export type Outcome = "approved" | "declined"

/**
 * How a payment through a link goes: decided at once, or in process first (Autocore's
 * `in_process`, notified) and settled later to the given outcome (notified again).
 */
export type LinkPaymentOutcome = Outcome | "pending_approved" | "pending_declined"

/** Autocore's `details.status_code` values the simulator produces. */
export type StatusCode = "applied" | "in_process" | "rejected" | "invalid_card"

export interface PaymentAttempt {
  /** `in_process` until settled; then what it settled to. */
  readonly outcome: Outcome | "in_process"
  /** For an attempt in process: what settling it turns it into. */
  readonly settlesTo: Outcome | null
  readonly transactionId: string
  readonly voucherNumber: number
  readonly at: string
}

/** A payment link; gift cards get one too (`kind: "gift_card"`, code `GC_…`). */
export interface LinkRecord {
  readonly code: string
  readonly kind: "link" | "gift_card"
  readonly url: string
  readonly hotelId: number
  readonly hotelName: string
  readonly company: string
  readonly amount: number
  readonly currency: string
  readonly description: string
  readonly guestName: string
  readonly email: string
  readonly source: string | null
  readonly externalRefId: string | null
  readonly reservationId: string | null
  readonly tempWebhookUrl: string | null
  readonly availableHours: number | null
  readonly installments: number
  readonly allowedPaymentOptions: ReadonlyArray<string> | null
  readonly bookingDates: string | null
  readonly successUrl: string | null
  readonly failureUrl: string | null
  readonly createdAt: string
  /** `null`: no `available_hours` was given and the link does not expire. */
  readonly expiresAt: string | null
  /** Stored status; `expired` is derived when reading (an unpaid link past `expiresAt`). */
  readonly status: "active" | "paid"
  readonly paidAt: string | null
  /** Origin of the API the link was created on; absolute voucher URLs are built from it. */
  readonly apiBaseUrl: string
  /** Every simulated payment attempt; a declined attempt leaves the link payable. */
  readonly attempts: ReadonlyArray<PaymentAttempt>
}

export interface ChargeRecord {
  /** Voucher number: `v2/terminal-payments/<id>/vouchers`. */
  readonly id: number
  /** `RB-<n>` when approved at once, a UUID when pending, `null` when declined at once. */
  readonly transactionId: string | null
  readonly refNumber: string
  readonly externalRefId: string | null
  readonly hotelId: number
  readonly hotelName: string
  readonly company: string
  readonly amount: number
  readonly currency: string | null
  readonly installments: number
  readonly source: string | null
  readonly tempWebhookUrl: string | null
  readonly cardLast4: string
  readonly status: StatusCode
  /** For a pending charge: what `settleCharge` turns it into (decided by the test card). */
  readonly settlesTo: Outcome | null
  readonly comments: string
  readonly apiBaseUrl: string
  readonly createdAt: string
  readonly settledAt: string | null
}

export interface OrderRecord {
  readonly transactionId: string
  readonly apmDetailId: number
  readonly voucherNumber: number
  readonly refNumber: string
  readonly externalRefId: string | null
  readonly hotelId: number
  readonly hotelName: string
  readonly company: string
  readonly amount: number
  readonly detail: string
  readonly paymentType: string
  readonly userType: string
  readonly fiscalNumberType: string
  readonly responseUrl: string
  readonly checkoutUrl: string
  readonly tempWebhookUrl: string | null
  readonly status: "pending" | "applied" | "rejected"
  readonly apiBaseUrl: string
  readonly createdAt: string
  readonly paidAt: string | null
}

export interface GiftCardRecord {
  readonly giftCardCode: string
  readonly paymentLinkCode: string
  readonly paymentLink: string
  readonly hotelId: number
  readonly amount: number
  readonly currency: string
  /** 0 until the card's payment link is paid, then `amount`. */
  readonly balance: number
  readonly status: "pending_payment" | "active"
  readonly senderName: string
  readonly senderEmail: string
  readonly recipientName: string
  readonly recipientEmail: string
  readonly note: string
  readonly externalRefId: string
  readonly tempWebhookUrl: string
  readonly successUrl: string
  readonly failureUrl: string
  readonly createdAt: string
  readonly activatedAt: string | null
}

export interface LinkSnapshot extends Omit<LinkRecord, "status" | "apiBaseUrl"> {
  readonly status: "active" | "paid" | "expired"
}

export type ChargeSnapshot = Omit<ChargeRecord, "apiBaseUrl">
export type OrderSnapshot = Omit<OrderRecord, "apiBaseUrl">
export type GiftCardSnapshot = GiftCardRecord

export interface StateSnapshot {
  readonly links: ReadonlyArray<LinkSnapshot>
  readonly charges: ReadonlyArray<ChargeSnapshot>
  readonly orders: ReadonlyArray<OrderSnapshot>
  readonly giftCards: ReadonlyArray<GiftCardSnapshot>
}

/** One POST of a webhook; `status` is `null` when no HTTP answer came (refused, timeout). */
export interface WebhookDelivery {
  /** Groups the attempts of one notification. */
  readonly deliveryId: number
  readonly url: string
  readonly body: unknown
  readonly attempt: number
  readonly status: number | null
  readonly error: string | null
  readonly at: string
  /** The start of the receiver's answer (at most `ResponseSnippet.SNIPPET_BYTES`); null when none came. */
  readonly responseBody: string | null
}

export interface DeliveryOptions {
  /** Send the older payload shape, without `details` (for adapters' fallback decoding). */
  readonly legacy?: boolean
}
