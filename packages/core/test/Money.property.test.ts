/**
 * Property tests of `Money` on arbitrary text, numbers and bigints. Expected values are computed
 * here with plain BigInt arithmetic, independently of the module's own parsing and formatting.
 */
import { describe, expect, it } from "@effect/vitest"
import { Money } from "@pasarela/core"
import * as Arbitrary from "effect/Arbitrary"
import * as BigDecimal from "effect/BigDecimal"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

const currencies = Object.keys(Money.currencies) as Array<Money.Currency>
const currency = fc.constantFrom(...currencies)
const pow10 = (n: number) => 10n ** BigInt(n)
/** One past the largest amount accepted, in minor units of a currency. */
const limitOf = (c: Money.Currency) => pow10(Money.MAX_INTEGER_DIGITS + Money.exponent(c))

/** Minor units → the fixed text, written out by hand: `1250n, 2` → `"12.50"`. */
const fixedOf = (minor: bigint, decimals: number): string => {
  const unit = pow10(decimals)
  return decimals === 0 ? `${minor}` : `${minor / unit}.${`${minor % unit}`.padStart(decimals, "0")}`
}

const minorOf = (money: Money.Money) => Money.toMinorUnits(money)
const moneyOf = (minor: bigint, c: Money.Currency) => Either.getOrThrow(Money.fromMinorUnits(minor, c))

/** Amounts in minor units: small ones, and ones right at the 15-integer-digit limit. */
const minorUnits = (c: Money.Currency) =>
  fc.oneof(
    fc.bigInt({ min: 0n, max: 10n ** 6n }),
    fc.bigInt({ min: 0n, max: limitOf(c) - 1n }),
    fc.bigInt({ min: limitOf(c) - 1000n, max: limitOf(c) - 1n })
  )
const moneyIn = (c: Money.Currency) => minorUnits(c).map((minor) => moneyOf(minor, c))

/** Text biased towards what a decimal parser trips on. */
const trickyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      "0",
      "1",
      "9",
      ".",
      ",",
      "-",
      "+",
      "e",
      "E",
      "_",
      "x",
      " ",
      "\t",
      "\n",
      "\u00a0",
      "\u2007",
      "\u0660",
      "\uff11",
      "\u0000",
      "٫"
    ),
    maxLength: 30
  }),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "-0", "+1", "1e308", "0x10", "1_000", "1,5", "١٢", ".5", "5.", "")
)

/** Numbers including every special value JSON and arithmetic produce. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    1e308,
    -1e308,
    5e-324,
    1e-7,
    0.1 + 0.2,
    Number.MAX_SAFE_INTEGER,
    1e15,
    1e15 - 1,
    999999999999999.9,
    12.5,
    12.345
  )
)

const currencyText = fc.oneof(
  currency,
  fc.constantFrom(
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "cop",
    "COP ",
    "",
    "XXX",
    "USDT"
  ),
  fc.string({ maxLength: 5 })
)

const parse = (amount: string | number | bigint, c: string) => Money.fromString(amount, c)

/** The invariants every accepted amount keeps. */
const expectWellFormed = (money: Money.Money) => {
  expect(Money.isCurrency(money.currency)).toBe(true)
  const minor = minorOf(money)
  expect(minor >= 0n).toBe(true)
  expect(minor < limitOf(money.currency)).toBe(true)
  // toMinorUnits is exact: nothing was lost to rounding.
  expect(BigDecimal.equals(BigDecimal.make(minor, Money.exponent(money.currency)), money.amount)).toBe(true)
}

