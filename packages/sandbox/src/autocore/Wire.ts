/**
 * Request bodies of Autocore's endpoints as Schemas, strict about what the seeds' tables require,
 * and the validation report the simulator answers with.
 *
 * A validation failure is a 400 envelope whose `detail` lists every bad field, in body order:
 *   `Campos inválidos: amount (debe ser un número entero positivo); email (es requerido)`
 * i.e. `Campos inválidos: ` then `<path> (<reason>)` joined by `; `, paths dotted (`order.ip`),
 * array items indexed (`allowed_payment_options[1]`). Values are never echoed (they may be secrets).
 *
 * Answers and webhook bodies, shaped exactly like the seeds, are pure functions of the records. The
 * error envelope (spec §3) is `{ code, message: "Error http: <status>", detail }`, `code` the HTTP
 * status (the seeds' `code` 0 is kept only in the rejected-charge body, quoted verbatim).
 */
import { isIPv4 } from "node:net"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Account, ChargeRecord, StatusCode } from "./Model.js"
import { autocoreTimestamp } from "./Time.js"

export interface Issue {
  readonly path: string
  readonly message: string
}

const reason = (message: string) => ({ message: () => ({ message, override: true }) })

const refined = <A>(base: Schema.Schema<A>, predicate: (a: A) => boolean, message: string) =>
  base.pipe(Schema.filter(predicate)).annotations(reason(message))

const optional = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { exact: true })

const twoDecimals = /^\d+(\.\d{1,2})?$/
const hasAtMostTwoDecimals = (n: number): boolean => twoDecimals.test(String(n))

const isHttpUrl = (s: string): boolean => {
  try {
    const url = new URL(s)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}

const isDate = (s: string): boolean => {
  const date = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s)
}

const bookingDatesPattern = /^(\d{4}-\d{2}-\d{2}) - (\d{4}-\d{2}-\d{2})$/
const isBookingDates = (s: string): boolean => {
  const match = bookingDatesPattern.exec(s)
  return match !== null && isDate(match[1]!) && isDate(match[2]!) && match[1]! <= match[2]!
}

// Deliberately loose: one @, no spaces, a dot in the domain. Real addresses are checked by sending mail.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const paymentOptions = [
  "nequi",
  "daviplata",
  "pse",
  "credit_card",
  "sinpe_movil",
  "preloaded_balance",
  "gift_cards"
] as const

const Text = refined(Schema.String, (s) => s.trim().length > 0, "debe ser un texto no vacío")
const Code = refined(Schema.String, (s) => /^[A-Za-z0-9_-]{1,40}$/.test(s), "debe ser un código alfanumérico")
const Integer = refined(Schema.Number, Number.isInteger, "debe ser un número entero")
const PositiveInteger = refined(Schema.Number, (n) => Number.isInteger(n) && n >= 1, "debe ser un entero mayor que 0")
const IntegerAmount = refined(
  Schema.Number,
  (n) => Number.isInteger(n) && n > 0,
  "debe ser un número entero positivo (sin decimales)"
)
const DecimalAmount = refined(
  Schema.Number,
  (n) => n > 0 && hasAtMostTwoDecimals(n),
  "debe ser un número positivo con máximo dos decimales"
)
const Percent = refined(
  Schema.Number,
  (n) => n >= 0 && n <= 1 && hasAtMostTwoDecimals(n),
  "debe estar entre 0.00 y 1.00 con máximo dos decimales"
)
const Email = refined(Schema.String, (s) => emailPattern.test(s), "debe ser un correo electrónico")
const Ipv4 = refined(Schema.String, (s) => isIPv4(s), "debe ser una dirección IPv4")
const HttpUrl = refined(Schema.String, isHttpUrl, "debe ser una URL http(s) absoluta")
const CurrencyCode = refined(Schema.String, (s) => /^[A-Z]{3}$/.test(s), "debe ser un código ISO 4217 (p. ej. COP)")
// The field table says ISO 3166-1 alpha-2, the seed's example sends a calling code ("57"): accept both.
const CountryCode = refined(
  Schema.String,
  (s) => /^[A-Z]{2}$/.test(s) || /^\+?[0-9]{1,4}$/.test(s),
  "debe ser ISO 3166-1 alfa-2 (p. ej. CO) o un indicativo telefónico (p. ej. 57)"
)
const CallingCode = refined(Schema.String, (s) => /^\+[0-9]{1,4}$/.test(s), "debe ser un indicativo como +57")
const BookingDates = refined(Schema.String, isBookingDates, "debe tener el formato YYYY-MM-DD - YYYY-MM-DD")
const Detail = refined(
  Schema.String,
  (s) => s.trim().length > 0 && s.length <= 99,
  "debe ser un texto de 1 a 99 caracteres"
)
const PaymentOptions = Schema.Array(Schema.String)
  .pipe(Schema.filter((a) => a.length > 0 && a.every((o) => (paymentOptions as ReadonlyArray<string>).includes(o))))
  .annotations(reason(`debe ser una lista no vacía con valores de: ${paymentOptions.join(", ")}`))

