import { describe, expect, it } from "@effect/vitest"
import { Deadline, LeanClient } from "@pasarela/core"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, Ref } from "effect"

/** An effect that never finishes and records whether it was interrupted. */
const hanging = (interrupted: Ref.Ref<boolean>) => Effect.onInterrupt(Effect.never, () => Ref.set(interrupted, true))

describe("Deadline.failAfter", () => {
  it.live("passes a value, a failure or a defect through when it comes in time", () =>
    Effect.gen(function* () {
      expect(yield* Deadline.failAfter(Effect.succeed(1), 1_000, () => "late")).toBe(1)
      expect(yield* Effect.flip(Deadline.failAfter(Effect.fail("boom"), 1_000, () => "late"))).toBe("boom")
      const exit = yield* Effect.exit(Deadline.failAfter(Effect.die("bug"), 1_000, () => "late"))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      const delayed = Effect.as(Effect.sleep("5 millis"), "done")
      expect(yield* Deadline.failAfter(delayed, 1_000, () => "late")).toBe("done")
    })
  )

  it.live("fails with onTimeout after the time, having interrupted the effect first", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(false)
      const error = yield* Effect.flip(Deadline.failAfter(hanging(interrupted), 20, () => "late" as const))
      expect(error).toBe("late")
      expect(yield* Ref.get(interrupted)).toBe(true)
    })
  )

  it.effect("measures real time, even under TestClock (a network deadline is wall-clock time)", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(false)
      expect(yield* Effect.flip(Deadline.failAfter(hanging(interrupted), 20, () => "late"))).toBe("late")
    })
  )

  it.live("interrupting the caller interrupts the effect, and no timeout fires afterwards", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(false)
      const started = yield* Deferred.make<void>()
      let timeouts = 0
      const fiber = yield* Effect.fork(
        Deadline.failAfter(Effect.zipRight(Deferred.succeed(started, undefined), hanging(interrupted)), 30, () => {
          timeouts++
          return "late"
        })
      )
      yield* Deferred.await(started)
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(yield* Ref.get(interrupted)).toBe(true)
      // Past the 30 ms: the timer was cleared with the interruption.
      yield* Effect.sleep("60 millis")
      expect(timeouts).toBe(0)
    })
  )

  it.live("an infinite time limit never fires; one beyond a timer's range still works", () =>
    Effect.gen(function* () {
      const infinite = Duration.toMillis(Duration.infinity)
      expect(yield* Deadline.failAfter(Effect.succeed("ok"), infinite, () => "late")).toBe("ok")
      expect(yield* Deadline.failAfter(Effect.succeed("ok"), 2 ** 31 + 5, () => "late")).toBe("ok")
    })
  )

  it.live("is pipeable", () =>
    Effect.gen(function* () {
      expect(yield* Effect.succeed(2).pipe(Deadline.failAfter(1_000, () => "late"))).toBe(2)
    })
  )
})

describe("Deadline.request", () => {
  const request = () => ({ url: "https://provider.test/x" })

  it.live("a lean client gets the limit with the request, and its DeadlineExceeded becomes onTimeout", () =>
    Effect.gen(function* () {
      const client = LeanClient.mark({})
      expect(LeanClient.isLean(client)).toBe(true)
      const sent = request()
      const seen = yield* Deadline.request(
        client,
        sent,
        (r) => Effect.sync(() => Deadline.ofRequest(r)),
        250,
        () => "late"
      )
      expect(seen).toBe(250)
      const timedOut = () => Effect.fail({ cause: new Deadline.DeadlineExceeded({ afterMillis: 250 }) })
      expect(yield* Effect.flip(Deadline.request(client, request(), timedOut, 250, () => "late" as const))).toBe("late")
      // Other failures pass through untouched.
      const reset = () => Effect.fail({ cause: "reset" })
      expect(yield* Effect.flip(Deadline.request(client, request(), reset, 250, () => "late"))).toEqual({
        cause: "reset"
      })
    })
  )

  it.live("any other client is bounded with failAfter (the limit is not left to it)", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(false)
      const seen = yield* Deadline.request(
        {},
        request(),
        (r) => Effect.sync(() => Deadline.ofRequest(r)),
        250,
        () => "late"
      )
      expect(seen).toBeUndefined()
      const hangs = () => hanging(interrupted)
      expect(yield* Effect.flip(Deadline.request({}, request(), hangs, 20, () => "late"))).toBe("late")
      expect(yield* Ref.get(interrupted)).toBe(true)
    })
  )

  it.live("a lean client gets failAfter too when the limit is beyond one timer's range", () =>
    Effect.gen(function* () {
      const client = LeanClient.mark({})
      const seen = yield* Deadline.request(
        client,
        request(),
        (r) => Effect.sync(() => Deadline.ofRequest(r)),
        Deadline.MAX_TIMER_MILLIS + 1,
        () => "late"
      )
      expect(seen).toBeUndefined()
    })
  )

  it("forRequest gives one request its limit; other requests have none", () => {
    const limited = Deadline.forRequest(request(), 40)
    expect(Deadline.ofRequest(limited)).toBe(40)
    expect(Deadline.ofRequest(request())).toBeUndefined()
  })
})
