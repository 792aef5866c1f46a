/**
 * Property tests of the options schema: any value of any option is accepted or refused with issues
 * at that option's path, never a crash, and never echoing the secret.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import { Autocore } from "../src/index.js"

const secret = "property-secret-key"
const base: Autocore.Options = {
  accessKey: "property-access-key",
  secretKey: Redacted.make(secret),
  baseUrl: "development",
  hotelId: 5,
  webhookSecret: Redacted.make("property-webhook-secret")
}
const names = Object.keys(Autocore.Options.fields)

const value = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, -1, 1.5, "", "__proto__", "\u0000", [], {}, null),
  fc.constantFrom("30 seconds", "0 millis", 1_000, "USD", true, "America/Lima", "https://h.example", secret)
)

describe("property: Autocore options", () => {
  it("any value of any option: resolved, or refused at that option's path; never a crash, never the secret", () => {
    const seen = { resolved: new Set<string>(), refused: new Set<string>() }
    fc.assert(
      fc.property(fc.constantFrom(...names), value, (name, option) => {
        const resolved = Autocore.resolve({ ...base, [name]: option } as Autocore.Options)
        seen[Either.isLeft(resolved) ? "refused" : "resolved"].add(name)
        if (Either.isLeft(resolved)) {
          const paths = resolved.left.issues.map((issue) => issue.path.split(".")[0])
          expect(paths.length).toBeGreaterThan(0)
          for (const path of paths) expect(path).toBe(name)
          expect(JSON.stringify(resolved.left)).not.toContain(secret)
        }
      }),
      { numRuns: 500 }
    )
    // The checks above run only on refusals: every option must have been refused at least once, and
    // some values resolved, or the property proved nothing.
    expect([...seen.refused].sort()).toEqual([...names].sort())
    expect(seen.resolved.size).toBeGreaterThan(0)
  })
})
