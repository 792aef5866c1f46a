/**
 * Money: an exact decimal amount in major units (e.g. `120000` COP, `12.50` USD) and an ISO 4217
 * currency. Amounts are `BigDecimal`s; no float arithmetic happens anywhere in Pasarela.
 */
import * as BigDecimal from "effect/BigDecimal"
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import * as Inspectable from "effect/Inspectable"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * Every currency of ISO 4217's current list ("list one", as published on 2026-01-01) with its
 * minor unit: the national currencies and the funds codes. Codes the standard gives no minor unit
 * (precious metals, the SDR, bond-market units, XTS, XXX) cannot be amounts and are left out.
 */
export const currencies = {
  AED: 2,
  AFN: 2,
  ALL: 2,
  AMD: 2,
  AOA: 2,
  ARS: 2,
  AUD: 2,
  AWG: 2,
  AZN: 2,
  BAM: 2,
  BBD: 2,
  BDT: 2,
  BHD: 3,
  BIF: 0,
  BMD: 2,
  BND: 2,
  BOB: 2,
  BOV: 2,
  BRL: 2,
  BSD: 2,
  BTN: 2,
  BWP: 2,
  BYN: 2,
  BZD: 2,
  CAD: 2,
  CDF: 2,
  CHE: 2,
  CHF: 2,
  CHW: 2,
  CLF: 4,
  CLP: 0,
  CNY: 2,
  COP: 2,
  COU: 2,
  CRC: 2,
  CUP: 2,
  CVE: 2,
  CZK: 2,
  DJF: 0,
  DKK: 2,
  DOP: 2,
  DZD: 2,
  EGP: 2,
  ERN: 2,
  ETB: 2,
  EUR: 2,
  FJD: 2,
  FKP: 2,
  GBP: 2,
  GEL: 2,
  GHS: 2,
  GIP: 2,
  GMD: 2,
  GNF: 0,
  GTQ: 2,
  GYD: 2,
  HKD: 2,
  HNL: 2,
  HTG: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IQD: 3,
  IRR: 2,
  ISK: 0,
  JMD: 2,
  JOD: 3,
  JPY: 0,
  KES: 2,
  KGS: 2,
  KHR: 2,
  KMF: 0,
  KPW: 2,
  KRW: 0,
  KWD: 3,
  KYD: 2,
  KZT: 2,
  LAK: 2,
  LBP: 2,
  LKR: 2,
  LRD: 2,
  LSL: 2,
  LYD: 3,
  MAD: 2,
  MDL: 2,
  MGA: 2,
  MKD: 2,
  MMK: 2,
  MNT: 2,
  MOP: 2,
  MRU: 2,
  MUR: 2,
  MVR: 2,
  MWK: 2,
  MXN: 2,
  MXV: 2,
  MYR: 2,
  MZN: 2,
  NAD: 2,
  NGN: 2,
  NIO: 2,
  NOK: 2,
  NPR: 2,
  NZD: 2,
  OMR: 3,
  PAB: 2,
  PEN: 2,
  PGK: 2,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  PYG: 0,
  QAR: 2,
  RON: 2,
  RSD: 2,
  RUB: 2,
  RWF: 0,
  SAR: 2,
  SBD: 2,
  SCR: 2,
  SDG: 2,
  SEK: 2,
  SGD: 2,
  SHP: 2,
  SLE: 2,
  SOS: 2,
  SRD: 2,
  SSP: 2,
  STN: 2,
  SVC: 2,
  SYP: 2,
  SZL: 2,
  THB: 2,
  TJS: 2,
  TMT: 2,
  TND: 3,
  TOP: 2,
  TRY: 2,
  TTD: 2,
  TWD: 2,
  TZS: 2,
  UAH: 2,
  UGX: 0,
  USD: 2,
  USN: 2,
  UYI: 0,
  UYU: 2,
  UYW: 4,
  UZS: 2,
  VED: 2,
  VES: 2,
  VND: 0,
  VUV: 0,
  WST: 2,
  XAD: 2,
  XAF: 0,
  XCD: 2,
  XCG: 2,
  XOF: 0,
  XPF: 0,
  YER: 2,
  ZAR: 2,
  ZMW: 2,
  ZWG: 2
} as const

export type Currency = keyof typeof currencies

