/**
 * PlacetoPay payment-links wire shapes (spec §3, §4) as Schemas. Responses tolerate exactly the
 * variations the contract documents (201 with `id`/`url` or `requestId`/`processUrl`, totals as
 * numbers or strings, dates in two forms, nullable payment details the API leaves empty) and
 * nothing else; fields the adapter does not read are ignored.
 *
 * Also the wire's two date forms, as pure functions. They are the wire's text, not a mapping
 * between models: the authentication seed is written in one too. ISO 8601 with a zone
 * (`2024-06-25T00:43:21-05:00`: seeds, status dates, notifications) and `YYYY-MM-DD HH:mm:ss` in
 * the site's local time (link expiration dates). The site's zone is an IANA name, read with
 * Effect's `DateTime`, so zones with daylight saving time get the offset in force at each instant.
 */
import { PaymentLink } from "@pasarela/core"
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"

// ---- request ----

export const AuthObject = Schema.Struct({
  login: Schema.String,
  tranKey: Schema.String,
  nonce: Schema.String,
  seed: Schema.String
})

/** The neutral tax kinds are PlacetoPay's, so mapping passes them through. */
export const TaxKind = PaymentLink.TaxKind

export const Tax = Schema.Struct({
  kind: TaxKind,
  amount: Schema.Number,
  base: Schema.optional(Schema.Number)
})
export type Tax = typeof Tax.Type

/** Discount-law modifiers (Uruguay's FEDERAL_GOVERNMENT is the only type the API knows). */
export const Modifier = Schema.Struct({
  type: Schema.Literal("FEDERAL_GOVERNMENT").annotations({ message: () => "must be FEDERAL_GOVERNMENT" }),
  code: Schema.Literal(17934, 18083, 19210, 18910, 18999).annotations({
    message: () => "must be one of 17934, 18083, 19210, 18910, 18999"
  }),
  additional: Schema.Struct({
    invoice: Schema.String.pipe(Schema.filter((s) => (s.length >= 1 && s.length <= 9) || "must be 1 to 9 characters"))
  })
})
export type Modifier = typeof Modifier.Type

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const Recipient = Schema.Struct({
  email: Schema.String.pipe(Schema.filter((s) => (s.length <= 254 && EMAIL.test(s)) || "must be an email address")),
  phoneNumber: Schema.optional(
    Schema.String.pipe(
      Schema.filter((s) => /^\+\d{6,15}$/.test(s) || "must be a phone number with its country code, e.g. +573001234567")
    )
  ),
  sendSMS: Schema.optional(Schema.Boolean),
  sendWhatsapp: Schema.optional(Schema.Boolean)
}).pipe(
  Schema.filter((r) =>
    (r.sendSMS === true || r.sendWhatsapp === true) && r.phoneNumber === undefined
      ? { path: ["phoneNumber"], message: "is required when sendSMS or sendWhatsapp is true" }
      : undefined
  )
)
export type Recipient = typeof Recipient.Type

export const DisplayOn = Schema.Literal("none", "payment", "receipt", "both", "approved").annotations({
  message: () => "must be one of none, payment, receipt, both, approved"
})

/**
 * True when `value` is plain JSON at most `maxDepth` levels deep with at most `maxNodes` values —
 * walked without recursion, so a hostile value cannot overflow the stack here or in JSON.stringify.
 */
const isSmallJson = (value: unknown, maxDepth: number, maxNodes: number): boolean => {
  const stack: Array<readonly [unknown, number]> = [[value, 0]]
  const seen = new Set<object>()
  let nodes = 0
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (++nodes > maxNodes || depth > maxDepth) return false
    if (current === null || typeof current !== "object") {
      if (typeof current === "number" && !Number.isFinite(current)) return false
      if (typeof current === "function" || typeof current === "symbol" || typeof current === "bigint") return false
      continue
    }
    if (seen.has(current)) return false
    seen.add(current)
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1])
  }
  return true
}

