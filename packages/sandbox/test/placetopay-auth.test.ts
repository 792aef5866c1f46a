import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { PlacetoPaySandbox } from "../src/index.js"
import * as Auth from "../src/placetopay/Auth.js"
import { authFor, isoAt, linkRequest, post, request, site1 } from "./placetopay-support.js"

const text = (s: string) => new TextEncoder().encode(s)

describe("PlacetoPay sandbox auth: vectors (spec §2)", () => {
  it("A: SHA-256 and SHA-1", () => {
    const nonce = text("ifYEPnAcJbpDVR1t")
    expect(Buffer.from(nonce).toString("base64")).toBe("aWZZRVBuQWNKYnBEVlIxdA==")
    expect(PlacetoPaySandbox.tranKey(nonce, "2016-10-26T21:37:00+00:00", "ABCD1234")).toBe(
      "NDlpEEAIe8sbKZ6mGWQrZwbyBB62J1LcyP/a/o7LRqY="
    )
    expect(PlacetoPaySandbox.tranKey(nonce, "2016-10-26T21:37:00+00:00", "ABCD1234", "sha1")).toBe(
      "Xi5xrRwrqPU21WE2JI4hyMaCvQ8="
    )
  })

  it("B: SHA-256 and SHA-1", () => {
    const nonce = text("c9085e82debb82b0955579098be3d7ca")
    expect(Buffer.from(nonce).toString("base64")).toBe("YzkwODVlODJkZWJiODJiMDk1NTU3OTA5OGJlM2Q3Y2E=")
    expect(PlacetoPaySandbox.tranKey(nonce, "2019-04-25T18:17:23-04:00", "ABCD1234")).toBe(
      "bwQAZo6rquPWHSt3K43DFAZ36xvkSDuCl7TpCA1UPUI="
    )
    expect(PlacetoPaySandbox.tranKey(nonce, "2019-04-25T18:17:23-04:00", "ABCD1234", "sha1")).toBe(
      "T0O+x3gNlQUf0iBxEuenPvBPlWs="
    )
  })

  it("C: raw bytes 00..0f", () => {
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => i)
    expect(Buffer.from(nonce).toString("base64")).toBe("AAECAwQFBgcICQoLDA0ODw==")
    expect(PlacetoPaySandbox.tranKey(nonce, "2024-06-25T00:43:21-05:00", "mySiteSecretKey")).toBe(
      "TJ1QT0OH+1KiWuwQXbbsaGNkKP7xIgSe5R+RRPsG/So="
    )
  })

  it("hashes the raw nonce, not its Base64 text", () => {
    const seed = "2023-06-21T09:56:06-05:00"
    expect(PlacetoPaySandbox.tranKey(text("927342197"), seed, "siteSecretKey")).toBe(
      "1HeFKdVDB63DIerOEcyoLWAVZj5OfwZPExqRLAKS2W4="
    )
    expect(PlacetoPaySandbox.tranKey(text("OTI3MzQyMTk3"), seed, "siteSecretKey")).toBe(
      "tNviBOnMBNSLlf4P8jl5tvSzWTuAjVfooXpdyZwj3d0="
    )
  })
})

describe("PlacetoPay sandbox notification signatures (spec §4.1)", () => {
  it("PAID and EXPIRED vectors", () => {
    expect(PlacetoPaySandbox.signature(2, "PAID", "2024-06-25T00:43:21-05:00", "mySiteSecretKey")).toBe(
      "6b02c3385968052869630e7999499f2c4f82d260e7d2843237c02b3d1d8ef03c"
    )
    expect(PlacetoPaySandbox.signature(2, "EXPIRED", "2024-06-25T00:53:36-05:00", "mySiteSecretKey")).toBe(
      "3d03220edd4cb901894b8918d3cc23c547571e2eac886d90de54e369dde96e48"
    )
  })
})

