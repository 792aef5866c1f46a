/**
 * Neutral ⇄ Autocore, as pure functions. Requests are checked against what Autocore's wire can carry
 * before any I/O: a value it cannot represent is `InvalidRequest` on that field, and a neutral field
 * it has no place for is `Unsupported` naming the field: refused, never silently dropped.
 */
import {
  Card,
  type Charge,
  Fields,
  type GiftCard,
  Money,
  Payer,
  type PaymentError,
  PaymentLink,
  type PaymentOrder,
  Validation
} from "@pasarela/core"
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { notificationUrlProblem } from "./Options.js"
import { type OperationKind, signWebhookUrl, tokenExpiry, type WebhookSettings } from "./Webhooks.js"
import * as Wire from "./Wire.js"

export const PROVIDER = "autocore"

/** What mapping needs from the adapter's configuration. */
export interface Settings extends WebhookSettings {
  readonly hotelId: number
  /** The hotel's currency: charges are made in it unless `sendCurrency`. */
  readonly currency: Money.Currency
  /** Integration source sent when the input names none (required by Autocore when the account has several). */
  readonly source: string | undefined
  /** Send `order.currency` on charges (newer API versions); otherwise charges are in `currency`. */
  readonly sendCurrency: boolean
  /** Default base of `temp_webhook_url` when an input has no `notificationUrl`. */
  readonly notificationUrl: string | undefined
  /** Relative voucher URLs are resolved against it. */
  readonly baseUrl: string
}

/**
 * What a create takes from the moment it is made: the time (expiries) and a fresh random nonce
 * for its notification URL's token. Passed in, so mapping stays a pure function.
 */
export interface Stamp {
  readonly now: Date
  readonly nonce: string
}

/** Why an input cannot be sent: a bad value, or a field Autocore cannot honour. */
export type Refusal = PaymentError.InvalidRequest | PaymentError.Unsupported

/** `providerOptions.autocore`: the vendor-only knobs this adapter takes. */
export const AutocoreOptions = Schema.Struct({
  /** Autocore's integration source (`Autocore WebApp`, `Bitrix24`…); overrides the configured one. */
  source: Schema.optional(Fields.Text(100))
})
export type AutocoreOptions = typeof AutocoreOptions.Type

/** `{ key: value }` when the value is present, `{}` otherwise: absent values are omitted, never `null`. */
const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

/** What every create input has, and every operation checks the same way. */
interface Common {
  readonly merchantId?: string | undefined
  readonly notificationUrl?: string | undefined
  readonly providerOptions?: Readonly<Record<string, unknown>> | undefined
}

/** The checks every operation starts with: the merchant, the notification URL, `providerOptions`. */
const commonChecks = (input: Common, settings: Settings) => {
  const problems = new Validation.Problems("Autocore")
  if (input.merchantId !== undefined && input.merchantId !== settings.merchantId) {
    problems.bad("merchantId", `this Autocore configuration serves merchant ${settings.merchantId}`)
  }
  const urlProblem = input.notificationUrl === undefined ? undefined : notificationUrlProblem(input.notificationUrl)
  if (urlProblem !== undefined) problems.bad("notificationUrl", urlProblem)
  return { problems, options: autocoreOptions(input.providerOptions, problems) }
}

const decodeOptions = Schema.decodeUnknownEither(AutocoreOptions, { errors: "all", onExcessProperty: "error" })

/** Reads `providerOptions.autocore`; other providers' entries are theirs and ignored. */
const autocoreOptions = (
  providerOptions: Readonly<Record<string, unknown>> | undefined,
  problems: Validation.Problems
): AutocoreOptions => {
  const raw = providerOptions?.[PROVIDER]
  if (raw === undefined) return {}
  const decoded = decodeOptions(raw)
  if (Either.isRight(decoded)) return decoded.right
  for (const issue of Validation.issuesOf(decoded.left)) {
    const path = ["providerOptions", PROVIDER, ...(issue.path === "" ? [] : [issue.path])].join(".")
    problems.bad(
      path,
      issue.message === "is not a known field"
        ? "is not an Autocore option (known: source)"
        : "must be a non-empty text"
    )
  }
  return {}
}

