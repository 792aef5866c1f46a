/**
 * Per-call settings that ride along with an effect instead of widening every service method:
 *
 * ```ts
 * links.create(input).pipe(CallOptions.withTimeout("5 seconds"))
 * ```
 *
 * Adapters read them for each request; a per-call value wins over the provider's configured one.
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import { Aborted, Timeout } from "./PaymentError.js"

/** How long one request attempt may take; `undefined` means the provider's configured timeout. */
export class CallTimeout extends Context.Reference<CallTimeout>()("@pasarela/core/CallTimeout", {
  defaultValue: (): Duration.Duration | undefined => undefined
}) {}

/** Runs `effect` with a timeout for each request attempt it makes. */
export const withTimeout =
  (timeout: Duration.DurationInput) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.provideService(effect, CallTimeout, Duration.decode(timeout))

/** The timeout for the current call: the per-call value if set, else `fallback`. */
export const timeoutOr = (fallback: Duration.Duration): Effect.Effect<Duration.Duration> =>
  Effect.map(CallTimeout, (timeout) => timeout ?? fallback)

/** A signal that aborts the call's provider request; `undefined` when the call has none. */
export class CallSignal extends Context.Reference<CallSignal>()("@pasarela/core/CallSignal", {
  defaultValue: (): AbortSignal | undefined => undefined
}) {}

/**
 * Runs `effect` so that aborting `signal` stops its provider request: the call fails with a
 * `PaymentError` saying whether the request may have reached the provider (`OutcomeUnknown` for a
 * create on its way; `Aborted`, or `Timeout` for a `CallTimeLimit`, when nothing changed).
 */
export const withSignal =
  (signal: AbortSignal) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.provideService(effect, CallSignal, signal)

/** The reason to abort a call's signal with when the call's whole time limit has passed. */
export class CallTimeLimit extends Data.TaggedError("CallTimeLimit")<{ readonly afterMillis: number }> {
  override get message() {
    return `the call's time limit of ${this.afterMillis} ms passed`
  }
}

/** The time limit a signal was aborted with (`CallTimeLimit`), if that is why. */
export const timeLimitOf = (signalReason: unknown): number | undefined =>
  Predicate.isTagged(signalReason, "CallTimeLimit") && typeof (signalReason as CallTimeLimit).afterMillis === "number"
    ? (signalReason as CallTimeLimit).afterMillis
    : undefined

/** The reason of a call aborted when nothing had changed: `Timeout` for its time limit, else `Aborted`. */
export const abortedReason = (signalReason: unknown, detail: string): Timeout | Aborted => {
  const limit = timeLimitOf(signalReason)
  return limit === undefined ? new Aborted({ detail }) : new Timeout({ afterMillis: limit })
}
