/**
 * Response and webhook bodies, shaped exactly like the seeds. Pure functions of the records.
 *
 * Error envelope (spec §3): `{ code, message, detail }` with `code` the HTTP status and `message`
 * `Error http: <status>` (the one concrete error the seeds show is `Error http: 400`; its `code` 0
 * is kept only for the rejected-charge body, which is quoted verbatim).
 */
import type { ChargeRecord, StatusCode } from "./Model.js"
import { autocoreTimestamp } from "./Time.js"

export interface ErrorEnvelope {
  readonly code: number
  readonly message: string
  readonly detail: string
}

export const envelope = (status: number, detail: string): ErrorEnvelope => ({
  code: status,
  message: `Error http: ${status}`,
  detail
})

export const statusDetail: Readonly<Record<StatusCode, string>> = {
  applied: "Aplicado",
  in_process: "En proceso",
  rejected: "Rechazado",
  invalid_card: "Tarjeta no válida"
}

export const linkCreated = (url: string, code: string) => ({ msg: "Link de pago generado exitosamente", url, code })

export const giftCardCreated = (giftCardCode: string, paymentLink: string, paymentLinkCode: string) => ({
  msg: "Tarjeta de regalo creada correctamente",
  gift_card_code: giftCardCode,
  payment_link: paymentLink,
  payment_link_code: paymentLinkCode
})

export const cashCreated = (transactionId: string, apmDetailId: number, checkoutUrl: string) => ({
  transaction_id: transactionId,
  apm_detail_id: apmDetailId,
  checkout_url: checkoutUrl
})

export const relativeVoucherUrl = (voucherNumber: number): string => `v2/terminal-payments/${voucherNumber}/vouchers`

export const absoluteVoucherUrl = (apiBaseUrl: string, voucherNumber: number): string =>
  `${apiBaseUrl}/${relativeVoucherUrl(voucherNumber)}`

/** `comments` texts of the seed, by outcome. */
export const paymentComments = {
  approved: (ref: string) => `Pago con referencia ${ref} procesado correctamente`,
  pending: (ref: string) => `Pago con referencia ${ref} en proceso de revisión.`,
  rejected: (ref: string) => `Pago con referencia ${ref} rechazado.`
}

/** 200 of an approved charge: relative voucher URL, `RB-` transaction, space-separated date. */
export const chargeApproved = (charge: ChargeRecord, nowMillis: number) => ({
  msg: "Pago realizado correctamente",
  voucher_url: relativeVoucherUrl(charge.id),
  details: {
    type: "charge",
    id: charge.refNumber,
    external_ref_id: charge.externalRefId,
    status_code: "applied",
    status_detail: statusDetail.applied,
    comments: charge.comments,
    transaction_id: charge.transactionId,
    transaction_date: autocoreTimestamp(nowMillis, " ")
  }
})

/** 200 of a pending charge: the webhook-like body with an absolute voucher URL and a UUID. */
export const chargePending = (charge: ChargeRecord, nowMillis: number) => ({
  payment_status: statusDetail.in_process,
  amount: charge.amount,
  payment_date: autocoreTimestamp(nowMillis, "T"),
  company: charge.company,
  hotel: charge.hotelName,
  voucher_url: absoluteVoucherUrl(charge.apiBaseUrl, charge.id),
  transaction_id: charge.transactionId,
  external_ref_id: charge.externalRefId,
  details: {
    type: "charge",
    id: charge.refNumber,
    external_ref_id: charge.externalRefId,
    status_code: "in_process",
    status_detail: statusDetail.in_process,
    comments: charge.comments,
    transaction_id: charge.transactionId,
    transaction_date: autocoreTimestamp(nowMillis, "T")
  }
})

/** 400 of a declined charge: a business outcome, the envelope plus `extra_info`. */
export const chargeDeclined = (charge: ChargeRecord, nowMillis: number) => ({
  code: 0,
  message: "Error http: 400",
  detail: "El pago ha sido rechazado",
  extra_info: {
    voucher_url: relativeVoucherUrl(charge.id),
    details: {
      type: "charge",
      id: charge.refNumber,
      external_ref_id: charge.externalRefId,
      status_code: charge.status,
      status_detail: statusDetail[charge.status],
      comments: charge.comments,
      transaction_id: null,
      transaction_date: autocoreTimestamp(nowMillis, " ")
    }
  }
})

/**
 * What a webhook reports. `type` is `charge` for card charges (as in the seed), `link` for payment
 * links, `gift_card` for a gift card's link, `cash` for cash orders.
 */
export interface PaymentNotice {
  readonly type: "charge" | "link" | "gift_card" | "cash"
  readonly id: string
  readonly statusCode: StatusCode
  readonly comments: string
  readonly amount: number
  readonly company: string
  readonly hotel: string
  readonly voucherUrl: string
  /** Ignored when not applied: rejected payments report `"N/A"`. */
  readonly transactionId: string
  readonly externalRefId: string | null
  readonly payPlatform: string | null
  readonly atMillis: number
}

/** The credit-card seed's webhook shape; `legacy` drops `details` like Autocore's older payloads. */
export const webhookBody = (notice: PaymentNotice, legacy: boolean) => {
  const transactionId =
    notice.statusCode === "rejected" || notice.statusCode === "invalid_card" ? "N/A" : notice.transactionId
  const date = autocoreTimestamp(notice.atMillis, "T")
  const head = {
    payment_status: statusDetail[notice.statusCode],
    amount: notice.amount,
    payment_date: date,
    company: notice.company,
    hotel: notice.hotel,
    voucher_url: notice.voucherUrl,
    transaction_id: transactionId,
    external_ref_id: notice.externalRefId
  }
  if (legacy) return head
  return {
    ...head,
    details: {
      type: notice.type,
      id: notice.id,
      external_ref_id: notice.externalRefId,
      status_code: notice.statusCode,
      status_detail: statusDetail[notice.statusCode],
      comments: notice.comments,
      transaction_id: transactionId,
      transaction_date: date,
      ...(notice.payPlatform === null ? {} : { pay_platform: notice.payPlatform })
    }
  }
}
