/**
 * PlacetoPay payment-links wire shapes (spec §3): the create request as a Schema that reports every
 * invalid field at once (Laravel-style `errors` map, as the real service answers 422), the response
 * envelopes, and the query view of a link.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Link, Payment, SiteConfig } from "./Model.js"
import { availablePayments } from "./Model.js"
import { formatIso, isLocalDateShape, parseLocal } from "./Time.js"

// Messages follow Laravel's wording (the real service is a Laravel app); `:attribute` becomes the
// field's dotted path, e.g. `payment.amount.total`.
const MSG = {
  required: "The :attribute field is required.",
  string: "The :attribute field must be a string.",
  integer: "The :attribute field must be an integer.",
  number: "The :attribute field must be a number.",
  boolean: "The :attribute field must be true or false.",
  array: "The :attribute field must be an array.",
  object: "The :attribute field must be an object.",
  atLeastOne: "The :attribute field must be at least 1.",
  dateFormat: "The :attribute field must match the format Y-m-d H:i:s.",
  afterNow: "The :attribute field must be a date after now.",
  invalid: "The selected :attribute is invalid.",
  currency: "The :attribute field must be a valid ISO 4217 currency code.",
  url: "The :attribute field must be a valid URL.",
  email: "The :attribute field must be a valid email address.",
  locale: "The :attribute field format is invalid (expected ll_CC, e.g. es_CO).",
  maxRecipients: "The :attribute field must not have more than 20 items.",
  distinct: "The :attribute field has a duplicate value.",
  invoice: "The :attribute field must not be greater than 9 characters.",
  phoneRequired: "The :attribute field is required when sendSMS or sendWhatsapp is true."
} as const

/** Used for a failure of the schema itself and of anything it refines (leaf types). */
const leaf = (message: string) => () => ({ message, override: true })
/** Used only when the value itself has the wrong type; nested issues keep their own messages. */
const own = (message: string) => () => message

const Str = Schema.String.annotations({ message: leaf(MSG.string) })
const RequiredString = Str.pipe(Schema.filter((s) => s.trim().length > 0, { message: own(MSG.required) }))
const Int = Schema.Number.annotations({ message: leaf(MSG.integer) }).pipe(Schema.int({ message: own(MSG.integer) }))
const PositiveInt = Int.pipe(Schema.greaterThanOrEqualTo(1, { message: own(MSG.atLeastOne) }))
const Num = Schema.Number.annotations({ message: leaf(MSG.number) })
const Bool = Schema.Boolean.annotations({ message: leaf(MSG.boolean) })
const ArrayOf = <A, I, R>(item: Schema.Schema<A, I, R>) => Schema.Array(item).annotations({ message: own(MSG.array) })
const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const Email = Str.pipe(Schema.filter((s) => EMAIL.test(s), { message: own(MSG.email) }))

const HttpUrl = Str.pipe(
  Schema.filter(
    (s) => {
      try {
        const url = new URL(s)
        return url.protocol === "https:" || url.protocol === "http:"
      } catch {
        return false
      }
    },
    { message: own(MSG.url) }
  )
)

// Active ISO 4217 alpha-3 codes (precious metals, test and fund-only codes left out).
const CURRENCIES: ReadonlySet<string> = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD " +
    "CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP " +
    "GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW " +
    "KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN " +
    "NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL " +
    "SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES " +
    "VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL"
  ).split(" ")
)
const Currency = RequiredString.pipe(Schema.filter((c) => CURRENCIES.has(c), { message: own(MSG.currency) }))

export const TAX_KINDS = [
  "valueAddedTax",
  "exciseDuty",
  "ice",
  "airportTax",
  "stateTax",
  "reducedStateTax",
  "municipalTax"
] as const

const Tax = Schema.Struct({
  kind: Schema.Literal(...TAX_KINDS).annotations({ message: leaf(MSG.invalid) }),
  amount: Num,
  base: optional(Num)
}).annotations({ message: own(MSG.object) })

const Modifier = Schema.Struct({
  type: Schema.Literal("FEDERAL_GOVERNMENT").annotations({ message: leaf(MSG.invalid) }),
  code: Schema.Literal(17934, 18083, 19210, 18910, 18999).annotations({ message: leaf(MSG.invalid) }),
  additional: Schema.Struct({
    invoice: RequiredString.pipe(Schema.maxLength(9, { message: own(MSG.invoice) }))
  }).annotations({ message: own(MSG.object) })
}).annotations({ message: own(MSG.object) })

