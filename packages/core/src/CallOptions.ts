/**
 * Per-call settings that ride along with an effect instead of widening every service method:
 *
 * ```ts
 * links.create(input).pipe(CallOptions.withTimeout("5 seconds"))
 * ```
 *
 * Adapters read them for each request; a per-call value wins over the provider's configured one.
 */
import { Context, Duration, Effect } from "effect"

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
