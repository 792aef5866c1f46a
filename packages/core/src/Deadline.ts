/**
 * A time limit on one provider request, cheap enough for every call.
 *
 * `Effect.timeoutFail` races the effect against a sleeping fiber: two forks and a join of fiber
 * refs, measurable on a fast provider call. Here the effect runs in one child fiber and a plain
 * timer interrupts it, so a request costs one fork. The timer is real time on purpose: a network
 * deadline means wall-clock time, even in a test that installs `TestClock`.
 */
import { Effect, type Exit, Fiber } from "effect"
import { dual } from "effect/Function"

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

/** The longest delay `setTimeout` honours (a longer one fires at once). */
const MAX_TIMER_MILLIS = 2 ** 31 - 1

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