const Recipient = Schema.Struct({
  email: Email,
  phoneNumber: optional(Str),
  sendSMS: optional(Bool),
  sendWhatsapp: optional(Bool)
})
  .annotations({ message: own(MSG.object) })
  .pipe(
    Schema.filter((r) =>
      (r.sendSMS === true || r.sendWhatsapp === true) && (r.phoneNumber ?? "").trim() === ""
        ? { path: ["phoneNumber"], message: MSG.phoneRequired }
        : undefined
    )
  )

const Additional = Schema.Struct({
  keyword: RequiredString,
  value: Schema.Unknown.pipe(Schema.filter((v) => v !== undefined && v !== null, { message: own(MSG.required) })),
  displayOn: optional(
    Schema.Literal("none", "payment", "receipt", "both", "approved").annotations({ message: leaf(MSG.invalid) })
  )
}).annotations({ message: own(MSG.object) })

/** What a create request is checked against beyond its shape. */
export interface CreateContext {
  /** Sandbox clock. */
  readonly nowMs: number
  readonly site: SiteConfig
}

/**
 * The create request (spec §3.1) of `site`, without `auth` (checked before anything else); `nowMs`
 * gives the sandbox clock at the time of the request being decoded.
 */
export const createLinkRequest = (site: SiteConfig, nowMs: () => number) =>
  Schema.Struct({
    name: RequiredString,
    reference: RequiredString,
    description: RequiredString,
    expirationDate: RequiredString.pipe(
      Schema.filter((s) => isLocalDateShape(s) && parseLocal(s, site.offsetMinutes) !== undefined, {
        message: own(MSG.dateFormat)
      }),
      Schema.filter((s) => (parseLocal(s, site.offsetMinutes) ?? 0) > nowMs(), {
        message: own(MSG.afterNow)
      })
    ),
    paymentExpiration: PositiveInt,
    paymentsAllowed: optional(PositiveInt),
    isGeneric: optional(Bool),
    skipResult: optional(Bool),
    payment: Schema.Struct({
      amount: Schema.Struct({
        currency: Currency,
        total: PositiveInt,
        taxes: optional(ArrayOf(Tax))
      }).annotations({ message: own(MSG.object) }),
      modifiers: optional(ArrayOf(Modifier))
    }).annotations({ message: own(MSG.object) }),
    notificationUrl: optional(HttpUrl),
    locale: optional(Str.pipe(Schema.filter((s) => /^[a-z]{2}_[A-Z]{2}$/.test(s), { message: own(MSG.locale) }))),
    paymentMethod: optional(
      ArrayOf(
        RequiredString.pipe(
          Schema.filter((m) => site.paymentMethods?.includes(m) ?? true, { message: own(MSG.invalid) })
        )
      )
    ),
    receiverEmails: optional(ArrayOf(Email)),
    recipients: optional(ArrayOf(Recipient).pipe(Schema.maxItems(20, { message: own(MSG.maxRecipients) }))),
    additional: optional(
      ArrayOf(Additional).pipe(
        Schema.filter((items) => {
          const seen = new Set<string>()
          return items.flatMap((item, i) => {
            if (!seen.has(item.keyword)) {
              seen.add(item.keyword)
              return []
            }
            return [{ path: [i, "keyword"], message: MSG.distinct }]
          })
        })
      )
    )
  })

export type CreateLinkRequest = Schema.Schema.Type<ReturnType<typeof createLinkRequest>>

/** `{ field: [messages] }` as in a 422 body. */
export type ValidationErrors = Readonly<Record<string, ReadonlyArray<string>>>

const toValidationErrors = (error: ParseResult.ParseError): ValidationErrors => {
  const errors: Record<string, Array<string>> = {}
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const field = issue.path.map(String).join(".")
    const template = issue._tag === "Missing" ? MSG.required : issue.message
    const message = template.replace(":attribute", field)
    const list = errors[field] ?? []
    if (!list.includes(message)) list.push(message)
    errors[field] = list
  }
  return errors
}

interface SiteDecoder {
  /** The clock of the request being decoded (decoding is synchronous: set just before). */
  nowMs: number
  readonly decode: (body: unknown) => Either.Either<CreateLinkRequest, ParseResult.ParseError>
}

/** One decoder per site, built on first use: building a schema's parser costs about a millisecond. */
const siteDecoders = new WeakMap<SiteConfig, SiteDecoder>()