export const Additional = Schema.Struct({
  keyword: Schema.String.pipe(Schema.filter((s) => s.trim().length > 0 || "must not be empty")),
  value: Schema.Union(
    Schema.String,
    Schema.Number,
    Schema.Boolean,
    Schema.Array(Schema.Unknown),
    Schema.Record({ key: Schema.String, value: Schema.Unknown })
  )
    .annotations({ message: () => "must be a string, number, boolean, array or object" })
    .pipe(
      Schema.filter(
        (value) => isSmallJson(value, 5, 1000) || "must be plain JSON, at most 5 levels deep and 1000 values"
      )
    ),
  displayOn: Schema.optional(DisplayOn)
})
export type Additional = typeof Additional.Type

/** `POST /api/payment-link` body without `auth` (added per request by the client). */
export const CreateLinkRequest = Schema.Struct({
  name: Schema.String,
  reference: Schema.String,
  description: Schema.String,
  /** `YYYY-MM-DD HH:mm:ss`, site local time. */
  expirationDate: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)),
  /** Minutes each checkout session on the link lasts. */
  paymentExpiration: Schema.Int.pipe(Schema.positive()),
  paymentsAllowed: Schema.optional(Schema.Int.pipe(Schema.positive())),
  isGeneric: Schema.optional(Schema.Boolean),
  payment: Schema.Struct({
    amount: Schema.Struct({
      currency: Schema.String,
      total: Schema.Int,
      taxes: Schema.optional(Schema.Array(Tax))
    }),
    modifiers: Schema.optional(Schema.Array(Modifier))
  }),
  notificationUrl: Schema.optional(Schema.String),
  locale: Schema.optional(Schema.String),
  paymentMethod: Schema.optional(Schema.Array(Schema.String)),
  recipients: Schema.optional(Schema.Array(Recipient).pipe(Schema.maxItems(20))),
  additional: Schema.optional(Schema.Array(Additional)),
  skipResult: Schema.optional(Schema.Boolean)
})
export type CreateLinkRequest = typeof CreateLinkRequest.Type

// ---- responses ----

/** The `status` object of enveloped answers. `reason` is a number (201) or, in the seed's example, a code ("PC"). */
export const Status = Schema.Struct({
  status: Schema.String,
  reason: Schema.Union(Schema.Number, Schema.String),
  message: Schema.String,
  date: Schema.String
})

const OkStatus = Schema.Struct({ ...Status.fields, status: Schema.Literal("OK") })

/** 201 of create: `{ status, id, url }`, or the seed's `{ status, requestId, processUrl }`; both → `{ id, url }`. */
export const CreatedLink = Schema.Union(
  Schema.Struct({ status: OkStatus, id: Schema.Int, url: Schema.String }),
  Schema.transform(
    Schema.Struct({ status: OkStatus, requestId: Schema.Int, processUrl: Schema.String }),
    Schema.Struct({ status: OkStatus, id: Schema.Int, url: Schema.String }),
    {
      strict: true,
      decode: ({ processUrl, requestId, status }) => ({ status, id: requestId, url: processUrl }),
      encode: ({ id, status, url }) => ({ status, requestId: id, processUrl: url })
    }
  )
)
export type CreatedLink = typeof CreatedLink.Type

/** A total as a JSON number or as decimal text (`"100000"`): the API sends both. */
export const Total = Schema.Union(
  Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  Schema.String.pipe(Schema.pattern(/^\d+(\.\d+)?$/))
)

export const WireAmount = Schema.Struct({ currency: Schema.String, total: Total })

/** Payment details the API leaves `null` until they exist (a rejected payment has no receipt). */
const nullable = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { nullable: true })

