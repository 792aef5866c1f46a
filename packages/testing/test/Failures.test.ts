import { describe, expect, it } from "@effect/vitest"
import { PaymentError } from "@pasarela/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { failureOf, reasonOf } from "../src/helpers.js"

const notFound = new PaymentError.PaymentError({
  provider: "test",
  operation: "links.get",
  reason: new PaymentError.NotFound({ detail: "x" })
})

describe("failureOf / reasonOf", () => {
  it.effect("give the error, and its reason, of an effect that fails", () =>
    Effect.gen(function* () {
      expect(yield* failureOf(Effect.fail(notFound))).toBe(notFound)
      expect((yield* reasonOf(Effect.fail(notFound)))._tag).toBe("NotFound")
    })
  )

  it.effect("an effect that succeeds dies with a short message, never its value", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(failureOf(Effect.succeed({ card: "4111111111111111" })))
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("expected a failure, got a success")
      expect(JSON.stringify(exit)).not.toContain("4111")
    })
  )
})
