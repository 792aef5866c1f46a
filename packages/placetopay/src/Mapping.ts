/**
 * Neutral ⇄ PlacetoPay, pure. Creation input → create body (refusing what the payment-links API
 * cannot carry, never dropping it), query answer → `PaymentLink`, notification → `PaymentEvent`.
 * Every PlacetoPay status is mapped explicitly; an unknown one becomes `unknown` with the raw kept.
 */
import { Fields, Money, Payer, PaymentError, type PaymentEvent, PaymentLink, Validation } from "@pasarela/core"
import * as BigDecimal from "effect/BigDecimal"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Wire from "./Wire.js"

export const PROVIDER = "placetopay"

/** A PlacetoPay `PaymentError` for `operation`, naming the merchant when there is one. */
export const failure = (
  operation: string,
  merchantId: string | undefined,
  reason: PaymentError.Reason
): PaymentError.PaymentError =>
  new PaymentError.PaymentError({
    provider: PROVIDER,
    operation,
    reason,
    ...(merchantId === undefined ? {} : { merchantId })
  })

/** Site-level settings the mapping depends on (from the layer's options). */
export interface Settings {
  /** IANA zone of the site: link expiration dates are its local time. */
  readonly timeZone: string
  /** Lifetime of a link whose input sets no expiry. */
  readonly defaultLinkLifetime: Duration.Duration
  /** Minutes each checkout session on a link lasts, unless the input's provider options say otherwise. */
  readonly sessionMinutes: number
  /** Merchant (hotel) this site serves, stamped on results. */
  readonly merchantId?: string | undefined
}

// ---- provider options ----

/** `providerOptions.placetopay`: the vendor-only knobs of a payment link. */
export const ProviderOptions = Schema.Struct({
  /** Minutes each checkout session on the link lasts (`paymentExpiration`). */
  sessionMinutes: Schema.optional(
    Schema.Number.pipe(Schema.filter((n) => (Number.isSafeInteger(n) && n >= 1) || "must be a whole number of minutes"))
  ),
  /** Discount-law modifiers (`payment.modifiers`). */
  modifiers: Schema.optional(Schema.Array(Wire.Modifier)),
  /** Skip PlacetoPay's result screen. */
  skipResult: Schema.optional(Schema.Boolean),
  /** More people to send the link to (email, SMS, WhatsApp), besides the payer. */
  recipients: Schema.optional(Schema.Array(Wire.Recipient)),
  /** Extra `additional` fields, with PlacetoPay's `displayOn` control. */
  additional: Schema.optional(Schema.Array(Wire.Additional))
})
export type ProviderOptions = typeof ProviderOptions.Type

// ---- payment methods ----

/**
 * Neutral method → PlacetoPay codes. `undefined`: no documented PlacetoPay code, so refused.
 * Nequi and Daviplata are not in PlacetoPay's payment-link documentation we follow.
 */
export const paymentMethodCodes: Readonly<Record<PaymentLink.PaymentMethod, ReadonlyArray<string> | undefined>> = {
  card: ["visa", "master", "amex", "diners"],
  visa: ["visa"],
  mastercard: ["master"],
  amex: ["amex"],
  diners: ["diners"],
  pse: ["pse"],
  nequi: undefined,
  daviplata: undefined,
  sinpe_movil: undefined,
  cash: undefined,
  preloaded_balance: undefined,
  gift_card: undefined
}

// ---- create ----

const MAX_RECIPIENTS = 20

/** Keyword under which the payer's name travels in `additional` (PlacetoPay's recipients have no name). */
export const PAYER_NAME_KEYWORD = "payerName"

/** Decimal text of an amount that a JSON number carries exactly, or undefined. */
const exactJsonNumber = (money: Money.Money): number | undefined => {
  const text = BigDecimal.format(BigDecimal.normalize(money.amount))
  const n = Number(text)
  return Number.isFinite(n) && String(n) === text ? n : undefined
}

/**
 * Parse issues under `prefix`, one per problem, never quoting values (core's `Validation.issuesOf`
 * also keeps deeply nested input from overflowing the formatter). Unknown keys read "is not a known option".
 */
export const parseIssues = (
  error: ParseResult.ParseError,
  prefix: string
): Array<{ readonly path: string; readonly message: string }> =>
  Validation.issuesOf(error).map((issue) => ({
    path: issue.path === "" ? prefix : `${prefix}${issue.path.startsWith("[") ? "" : "."}${issue.path}`,
    message: issue.message === "is not a known field" ? "is not a known option" : issue.message
  }))

