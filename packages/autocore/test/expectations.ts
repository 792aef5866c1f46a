/** Assertion helpers for effects that must fail. */
import type { PaymentError } from "@pasarela/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"

/**
 * The error of an effect that must fail. An unexpected success fails the test with a short message
 * (not with the success value: vitest stalls serialising some domain values as thrown errors).
 */
export const failureOf = <A, R>(effect: Effect.Effect<A, PaymentError, R>): Effect.Effect<PaymentError, never, R> =>
  Effect.flatMap(Effect.either(effect), (result) =>
    Either.isLeft(result) ? Effect.succeed(result.left) : Effect.dieMessage("expected a failure, got a success")
  )

/** The reason of an effect that must fail. */
export const reasonOf = <A, R>(effect: Effect.Effect<A, PaymentError, R>) =>
  Effect.map(failureOf(effect), (error) => error.reason)
