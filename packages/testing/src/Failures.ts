/** What an effect that must fail failed with, for assertions in any test framework. */
import type { PaymentError } from "@pasarela/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"

/**
 * The error of an effect that must fail. An unexpected success dies with a short message (not
 * with the success value: test runners can stall serialising some domain values as thrown errors).
 */
export const failureOf = <A, R>(
  effect: Effect.Effect<A, PaymentError.PaymentError, R>
): Effect.Effect<PaymentError.PaymentError, never, R> =>
  Effect.flatMap(Effect.either(effect), (result) =>
    Either.isLeft(result) ? Effect.succeed(result.left) : Effect.dieMessage("expected a failure, got a success")
  )

/** The reason of an effect that must fail: `expect((yield* reasonOf(links.get(id)))._tag).toBe("NotFound")`. */
export const reasonOf = <A, R>(
  effect: Effect.Effect<A, PaymentError.PaymentError, R>
): Effect.Effect<PaymentError.PaymentError["reason"], never, R> =>
  Effect.map(failureOf(effect), (error) => error.reason)
