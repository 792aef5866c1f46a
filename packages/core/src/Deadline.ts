/**
 * A time limit on one provider request, cheap enough for every call.
 *
 * `Effect.timeoutFail` races the effect against a sleeping fiber: two forks and a join of fiber
 * refs, measurable on a fast provider call. `failAfter` runs the effect in one child fiber and a
 * plain timer interrupts it: one fork. `request` costs no fiber at all when the HTTP client
 * enforces the limit itself (`UndiciHttpClient` does: it reads `currentRequestDeadline`, aborts the
 * request when it passes, and fails with a `DeadlineExceeded` cause), and falls back to
 * `failAfter` for any other client. Timers are real time on purpose: a network deadline means
 * wall-clock time, even in a test that installs `TestClock`.
 */
import { Data, Effect, type Exit, Fiber, FiberRef } from "effect"
import { dual } from "effect/Function"
import { globalValue } from "effect/GlobalValue"

/** The longest delay `setTimeout` honours (a longer one fires at once). */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1

/**
 * The time limit, in milliseconds, of the requests an HTTP client sends in this fiber; undefined
 * for none. Set by `request` for clients that enforce it.
 */
export const currentRequestDeadline: FiberRef.FiberRef<number | undefined> = globalValue(
  Symbol.for("@pasarela/core/Deadline/currentRequestDeadline"),
  () => FiberRef.unsafeMake<number | undefined>(undefined)
)

/** The cause an enforcing client fails with when the request's time limit passes. */
export class DeadlineExceeded extends Data.TaggedError("DeadlineExceeded")<{ readonly afterMillis: number }> {}

const enforcing = Symbol.for("@pasarela/core/Deadline/enforcing")

/** Marks a client (any object) as enforcing `currentRequestDeadline` itself. */
export const markEnforcing = <C extends object>(client: C): C => Object.assign(client, { [enforcing]: true })

/** True for a client marked with `markEnforcing`. */
export const isEnforcing = (client: unknown): boolean =>
  typeof client === "object" && client !== null && enforcing in client

const exceeded = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { cause?: unknown }).cause instanceof DeadlineExceeded

/**
 * Bounds a request sent with `client` by `millis`, failing with `onTimeout()` when it passes:
 * through `currentRequestDeadline` if the client enforces it (no fiber), else with `failAfter`.
 */
export const request = <A, E, R, E2>(
  client: unknown,
  self: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> =>
  isEnforcing(client) && millis <= MAX_TIMER_MILLIS
    ? Effect.catchIf(Effect.locally(self, currentRequestDeadline, millis), exceeded, () => Effect.fail(onTimeout()))
    : run(self, millis, onTimeout)

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