export const Currency: Schema.Schema<Currency> = Schema.Literal(
  ...(Object.keys(currencies) as [Currency, ...Array<Currency>])
).annotations({
  identifier: "Currency",
  message: () => ({ message: "must be an active ISO 4217 currency code such as COP or USD", override: true })
})

export const isCurrency = (code: string): code is Currency => Object.hasOwn(currencies, code)

/** Digits of the minor unit: 2 for COP and USD, 0 for CLP. */
export const exponent = (currency: Currency): number => currencies[currency]

/** The largest amount accepted, in major units: beyond any real payment, well inside every wire format. */
export const MAX_INTEGER_DIGITS = 15

const TypeId: unique symbol = Symbol.for("@pasarela/core/Money")

/** Why an amount was refused. Its message never needs more than the offending text. */
export class MoneyError extends Data.TaggedError("MoneyError")<{ readonly message: string }> {}

/** An exact amount of one currency. Build it with `make`, `fromString` or `fromMinorUnits`. */
export class Money implements Equal.Equal, Inspectable.Inspectable {
  readonly [TypeId] = TypeId
  /** @internal use `make` */
  constructor(
    readonly amount: BigDecimal.BigDecimal,
    readonly currency: Currency
  ) {}
  [Equal.symbol](that: unknown): boolean {
    return isMoney(that) && that.currency === this.currency && BigDecimal.equals(that.amount, this.amount)
  }
  [Hash.symbol](): number {
    return Hash.combine(Hash.string(this.currency))(Hash.string(toFixed(this)))
  }
  /** `120000.00 COP` */
  toString(): string {
    return `${toFixed(this)} ${this.currency}`
  }
  toJSON(): { readonly amount: string; readonly currency: Currency } {
    return { amount: toFixed(this), currency: this.currency }
  }
  [Inspectable.NodeInspectSymbol](): string {
    return `Money(${this.toString()})`
  }
}

export const isMoney = (u: unknown): u is Money => typeof u === "object" && u !== null && TypeId in u

const DECIMAL = /^(\d+)(?:\.(\d+))?$/

/**
 * Parses an amount written in major units. Strings are exact (`"12.50"`); numbers are read through
 * their shortest decimal text, so `12.5` is `12.5`, and NaN or infinities are refused.
 */
export const fromString = (amount: string | number | bigint, currency: string): Either.Either<Money, MoneyError> => {
  if (!isCurrency(currency)) {
    return Either.left(new MoneyError({ message: `unknown currency "${String(currency).slice(0, 8)}"` }))
  }
  let text: string
  if (typeof amount === "bigint") text = amount.toString()
  else if (typeof amount === "number") {
    if (!Number.isFinite(amount)) return Either.left(new MoneyError({ message: "amount must be a finite number" }))
    text = String(amount)
  } else text = amount.trim()
  if (text.startsWith("-")) return Either.left(new MoneyError({ message: "amount must not be negative" }))
  const match = DECIMAL.exec(text)
  if (match === null) {
    return Either.left(new MoneyError({ message: "amount must be a plain decimal such as 1200 or 12.50" }))
  }
  const integerDigits = match[1]!.replace(/^0+(?=\d)/, "")
  // Trailing zeros are trimmed by hand: /0+$/ backtracks quadratically on "1.000…0001".
  const digits = match[2] ?? ""
  let end = digits.length
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--
  const fraction = digits.slice(0, end)
  if (integerDigits.length > MAX_INTEGER_DIGITS) {
    return Either.left(new MoneyError({ message: `amount has more than ${MAX_INTEGER_DIGITS} integer digits` }))
  }
  if (fraction.length > currencies[currency]) {
    return Either.left(new MoneyError({ message: `${currency} allows at most ${currencies[currency]} decimal places` }))
  }
  const value = BigDecimal.make(BigInt(integerDigits + fraction), fraction.length)
  return Either.right(new Money(BigDecimal.normalize(value), currency))
}

/**
 * Builds money from a literal you trust, throwing `MoneyError` on invalid input:
 * `Money.make("120000", "COP")`. Use `fromString` for input from outside.
 */
export const make = (amount: string | number | bigint, currency: Currency): Money =>
  Either.getOrThrowWith(fromString(amount, currency), (error) => error)