const decodeOptions = Schema.decodeUnknownEither(ProviderOptions, { errors: "all", onExcessProperty: "error" })

const decodeProviderOptions = (
  input: Validation.Salvaged<PaymentLink.CreatePaymentLink>,
  problems: Validation.Problems
): ProviderOptions => {
  const raw = input.providerOptions?.[PROVIDER]
  if (raw === undefined) return {}
  const decoded = decodeOptions(raw)
  if (Either.isRight(decoded)) return decoded.right
  for (const issue of parseIssues(decoded.left, `providerOptions.${PROVIDER}`)) problems.bad(issue.path, issue.message)
  return {}
}

const payerRecipient = (
  payer: Validation.Salvaged<Payer.Payer>,
  problems: Validation.Problems
): { recipient?: Wire.Recipient; additional?: Wire.Additional } => {
  // PlacetoPay's own checkout page collects the payer's identity; a payment link cannot prefill it.
  const prefillOnly = ["document", "address", "country", "ip"] as const
  for (const field of prefillOnly) {
    if (payer[field] !== undefined) {
      problems.refuse(`payer.${field}`, "payment links cannot prefill the payer; PlacetoPay asks at checkout")
    }
  }
  if (payer.phone !== undefined && payer.email === undefined) {
    problems.refuse("payer.phone", "PlacetoPay only sends a link to a recipient with an email address")
  }
  const { callingCode, number } = payer.phone ?? {}
  const phone =
    callingCode === undefined || number === undefined ? {} : { phoneNumber: Payer.formatPhone({ callingCode, number }) }
  const name = payer.name === undefined ? undefined : Payer.fullName({ name: payer.name, surname: payer.surname })
  return {
    ...(payer.email === undefined ? {} : { recipient: { email: payer.email, ...phone } }),
    ...(name === undefined ? {} : { additional: { keyword: PAYER_NAME_KEYWORD, value: name, displayOn: "none" } })
  }
}

const mapMethods = (
  methods: ReadonlyArray<PaymentLink.PaymentMethod>,
  problems: Validation.Problems
): Array<string> => {
  if (methods.length === 0) {
    problems.bad("paymentMethods", "must list at least one method (omit it to allow all)")
  }
  const codes: Array<string> = []
  methods.forEach((method, i) => {
    const mapped = paymentMethodCodes[method]
    if (mapped === undefined) {
      problems.refuse(`paymentMethods[${i}]`, `PlacetoPay payment links have no code for "${method}"`)
      return
    }
    for (const code of mapped) if (!codes.includes(code)) codes.push(code)
  })
  return codes
}

const mapTaxes = (taxes: ReadonlyArray<PaymentLink.Tax>, problems: Validation.Problems): Array<Wire.Tax> =>
  taxes.map((tax, i) => {
    const amount = exactJsonNumber(tax.amount)
    const base = tax.base === undefined ? undefined : exactJsonNumber(tax.base)
    if (amount === undefined) {
      problems.bad(`taxes[${i}].amount`, "is too precise to send as a JSON number")
    }
    if (tax.base !== undefined && base === undefined) {
      problems.bad(`taxes[${i}].base`, "is too precise to send as a JSON number")
    }
    return { kind: tax.kind, amount: amount ?? 0, ...(base === undefined ? {} : { base }) }
  })

/** The expiry instant in whole seconds (the wire form has none smaller); the default lifetime when the input sets none. */
const expiryMillis = (
  input: Validation.Salvaged<PaymentLink.CreatePaymentLink>,
  nowMs: number,
  settings: Settings
): number => {
  const at =
    PaymentLink.expiryOf(input, new Date(nowMs))?.getTime() ?? nowMs + Duration.toMillis(settings.defaultLinkLifetime)
  return Math.floor(at / 1000) * 1000
}

