import { describe, expect, it } from "@effect/vitest"
import { Money } from "@pasarela/core"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { listOne, published } from "./data/iso4217-list-one.js"

/** The table's rows: code, numeric code, minor unit (undefined for "N.A."). */
const rows = listOne
  .trim()
  .split("\n")
  .map((line) => {
    const [code, numeric, minor] = line.split(/\s+/) as [string, string, string]
    return { code, numeric, minor: minor === "N.A." ? undefined : Number(minor) }
  })

describe(`Money's currencies are ISO 4217 list one (published ${published})`, () => {
  it("the table is whole: 178 codes, each once, three letters and a three-digit number", () => {
    expect(rows).toHaveLength(178)
    expect(new Set(rows.map((row) => row.code)).size).toBe(rows.length)
    for (const row of rows) {
      expect(row.code).toMatch(/^[A-Z]{3}$/)
      expect(row.numeric).toMatch(/^\d{3}$/)
    }
  })

  it("every code with a minor unit is a currency, with that many decimals; no other code is", () => {
    const withMinorUnit = rows.filter((row) => row.minor !== undefined)
    expect(withMinorUnit).toHaveLength(165)
    for (const { code, minor } of withMinorUnit) {
      expect(Money.isCurrency(code), code).toBe(true)
      expect(Money.exponent(code as Money.Currency), code).toBe(minor)
    }
    expect(Object.keys(Money.currencies).sort()).toEqual(withMinorUnit.map((row) => row.code).sort())
    for (const { code } of rows.filter((row) => row.minor === undefined)) {
      expect(Money.isCurrency(code), code).toBe(false)
    }
  })

  it.each([
    ["UYU", "1500.50", "1500.50 UYU"],
    ["CLF", "10.1234", "10.1234 CLF"],
    ["BHD", "1.005", "1.005 BHD"],
    ["JPY", "1500", "1500 JPY"],
    ["XCG", "12.5", "12.50 XCG"]
  ] as const)("%s amounts carry the standard's decimals", (currency, amount, text) => {
    expect(Either.map(Money.fromString(amount, currency), String)).toEqual(Either.right(text))
  })

  it("codes no longer in list one are refused", () => {
    for (const withdrawn of ["HRK", "BGN", "ANG", "CUC", "SLL", "ZWL", "VEF", "XAU", "XXX"]) {
      expect(Either.isLeft(Money.fromString("1", withdrawn)), withdrawn).toBe(true)
    }
  })

  it("an unknown code is refused in words a person reads, without listing every currency", () => {
    const decoded = Schema.decodeUnknownEither(Money.Currency)("XYZ")
    expect(Either.isLeft(decoded)).toBe(true)
    if (Either.isLeft(decoded)) {
      expect(decoded.left.message).toContain("must be an active ISO 4217 currency code such as COP or USD")
      expect(decoded.left.message.length).toBeLessThan(200)
    }
  })
})