describe("property: Money", () => {
  it("fromString never throws on arbitrary text, and anything it accepts is a plain decimal", () =>
    fc.assert(
      fc.property(trickyText, currencyText, (text, c) => {
        const result = parse(text, c)
        if (Either.isLeft(result)) {
          expect(result.left).toBeInstanceOf(Money.MoneyError)
          // The message never needs more than the currency's first characters.
          expect(result.left.message.length).toBeLessThan(100)
          return
        }
        expect(Money.isCurrency(c)).toBe(true)
        expect(text.trim()).toMatch(/^[0-9]+(\.[0-9]+)?$/)
        expectWellFormed(result.right)
      }),
      { numRuns: 1000 }
    ))

  it("accepts exactly the decimals that fit, with the value written (leading and trailing zeros, padding)", () =>
    fc.assert(
      fc.property(
        currency,
        fc.stringMatching(/^[1-9][0-9]{0,17}$/),
        fc.stringMatching(/^[0-9]{0,4}[1-9]$|^$/),
        fc.nat(3),
        fc.nat(3),
        fc.constantFrom("", " ", "\t", "\n "),
        (c, integer, fraction, leadingZeros, trailingZeros, pad) => {
          const text = `${pad}${"0".repeat(leadingZeros)}${integer}${
            fraction === "" && trailingZeros === 0 ? "" : `.${fraction}${"0".repeat(trailingZeros)}`
          }${pad}`
          const fits = integer.length <= Money.MAX_INTEGER_DIGITS && fraction.length <= Money.exponent(c)
          const result = parse(text, c)
          expect(Either.isRight(result)).toBe(fits)
          if (Either.isRight(result)) {
            const e = Money.exponent(c)
            const expected = BigInt(integer) * pow10(e) + BigInt((fraction || "0").padEnd(e, "0"))
            expect(minorOf(result.right)).toBe(expected)
          }
        }
      ),
      { numRuns: 1000 }
    ))

  it("numbers: NaN, infinities and negatives are refused; finite ones read through their shortest text", () =>
    fc.assert(
      fc.property(anyNumber, currency, (n, c) => {
        const result = parse(n, c)
        if (!Number.isFinite(n) || n < 0) {
          expect(Either.isLeft(result)).toBe(true)
          return
        }
        if (n >= 1e15) expect(Either.isLeft(result)).toBe(true)
        if (Number.isInteger(n) && n < 1e15) {
          expect(Either.map(result, minorOf)).toEqual(Either.right(BigInt(n) * pow10(Money.exponent(c))))
        }
        if (Either.isRight(result)) {
          expectWellFormed(result.right)
          // Exact: the amount is the number itself, not a float approximation of it.
          // (-0 reads as 0: compared with ===, which equates them.)
          expect(Number(Money.toFixed(result.right)) === n).toBe(true)
        }
      }),
      { numRuns: 1000 }
    ))

  it("bigints: accepted exactly when 0 ≤ n < 10^15", () =>
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), currency, (n, c) => {
        const result = parse(n, c)
        const fits = n >= 0n && n < pow10(Money.MAX_INTEGER_DIGITS)
        expect(Either.isRight(result)).toBe(fits)
        if (Either.isRight(result)) expect(minorOf(result.right)).toBe(n * pow10(Money.exponent(c)))
      }),
      { numRuns: 500 }
    ))

  it("make throws (a MoneyError) exactly when fromString refuses", () =>
    fc.assert(
      fc.property(fc.oneof(trickyText, anyNumber, fc.bigInt()), currency, (amount, c) => {
        const parsed = parse(amount, c)
        let thrown: unknown
        let made: Money.Money | undefined
        try {
          made = Money.make(amount, c)
        } catch (error) {
          thrown = error
        }
        if (Either.isLeft(parsed)) {
          expect(thrown).toBeInstanceOf(Money.MoneyError)
          expect((thrown as Money.MoneyError)._tag).toBe("MoneyError")
        } else {
          expect(thrown).toBeUndefined()
          expect(made !== undefined && Money.equals(made, parsed.right)).toBe(true)
        }
      }),
      { numRuns: 500 }
    ))

  it("round-trips minor units, and refuses negative or oversized counts", () =>
    fc.assert(
      fc.property(
        currency.chain((c) => fc.tuple(fc.constant(c), fc.bigInt({ min: -1000n, max: limitOf(c) + 1000n }))),
        ([c, minor]) => {
          const result = Money.fromMinorUnits(minor, c)
          expect(Either.isRight(result)).toBe(minor >= 0n && minor < limitOf(c))
          if (Either.isRight(result)) {
            expect(minorOf(result.right)).toBe(minor)
            expect(Money.equals(moneyOf(minorOf(result.right), c), result.right)).toBe(true)
          }
        }
      ),
      { numRuns: 1000 }
    ))

  it("toFixed writes exactly the currency's decimals and parses back to the same amount", () =>
    fc.assert(
      fc.property(
        currency.chain((c) => moneyIn(c)),
        (money) => {
          const e = Money.exponent(money.currency)
          const fixed = Money.toFixed(money)
          expect(fixed).toBe(fixedOf(minorOf(money), e))
          expect(fixed).toMatch(e === 0 ? /^[0-9]+$/ : new RegExp(`^[0-9]+\\.[0-9]{${e}}$`))
          expect(money.toString()).toBe(`${fixed} ${money.currency}`)
          expect(JSON.stringify(money)).toBe(JSON.stringify({ amount: fixed, currency: money.currency }))
          const back = parse(fixed, money.currency)
          expect(Either.isRight(back) && Money.equals(back.right, money)).toBe(true)
        }
      ),
      { numRuns: 1000 }
    ))

  it("sum is exact, commutative and associative (overflow included), and refuses mixed currencies", () => {
    const same = (a: Either.Either<Money.Money, Money.MoneyError>, b: Either.Either<Money.Money, Money.MoneyError>) =>
      Either.isLeft(a) ? Either.isLeft(b) : Either.isRight(b) && Money.equals(a.right, b.right)
    fc.assert(
      fc.property(
        currency.chain((c) => fc.tuple(moneyIn(c), moneyIn(c), moneyIn(c))),
        currency,
        ([a, b, c], other) => {
          const ab = Money.sum(a, b)
          const total = minorOf(a) + minorOf(b)
          expect(Either.isRight(ab)).toBe(total < limitOf(a.currency))
          if (Either.isRight(ab)) expect(minorOf(ab.right)).toBe(total)
          expect(same(ab, Money.sum(b, a))).toBe(true)
          const left = Either.flatMap(ab, (x) => Money.sum(x, c))
          const right = Either.flatMap(Money.sum(b, c), (y) => Money.sum(a, y))
          expect(same(left, right)).toBe(true)
          expect(same(Money.sum(a, moneyOf(0n, a.currency)), Either.right(a))).toBe(true)
          if (other !== a.currency) expect(Either.isLeft(Money.sum(a, moneyOf(0n, other)))).toBe(true)
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("refuses negatives, excess decimals and huge magnitudes in every form", () =>
    fc.assert(
      fc.property(
        currency,
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 20 }),
        (c, n, extraDecimals, lastDigit, extraDigits) => {
          const e = Money.exponent(c)
          // Negative, as text, number and bigint.
          expect(Either.isLeft(parse(`-${n}`, c))).toBe(true)
          expect(Either.isLeft(parse(-Number(n), c))).toBe(true)
          expect(Either.isLeft(parse(-n, c))).toBe(true)
          expect(Either.isLeft(Money.fromMinorUnits(-n, c))).toBe(true)
          // One more significant decimal than the currency has.
          expect(Either.isLeft(parse(`${n}.${"0".repeat(e + extraDecimals - 1)}${lastDigit}`, c))).toBe(true)
          // 16 or more integer digits.
          expect(Either.isLeft(parse(`${lastDigit}${"0".repeat(Money.MAX_INTEGER_DIGITS + extraDigits)}`, c))).toBe(
            true
          )
          expect(Either.isLeft(parse(BigInt(lastDigit) * pow10(Money.MAX_INTEGER_DIGITS + extraDigits), c))).toBe(true)
        }
      ),
      { numRuns: 500 }
    ))

  it("MoneyFromJson: decode ∘ encode is the identity; encode writes the fixed amount", () => {
    const decode = Schema.decodeUnknownEither(Money.MoneyFromJson)
    const encode = Schema.encodeEither(Money.MoneyFromJson)
    fc.assert(
      fc.property(Arbitrary.make(Money.MoneyFromSelf), (money) => {
        const json = Either.getOrThrow(encode(money))
        expect(json).toEqual({ amount: Money.toFixed(money), currency: money.currency })
        const back = decode(json)
        expect(Either.isRight(back) && Money.equals(back.right, money)).toBe(true)
        // Through real JSON text too.
        const reparsed = decode(JSON.parse(JSON.stringify(json)))
        expect(Either.isRight(reparsed) && Money.equals(reparsed.right, money)).toBe(true)
      }),
      { numRuns: 1000 }
    )
  })

  it("MoneyFromJson: arbitrary JSON decodes to fromString's answer or a ParseError, never a throw", () => {
    const decode = Schema.decodeUnknownEither(Money.MoneyFromJson)
    const encode = Schema.encodeEither(Money.MoneyFromJson)
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ amount: fc.oneof(trickyText, anyNumber), currency: currencyText }),
          fc.record({ amount: fc.anything({ maxDepth: 2 }), currency: fc.anything({ maxDepth: 1 }) }),
          fc.anything({ maxDepth: 3 })
        ),
        (input) => {
          const result = decode(input)
          if (Either.isLeft(result)) {
            expect(ParseResult.isParseError(result.left)).toBe(true)
            return
          }
          const { amount, currency: c } = input as { amount: string | number; currency: string }
          const expected = parse(amount, c)
          expect(Either.isRight(expected) && Money.equals(expected.right, result.right)).toBe(true)
          // Encoding is canonical whatever form came in.
          expect(Either.getOrThrow(encode(result.right)).amount).toBe(Money.toFixed(result.right))
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("MoneyFromSelf accepts a hand-built Money only when it keeps the invariants", () => {
    const is = Schema.is(Money.MoneyFromSelf)
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: -20, max: 20 }),
        currencyText,
        (value, scale, c) => {
          const built = new Money.Money(BigDecimal.make(value, scale), c as Money.Currency)
          let expected = Money.isCurrency(c) && value >= 0n
          if (expected) {
            const e = Money.exponent(c as Money.Currency)
            // value × 10^-scale in minor units must be a whole number below the limit.
            const shift = e - scale
            const exact = shift >= 0 || value % pow10(-shift) === 0n
            const minor = shift >= 0 ? value * pow10(shift) : value / pow10(-shift)
            expected = exact && minor < limitOf(c as Money.Currency)
          }
          expect(is(built)).toBe(expected)
        }
      ),
      { numRuns: 1000 }
    )
    // Objects that only carry Money's marker are not money.
    const marker = Symbol.for("@pasarela/core/Money")
    for (const amount of ["12", 12, null, { value: 12n, scale: 0 }, BigDecimal.make(-1n, 0)]) {
      expect(is({ [marker]: marker, amount, currency: "COP" })).toBe(false)
    }
    expect(is({ [marker]: marker, amount: BigDecimal.make(1n, 0), currency: "XXX" })).toBe(false)
  })

  it("1 MB amounts are refused (or, when they only pad a small value, read exactly)", () => {
    const mb = 1 << 20
    const refused = [
      "1".repeat(mb),
      `1.${"0".repeat(mb)}1`,
      `${"9".repeat(mb)}.5`,
      " ".repeat(mb),
      `1${"\u00a0".repeat(mb)}2`,
      "-".repeat(mb),
      `${"1.".repeat(mb / 2)}`
    ]
    for (const text of refused) {
      for (const c of currencies) expect(Either.isLeft(parse(text, c))).toBe(true)
    }
    const padded = parse(`${"0".repeat(mb)}7.${"0".repeat(mb)}`, "USD")
    expect(Either.map(padded, Money.toFixed)).toEqual(Either.right("7.00"))
    expect(Either.isLeft(parse("1", "C".repeat(mb)))).toBe(true)
    expect(
      Either.isLeft(
        Schema.decodeUnknownEither(Money.MoneyFromJson)({ amount: `1.${"0".repeat(mb)}1`, currency: "USD" })
      )
    ).toBe(true)
  })
})
