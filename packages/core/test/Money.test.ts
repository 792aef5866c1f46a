import { describe, expect, it } from "@effect/vitest"
import { Money } from "@pasarela/core"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"

describe("Money", () => {
  it("parses exact decimals in major units", () => {
    const m = Money.make("120000", "COP")
    expect(m.toString()).toBe("120000.00 COP")
    expect(Money.toMinorUnits(Money.make("12.5", "USD"))).toBe(1250n)
    expect(Money.toFixed(Money.make("1500", "CLP"))).toBe("1500")
    expect(Money.equals(Money.make("12.50", "USD"), Money.make("12.5", "USD"))).toBe(true)
    expect(JSON.stringify(Money.make("0.1", "USD"))).toBe('{"amount":"0.10","currency":"USD"}')
  })

  it("adds without float error", () => {
    const sum = Money.sum(Money.make("0.1", "USD"), Money.make("0.2", "USD"))
    expect(Either.map(sum, Money.toFixed)).toEqual(Either.right("0.30"))
  })

  it.each([
    ["NaN", Number.NaN, "COP"],
    ["infinity", Number.POSITIVE_INFINITY, "COP"],
    ["negative", "-1", "COP"],
    ["too many decimals", "1.001", "USD"],
    ["decimals on CLP", "1.5", "CLP"],
    ["absurd magnitude", "1".repeat(16), "COP"],
    ["exponent notation", "1e5", "COP"],
    ["unknown currency", "1", "XXX"],
    ["empty", "", "COP"]
  ] as const)("refuses %s", (_, amount, currency) => {
    expect(Either.isLeft(Money.fromString(amount, currency))).toBe(true)
  })

  it("round-trips minor units for every currency", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.bigInt({ min: 0n, max: 10n ** 14n }),
        FastCheck.constantFrom(...(Object.keys(Money.currencies) as Array<Money.Currency>)),
        (minor, currency) => {
          const money = Either.getOrThrow(Money.fromMinorUnits(minor, currency))
          return Money.toMinorUnits(money) === minor
        }
      )
    )
  })

  it("never throws on arbitrary text", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.string(), FastCheck.string({ maxLength: 4 }), (amount, currency) => {
        Money.fromString(amount, currency)
        return true
      })
    )
  })
})