const object = (description: string) => ({ message: () => ({ message: description, override: false }) })

export const LinkRequest = Schema.Struct({
  hotel_id: Integer,
  guest_name: Text,
  email: Email,
  country_code: optional(CountryCode),
  phone: optional(Text),
  available_hours: optional(PositiveInteger),
  description: Text,
  booking_dates: optional(BookingDates),
  source: optional(Text),
  external_ref_id: optional(Text),
  reservation_id: optional(Text),
  temp_webhook_url: optional(HttpUrl),
  amount: IntegerAmount,
  currency: CurrencyCode,
  installments: optional(PositiveInteger),
  allowed_payment_options: optional(PaymentOptions),
  redirect: optional(
    Schema.Struct({ success_url: optional(HttpUrl), failure_url: optional(HttpUrl) }).annotations(
      object("debe ser un objeto")
    )
  )
}).annotations(object("el cuerpo debe ser un objeto JSON"))
export type LinkRequest = typeof LinkRequest.Type

export const ChargeRequest = Schema.Struct({
  order: Schema.Struct({
    ref_name: Text,
    ref_lastname: Text,
    ref_number: Text,
    external_ref_id: optional(Text),
    temp_webhook_url: optional(HttpUrl),
    source: optional(Text),
    detail: optional(Detail),
    amount: DecimalAmount,
    installments: PositiveInteger,
    tax_percent: optional(Percent),
    service_percent: optional(Percent),
    hotel_id: Integer,
    email: optional(Email),
    phone: optional(Text),
    address: optional(Text),
    fiscal_number: optional(Text),
    ip: optional(Ipv4),
    currency: optional(CurrencyCode)
  }).annotations(object("debe ser un objeto")),
  card_item: Schema.Struct({
    cc_number: Text,
    cc_code: Text,
    cc_expire_month: Text,
    cc_expire_year: Text,
    cc_holder: Text
  }).annotations(object("debe ser un objeto"))
}).annotations(object("el cuerpo debe ser un objeto JSON"))
export type ChargeRequest = typeof ChargeRequest.Type

export const CashRequest = Schema.Struct({
  order: Schema.Struct({
    ref_name: Text,
    ref_lastname: Text,
    ref_number: Text,
    detail: Text,
    amount: DecimalAmount,
    tax_percent: optional(Percent),
    service_percent: optional(Percent),
    hotel_id: Integer,
    email: Email,
    fiscal_number: Text,
    phone: Text,
    ip: Ipv4,
    // Not in the cash seed's table; accepted like the card order's, since the result arrives by webhook.
    external_ref_id: optional(Text),
    temp_webhook_url: optional(HttpUrl)
  }).annotations(object("debe ser un objeto")),
  cash: Schema.Struct({
    address: Text,
    user_type: Code,
    fiscal_number_type: Code,
    payment_type: Code,
    response_url: HttpUrl
  }).annotations(object("debe ser un objeto"))
}).annotations(object("el cuerpo debe ser un objeto JSON"))
export type CashRequest = typeof CashRequest.Type

export const GiftCardRequest = Schema.Struct({
  sender: Schema.Struct({
    name: Text,
    document_type: Schema.Literal("CC", "PP", "NIT", "TI").annotations(reason("debe ser CC, PP, NIT o TI")),
    document_number: Text,
    email: Email,
    address: Text,
    phone: Text,
    country_code: CallingCode
  }).annotations(object("debe ser un objeto")),
  recipient: Schema.Struct({ name: Text, email: Email }).annotations(object("debe ser un objeto")),
  amount: DecimalAmount,
  currency: Schema.Literal("COP", "USD").annotations(reason("debe ser COP o USD")),
  note: Text,
  external_ref_id: Text,
  temp_webhook_url: HttpUrl,
  success_url: HttpUrl,
  failure_url: HttpUrl
}).annotations(object("el cuerpo debe ser un objeto JSON"))
export type GiftCardRequest = typeof GiftCardRequest.Type