/** Every check of a link input, on whatever part of it is there (see `linkRules`), and what the body needs. */
const linkChecks = (input: Validation.Salvaged<PaymentLink.CreatePaymentLink>, nowMs: number, settings: Settings) => {
  const problems = new Validation.Problems("PlacetoPay")

  // Fields with no place in PlacetoPay's payment-link API (spec §3.1).
  if (input.returnUrls !== undefined) {
    problems.refuse("returnUrls", "payment links have no return URL; the payer ends on PlacetoPay's result page")
  }
  if (input.installments !== undefined) {
    problems.refuse("installments", "payment links cannot fix installments; the payer chooses at checkout")
  }
  if (input.booking !== undefined) {
    problems.refuse("booking", "payment links have no booking fields; put a reservation id in metadata")
  }

  // PlacetoPay calls it back: the rule base URLs follow (https off loopback, no credentials).
  const notificationUrlProblem =
    input.notificationUrl === undefined ? undefined : Fields.endpointUrlProblem(input.notificationUrl)
  if (notificationUrlProblem !== undefined) {
    problems.bad("notificationUrl", notificationUrlProblem)
  }

  if (input.merchantId !== undefined && settings.merchantId !== undefined && input.merchantId !== settings.merchantId) {
    problems.bad("merchantId", "is not the merchant this PlacetoPay site is configured for")
  }

  const total = input.amount === undefined ? undefined : Money.toSafeInteger(input.amount)
  if (input.amount !== undefined && total === undefined) {
    problems.bad("amount", "must be a whole amount: PlacetoPay payment links take integer totals only")
  } else if (total === 0) {
    problems.bad("amount", "must be more than zero")
  }

  const options = decodeProviderOptions(input, problems)

  const expiry = expiryMillis(input, nowMs, settings)
  if (expiry <= nowMs) {
    problems.bad(input.expiresAt === undefined ? "expiresIn" : "expiresAt", "must be in the future")
  }

  const payer = input.payer === undefined ? {} : payerRecipient(input.payer, problems)
  const extraRecipients = options.recipients ?? []
  // An explicit recipient with the payer's email wins: it may ask for SMS or WhatsApp too.
  const recipients = [
    ...(payer.recipient === undefined ||
    extraRecipients.some((r) => r.email.toLowerCase() === payer.recipient!.email.toLowerCase())
      ? []
      : [payer.recipient]),
    ...extraRecipients
  ]
  if (recipients.length > MAX_RECIPIENTS) {
    problems.bad(
      `providerOptions.${PROVIDER}.recipients`,
      `with the payer, must be at most ${MAX_RECIPIENTS} recipients`
    )
  }

  // Metadata is the merchant's own data: stored on the link, never shown to the payer.
  const sourced: ReadonlyArray<{ readonly item: Wire.Additional; readonly path: string }> = [
    ...(payer.additional === undefined ? [] : [{ item: payer.additional, path: "payer.name" }]),
    ...Object.entries(input.metadata ?? {}).map(([keyword, value]) => ({
      item: { keyword, value, displayOn: "none" } as const,
      path: `metadata.${keyword}`
    })),
    ...(options.additional ?? []).map((item, i) => ({ item, path: `providerOptions.${PROVIDER}.additional[${i}]` }))
  ]
  const seen = new Set<string>()
  for (const { item, path } of sourced) {
    if (seen.has(item.keyword)) {
      problems.bad(
        path,
        `keyword "${item.keyword.slice(0, 40)}" is used twice (PlacetoPay keywords are unique per link${
          item.keyword === PAYER_NAME_KEYWORD ? `; "${PAYER_NAME_KEYWORD}" carries the payer's name` : ""
        })`
      )
    }
    seen.add(item.keyword)
  }
  const additional = sourced.map(({ item }) => item)

  const methods = input.paymentMethods === undefined ? undefined : mapMethods(input.paymentMethods, problems)
  const taxes = input.taxes === undefined ? undefined : mapTaxes(input.taxes, problems)
  return { problems, total, options, expiry, recipients, additional, methods, taxes }
}

/** PlacetoPay's rules on a link input (whole amounts, expiry, keywords…), for core to report with the shared schema's. */
export const linkRules =
  (settings: Settings): Validation.InputRules<PaymentLink.CreatePaymentLink> =>
  (input, nowMs) =>
    linkChecks(input, nowMs, settings).problems.invalid

/**
 * The create body for a neutral input at `nowMs`. Fields the payment-links API cannot honour fail
 * with `Unsupported` naming them; values it cannot carry fail with `InvalidRequest`. Nothing is dropped.
 */
export const toCreateRequest = (
  input: PaymentLink.CreatePaymentLink,
  nowMs: number,
  settings: Settings
): Either.Either<Wire.CreateLinkRequest, PaymentError.PaymentError> => {
  const { problems, total, options, expiry, recipients, additional, methods, taxes } = linkChecks(
    input,
    nowMs,
    settings
  )
  const maxPayments = input.maxPayments ?? 1
  const request = problems.result(
    (): Wire.CreateLinkRequest => ({
      name: input.title ?? input.description,
      reference: input.reference,
      description: input.description,
      expirationDate: Wire.formatLocal(expiry, settings.timeZone),
      paymentExpiration: options.sessionMinutes ?? settings.sessionMinutes,
      // Absent means unlimited on PlacetoPay, while the neutral default is single use: always send it.
      paymentsAllowed: maxPayments,
      isGeneric: maxPayments > 1,
      payment: {
        amount: {
          currency: input.amount.currency,
          total: total!,
          ...(taxes === undefined ? {} : { taxes })
        },
        ...(options.modifiers === undefined ? {} : { modifiers: options.modifiers })
      },
      ...(input.notificationUrl === undefined ? {} : { notificationUrl: input.notificationUrl }),
      ...(input.locale === undefined ? {} : { locale: input.locale }),
      ...(methods === undefined ? {} : { paymentMethod: methods }),
      ...(recipients.length === 0 ? {} : { recipients }),
      ...(additional.length === 0 ? {} : { additional }),
      ...(options.skipResult === undefined ? {} : { skipResult: options.skipResult })
    })
  )
  return Either.mapLeft(request, (reason) => failure("links.create", input.merchantId, reason))
}

/** The neutral link right after creation (a new link is ACTIVE; the 201 carries only id and url). */
export const fromCreated = (
  created: Wire.CreatedLink,
  request: Wire.CreateLinkRequest,
  input: PaymentLink.CreatePaymentLink,
  settings: Settings
): PaymentLink.PaymentLink => {
  const merchantId = input.merchantId ?? settings.merchantId
  const expiresAt = Wire.parseWireDate(request.expirationDate, settings.timeZone)
  return {
    id: String(created.id),
    provider: PROVIDER,
    ...(merchantId === undefined ? {} : { merchantId }),
    url: created.url,
    reference: input.reference,
    description: input.description,
    amount: input.amount,
    status: "active",
    providerStatus: "ACTIVE",
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(request.paymentsAllowed === undefined ? {} : { maxPayments: request.paymentsAllowed }),
    payments: []
  }
}

// ---- ids ----

/** A link id as `get` / `disable` receive it: PlacetoPay's ids are positive integers (and go into the URL path). */
export const parseLinkId = (id: string, operation: string): Either.Either<number, PaymentError.PaymentError> =>
  /^[1-9]\d{0,14}$/.test(id)
    ? Either.right(Number(id))
    : Either.left(
        Validation.invalid({ provider: PROVIDER, operation }, [
          { path: "id", message: "must be a PlacetoPay link id (a positive whole number)" }
        ])
      )

// ---- query ----

/** §6 payment / session statuses, each mapped on purpose. */
export const paymentStatus = (raw: string): PaymentLink.PaymentStatus => {
  switch (raw) {
    case "APPROVED":
      return "approved"
    case "PENDING":
    case "PENDING_VALIDATION":
    case "PENDING_CONFIRMATION":
      return "pending"
    // Part of the amount approved, the rest still owed: the payment is not complete.
    case "APPROVED_PARTIAL":
      return "pending"
    case "REJECTED":
      return "declined"
    // A partial payment whose session expired: it did not complete (the approved part is reversed).
    case "PARTIAL_EXPIRED":
      return "declined"
    case "REFUNDED":
      return "refunded"
    case "FAILED":
    case "ERROR":
      return "failed"
    case "UNKNOWN":
      return "unknown"
    default:
      return "unknown"
  }
}

/**
 * True when approved payments used up what the link allows: one on a single-use link
 * (`totalPayments` 1, or absent with `isGeneric` false), `totalPayments` on any other.
 */
const usedUpByApproved = (link: Wire.QueriedLink): boolean => {
  const approved = link.payments.filter((p) => p.status === "APPROVED").length
  if (approved === 0) return false
  const singleUse = link.totalPayments === 1 || (link.totalPayments === undefined && link.isGeneric !== true)
  return singleUse || (link.totalPayments !== undefined && approved >= link.totalPayments)
}

/**
 * Link status (spec §3.4 decisions). `paid` wins: a link used up by approved payments reads `paid`
 * whatever PlacetoPay's status became afterwards (EXPIRED once its date passes, INACTIVE when the
 * hotel disables it); `providerStatus` keeps PlacetoPay's word. An ACTIVE link with no
 * `availablePayments` left is `paid` too.
 */
export const linkStatus = (link: Wire.QueriedLink): PaymentLink.LinkStatus => {
  if (usedUpByApproved(link)) return "paid"
  switch (link.status) {
    case "ACTIVE":
      return link.totalPayments !== undefined && link.availablePayments === 0 ? "paid" : "active"
    case "INACTIVE":
      return "disabled"
    case "EXPIRED":
      return "expired"
    default:
      return "unknown"
  }
}

const moneyOf = (amount: { readonly currency: string; readonly total: number | string }, where: string) =>
  Either.mapLeft(Money.fromString(amount.total, amount.currency), (error) => `${where}: ${error.message}`)

const dateOf = (text: string, where: string, settings: Settings): Either.Either<Date, string> => {
  const date = Wire.parseWireDate(text, settings.timeZone)
  return date === undefined ? Either.left(`${where} is not a date in a form PlacetoPay uses`) : Either.right(date)
}

const paymentOf = (
  payment: Wire.Payment,
  i: number,
  settings: Settings
): Either.Either<PaymentLink.LinkPayment, string> =>
  Either.gen(function* () {
    const amount = payment.amount === undefined ? undefined : yield* moneyOf(payment.amount, `payments[${i}].amount`)
    const paidAt =
      payment.paymentDate === undefined
        ? undefined
        : yield* dateOf(payment.paymentDate, `payments[${i}].paymentDate`, settings)
    return {
      id: String(payment.id),
      status: paymentStatus(payment.status),
      providerStatus: payment.status,
      ...(amount === undefined ? {} : { amount }),
      ...(paidAt === undefined ? {} : { paidAt }),
      ...(payment.paymentMethod === undefined ? {} : { method: payment.paymentMethod }),
      ...(payment.authorization === undefined ? {} : { authorization: payment.authorization }),
      ...(payment.receipt === undefined ? {} : { receipt: payment.receipt }),
      ...(payment.lastDigits === undefined ? {} : { lastDigits: payment.lastDigits })
    }
  })

/** The neutral link from a query answer; Left(detail) when a value cannot be read (a protocol violation). */
export const fromQueried = (
  link: Wire.QueriedLink,
  settings: Settings
): Either.Either<PaymentLink.PaymentLink, string> =>
  Either.gen(function* () {
    const amount = yield* moneyOf(link.amount, "amount")
    const expiresAt =
      link.expirationDate === undefined ? undefined : yield* dateOf(link.expirationDate, "expirationDate", settings)
    const payments = yield* Either.all(link.payments.map((p, i) => paymentOf(p, i, settings)))
    return {
      id: String(link.id),
      provider: PROVIDER,
      ...(settings.merchantId === undefined ? {} : { merchantId: settings.merchantId }),
      url: link.url,
      reference: link.reference,
      description: link.description,
      amount,
      status: linkStatus(link),
      providerStatus: link.status,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(link.totalPayments === undefined ? {} : { maxPayments: link.totalPayments }),
      payments
    }
  })

// ---- 422 ----

/** Wire field → neutral input field, so a 422 names what the caller passed. */
const neutralField: ReadonlyArray<readonly [string, string]> = [
  ["payment.amount.taxes", "taxes"],
  ["payment.amount", "amount"],
  ["payment.modifiers", `providerOptions.${PROVIDER}.modifiers`],
  ["paymentExpiration", `providerOptions.${PROVIDER}.sessionMinutes`],
  ["paymentsAllowed", "maxPayments"],
  ["paymentMethod", "paymentMethods"],
  ["expirationDate", "expiresAt"],
  ["name", "title"]
]

const neutralPath = (field: string): string => {
  for (const [wire, neutral] of neutralField) {
    if (field === wire || field.startsWith(`${wire}.`)) {
      const rest = field.slice(wire.length)
      // `payment.amount.total` and `.currency` are both the neutral `amount`.
      return neutral === "amount" ? neutral : `${neutral}${rest.replace(/\.(\d+)(?=\.|$)/g, "[$1]")}`
    }
  }
  return field.replace(/\.(\d+)(?=\.|$)/g, "[$1]")
}

/** A 422's `errors` map as field issues, named after the neutral input where one maps. */
export const validationIssues = (errors: Wire.ValidationEnvelope["errors"]): Array<PaymentError.FieldIssue> =>
  Object.entries(errors).flatMap(([field, messages]) =>
    messages.map((message) => new PaymentError.FieldIssue({ path: neutralPath(field), message }))
  )

/** InvalidRequest from a 422 answer. */
export const invalidFrom422 = (errors: Wire.ValidationEnvelope["errors"]) =>
  new PaymentError.InvalidRequest({ issues: validationIssues(errors) })

// ---- notifications ----

/** §4.1: PAID and EXPIRED; anything else is kept as `unknown`. */
export const linkEventType = (status: string): PaymentEvent.EventType => {
  switch (status) {
    case "PAID":
      return "payment.approved"
    case "EXPIRED":
      return "link.expired"
    default:
      return "unknown"
  }
}

const checkoutEvents: Record<PaymentLink.PaymentStatus, PaymentEvent.EventType> = {
  approved: "payment.approved",
  pending: "payment.pending",
  declined: "payment.declined",
  failed: "payment.declined",
  refunded: "refund.completed",
  partially_refunded: "refund.partial",
  unknown: "unknown"
}

/** §4.2 / §6: checkout-session statuses as events, read as the payment statuses they are. */
export const checkoutEventType = (status: string): PaymentEvent.EventType => checkoutEvents[paymentStatus(status)]

/** The instant a notification states, or undefined when its date is not ISO 8601 with a zone. */
export const notificationDate = (notification: Wire.Notification): Date | undefined =>
  Wire.parseZonedIso(notification.status.date)

/**
 * The dedupe key of a payment-link notification. Ids are per site, so the merchant is part of it
 * (two hotels' sites can both pay their link 5 in the same second). A link is paid once and
 * expires once, so the status says which fact; not the date, which a reconciler reading the link
 * back cannot know — it recovers a lost notification under this same key.
 */
export const linkEventKey = (merchantId: string | undefined, linkId: number | string, status: string): string =>
  `${PROVIDER}:${merchantId ?? "-"}:link:${linkId}:${status}`

/**
 * What PlacetoPay notifies for a link in this state: PAID once its payments are used up, EXPIRED
 * once expired — with the keys its notifications carry. Read from PlacetoPay's authenticated API,
 * so every field is vouched for.
 */
export const linkEvents = (
  link: PaymentLink.PaymentLink,
  merchantId: string | undefined,
  now: Date
): ReadonlyArray<PaymentEvent.PaymentEvent> => {
  const status = link.status === "paid" ? "PAID" : link.status === "expired" ? "EXPIRED" : undefined
  if (status === undefined) return []
  const paidAt = link.payments
    .filter((payment) => payment.status === "approved" && payment.paidAt !== undefined)
    .map((payment) => payment.paidAt!.getTime())
  return [
    {
      provider: PROVIDER,
      ...(merchantId === undefined ? {} : { merchantId }),
      type: status === "PAID" ? "payment.approved" : "link.expired",
      subject: { kind: "link", id: link.id },
      reference: link.reference,
      amount: link.amount,
      providerStatus: status,
      // When it happened, as far as the link tells; else when it was found out.
      occurredAt:
        status === "PAID" ? (paidAt.length > 0 ? new Date(Math.max(...paidAt)) : now) : (link.expiresAt ?? now),
      dedupeKey: linkEventKey(merchantId, link.id, status),
      verified: true,
      authenticated: ["subject.kind", "subject.id", "type", "reference", "amount", "occurredAt"],
      raw: { reconciled: true, status: link.providerStatus }
    }
  ]
}

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

/**
 * The neutral event of a notification whose signature was verified. The dedupe key is the signed
 * fact itself (subject, status, date): every delivery of it maps to the same key.
 */
export const toEvent = (
  notification: Wire.Notification,
  occurredAt: Date,
  raw: unknown,
  merchantId: string | undefined
): PaymentEvent.PaymentEvent => {
  const { status } = notification
  const link = Wire.isLinkNotification(notification)
  const subject = link
    ? { kind: "link" as const, id: String(notification.linkId) }
    : { kind: "session" as const, id: String(notification.requestId) }
  const type = link ? linkEventType(status.status) : checkoutEventType(status.status)
  return {
    provider: PROVIDER,
    ...(merchantId === undefined ? {} : { merchantId }),
    type,
    subject,
    reference: notification.reference,
    providerStatus: status.status,
    ...(type === "payment.declined" ? { detail: status.message } : {}),
    occurredAt,
    dedupeKey: link
      ? linkEventKey(merchantId, notification.linkId, status.status)
      : `${PROVIDER}:${merchantId ?? "-"}:${subject.kind}:${subject.id}:${status.status}:${status.date}`,
    verified: true,
    authenticated: authenticatedFields,
    raw
  }
}