/** A positive whole amount that is a safe JSON integer (links take integers only). */
const integerAmount = (money: Money.Money, problems: Validation.Problems): number | undefined => {
  if (!Money.isInteger(money)) {
    return problems.bad("amount", "Autocore payment links take whole amounts only (no fractional part)")
  }
  const value = Money.toSafeInteger(money)
  if (value === undefined) return problems.bad("amount", "is too large to send")
  if (value <= 0) return problems.bad("amount", "must be more than zero")
  return value
}

/** A positive amount as a JSON number with at most two decimals that reads back exactly. */
const decimalAmount = (money: Money.Money, problems: Validation.Problems): number | undefined => {
  if (Money.isZero(money)) return problems.bad("amount", "must be more than zero")
  // Currencies with three or four decimals (BHD, CLF…) can hold amounts Autocore cannot carry.
  if (BigDecimal.normalize(money.amount).scale > 2) return problems.bad("amount", "Autocore takes at most two decimals")
  const text = Money.toFixedScale(money, Math.min(Money.exponent(money.currency), 2))
  const value = Number(text)
  const back = Money.fromString(value, money.currency)
  // Money allows 15 integer digits; with cents that is beyond a double's exact range.
  if (Either.isLeft(back) || !Money.equals(back.right, money))
    return problems.bad("amount", "is too large to send exactly")
  return value
}

/** `"0.19"` → 0.19; Autocore takes rates 0.00–1.00 with at most two decimals. */
const rate = (value: string | undefined, path: string, problems: Validation.Problems): number | undefined => {
  if (value === undefined) return undefined
  const [whole, fraction = ""] = value.split(".")
  const significant = fraction.replace(/0+$/, "")
  if (significant.length > 2) return problems.bad(path, "Autocore takes rates with at most two decimals, e.g. 0.19")
  return Number(significant === "" ? whole : `${whole}.${significant}`)
}

const isIPv4 = Schema.is(Fields.IPv4)

/**
 * The notification URL with its token, from the input or the configured default. The token names
 * this operation (kind, reference, currency, the stamp's nonce) and expires `webhookTokenLifetime`
 * after it was made, or after `until` (a link's expiry) when that is later.
 */
const webhookUrl = (
  input: { readonly notificationUrl?: string | undefined; readonly reference: string; readonly amount: Money.Money },
  kind: OperationKind,
  settings: Settings,
  stamp: Stamp,
  until?: Date
): string | undefined => {
  const base = input.notificationUrl ?? settings.notificationUrl
  return base === undefined
    ? undefined
    : signWebhookUrl(
        base,
        {
          kind,
          reference: input.reference,
          currency: input.amount.currency,
          merchantId: settings.merchantId,
          nonce: stamp.nonce,
          expiresAt: tokenExpiry(stamp.now, until, settings.webhookTokenLifetime)
        },
        settings.webhookSecret
      )
}

/** An operation's checks as the rules core reports next to the shared schema's issues. */
const rulesOf =
  <A>(
    checks: (input: Validation.Salvaged<A>, settings: Settings, now: Date) => { readonly problems: Validation.Problems }
  ) =>
  (settings: Settings): Validation.InputRules<A> =>
  (input, now) =>
    checks(input, settings, new Date(now)).problems.invalid

