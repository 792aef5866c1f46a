import { describe, expect, it } from "@effect/vitest"
import { main } from "../promise-api.js"

describe("the Promise API example", () => {
  it("creates a link, receives its payment notification over plain Node http, and reads it back", async () => {
    const lines = await main()
    expect(lines[0]).toMatch(/^created BK-PROMISE-1: http:\/\/127\.0\.0\.1:\d+\/link\/show\?genid=\d+/)
    expect(lines[1]).toBe("notified payment.approved for BK-PROMISE-1 (verified: true)")
    expect(lines[2]).toBe("status paid")
  })
})
