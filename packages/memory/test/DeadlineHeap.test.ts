import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import { DeadlineHeap } from "../src/internal/DeadlineHeap.js"

describe("DeadlineHeap", () => {
  it("pops what is due in deadline order, equal deadlines in insertion order, and keeps the rest", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.integer({ min: 0, max: 50 }), { maxLength: 300 }),
        FastCheck.integer({ min: -1, max: 51 }),
        (deadlines, now) => {
          const heap = new DeadlineHeap()
          for (const [i, deadline] of deadlines.entries()) heap.push(deadline, `id${i}`)
          const expected = deadlines
            .map((deadline, i) => ({ deadline, id: `id${i}` }))
            .filter((entry) => entry.deadline <= now)
            .sort((a, b) => a.deadline - b.deadline)
            .map((entry) => entry.id)
          expect(heap.popDue(now)).toEqual(expected)
          expect(heap.size).toBe(deadlines.length - expected.length)
          const rest = deadlines.filter((d) => d > now)
          expect(heap.peek()).toBe(rest.length === 0 ? undefined : Math.min(...rest))
        }
      )
    )
  })
})