/** Relative voucher URLs (`v2/terminal-payments/481/vouchers`) resolved against the API's base URL. */
export const resolveVoucherUrl = (voucher: string | null | undefined, baseUrl: string): string | undefined => {
  if (voucher === null || voucher === undefined || voucher.trim() === "") return undefined
  try {
    return new URL(voucher, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).toString()
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Payment links (§4)

/** Neutral method → Autocore's `allowed_payment_options` value. Absent: Autocore has no such option. */
const paymentOptions: Partial<Record<PaymentLink.PaymentMethod, string>> = {
  card: "credit_card",
  pse: "pse",
  nequi: "nequi",
  daviplata: "daviplata",
  sinpe_movil: "sinpe_movil",
  preloaded_balance: "preloaded_balance",
  gift_card: "gift_cards"
}

const HOUR_MILLIS = 60 * 60 * 1000

export interface LinkPlan {
  readonly body: Wire.LinkRequest
  /** The effective expiry: now plus the whole hours sent (the requested expiry rounded up). */
  readonly expiresAt: Date | undefined
}

/** Every check of a link input, on whatever part of it is there (see `linkRules`). */
const linkChecks = (input: Validation.Salvaged<PaymentLink.CreatePaymentLink>, settings: Settings, now: Date) => {
  const { problems, options } = commonChecks(input, settings)
  if (input.title !== undefined) problems.refuse("title", "links show only the description")
  if (input.taxes !== undefined && input.taxes.length > 0) problems.refuse("taxes", "links carry no tax breakdown")
  if (input.locale !== undefined) problems.refuse("locale", "the pay page's language is not selectable")
  if (input.metadata !== undefined) problems.refuse("metadata", "links carry no free-form data")
  if (input.maxPayments !== undefined && input.maxPayments > 1) {
    problems.refuse("maxPayments", "links accept a single approved payment")
  }
  const payer = input.payer
  if (payer === undefined) problems.bad("payer", "is required by Autocore (guest name and email)")
  else {
    if (payer.email === undefined) problems.bad("payer.email", "is required by Autocore")
    if (payer.document !== undefined) problems.refuse("payer.document", "links carry no payer document")
    if (payer.address !== undefined) problems.refuse("payer.address", "links carry no payer address")
    if (payer.ip !== undefined) problems.refuse("payer.ip", "links carry no payer IP")
  }
  const amount = input.amount === undefined ? undefined : integerAmount(input.amount, problems)

  let hours: number | undefined
  const requested = PaymentLink.expiryOf(input, now)
  if (requested !== undefined) {
    const millis = requested.getTime() - now.getTime()
    if (millis <= 0) problems.bad(input.expiresAt === undefined ? "expiresIn" : "expiresAt", "must be in the future")
    else hours = Math.ceil(millis / HOUR_MILLIS)
  }

  const methods: Array<string> = []
  input.paymentMethods?.forEach((method, i) => {
    const option = paymentOptions[method]
    if (option === undefined) {
      problems.refuse(
        `paymentMethods[${i}]`,
        method === "cash"
          ? "links have no cash option"
          : `links cannot be limited to one card brand (${method}); use card`
      )
    } else if (!methods.includes(option)) methods.push(option)
  })
  if (input.paymentMethods !== undefined && input.paymentMethods.length === 0) {
    problems.bad("paymentMethods", "must list at least one method (leave it out to allow all)")
  }
  return { problems, options, amount, hours, methods }
}

/** Autocore's rules on a link input, for core to report next to the shared schema's issues. */
export const linkRules = rulesOf<PaymentLink.CreatePaymentLink>(linkChecks)

/**
 * A link input → the §4 body. `now` fixes the expiry arithmetic: `available_hours` is the requested
 * lifetime rounded up to whole hours, and the link reports `now + hours` as its expiry.
 */
export const linkRequest = (
  input: PaymentLink.CreatePaymentLink,
  settings: Settings,
  stamp: Stamp
): Either.Either<LinkPlan, Refusal> => {
  const now = stamp.now
  const { problems, options, amount, hours, methods } = linkChecks(input, settings, now)
  return problems.result(() => {
    const p = input.payer!
    const expiresAt = hours === undefined ? undefined : new Date(now.getTime() + hours * HOUR_MILLIS)
    const redirect = {
      ...opt("success_url", input.returnUrls?.success),
      ...opt("failure_url", input.returnUrls?.failure)
    }
    const body: Wire.LinkRequest = {
      hotel_id: settings.hotelId,
      guest_name: Payer.fullName(p),
      email: p.email!,
      ...opt("country_code", p.country),
      ...opt("phone", p.phone === undefined ? undefined : Payer.formatPhone(p.phone)),
      ...opt("available_hours", hours),
      description: input.description,
      ...opt(
        "booking_dates",
        input.booking === undefined ? undefined : `${input.booking.checkIn} - ${input.booking.checkOut}`
      ),
      ...opt("source", options.source ?? settings.source),
      external_ref_id: input.reference,
      ...opt("reservation_id", input.booking?.reservationId),
      ...opt("temp_webhook_url", webhookUrl(input, "link", settings, stamp, expiresAt)),
      amount: amount!,
      currency: input.amount.currency,
      ...opt("installments", input.installments),
      ...opt("allowed_payment_options", methods.length === 0 ? undefined : methods),
      ...opt("redirect", Object.keys(redirect).length === 0 ? undefined : redirect)
    }
    return { body, expiresAt }
  })
}

/** §4 answer → the neutral link. Autocore reports no status: a new link is active. */
export const linkResult = (
  input: PaymentLink.CreatePaymentLink,
  response: Wire.LinkResponse,
  plan: LinkPlan,
  settings: Settings
): PaymentLink.PaymentLink => ({
  id: response.code,
  provider: PROVIDER,
  merchantId: settings.merchantId,
  url: response.url,
  reference: input.reference,
  description: input.description,
  amount: input.amount,
  status: "active",
  providerStatus: response.msg,
  ...opt("expiresAt", plan.expiresAt),
  ...opt("maxPayments", input.maxPayments),
  payments: []
})

// ---------------------------------------------------------------------------------------------
// Card charges (§5)

export interface ChargePlan {
  readonly order: Wire.ChargeOrder
  /** Plain card fields, still `Redacted`: the client encrypts each through the `CardCipher`. */
  readonly card: Readonly<Record<Wire.CardField, Redacted.Redacted<string>>>
}

const MAX_DETAIL = 99

/** `now`'s wall clock in the configured zone, as a UTC-fielded Date (for month arithmetic). */
const localNow = (now: Date, settings: Settings) => {
  const wall = DateTime.toParts(DateTime.unsafeMakeZoned(now, { timeZone: settings.timeZone }))
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hours, wall.minutes, wall.seconds))
}

