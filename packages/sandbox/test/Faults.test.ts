/** The fault machinery's pure parts: how bodies are mangled, and how rules are read. */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { Faults } from "../src/index.js"

const answer = JSON.stringify({ status: { status: "OK", reason: 201 }, id: 7, url: "http://x/link", ok: true })

describe("Faults body mangling", () => {
  it("truncate keeps the first half, which no longer parses", () => {
    const cut = Faults.truncate(answer)
    expect(cut).toBe(answer.slice(0, Math.floor(answer.length / 2)))
    expect(() => JSON.parse(cut)).toThrow()
  })

  it("malform unquotes the first key (never valid JSON), or prefixes a brace when there is none", () => {
    expect(Faults.malform('{"a":1,"b":"c"}')).toBe('{a:1,"b":"c"}')
    expect(Faults.malform('{"say \\"hi\\"":1}')).toBe('{say \\"hi\\":1}')
    expect(Faults.malform("")).toBe("{")
    for (const text of [answer, "", "[]", '"x"']) expect(() => JSON.parse(Faults.malform(text))).toThrow()
  })

  it("violate retypes every top-level field; what is not an object becomes {}", () => {
    expect(JSON.parse(Faults.violate(answer))).toEqual({ status: null, id: "7", url: 13, ok: null })
    expect(Faults.violate("[1,2]")).toBe("{}")
    expect(Faults.violate("not json")).toBe("{}")
  })
})

describe("Faults.decodeRules", () => {
  it("reads one rule or an array of rules", () => {
    expect(Faults.decodeRules({ fault: { kind: "resetAfter" } })).toEqual(
      Either.right([{ fault: { kind: "resetAfter" } }])
    )
    expect(
      Faults.decodeRules([
        { route: "links.get", times: 2, fault: { kind: "latency", ms: 10 } },
        { route: "*", fault: { kind: "clockSkew", seconds: -30 } }
      ])
    ).toEqual(
      Either.right([
        { route: "links.get", times: 2, fault: { kind: "latency", ms: 10 } },
        { route: "*", fault: { kind: "clockSkew", seconds: -30 } }
      ])
    )
  })

  it("refuses rules out of bounds, unknown kinds and unknown fields, naming the problem", () => {
    const refused = (body: unknown) => Either.getLeft(Faults.decodeRules(body))
    expect(refused({ fault: { kind: "latency", ms: Faults.MAX_LATENCY_MS + 1 } })._tag).toBe("Some")
    expect(refused({ times: Faults.MAX_TIMES + 1, fault: { kind: "resetBefore" } })._tag).toBe("Some")
    expect(refused({ fault: { kind: "clockSkew", seconds: Faults.MAX_CLOCK_SKEW_SECONDS + 1 } })._tag).toBe("Some")
    expect(refused({ fault: { kind: "rateLimit", retryAfterSeconds: Faults.MAX_RETRY_AFTER_SECONDS + 1 } })._tag).toBe(
      "Some"
    )
    expect(refused({ fault: { kind: "status", status: 501 } })._tag).toBe("Some")
    expect(refused({ fault: { kind: "resetBefore" }, surprise: 1 })._tag).toBe("Some")
    expect(refused(null)._tag).toBe("Some")
    expect(refused({ fault: { kind: "resetBefore" } })._tag).toBe("None")
  })
})
