/** The memory provider's transitions as plain functions (no runtime, no clock): expiry scheduling. */
import { describe, expect, it } from "@effect/vitest"
import { PaymentLink, Provider } from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Store from "../src/internal/Store.js"
import { linkInput } from "./fixtures.js"

const MINUTE = 60_000

const settings: Store.Settings = {
  provider: Provider.make({ name: "memory", displayName: "Memory", capabilities: Provider.allOperations }),
  webhookSecret: Redacted.make("store-test-secret"),
  merchantId: undefined,
  idPrefix: "",
  baseUrl: "https://pay.memory.test"
}

const input = Schema.decodeSync(PaymentLink.CreatePaymentLink)(linkInput())

describe("Store expiry", () => {
  it("flush expires what is due in deadline order, equal deadlines in creation order, each once; the rest stays scheduled", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.integer({ min: 1, max: 50 }), { maxLength: 120 }),
        FastCheck.integer({ min: 0, max: 51 }),
        (lifetimes, minutes) => {
          let state = Store.make(settings)
          for (const lifetime of lifetimes) {
            const earliest = Store.nextDeadline(state)
            const created = Store.createLink(state, { ...input, expiresIn: Duration.minutes(lifetime) }, 0)
            // The scheduler is woken only by a link expiring before every other one.
            expect(created.wake).toBe(earliest === undefined || lifetime * MINUTE < earliest)
            state = created.state
          }
          const now = minutes * MINUTE
          const flushed = Store.flush(state, now)
          const expected = lifetimes
            .map((lifetime, i) => ({ lifetime, id: `lnk_${i + 1}` }))
            .filter((link) => link.lifetime <= minutes)
            .sort((a, b) => a.lifetime - b.lifetime)
            .map((link) => ["link.expired", link.id])
          expect(flushed.emitted.map(({ event }) => [event.type, event.subject.id])).toEqual(expected)
          expect(Store.events(flushed.state)).toEqual(flushed.emitted.map(({ event }) => event))
          const rest = lifetimes.filter((lifetime) => lifetime > minutes)
          expect(Store.nextDeadline(flushed.state)).toBe(rest.length === 0 ? undefined : Math.min(...rest) * MINUTE)
          expect(Store.flush(flushed.state, now).emitted).toEqual([])
        }
      )
    )
  })
})
