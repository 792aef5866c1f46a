/**
 * Money: an exact decimal amount in major units (e.g. `120000` COP, `12.50` USD) and an ISO 4217
 * currency. Amounts are `BigDecimal`s; no float arithmetic happens anywhere in Pasarela.
 */
import { BigDecimal, Data, Either, Equal, Hash, Inspectable, ParseResult, Schema } from "effect"

/** ISO 4217 currencies Pasarela knows, with their minor-unit exponent. */
export const currencies = {
  ARS: 2,
  BRL: 2,
  CLP: 0,
  COP: 2,
  CRC: 2,
  EUR: 2,
  MXN: 2,
  PEN: 2,
  USD: 2
} as const

export type Currency = keyof typeof currencies

export const Currency: Schema.Schema<Currency> = Schema.Literal(
  ...(Object.keys(currencies) as [Currency, ...Array<Currency>])
).annotations({ identifier: "Currency", message: () => `must be one of ${Object.keys(currencies).join(", ")}` })

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