export const Payment = Schema.Struct({
  id: Schema.Int,
  requestId: nullable(Schema.Int),
  status: Schema.String,
  message: nullable(Schema.String),
  amount: nullable(WireAmount),
  receipt: nullable(Schema.String),
  paymentMethod: nullable(Schema.String),
  /** `YYYY-MM-DD HH:mm:ss` or ISO 8601. */
  paymentDate: nullable(Schema.String),
  authorization: nullable(Schema.String),
  lastDigits: nullable(Schema.String)
})
export type Payment = typeof Payment.Type

/** 200 of `POST /api/payment-link/{id}`: a flat object, `status` a string. */
export const QueriedLink = Schema.Struct({
  id: Schema.Int,
  status: Schema.String,
  url: Schema.String,
  /** `YYYY-MM-DD HH:mm:ss` (site local) or ISO 8601. */
  expirationDate: Schema.optional(Schema.String),
  name: Schema.String,
  reference: Schema.String,
  description: Schema.String,
  /** Absent or null: unlimited. */
  totalPayments: nullable(Schema.Int),
  availablePayments: nullable(Schema.Int),
  amount: WireAmount,
  payments: Schema.optionalWith(Schema.Array(Payment), { default: () => [] }),
  isGeneric: Schema.optional(Schema.Boolean)
})
export type QueriedLink = typeof QueriedLink.Type

/** 200 of `POST /api/payment-link/disable/{id}`; `id` is documented as a string, shown as a number. */
export const DisabledLink = Schema.Struct({
  status: OkStatus,
  id: Schema.Union(Schema.Int, Schema.String)
})
export type DisabledLink = typeof DisabledLink.Type

/** Error answers (400, 401, 404, 5xx): the status envelope alone. */
export const ErrorEnvelope = Schema.Struct({
  status: Schema.Struct({
    status: Schema.String,
    reason: Schema.Union(Schema.Number, Schema.String),
    message: Schema.String,
    date: Schema.optional(Schema.String)
  })
})
export type ErrorEnvelope = typeof ErrorEnvelope.Type

/** 422: the envelope plus Laravel-style `errors: { field: [messages] }`. */
export const ValidationEnvelope = Schema.Struct({
  ...ErrorEnvelope.fields,
  errors: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) })
})
export type ValidationEnvelope = typeof ValidationEnvelope.Type

// ---- notifications ----

/** §4.1, POSTed to the link's `notificationUrl`: PAID or EXPIRED. */
export const LinkNotification = Schema.Struct({
  status: Schema.Struct({
    // Only these two (spec §4.1). Letters only also keeps the signature's `linkId + status`
    // unambiguous: `12`+`PAID` and `1`+`2PAID` cannot both be link notifications.
    status: Schema.Literal("PAID", "EXPIRED"),
    reason: Schema.Number,
    message: Schema.String,
    date: Schema.String
  }),
  linkId: Schema.Int,
  reference: Schema.String,
  signature: Schema.String
})
export type LinkNotification = typeof LinkNotification.Type

/** §4.2, a checkout session's notification (same site secret). `reason` is a code such as `"00"` there. */
export const CheckoutNotification = Schema.Struct({
  status: Status,
  requestId: Schema.Int,
  reference: Schema.String,
  signature: Schema.String
})
export type CheckoutNotification = typeof CheckoutNotification.Type

export const Notification = Schema.Union(LinkNotification, CheckoutNotification)
export type Notification = typeof Notification.Type

export const isLinkNotification = (n: Notification): n is LinkNotification => "linkId" in n

// ---- dates ----

interface WallClock {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

/** The instant `epochMs` in `timeZone` (a zone `AdapterOptions.TimeZone` accepted). */
const zoned = (epochMs: number, timeZone: string): DateTime.Zoned => DateTime.unsafeMakeZoned(epochMs, { timeZone })

/** The wall clock in `timeZone` at `epochMs`. */
const wallClock = (epochMs: number, timeZone: string): WallClock => {
  const parts = DateTime.toParts(zoned(epochMs, timeZone))
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hours,
    minute: parts.minutes,
    second: parts.seconds
  }
}