export const decodeCreateLink = (
  body: unknown,
  context: CreateContext
): Either.Either<CreateLinkRequest, ValidationErrors> => {
  let decoder = siteDecoders.get(context.site)
  if (decoder === undefined) {
    const created: SiteDecoder = {
      nowMs: context.nowMs,
      decode: Schema.decodeUnknownEither(
        createLinkRequest(context.site, () => created.nowMs),
        { errors: "all" }
      )
    }
    decoder = created
    siteDecoders.set(context.site, decoder)
  }
  decoder.nowMs = context.nowMs
  return Either.mapLeft(decoder.decode(body), toValidationErrors)
}

// ---- responses ----

export interface StatusEnvelope {
  readonly status: {
    readonly status: "OK" | "FAILED"
    readonly reason: number
    readonly message: string
    readonly date: string
  }
}

export const envelope = (status: "OK" | "FAILED", reason: number, message: string, date: string): StatusEnvelope => ({
  status: { status, reason, message, date }
})

export const authFailedMessage = (code: number): string => `${code} (Authentication Failed)`

/** A payment as the query endpoint lists it (spec §3.2); `amount.total` is a string, as the real API sends it. */
export interface PaymentView {
  readonly id: number
  readonly requestId: number
  readonly status: Payment["status"]
  readonly message: string
  readonly processUrl: string
  readonly amount: { readonly currency: string; readonly total: string }
  readonly receipt: string | null
  readonly franchise: string
  readonly paymentMethod: string
  readonly paymentDate: string
  readonly internalReference: number
  readonly authorization: string | null
  readonly issuerName: string
  readonly merchantCode: string
  readonly terminalNumber: string
  readonly installments: number
  readonly lastDigits: string
  readonly payer: Payment["payer"]
}

/** The flat 200 body of `POST /api/payment-link/{id}` (spec §3.2). */
export interface LinkView {
  readonly id: number
  readonly status: Link["status"]
  readonly url: string
  readonly expirationDate: string
  readonly name: string
  readonly reference: string
  readonly description: string
  readonly totalPayments: number | null
  readonly availablePayments: number | null
  readonly paymentExpiration: number
  readonly amount: {
    readonly currency: string
    readonly total: number
    readonly taxes: ReadonlyArray<Link["taxes"][number]>
  }
  readonly site: { readonly id: number; readonly name: string }
  readonly notificationUrl: string | null
  readonly locale: string
  readonly allowedPaymentMethods: ReadonlyArray<string>
  readonly metadata: Readonly<Record<string, unknown>>
  readonly payments: ReadonlyArray<PaymentView>
  readonly isGeneric: boolean
  readonly skipResult: boolean
  readonly recipients: ReadonlyArray<unknown>
}

export const paymentView = (payment: Payment, site: SiteConfig): PaymentView => ({
  id: payment.id,
  requestId: payment.requestId,
  status: payment.status,
  message: payment.message,
  processUrl: payment.processUrl,
  amount: { currency: payment.currency, total: String(payment.total) },
  receipt: payment.receipt,
  franchise: payment.franchise,
  paymentMethod: payment.paymentMethod,
  // ISO 8601 here while expirationDate uses `YYYY-MM-DD HH:mm:ss`: PlacetoPay documents both forms,
  // so a client tested against the sandbox has to read both.
  paymentDate: formatIso(payment.paymentDate, site.offsetMinutes),
  internalReference: payment.internalReference,
  authorization: payment.authorization,
  issuerName: payment.issuerName,
  merchantCode: `0${String(site.id).padStart(8, "0")}`,
  terminalNumber: "00022645",
  installments: payment.installments,
  lastDigits: payment.lastDigits,
  payer: payment.payer
})

export const linkView = (link: Link, site: SiteConfig): LinkView => ({
  id: link.id,
  status: link.status,
  url: link.url,
  expirationDate: link.expirationDate,
  name: link.name,
  reference: link.reference,
  description: link.description,
  totalPayments: link.capacity,
  availablePayments: availablePayments(link),
  paymentExpiration: link.paymentExpiration,
  amount: { currency: link.currency, total: link.total, taxes: link.taxes },
  site: { id: site.id, name: site.name },
  notificationUrl: link.notificationUrl,
  locale: link.locale,
  allowedPaymentMethods: link.allowedPaymentMethods,
  metadata: link.modifiers.length > 0 ? { discount: link.modifiers } : {},
  payments: link.payments.map((p) => paymentView(p, site)),
  isGeneric: link.isGeneric,
  skipResult: link.skipResult,
  recipients: link.recipients
})
