import { describe, expect, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import { Webhooks } from "../src/index.js"

const linkKey = Redacted.make("mySiteSecretKey")
const checkoutKey = Redacted.make("024h1IlD")

// Spec §4.1
const linkVectors = [
  {
    linkId: 2,
    status: "PAID",
    date: "2024-06-25T00:43:21-05:00",
    signature: "6b02c3385968052869630e7999499f2c4f82d260e7d2843237c02b3d1d8ef03c"
  },
  {
    linkId: 2,
    status: "EXPIRED",
    date: "2024-06-25T00:53:36-05:00",
    signature: "3d03220edd4cb901894b8918d3cc23c547571e2eac886d90de54e369dde96e48"
  }
] as const

// Spec §4.2
const checkoutVectors = [
  {
    requestId: 83,
    status: "APPROVED",
    date: "2016-10-10T16:39:57-05:00",
    signature: "8fb4beea130ab3e75a1de956bd0213892e0f6839"
  },
  {
    requestId: 126,
    status: "REJECTED",
    date: "2016-10-12T01:44:37-05:00",
    signature: "554fa6c36bd5d1376b192b8bc3a1e3dd9a01e448"
  },
  {
    requestId: 83,
    status: "APPROVED",
    date: "2016-10-10T16:39:57-05:00",
    signature: "sha256:1a0d78ea2fcc656c718d7fa3dc13d1aef9faea442017b20c705319cb33933454"
  }
] as const

/** One character changed, keeping the length. */
const flipLast = (s: string) => `${s.slice(0, -1)}${s.endsWith("0") ? "1" : "0"}`

describe("payment-link notification signatures (§4.1)", () => {
  for (const v of linkVectors) {
    it(`${v.status}: computes and verifies the documented signature`, () => {
      expect(Webhooks.linkSignature(v.linkId, v.status, v.date, linkKey)).toBe(v.signature)
      expect(Webhooks.verifyLink(v, linkKey)).toBe(true)
    })

    it(`${v.status}: rejects tampered notifications`, () => {
      const tampered = [
        { ...v, status: v.status === "PAID" ? "EXPIRED" : "PAID" },
        { ...v, linkId: v.linkId + 1 },
        { ...v, date: v.date.replace(/:\d\d-/, ":59-") },
        { ...v, signature: flipLast(v.signature) },
        { ...v, signature: v.signature.toUpperCase() },
        { ...v, signature: v.signature.slice(0, -1) },
        { ...v, signature: `${v.signature}0` },
        { ...v, signature: `sha256:${v.signature}` },
        { ...v, signature: "" }
      ]
      for (const t of tampered) expect(Webhooks.verifyLink(t, linkKey)).toBe(false)
      expect(Webhooks.verifyLink(v, Redacted.make("anotherSitesSecret"))).toBe(false)
    })
  }
})

describe("checkout notification signatures (§4.2)", () => {
  for (const v of checkoutVectors) {
    const algorithm = v.signature.startsWith("sha256:") ? "sha256" : "sha1"
    it(`${v.requestId} ${v.status} (${algorithm}): computes and verifies`, () => {
      expect(Webhooks.checkoutSignature(v.requestId, v.status, v.date, checkoutKey, algorithm)).toBe(v.signature)
      expect(Webhooks.verifyCheckout(v, checkoutKey)).toBe(true)
    })

    it(`${v.requestId} ${v.status} (${algorithm}): rejects tampered variants`, () => {
      const tampered = [
        { ...v, status: "APPROVED_PARTIAL" },
        { ...v, requestId: v.requestId + 1 },
        { ...v, date: "2016-10-10T16:39:58-05:00" },
        { ...v, signature: flipLast(v.signature) },
        // The same digest under the other algorithm's label is not accepted.
        {
          ...v,
          signature: algorithm === "sha256" ? v.signature.slice("sha256:".length) : `sha256:${v.signature}`
        },
        { ...v, signature: "" }
      ]
      for (const t of tampered) expect(Webhooks.verifyCheckout(t, checkoutKey)).toBe(false)
      expect(Webhooks.verifyCheckout(v, Redacted.make("024h1IlE"))).toBe(false)
    })
  }
})

describe("domain separation", () => {
  it("a link notification's signature never verifies as a checkout session's", () => {
    for (const v of linkVectors) {
      const posing = { requestId: v.linkId, status: v.status, date: v.date, signature: `sha256:${v.signature}` }
      // The digest is the same text's: only the link-only status keeps it from passing.
      expect(Webhooks.checkoutSignature(v.linkId, v.status, v.date, linkKey, "sha256")).toBe(posing.signature)
      expect(Webhooks.verifyCheckout(posing, linkKey)).toBe(false)
    }
    expect(Webhooks.isCheckoutStatus("APPROVED")).toBe(true)
    expect(Webhooks.isCheckoutStatus("PAID")).toBe(false)
    expect(Webhooks.isCheckoutStatus("EXPIRED")).toBe(false)
  })
})

describe("constantTimeEquals", () => {
  it("is equality on equal and unequal lengths", () => {
    expect(Webhooks.constantTimeEquals("abc", "abc")).toBe(true)
    expect(Webhooks.constantTimeEquals("abd", "abc")).toBe(false)
    expect(Webhooks.constantTimeEquals("ab", "abc")).toBe(false)
    expect(Webhooks.constantTimeEquals("abcd", "abc")).toBe(false)
    expect(Webhooks.constantTimeEquals("", "")).toBe(true)
  })
})
