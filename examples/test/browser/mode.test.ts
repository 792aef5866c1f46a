import { describe, expect, it } from "vitest"
import { mode } from "./Chromium.js"

describe("whether the browser tests run", () => {
  it("run with Chromium, skip without it, and fail without it when required (as CI requires them)", () => {
    expect(mode({ available: true, required: false })).toBe("run")
    expect(mode({ available: true, required: true })).toBe("run")
    expect(mode({ available: false, required: false })).toBe("skip")
    expect(mode({ available: false, required: true })).toBe("fail")
  })
})