/** Every check of a charge input, on whatever part of it is there (see `chargeRules`). */
const chargeChecks = (input: Validation.Salvaged<Charge.CreateCharge>, settings: Settings, now: Date) => {
  const { problems, options } = commonChecks(input, settings)
  if (input.metadata !== undefined) problems.refuse("metadata", "charges carry no free-form data")
  const payer = input.payer
  if (payer?.surname === undefined) problems.bad("payer.surname", "is required by Autocore (ref_lastname)")
  if (payer?.country !== undefined) problems.refuse("payer.country", "charges carry no payer country")
  if (payer?.ip !== undefined && !isIPv4(payer.ip)) problems.bad("payer.ip", "Autocore takes an IPv4 address only")
  if (input.description !== undefined && input.description.length > MAX_DETAIL) {
    problems.bad("description", `Autocore takes at most ${MAX_DETAIL} characters for a charge`)
  }
  if (input.amount !== undefined && !settings.sendCurrency && input.amount.currency !== settings.currency) {
    problems.bad(
      "amount",
      `Autocore charges are made in ${settings.currency}; enable sendCurrency to charge in ${input.amount.currency}`
    )
  }
  const amount = input.amount === undefined ? undefined : decimalAmount(input.amount, problems)
  const taxPercent = rate(input.taxRate, "taxRate", problems)
  const servicePercent = rate(input.serviceRate, "serviceRate", problems)
  // Autocore judges expiry in its own (configured) zone, like every date it handles.
  const { expiryMonth, expiryYear } = input.card ?? {}
  if (
    expiryMonth !== undefined &&
    expiryYear !== undefined &&
    Card.isExpired({ expiryMonth, expiryYear }, localNow(now, settings))
  ) {
    problems.bad("card", "has expired")
  }
  return { problems, options, amount, taxPercent, servicePercent }
}

/** Autocore's rules on a charge input (description length, currency, amount, card expiry…). */
export const chargeRules = rulesOf<Charge.CreateCharge>(chargeChecks)

