/** The create-request decoder: built once per site, it still checks each request against its own clock. */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import type { SiteConfig } from "../src/placetopay/Model.js"
import { decodeCreateLink } from "../src/placetopay/Wire.js"

const site: SiteConfig = {
  id: 7,
  name: "Hotel 7",
  login: "site-7",
  secretKey: "secret-7",
  tranKeyAlgorithm: "sha256",
  timeZoneOffset: "-05:00",
  offsetMinutes: -300,
  active: true,
  paymentMethods: undefined
}
const body = {
  name: "2 nights",
  reference: "R-1",
  description: "2 nights, double room",
  expirationDate: "2030-01-01 10:00:00",
  paymentExpiration: 15,
  payment: { amount: { currency: "COP", total: 120000 } }
}
// 2030-01-01 10:00:00 at UTC-5.
const expiry = Date.parse("2030-01-01T15:00:00Z")

describe("decodeCreateLink", () => {
  it("reads 'now' per request, not from the request that built the site's decoder", () => {
    expect(Either.isRight(decodeCreateLink(body, { nowMs: expiry - 60_000, site }))).toBe(true)
    expect(decodeCreateLink(body, { nowMs: expiry + 60_000, site })).toEqual(
      Either.left({ expirationDate: ["The expirationDate field must be a date after now."] })
    )
    expect(Either.isRight(decodeCreateLink(body, { nowMs: expiry - 1_000, site }))).toBe(true)
  })

  it("checks payment methods against each site's own list", () => {
    const cards: SiteConfig = { ...site, id: 8, paymentMethods: ["visa"] }
    const withMethod = { ...body, paymentMethod: ["pse"] }
    expect(Either.isRight(decodeCreateLink(withMethod, { nowMs: expiry - 60_000, site }))).toBe(true)
    expect(Either.isLeft(decodeCreateLink(withMethod, { nowMs: expiry - 60_000, site: cards }))).toBe(true)
  })
})
