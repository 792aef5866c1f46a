import { describe, expect, it } from "@effect/vitest"
import { RandomBytes } from "@pasarela/core"

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

describe("RandomBytes.take", () => {
  it("gives the length asked for, never the same bytes twice, across pool refills", () => {
    const seen = new Set<string>()
    // 2,000 × 16 bytes: several refills of the 4 KiB pool.
    for (let i = 0; i < 2_000; i++) {
      const bytes = RandomBytes.take(16)
      expect(bytes).toHaveLength(16)
      seen.add(hex(bytes))
    }
    expect(seen.size).toBe(2_000)
  })

  it("hands out copies: a taken buffer does not change when the pool is refilled or zeroed", () => {
    const first = RandomBytes.take(16)
    const kept = hex(first)
    for (let i = 0; i < 600; i++) RandomBytes.take(16)
    expect(hex(first)).toBe(kept)
  })

  it("serves lengths the pool cannot hold, and none", () => {
    const large = RandomBytes.take(100_000)
    expect(large).toHaveLength(100_000)
    // Filled in every part (getRandomValues fills at most 64 KiB per call).
    expect(large.subarray(70_000).some((b) => b !== 0)).toBe(true)
    expect(RandomBytes.take(0)).toHaveLength(0)
    expect(() => RandomBytes.take(-1)).toThrow(RangeError)
    expect(() => RandomBytes.take(1.5)).toThrow(RangeError)
  })

  it("looks uniform: every byte value turns up in 64 KiB", () => {
    const counts = new Array<number>(256).fill(0)
    for (let i = 0; i < 4_096; i++) for (const b of RandomBytes.take(16)) counts[b]!++
    // 65,536 bytes, 256 expected per value: a value never seen means the bytes are not random.
    expect(Math.min(...counts)).toBeGreaterThan(150)
  })
})