/** A charge input → the §5 order and the card fields to encrypt. An expired card is refused here. */
export const chargeRequest = (
  input: Charge.CreateCharge,
  settings: Settings,
  stamp: Stamp
): Either.Either<ChargePlan, Refusal> => {
  const { problems, options, amount, taxPercent, servicePercent } = chargeChecks(input, settings, stamp.now)
  const payer = input.payer
  return problems.result(() => ({
    order: {
      ref_name: payer.name,
      ref_lastname: payer.surname!,
      ref_number: input.reference,
      external_ref_id: input.reference,
      ...opt("temp_webhook_url", webhookUrl(input, "charge", settings, stamp)),
      ...opt("source", options.source ?? settings.source),
      ...opt("detail", input.description),
      amount: amount!,
      installments: input.installments ?? 1,
      ...opt("tax_percent", taxPercent),
      ...opt("service_percent", servicePercent),
      hotel_id: settings.hotelId,
      ...opt("email", payer.email),
      ...opt("phone", payer.phone === undefined ? undefined : Payer.formatPhone(payer.phone)),
      ...opt("address", payer.address),
      // The document's number is the buyer's tax id; the charge has no field for its type.
      ...opt("fiscal_number", payer.document?.number),
      ...opt("ip", payer.ip),
      ...opt("currency", settings.sendCurrency ? input.amount.currency : undefined)
    },
    card: {
      cc_number: input.card.number,
      cc_code: input.card.cvv,
      cc_expire_month: Redacted.make(String(input.card.expiryMonth).padStart(2, "0")),
      cc_expire_year: Redacted.make(String(input.card.expiryYear)),
      cc_holder: input.card.holderName
    }
  }))
}

/** §11 status code of a charge → outcome; `undefined` for a code this adapter does not know. */
const chargeOutcome = (statusCode: string): Charge.ChargeOutcome | undefined => {
  switch (statusCode.trim().toLowerCase()) {
    case "applied":
      return "approved"
    case "in_process":
      return "pending"
    case "rejected":
    case "invalid_card":
      return "declined"
    default:
      return undefined
  }
}

const chargeOf = (
  input: Charge.CreateCharge,
  details: Wire.Details,
  outcome: Charge.ChargeOutcome,
  transactionId: string | undefined,
  voucher: string | null | undefined,
  settings: Settings
): Charge.Charge => {
  const id = transactionId ?? details.transaction_id ?? undefined
  const voucherUrl = resolveVoucherUrl(voucher, settings.baseUrl)
  const processedAt = details.transaction_date
    ? Wire.parseTimestamp(details.transaction_date, settings.timeZone)
    : undefined
  const declineReason =
    outcome !== "declined"
      ? undefined
      : (details.comments ??
        details.status_detail ??
        (details.status_code === "invalid_card" ? "invalid card" : undefined))
  return {
    id: id === undefined || id.toUpperCase() === "N/A" ? input.reference : id,
    provider: PROVIDER,
    merchantId: settings.merchantId,
    reference: input.reference,
    amount: input.amount,
    outcome,
    providerStatus: details.status_code,
    ...opt("declineReason", declineReason),
    ...opt("voucherUrl", voucherUrl),
    lastDigits: Card.lastFour(input.card),
    ...opt("processedAt", processedAt)
  }
}

/**
 * A 200 to a charge → the charge. `Left` with the status code when it is not one this adapter knows:
 * the charge may have happened, so the caller must not guess.
 */
export const chargeAccepted = (
  input: Charge.CreateCharge,
  response: Wire.ChargeAccepted,
  settings: Settings
): Either.Either<Charge.Charge, string> => {
  const outcome = chargeOutcome(response.details.status_code)
  if (outcome === undefined) return Either.left(response.details.status_code)
  const transactionId = "transaction_id" in response ? (response.transaction_id ?? undefined) : undefined
  return Either.right(chargeOf(input, response.details, outcome, transactionId, response.voucher_url, settings))
}