const wallAsUtc = (w: WallClock): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)

const floorToSecond = (epochMs: number): number => Math.floor(epochMs / 1000) * 1000

/** Minutes east of UTC in force in `timeZone` at `epochMs` (-300 for Bogotá). */
export const offsetMinutes = (epochMs: number, timeZone: string): number =>
  Math.round(DateTime.zonedOffset(zoned(floorToSecond(epochMs), timeZone)) / 60_000)

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** `-05:00`, `+00:00`. */
export const formatOffset = (minutes: number): string => {
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

const formatWall = (w: WallClock, separator: string): string =>
  `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}${separator}${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`

const utcWall = (epochMs: number): WallClock => {
  const d = new Date(epochMs)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds()
  }
}

/** `2024-06-25T00:43:21-05:00`: whole seconds, at a fixed offset in minutes east of UTC. */
export const formatIso = (epochMs: number, offset: number): string =>
  `${formatWall(utcWall(floorToSecond(epochMs) + offset * 60_000), "T")}${formatOffset(offset)}`

/** `2024-06-25 00:43:21`: the wall-clock time in `timeZone`, whole seconds (sub-seconds dropped). */
export const formatLocal = (epochMs: number, timeZone: string): string =>
  formatWall(wallClock(floorToSecond(epochMs), timeZone), " ")

/** The instant a wall-clock time in `timeZone` denotes ("compatible": in a DST overlap the earlier one, in a gap the time after it). */
const localToEpoch = (w: WallClock, timeZone: string): number =>
  DateTime.toEpochMillis(
    DateTime.unsafeMakeZoned(
      { year: w.year, month: w.month, day: w.day, hours: w.hour, minutes: w.minute, seconds: w.second },
      { timeZone, adjustForTimeZone: true, disambiguation: "compatible" }
    )
  )

const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/

const wallOf = (m: RegExpExecArray): WallClock | undefined => {
  const w = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6])
  }
  // Date.UTC rolls 2024-02-30 over into March: a real date survives the round trip.
  const back = utcWall(wallAsUtc(w))
  return back.year === w.year &&
    back.month === w.month &&
    back.day === w.day &&
    back.hour === w.hour &&
    back.minute === w.minute &&
    back.second === w.second
    ? w
    : undefined
}

const zoneMinutes = (zone: string): number | undefined => {
  if (zone === "Z") return 0
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)
  if (m === null) return undefined
  const hours = Number(m[2])
  const minutes = Number(m[3])
  if (hours > 14 || minutes > 59) return undefined
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes)
}

/**
 * Reads a date as PlacetoPay writes it: ISO 8601 with a zone, or `YYYY-MM-DD HH:mm:ss` (and ISO
 * 8601 without a zone), which are the site's local time. Undefined when it is neither or not a
 * real calendar date.
 */
export const parseWireDate = (text: string, timeZone: string): Date | undefined => {
  const local = LOCAL.exec(text)
  if (local !== null) {
    const w = wallOf(local)
    return w === undefined ? undefined : new Date(localToEpoch(w, timeZone))
  }
  const iso = ISO.exec(text)
  if (iso === null) return undefined
  const w = wallOf(iso)
  if (w === undefined) return undefined
  const millis = iso[7] === undefined ? 0 : Math.floor(Number(`0.${iso[7]}`) * 1000)
  if (iso[8] === undefined) return new Date(localToEpoch(w, timeZone) + millis)
  const offset = zoneMinutes(iso[8])
  return offset === undefined ? undefined : new Date(wallAsUtc(w) - offset * 60_000 + millis)
}

/** Reads an ISO 8601 date that must carry its zone (notification dates, seeds). */
export const parseZonedIso = (text: string): Date | undefined => {
  const iso = ISO.exec(text)
  if (iso === null || iso[8] === undefined) return undefined
  return parseWireDate(text, "UTC")
}