/** Body of the control endpoints that pay something; an empty body means approved. */
export const PayControlRequest = Schema.Struct({
  outcome: optional(Schema.Literal("approved", "declined").annotations(reason("debe ser approved o declined"))),
  legacy: optional(Schema.Boolean.annotations(reason("debe ser true o false")))
}).annotations(object("el cuerpo debe ser un objeto JSON"))

/** A link payment may also go through `in_process` first (settled later by `/settle`). */
export const LinkPayControlRequest = Schema.Struct({
  outcome: optional(
    Schema.Literal("approved", "declined", "pending_approved", "pending_declined").annotations(
      reason("debe ser approved, declined, pending_approved o pending_declined")
    )
  ),
  legacy: optional(Schema.Boolean.annotations(reason("debe ser true o false")))
}).annotations(object("el cuerpo debe ser un objeto JSON"))

export const SettleControlRequest = Schema.Struct({
  legacy: optional(Schema.Boolean.annotations(reason("debe ser true o false")))
}).annotations(object("el cuerpo debe ser un objeto JSON"))

/** Autocore tolerates absent fields and `null` is read as absent (the adapter should omit them). */
const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = withoutNulls(v)
    return out
  }
  return value
}

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    ""
  )

const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<Issue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: formatPath(issue.path),
    message: issue._tag === "Missing" ? "es requerido" : issue.message
  }))

/**
 * `source` must name one of the account's sources, and is required when it has several. Read from
 * the raw body so it is reported together with schema issues.
 */
export const sourceIssues = (account: Account, body: unknown, at: ReadonlyArray<string>): ReadonlyArray<Issue> => {
  let container: unknown = withoutNulls(body)
  for (const key of at) {
    container = typeof container === "object" && container !== null ? (container as Record<string, unknown>)[key] : {}
  }
  if (typeof container !== "object" || container === null) return []
  const path = [...at, "source"].join(".")
  const source = (container as Record<string, unknown>).source
  if (source === undefined) {
    return account.sources.length > 1
      ? [{ path, message: `es requerido porque la cuenta tiene varias fuentes: ${account.sources.join(", ")}` }]
      : []
  }
  if (typeof source !== "string" || source.trim().length === 0) return [] // the schema reports it
  return account.sources.includes(source)
    ? []
    : [
        {
          path,
          message:
            account.sources.length === 0
              ? "la cuenta no tiene fuentes configuradas"
              : `debe ser una de: ${account.sources.join(", ")}`
        }
      ]
}

/**
 * Decodes with every error collected, nulls read as absent; schema issues plus extra ones, one
 * entry per path (the first reason wins).
 */
export const validate = <A, I>(
  schema: Schema.Schema<A, I>,
  input: unknown,
  extra: ReadonlyArray<Issue> = []
): Either.Either<A, ReadonlyArray<Issue>> => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  const decoded = Either.mapLeft(decode(withoutNulls(input)), issuesOf)
  const issues = dedupe([...(Either.isLeft(decoded) ? decoded.left : []), ...extra])
  return issues.length > 0 ? Either.left(issues) : decoded
}

const dedupe = (issues: ReadonlyArray<Issue>): ReadonlyArray<Issue> => {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    if (seen.has(issue.path)) return false
    seen.add(issue.path)
    return true
  })
}

export const validationDetail = (issues: ReadonlyArray<Issue>): string =>
  `Campos inválidos: ${issues.map((issue) => (issue.path === "" ? issue.message : `${issue.path} (${issue.message})`)).join("; ")}`

