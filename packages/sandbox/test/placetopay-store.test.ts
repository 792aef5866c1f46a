import { describe, expect, it } from "@effect/vitest"
import * as HashMap from "effect/HashMap"
import * as Store from "../src/placetopay/Store.js"
import type { CreateLinkRequest } from "../src/placetopay/Wire.js"
import { site1 } from "./placetopay-support.js"

const site = {
  ...site1,
  tranKeyAlgorithm: "sha256",
  timeZoneOffset: "-05:00",
  offsetMinutes: -300,
  active: true,
  paymentMethods: undefined
} as const

const request = (reference: string): CreateLinkRequest => ({
  name: "Room",
  reference,
  description: "2 nights",
  expirationDate: "2030-01-01 00:00:00",
  paymentExpiration: 15,
  payment: { amount: { currency: "COP", total: 120000 } }
})

/** A new link expiring at `expiresAt` (sandbox clock, ms). */
const create = (state: Store.State, reference: string, expiresAt: number): Store.State =>
  Store.createLink(state, {
    site,
    request: request(reference),
    expiresAt,
    baseUrl: "http://sandbox.test",
    code: reference,
    nowMs: 0
  })[1]

const sweep = (state: Store.State, nowMs: number): [ReadonlyArray<string>, Store.State] => {
  const [expired, next] = Store.sweepExpired(state, nowMs)
  return [expired.map((link) => link.reference), next]
}

describe("PlacetoPay simulator store", () => {
  it("expires each link when its date comes, also one created after a sweep with an earlier date", () => {
    let state = create(create(Store.initialState(0), "A", 1_000), "B", 2_000)
    let expired: ReadonlyArray<string>
    ;[expired, state] = sweep(state, 999)
    expect(expired).toEqual([])
    ;[expired, state] = sweep(state, 1_000)
    expect(expired).toEqual(["A"])
    state = create(state, "C", 1_500)
    ;[expired, state] = sweep(state, 1_600)
    expect(expired).toEqual(["C"])
    ;[expired, state] = sweep(state, 5_000)
    expect(expired).toEqual(["B"])
    expect(Store.allLinks(state).map((link) => [link.reference, link.status])).toEqual([
      ["A", "EXPIRED"],
      ["B", "EXPIRED"],
      ["C", "EXPIRED"]
    ])
  })

  it("refuses a spent nonce until its seed window has passed", () => {
    const [first, spent] = Store.spendNonce(Store.initialState(0), "login:n1", 1_000, 0)
    expect(first).toBe(true)
    expect(Store.spendNonce(spent, "login:n1", 1_000, 1_000)[0]).toBe(false)
    expect(Store.spendNonce(spent, "login:n1", 3_000, 1_001)[0]).toBe(true)
  })

  it("drops spent nonces whose window has passed as more are spent", () => {
    let state = Store.initialState(0)
    for (let i = 0; i < 3_000; i++) state = Store.spendNonce(state, `old:${i}`, 1_000, 0)[1]
    for (let i = 0; i < 3_000; i++) state = Store.spendNonce(state, `new:${i}`, 9_000, 2_000)[1]
    // Without pruning all 6,000 would be kept; every new one must be.
    expect(HashMap.size(state.nonces)).toBeLessThanOrEqual(4_096)
    for (let i = 0; i < 3_000; i++) expect(HashMap.has(state.nonces, `new:${i}`)).toBe(true)
  })
})