/** Money from an integer count of minor units: `fromMinorUnits(1250n, "USD")` is 12.50 USD. */
export const fromMinorUnits = (minor: bigint, currency: Currency): Either.Either<Money, MoneyError> =>
  minor < 0n
    ? Either.left(new MoneyError({ message: "amount must not be negative" }))
    : fromString(BigDecimal.format(BigDecimal.make(minor, currencies[currency])), currency)

/** The amount as an integer count of minor units (cents): 12.50 USD → 1250n. Exact. */
export const toMinorUnits = (money: Money): bigint => {
  const scaled = BigDecimal.scale(money.amount, currencies[money.currency])
  return scaled.value
}

/** The amount with exactly the currency's decimal places: `"120000.00"`, `"1500"` for CLP. */
export const toFixed = (money: Money): string => toFixedScale(money, currencies[money.currency])

/** The amount with exactly `decimals` places (never rounds: callers check `hasAtMostDecimals` first). */
export const toFixedScale = (money: Money, decimals: number): string => {
  const value = BigDecimal.scale(money.amount, decimals)
    .value.toString()
    .padStart(decimals + 1, "0")
  return decimals === 0 ? value : `${value.slice(0, -decimals)}.${value.slice(-decimals)}`
}

/** True when the amount has no fractional part (some wire formats carry integers only). */
export const isInteger = (money: Money): boolean => BigDecimal.isInteger(money.amount)

/** The amount as a JS integer when it is one and is safe to carry as a JSON number. */
export const toSafeInteger = (money: Money): number | undefined => {
  if (!isInteger(money)) return undefined
  const n = Number(BigDecimal.scale(money.amount, 0).value)
  return Number.isSafeInteger(n) ? n : undefined
}

export const isZero = (money: Money): boolean => BigDecimal.isZero(money.amount)

/** Adds two amounts of the same currency. */
export const sum = (self: Money, that: Money): Either.Either<Money, MoneyError> =>
  self.currency !== that.currency
    ? Either.left(new MoneyError({ message: `cannot add ${that.currency} to ${self.currency}` }))
    : fromString(BigDecimal.format(BigDecimal.sum(self.amount, that.amount)), self.currency)

export const equals = (self: Money, that: Money): boolean => Equal.equals(self, that)

/**
 * True when `u` is a `Money` that keeps the invariants `fromString` establishes: a known currency,
 * a non-negative amount with at most the currency's decimals and 15 integer digits. A value built
 * with the constructor directly, or an object carrying Money's marker, may not.
 */
const isValidMoney = (u: unknown): u is Money => {
  if (!isMoney(u)) return false
  const { amount, currency } = u as { readonly amount: unknown; readonly currency: unknown }
  if (typeof currency !== "string" || !isCurrency(currency) || !BigDecimal.isBigDecimal(amount)) return false
  if (typeof amount.value !== "bigint" || !Number.isSafeInteger(amount.scale)) return false
  const canonical = fromString(BigDecimal.format(amount), currency)
  return Either.isRight(canonical) && BigDecimal.equals(canonical.right.amount, amount)
}

/** Schema of a `Money` value (the type side): for validating neutral inputs. */
export const MoneyFromSelf: Schema.Schema<Money> = Schema.declare(isValidMoney, {
  identifier: "Money",
  description: "an amount built with Money.make / Money.fromString",
  pretty: () => (money) => money.toString(),
  arbitrary: () => (fc) =>
    fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom(...(Object.keys(currencies) as Array<Currency>)))
      .map(([minor, currency]) => Either.getOrThrow(fromMinorUnits(minor, currency)))
})

/** Money as JSON `{ "amount": "120000", "currency": "COP" }` (amount a decimal string or number). */
export const MoneyFromJson: Schema.Schema<Money, { readonly amount: string | number; readonly currency: string }> =
  Schema.transformOrFail(
    Schema.Struct({ amount: Schema.Union(Schema.String, Schema.Number), currency: Schema.String }),
    MoneyFromSelf,
    {
      strict: true,
      decode: (input, _, ast) =>
        Either.mapLeft(fromString(input.amount, input.currency), (e) => new ParseResult.Type(ast, input, e.message)),
      encode: (money) => ParseResult.succeed({ amount: toFixed(money), currency: money.currency })
    }
  ).annotations({ identifier: "MoneyFromJson" })
