/**
 * A time limit on one provider request, cheap enough for every call.
 *
 * `Effect.timeoutFail` races the effect against a sleeping fiber: two forks and a join of fiber
 * refs, measurable on a fast provider call. `failAfter` runs the effect in one child fiber and a
 * plain timer interrupts it: one fork. `request` costs no fiber at all when the HTTP client is lean
 * (`LeanClient`): the limit travels with the request (`forRequest`), and the client aborts the
 * request when it passes, failing with a `DeadlineExceeded` cause. Any other client gets
 * `failAfter`. Timers are real time on purpose: a network deadline means wall-clock time, even in a
 * test that installs `TestClock`.
 */
import { Data, Effect, type Exit, Fiber, Predicate } from "effect"
import { dual } from "effect/Function"
import { globalValue } from "effect/GlobalValue"
import { isLean } from "./LeanClient.js"

/** The longest delay `setTimeout` honours (a longer one fires at once). */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1

/** The cause a lean client fails with when a request's time limit passes. */
export class DeadlineExceeded extends Data.TaggedError("DeadlineExceeded")<{ readonly afterMillis: number }> {}

const limits: WeakMap<object, number> = globalValue(
  Symbol.for("@pasarela/core/Deadline/limits"),
  () => new WeakMap<object, number>()
)

/** Gives `request` (an `HttpClientRequest`) a time limit in milliseconds, for a lean client to enforce; returns it. */
export const forRequest = <R extends object>(request: R, millis: number): R => {
  limits.set(request, millis)
  return request
}

/** The time limit given to `request` with `forRequest`, if any. */
export const ofRequest = (request: object): number | undefined => limits.get(request)

/** By tag, not class: the client may have been loaded with another copy of this package. */
const exceeded = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  Predicate.isTagged((error as { cause?: unknown }).cause, "DeadlineExceeded")

/**
 * Sends `request` with `execute` within `millis`, failing with `onTimeout()` when it passes: a lean
 * `client` gets the limit with the request (no fiber); any other is bounded with `failAfter`.
 */
export const request = <Req extends object, A, E, R, E2>(
  client: unknown,
  request: Req,
  execute: (request: Req) => Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> =>
  isLean(client) && millis <= MAX_TIMER_MILLIS
    ? Effect.catchIf(execute(forRequest(request, millis)), exceeded, () => Effect.fail(onTimeout()))
    : run(execute(request), millis, onTimeout)

/**
 * Runs `self`; if it has not finished after `millis`, interrupts it (waiting for its finalizers,
 * so an HTTP request is aborted before this returns) and fails with `onTimeout()`.
 */
export const failAfter: {
  <E2>(millis: number, onTimeout: () => E2): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | E2, R>
  <A, E, R, E2>(self: Effect.Effect<A, E, R>, millis: number, onTimeout: () => E2): Effect.Effect<A, E | E2, R>
} = dual(
  3,
  <A, E, R, E2>(self: Effect.Effect<A, E, R>, millis: number, onTimeout: () => E2): Effect.Effect<A, E | E2, R> =>
    run(self, millis, onTimeout)
)

const run = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> => {
  if (millis === Number.POSITIVE_INFINITY) return self
  // Beyond what one timer can wait (about 24.8 days): Effect's own timeout sleeps in steps.
  if (millis > MAX_TIMER_MILLIS) return Effect.timeoutFail(self, { duration: millis, onTimeout })
  return Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.fork(restore(self)), (fiber) =>
      restore(
        Effect.async<A, E | E2>((resume) => {
          const observer = (exit: Exit.Exit<A, E>) => {
            clearTimeout(timer)
            resume(exit)
          }
          const timer = setTimeout(() => {
            fiber.removeObserver(observer)
            resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
          }, millis)
          fiber.addObserver(observer)
          // The caller was interrupted: stop the timer and the request.
          return Effect.suspend(() => {
            clearTimeout(timer)
            fiber.removeObserver(observer)
            return Fiber.interrupt(fiber)
          })
        })
      )
    )
  )
}
