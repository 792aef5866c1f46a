/**
 * Memory provider throughput, on the real clock (figures, not assertions).
 *
 *   pnpm exec tsx --conditions=@pasarela/source bench/memory.ts
 */
import { Money, PaymentLinks, Webhooks } from "@pasarela/core"
import { Memory, MemoryControl } from "@pasarela/memory"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import { isEntryPoint, type Measurement, runAlone } from "./support.js"

const CYCLES = 20_000
const WARMUP = 2_000
const EXPIRING_LINKS = 10_000

const amount = Money.make("120000", "COP")
const linkInput = (i: number) => ({
  reference: `BK-${i}`,
  description: "2 nights, double room",
  amount,
  payer: { name: "Laura", email: "laura@example.com" }
})

/** `n` times: create a link, pay it, take the `payment.approved` event it caused. */
const cycles = (n: number) =>
  Effect.gen(function* () {
    const links = yield* PaymentLinks
    const control = yield* MemoryControl
    for (let i = 0; i < n; i++) {
      const link = yield* links.create(linkInput(i))
      yield* control.payLink(link.id)
      const event = yield* control.takeEvent
      if (event.subject.id !== link.id) return yield* Effect.dieMessage(`event for ${event.subject.id}, not ${link.id}`)
    }
  })

const elapsed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const start = performance.now()
    const result = yield* effect
    return { result, millis: performance.now() - start }
  })

const cyclesPerSecond = Effect.gen(function* () {
  yield* cycles(WARMUP)
  const { millis } = yield* elapsed(cycles(CYCLES))
  return (CYCLES * 1000) / millis
}).pipe(Effect.provide(Memory.layer()))

/** Verifies the notifications of `CYCLES` paid links (after the cycles above, in a fresh provider). */
const verificationsPerSecond = Effect.gen(function* () {
  yield* cycles(CYCLES)
  const control = yield* MemoryControl
  const webhooks = yield* Webhooks
  const notifications = yield* control.notificationsSoFar
  const { millis } = yield* elapsed(Effect.forEach(notifications, webhooks.verify, { discard: true }))
  return (notifications.length * 1000) / millis
}).pipe(Effect.provide(Memory.layer()))

/** 10,000 links with ten different lifetimes, all expired by one `TestClock.adjust`. */
const expiryMeasurement = Effect.gen(function* () {
  const links = yield* PaymentLinks
  const control = yield* MemoryControl
  for (let i = 0; i < EXPIRING_LINKS; i++) {
    yield* links.create({ ...linkInput(i), expiresIn: `${(i % 10) + 1} hours` })
  }
  const { millis } = yield* elapsed(TestClock.adjust("11 hours"))
  const expired = (yield* control.eventsSoFar).filter((e) => e.type === "link.expired").length
  if (expired !== EXPIRING_LINKS) return yield* Effect.dieMessage(`${expired} links expired, not ${EXPIRING_LINKS}`)
  return millis
}).pipe(Effect.provide(Memory.layer()), Effect.provide(TestContext.TestContext))

/**
 * `expiryMeasurement` in a root fiber of its own: `TestContext` provided with `Effect.provide`
 * stays the fiber's clock afterwards (Effect's test services patch the fiber's default services),
 * and would stop every later sleep of the caller.
 */
const expiryMillis = Effect.promise(() => Effect.runPromise(expiryMeasurement))

export const run: Effect.Effect<ReadonlyArray<Measurement>> = Effect.gen(function* () {
  const cycleRate = yield* cyclesPerSecond
  const verifyRate = yield* verificationsPerSecond
  const expiry = yield* expiryMillis
  return [
    {
      name: `memory: create → pay → event cycles (${CYCLES.toLocaleString("en")})`,
      value: cycleRate,
      unit: "cycles/s"
    },
    { name: "memory: notifications verified", value: verifyRate, unit: "notifications/s" },
    {
      name: `memory: expire ${EXPIRING_LINKS.toLocaleString("en")} links with TestClock.adjust`,
      value: expiry,
      unit: "ms"
    }
  ]
}).pipe(Effect.orDie)

if (isEntryPoint(import.meta.url)) runAlone(run)