/** The 400 with `extra_info` → a declined charge. `Left` when its status is not a decline. */
export const chargeRejected = (
  input: Charge.CreateCharge,
  response: Wire.ChargeRejected,
  settings: Settings
): Either.Either<Charge.Charge, string> => {
  const details = response.extra_info.details
  return chargeOutcome(details.status_code) === "declined"
    ? Either.right(chargeOf(input, details, "declined", undefined, response.extra_info.voucher_url, settings))
    : Either.left(details.status_code)
}

// ---------------------------------------------------------------------------------------------
// Cash payment orders (§8)

/** Every check of a cash order input, on whatever part of it is there (see `orderRules`). */
const orderChecks = (input: Validation.Salvaged<PaymentOrder.CreatePaymentOrder>, settings: Settings) => {
  const { problems, options } = commonChecks(input, settings)
  if (options.source !== undefined) problems.refuse("providerOptions.autocore.source", "cash orders take no source")
  if (input.metadata !== undefined) problems.refuse("metadata", "cash orders carry no free-form data")
  const payer = input.payer
  if (payer?.country !== undefined) problems.refuse("payer.country", "cash orders carry no payer country")
  if (payer?.surname === undefined) problems.bad("payer.surname", "is required by Autocore (ref_lastname)")
  if (payer?.email === undefined) problems.bad("payer.email", "is required by Autocore")
  if (payer?.document === undefined) problems.bad("payer.document", "is required by Autocore (fiscal number and type)")
  if (payer?.phone === undefined) problems.bad("payer.phone", "is required by Autocore")
  if (payer?.address === undefined) problems.bad("payer.address", "is required by Autocore")
  if (payer?.ip === undefined) problems.bad("payer.ip", "is required by Autocore")
  else if (!isIPv4(payer.ip)) problems.bad("payer.ip", "Autocore takes an IPv4 address only")
  if (input.amount !== undefined && input.amount.currency !== "COP") {
    problems.bad("amount", "Autocore cash orders are in COP only")
  }
  const amount = input.amount === undefined ? undefined : decimalAmount(input.amount, problems)
  const taxPercent = rate(input.taxRate, "taxRate", problems)
  const servicePercent = rate(input.serviceRate, "serviceRate", problems)
  return { problems, amount, taxPercent, servicePercent }
}

/** Autocore's rules on a cash order input (the payer's full identity, COP, amount…). */
export const orderRules = rulesOf<PaymentOrder.CreatePaymentOrder>(orderChecks)

/** An order input → the §8 body. Cash orders are in COP and need the payer's full identity. */
export const orderRequest = (
  input: PaymentOrder.CreatePaymentOrder,
  settings: Settings,
  stamp: Stamp
): Either.Either<Wire.CashRequest, Refusal> => {
  const { problems, amount, taxPercent, servicePercent } = orderChecks(input, settings)
  const payer = input.payer
  return problems.result(() => ({
    order: {
      ref_name: payer.name,
      ref_lastname: payer.surname!,
      ref_number: input.reference,
      detail: input.description,
      amount: amount!,
      ...opt("tax_percent", taxPercent),
      ...opt("service_percent", servicePercent),
      hotel_id: settings.hotelId,
      email: payer.email!,
      fiscal_number: payer.document!.number,
      phone: Payer.formatPhone(payer.phone!),
      ip: payer.ip!,
      external_ref_id: input.reference,
      ...opt("temp_webhook_url", webhookUrl(input, "order", settings, stamp))
    },
    cash: {
      address: payer.address!,
      user_type: input.personType,
      fiscal_number_type: payer.document!.type,
      payment_type: input.method,
      response_url: input.returnUrl
    }
  }))
}

/** §8 answer → the neutral order, pending until the webhook reports the payment. */
export const orderResult = (
  input: PaymentOrder.CreatePaymentOrder,
  response: Wire.CashResponse,
  settings: Settings
): PaymentOrder.PaymentOrder => ({
  id: response.transaction_id,
  provider: PROVIDER,
  merchantId: settings.merchantId,
  reference: input.reference,
  amount: input.amount,
  status: "pending",
  checkoutUrl: response.checkout_url
})

// ---------------------------------------------------------------------------------------------
// Gift cards (§7)