/** Card fields once decrypted: formats of the seed's table. Values are checked, never reported. */
export const cardIssues = (card: ChargeRequest["card_item"]): ReadonlyArray<Issue> => {
  const issues: Array<Issue> = []
  const month = card.cc_expire_month
  if (!/^[0-9]{12,19}$/.test(card.cc_number)) {
    issues.push({ path: "card_item.cc_number", message: "debe cifrar de 12 a 19 dígitos" })
  }
  if (!/^[0-9]{3,4}$/.test(card.cc_code))
    issues.push({ path: "card_item.cc_code", message: "debe cifrar 3 o 4 dígitos" })
  if (!/^[0-9]{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12) {
    issues.push({ path: "card_item.cc_expire_month", message: "debe cifrar un mes de 1 a 12 (1 o 2 dígitos)" })
  }
  if (!/^[0-9]{4}$/.test(card.cc_expire_year)) {
    issues.push({ path: "card_item.cc_expire_year", message: "debe cifrar un año de 4 dígitos" })
  }
  if (card.cc_holder.trim().length === 0) issues.push({ path: "card_item.cc_holder", message: "debe cifrar un nombre" })
  return issues
}

// ---- answers and webhook bodies ----

export const envelope = (status: number, detail: string) => ({
  code: status,
  message: `Error http: ${status}`,
  detail
})

const statusDetail: Readonly<Record<StatusCode, string>> = {
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

const relativeVoucherUrl = (voucherNumber: number): string => `v2/terminal-payments/${voucherNumber}/vouchers`

const absoluteVoucherUrl = (apiBaseUrl: string, voucherNumber: number): string =>
  `${apiBaseUrl}/${relativeVoucherUrl(voucherNumber)}`

/** `comments` texts of the seed, by outcome. */
export const paymentComments = {
  approved: (ref: string) => `Pago con referencia ${ref} procesado correctamente`,
  pending: (ref: string) => `Pago con referencia ${ref} en proceso de revisión.`,
  rejected: (ref: string) => `Pago con referencia ${ref} rechazado.`
}

/** `details` of a charge's immediate answer, dated with a space like the seed's. */
const chargeDetails = (charge: ChargeRecord, nowMillis: number) => ({
  type: "charge",
  id: charge.refNumber,
  external_ref_id: charge.externalRefId,
  status_code: charge.status,
  status_detail: statusDetail[charge.status],
  comments: charge.comments,
  transaction_id: charge.transactionId,
  transaction_date: autocoreTimestamp(nowMillis, " ")
})

/** 200 of an approved charge: relative voucher URL, `RB-` transaction, space-separated date. */
export const chargeApproved = (charge: ChargeRecord, nowMillis: number) => ({
  msg: "Pago realizado correctamente",
  voucher_url: relativeVoucherUrl(charge.id),
  details: chargeDetails(charge, nowMillis)
})

/** 400 of a declined charge: a business outcome, the envelope plus `extra_info`. */
export const chargeDeclined = (charge: ChargeRecord, nowMillis: number) => ({
  code: 0,
  message: "Error http: 400",
  detail: "El pago ha sido rechazado",
  extra_info: { voucher_url: relativeVoucherUrl(charge.id), details: chargeDetails(charge, nowMillis) }
})

/** What a charge's webhook reports; only a charge declined at once has no transaction id. */
export const chargeNotice = (charge: ChargeRecord, atMillis: number): PaymentNotice => ({
  type: "charge",
  id: charge.refNumber,
  statusCode: charge.status,
  comments: charge.comments,
  of: charge,
  voucherNumber: charge.id,
  transactionId: charge.transactionId ?? "N/A",
  payPlatform: null,
  atMillis
})

/** 200 of a pending charge: the webhook's body, with an absolute voucher URL and a UUID. */
export const chargePending = (charge: ChargeRecord, nowMillis: number) =>
  webhookBody(chargeNotice(charge, nowMillis), false)

/**
 * What a webhook reports. `type` is `charge` for card charges (as in the seed), `link` for payment
 * links, `gift_card` for a gift card's link, `cash` for cash orders.
 */
export interface PaymentNotice {
  readonly type: "charge" | "link" | "gift_card" | "cash"
  readonly id: string
  readonly statusCode: StatusCode
  readonly comments: string
  /** The record paid: its amount, company, hotel, external reference and voucher URL's origin. */
  readonly of: Pick<ChargeRecord, "amount" | "company" | "hotelName" | "externalRefId" | "apiBaseUrl">
  readonly voucherNumber: number
  /** Ignored when not applied: rejected payments report `"N/A"`. */
  readonly transactionId: string
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
    amount: notice.of.amount,
    payment_date: date,
    company: notice.of.company,
    hotel: notice.of.hotelName,
    voucher_url: absoluteVoucherUrl(notice.of.apiBaseUrl, notice.voucherNumber),
    transaction_id: transactionId,
    external_ref_id: notice.of.externalRefId
  }
  if (legacy) return head
  return {
    ...head,
    details: {
      type: notice.type,
      id: notice.id,
      external_ref_id: notice.of.externalRefId,
      status_code: notice.statusCode,
      status_detail: statusDetail[notice.statusCode],
      comments: notice.comments,
      transaction_id: transactionId,
      transaction_date: date,
      ...(notice.payPlatform === null ? {} : { pay_platform: notice.payPlatform })
    }
  }
}
