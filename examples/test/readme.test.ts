// The README's "Test with the in-memory provider" example, verbatim: if this breaks, so does the README.
import { expect, it } from "@effect/vitest"
import { Money, PaymentLinks } from "@pasarela/core"
import { Memory, MemoryControl } from "@pasarela/memory"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"

it.effect("a booking link is paid; another one expires", () =>
  Effect.gen(function* () {
    const links = yield* PaymentLinks
    const memory = yield* MemoryControl

    const paid = yield* links.create({
      reference: "BK-1",
      description: "2 nights, double room",
      amount: Money.make("120000", "COP"),
      expiresIn: "24 hours"
    })
    yield* memory.payLink(paid.id)
    expect((yield* links.get(paid.id)).status).toBe("paid")

    const unpaid = yield* links.create({
      reference: "BK-2",
      description: "1 night, single room",
      amount: Money.make("60000", "COP"),
      expiresIn: "24 hours"
    })
    yield* TestClock.adjust("25 hours")
    expect((yield* links.get(unpaid.id)).status).toBe("expired")
  }).pipe(Effect.provide(Memory.layer()))
)