const giftCardDocumentTypes = ["CC", "PP", "NIT", "TI"] as const
const isGiftCardDocumentType = (type: string): type is (typeof giftCardDocumentTypes)[number] =>
  (giftCardDocumentTypes as ReadonlyArray<string>).includes(type)

/** Every check of a gift card input, on whatever part of it is there (see `giftCardRules`). */
const giftCardChecks = (input: Validation.Salvaged<GiftCard.CreateGiftCard>, settings: Settings) => {
  const { problems, options } = commonChecks(input, settings)
  if (options.source !== undefined) problems.refuse("providerOptions.autocore.source", "gift cards take no source")
  const currency = input.amount?.currency
  if (currency !== undefined && currency !== "COP" && currency !== "USD") {
    problems.bad("amount", "Autocore gift cards are in COP or USD")
  }
  const amount = input.amount === undefined ? undefined : decimalAmount(input.amount, problems)
  const documentType = input.sender?.document?.type
  if (documentType !== undefined && !isGiftCardDocumentType(documentType)) {
    problems.bad("sender.document.type", `Autocore gift cards accept ${giftCardDocumentTypes.join(", ")}`)
  }
  if ((input.notificationUrl ?? settings.notificationUrl) === undefined) {
    problems.bad("notificationUrl", "is required by Autocore for gift cards (give one or configure notificationUrl)")
  }
  return { problems, amount }
}

/** Autocore's rules on a gift card input (currency, amount, document type, notification URL…). */
export const giftCardRules = rulesOf<GiftCard.CreateGiftCard>(giftCardChecks)

/** A gift-card input → the §7 body. Every field is required there, the notification URL too. */
export const giftCardRequest = (
  input: GiftCard.CreateGiftCard,
  settings: Settings,
  stamp: Stamp
): Either.Either<Wire.GiftCardRequest, Refusal> => {
  const { problems, amount } = giftCardChecks(input, settings)
  const currency = input.amount.currency
  const documentType = input.sender.document.type
  const notificationUrl = webhookUrl(input, "giftCard", settings, stamp)
  return problems.result(() => ({
    sender: {
      name: input.sender.name,
      document_type: documentType as (typeof giftCardDocumentTypes)[number],
      document_number: input.sender.document.number,
      email: input.sender.email,
      address: input.sender.address,
      phone: input.sender.phone.number,
      country_code: input.sender.phone.callingCode
    },
    recipient: { name: input.recipient.name, email: input.recipient.email },
    amount: amount!,
    currency: currency as "COP" | "USD",
    note: input.note,
    external_ref_id: input.reference,
    temp_webhook_url: notificationUrl!,
    success_url: input.returnUrls.success,
    failure_url: input.returnUrls.failure
  }))
}

/** §7 answer → the neutral gift card, pending until its payment link is paid. */
export const giftCardResult = (
  input: GiftCard.CreateGiftCard,
  response: Wire.GiftCardResponse,
  settings: Settings
): GiftCard.GiftCard => ({
  code: response.gift_card_code,
  provider: PROVIDER,
  merchantId: settings.merchantId,
  reference: input.reference,
  amount: input.amount,
  status: "pending_payment",
  paymentLink: { id: response.payment_link_code, url: response.payment_link }
})

// ---------------------------------------------------------------------------------------------
// Hotels (§9)

export interface Hotel {
  readonly id: number
  readonly name: string
  readonly currency: string
}

export interface HotelsPage {
  readonly hotels: ReadonlyArray<Hotel>
  /** Index of the first hotel of this page. */
  readonly offset: number
  readonly totalItems: number
  readonly totalPages: number
  /** True when hotels remain after this page. */
  readonly hasMore: boolean
}

export const hotelsPage = (response: Wire.HotelsPage): HotelsPage => {
  const info = response.paginate_info
  return {
    hotels: response.data.map(({ id, name, currency }) => ({ id, name, currency })),
    offset: info.start,
    totalItems: info.total_items,
    totalPages: info.total_pages,
    hasMore: info.start + response.data.length < info.total_items
  }
}