const sites: ReadonlyArray<PlacetoPaySandbox.Site> = [
  ...PlacetoPaySandbox.defaultSites,
  { id: 7, name: "Legacy", login: "legacy-login", secretKey: "legacy-secret", tranKeyAlgorithm: "sha1" },
  { id: 8, name: "Closed", login: "closed-login", secretKey: "closed-secret", active: false }
]

/** Queries a link id that does not exist: authenticated calls answer 404, failed auth 401. */
const call = (baseUrl: string, body: unknown) => post(baseUrl, "/api/payment-link/999", body)

const expectAuthFailure = (reply: { status: number; body: unknown }, code: number) => {
  expect(reply.status).toBe(401)
  expect(reply.body).toEqual({
    status: { status: "FAILED", reason: 401, message: `${code} (Authentication Failed)`, date: expect.any(String) }
  })
}

describe("PlacetoPay sandbox auth over HTTP", () => {
  it.scopedLive("accepts a fresh auth, SHA-1 on a legacy site, seeds in UTC", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* PlacetoPaySandbox.serve({ sites })
      expect((yield* call(baseUrl, { auth: authFor(site1) })).status).toBe(404)
      const legacy = { login: "legacy-login", secretKey: "legacy-secret" }
      expect((yield* call(baseUrl, { auth: authFor(legacy, { algorithm: "sha1" }) })).status).toBe(404)
      const utcSeed = new Date().toISOString()
      expect((yield* call(baseUrl, { auth: authFor(site1, { seed: utcSeed }) })).status).toBe(404)
    })
  )

  it.scopedLive("100: auth missing or malformed", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* PlacetoPaySandbox.serve({ sites })
      expectAuthFailure(yield* call(baseUrl, {}), 100)
      expectAuthFailure(yield* call(baseUrl, { auth: "x" }), 100)
      expectAuthFailure(yield* call(baseUrl, { auth: { ...authFor(site1), tranKey: undefined } }), 100)
      expectAuthFailure(yield* call(baseUrl, { auth: { ...authFor(site1), nonce: "not base64!" } }), 100)
      expectAuthFailure(yield* call(baseUrl, { auth: authFor(site1, { seed: "yesterday" }) }), 100)
      expectAuthFailure(yield* call(baseUrl, [1, 2]), 100)
      // Without a JSON content type the body is not read, as in the real service.
      const plain = yield* request(baseUrl, "/api/payment-link/999", {
        body: JSON.stringify({ auth: authFor(site1) }),
        contentType: "text/plain"
      })
      expectAuthFailure(plain, 100)
    })
  )

  it.scopedLive("101 unknown login, 102 wrong tranKey, 104 inactive site", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* PlacetoPaySandbox.serve({ sites })
      expectAuthFailure(yield* call(baseUrl, { auth: authFor({ ...site1, login: "nobody" }) }), 101)
      expectAuthFailure(yield* call(baseUrl, { auth: authFor(site1, { secretKey: "wrong" }) }), 102)
      // SHA-1 for a SHA-256 site does not match either.
      expectAuthFailure(yield* call(baseUrl, { auth: authFor(site1, { algorithm: "sha1" }) }), 102)
      expectAuthFailure(
        yield* call(baseUrl, { auth: authFor({ login: "closed-login", secretKey: "closed-secret" }) }),
        104
      )
    })
  )

  it("103 only beyond five minutes either side of the seed, to the millisecond", () => {
    const seedMs = Date.parse("2026-01-01T15:00:00Z")
    const body = { auth: authFor(site1, { seed: isoAt(seedMs) }) }
    const site = { ...site1, tranKeyAlgorithm: "sha256" as const, active: true }
    const at = (offsetMs: number) => Auth.authenticate(body, [site], seedMs + offsetMs)
    for (const offset of [-Auth.SEED_WINDOW_MS, 0, Auth.SEED_WINDOW_MS]) expect(at(offset)._tag).toBe("Authenticated")
    for (const offset of [-Auth.SEED_WINDOW_MS - 1, Auth.SEED_WINDOW_MS + 1]) {
      expect(at(offset)).toEqual({ _tag: "Failed", code: 103 })
    }
  })

  it("100: a nonce that is not canonical Base64, even when it decodes to the right bytes", () => {
    const seedMs = Date.parse("2026-01-01T15:00:00Z")
    const rawNonce = Uint8Array.from({ length: 16 }, (_, i) => i)
    const auth = authFor(site1, { rawNonce, seed: isoAt(seedMs) })
    expect(auth.nonce).toBe("AAECAwQFBgcICQoLDA0ODw==")
    const site = { ...site1, tranKeyAlgorithm: "sha256" as const, active: true }
    const withNonce = (nonce: string) => Auth.authenticate({ auth: { ...auth, nonce } }, [site], seedMs)
    expect(withNonce(auth.nonce)._tag).toBe("Authenticated")
    // Same bytes with non-zero unused bits, without padding, URL-safe alphabet, with a line break.
    for (const nonce of ["AAECAwQFBgcICQoLDA0ODx==", "AAECAwQFBgcICQoLDA0ODw", "AAECAwQFBgcICQoLDA0ODw==\n"]) {
      expect(withNonce(nonce)).toEqual({ _tag: "Failed", code: 100 })
    }
    const urlSafe = authFor(site1, { rawNonce: Buffer.from("fbff", "hex"), seed: isoAt(seedMs) })
    expect(urlSafe.nonce).toBe("+/8=")
    const withUrlSafe = { auth: { ...urlSafe, nonce: "-_8=" } }
    expect(Auth.authenticate(withUrlSafe, [site], seedMs)).toEqual({ _tag: "Failed", code: 100 })
  })

  it.scopedLive("103: stale, future or zoneless seeds", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* PlacetoPaySandbox.serve({ sites })
      expectAuthFailure(yield* call(baseUrl, { auth: authFor(site1, { seed: isoAt(Date.now() - 6 * 60_000) }) }), 103)
      expectAuthFailure(yield* call(baseUrl, { auth: authFor(site1, { seed: isoAt(Date.now() + 6 * 60_000) }) }), 103)
      const zoneless = isoAt(Date.now()).slice(0, 19)
      expectAuthFailure(yield* call(baseUrl, { auth: authFor(site1, { seed: zoneless }) }), 103)
      // Four minutes off is within the window.
      expect((yield* call(baseUrl, { auth: authFor(site1, { seed: isoAt(Date.now() - 4 * 60_000) }) })).status).toBe(
        404
      )
    })
  )

  it.scopedLive("a reused nonce is refused (102)", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* PlacetoPaySandbox.serve({ sites })
      const auth = authFor(site1)
      expect((yield* call(baseUrl, { auth })).status).toBe(404)
      expectAuthFailure(yield* call(baseUrl, { auth }), 102)
      // The same nonce bytes under another login are a different nonce.
      const rawNonce = Buffer.from(auth.nonce, "base64")
      expect((yield* call(baseUrl, { auth: authFor(PlacetoPaySandbox.defaultSites[1]!, { rawNonce }) })).status).toBe(
        404
      )
    })
  )

  it.scopedLive("the auth clock skew is separate from the link clock", () =>
    Effect.gen(function* () {
      const sandbox = yield* PlacetoPaySandbox.serve({ sites, authClockSkew: 60 * 60_000 })
      expectAuthFailure(yield* call(sandbox.baseUrl, { auth: authFor(site1) }), 103)
      const ahead = isoAt(Date.now() + 60 * 60_000)
      expect((yield* call(sandbox.baseUrl, { auth: authFor(site1, { seed: ahead }) })).status).toBe(404)
      yield* sandbox.setAuthClockSkew(0)
      yield* sandbox.advanceClock("3 days")
      expect((yield* call(sandbox.baseUrl, { auth: authFor(site1) })).status).toBe(404)
    })
  )

  it.scopedLive("auth is checked before the body is validated", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* PlacetoPaySandbox.serve({ sites })
      const reply = yield* post(baseUrl, "/api/payment-link", { ...linkRequest({ name: 3 }) })
      expectAuthFailure(reply, 100)
    })
  )
})
