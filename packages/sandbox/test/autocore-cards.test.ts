import { describe, expect, it } from "@effect/vitest"
import { testCards } from "../src/AutocoreSandbox.js"
import * as Cards from "../src/autocore/Cards.js"
import { luhnValid } from "../src/placetopay/Cards.js"

describe("Autocore test cards", () => {
  it("say skipLuhnCheck exactly where the number fails the Luhn check", () => {
    expect(testCards.map((card) => card.number)).toEqual([
      "4111111111111111",
      "1111111111111111",
      "36417002140808",
      "5555555555554444"
    ])
    for (const card of testCards) expect(card.skipLuhnCheck === true, card.number).toBe(!luhnValid(card.number))
  })

  it("decide the simulator's outcomes, as listed", () => {
    const outcome = (number: string) => Cards.scenario(number, false)
    expect(outcome("4111111111111111")).toEqual({ _tag: "Approved" })
    expect(outcome("1111111111111111")).toEqual({ _tag: "Declined", comments: Cards.insufficientFunds })
    expect(outcome("36417002140808")).toEqual({ _tag: "Pending", settlesTo: "approved" })
    expect(outcome("5555555555554444")).toEqual({ _tag: "Pending", settlesTo: "declined" })
    expect(outcome("4000000000000002")._tag).toBe("InvalidCard")
  })
})
