import { createHash } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { Auth } from "../src/index.js"

const utf8 = (text: string) => new TextEncoder().encode(text)
const secret = (text: string) => Redacted.make(text)

// Spec §2 vectors: raw nonce, seed, secret → nonce on the wire, SHA-256 and SHA-1 tranKeys.
const vectors = [
  {
    name: "A",
    secretKey: "ABCD1234",
    rawNonce: utf8("ifYEPnAcJbpDVR1t"),
    seed: "2016-10-26T21:37:00+00:00",
    nonce: "aWZZRVBuQWNKYnBEVlIxdA==",
    sha256: "NDlpEEAIe8sbKZ6mGWQrZwbyBB62J1LcyP/a/o7LRqY=",
    sha1: "Xi5xrRwrqPU21WE2JI4hyMaCvQ8="
  },
  {
    name: "B",
    secretKey: "ABCD1234",
    rawNonce: utf8("c9085e82debb82b0955579098be3d7ca"),
    seed: "2019-04-25T18:17:23-04:00",
    nonce: "YzkwODVlODJkZWJiODJiMDk1NTU3OTA5OGJlM2Q3Y2E=",
    sha256: "bwQAZo6rquPWHSt3K43DFAZ36xvkSDuCl7TpCA1UPUI=",
    sha1: "T0O+x3gNlQUf0iBxEuenPvBPlWs="
  },
  {
    name: "C",
    secretKey: "mySiteSecretKey",
    rawNonce: Uint8Array.from({ length: 16 }, (_, i) => i),
    seed: "2024-06-25T00:43:21-05:00",
    nonce: "AAECAwQFBgcICQoLDA0ODw==",
    sha256: "TJ1QT0OH+1KiWuwQXbbsaGNkKP7xIgSe5R+RRPsG/So=",
    sha1: undefined
  }
] as const

describe("Auth.tranKey (spec §2 vectors)", () => {
  for (const v of vectors) {
    it(`vector ${v.name}: SHA-256`, () => {
      expect(Auth.tranKey(v.rawNonce, v.seed, secret(v.secretKey), "sha256")).toBe(v.sha256)
      expect(Buffer.from(v.rawNonce).toString("base64")).toBe(v.nonce)
    })
    if (v.sha1 !== undefined) {
      const sha1 = v.sha1
      it(`vector ${v.name}: SHA-1 (legacy, 28 characters)`, () => {
        const key = Auth.tranKey(v.rawNonce, v.seed, secret(v.secretKey), "sha1")
        expect(key).toBe(sha1)
        expect(key).toHaveLength(28)
      })
    }
  }

  it("hashes the raw nonce bytes, not their Base64 text (the wrong-way vector)", () => {
    const raw = utf8("927342197")
    const seed = "2023-06-21T09:56:06-05:00"
    const key = secret("siteSecretKey")
    const right = "1HeFKdVDB63DIerOEcyoLWAVZj5OfwZPExqRLAKS2W4="
    const wrong = "tNviBOnMBNSLlf4P8jl5tvSzWTuAjVfooXpdyZwj3d0="
    expect(Auth.tranKey(raw, seed, key, "sha256")).toBe(right)
    // Feeding the Base64 text in place of the bytes reproduces the documented wrong answer.
    const base64Text = utf8(Buffer.from(raw).toString("base64"))
    expect(Auth.tranKey(base64Text, seed, key, "sha256")).toBe(wrong)
    // And Base64 over the hex digest (another classic mistake) is not the answer either.
    const hexThenBase64 = Buffer.from(
      createHash("sha256").update(raw).update(seed).update("siteSecretKey").digest("hex")
    ).toString("base64")
    expect(hexThenBase64).not.toBe(right)
  })
})

describe("Auth.seedOf", () => {
  it("writes ISO 8601 with the zone, whole seconds", () => {
    expect(Auth.seedOf(new Date("2016-10-26T21:37:00.987Z"), 0)).toBe("2016-10-26T21:37:00+00:00")
    expect(Auth.seedOf(new Date("2019-04-25T22:17:23Z"), -240)).toBe("2019-04-25T18:17:23-04:00")
    expect(Auth.seedOf(new Date("2024-06-25T05:43:21Z"), -300)).toBe("2024-06-25T00:43:21-05:00")
    expect(Auth.seedOf(new Date("2024-06-25T05:43:21Z"), 330)).toBe("2024-06-25T11:13:21+05:30")
  })
})

describe("Auth.authObject / Auth.make", () => {
  const credentials: Auth.Credentials = {
    login: "site-login",
    secretKey: secret("mySiteSecretKey"),
    tranKeyAlgorithm: "sha256",
    timeZone: "America/Bogota"
  }

  it("builds vector C's auth object from its nonce and instant, the seed in the site's zone", () => {
    const at = Date.parse("2024-06-25T05:43:21Z")
    expect(Auth.authObject(credentials, vectors[2].rawNonce, at)).toEqual({
      login: "site-login",
      tranKey: "TJ1QT0OH+1KiWuwQXbbsaGNkKP7xIgSe5R+RRPsG/So=",
      nonce: "AAECAwQFBgcICQoLDA0ODw==",
      seed: "2024-06-25T00:43:21-05:00"
    })
  })

  it.effect("draws a fresh 16-byte nonce per call and takes the seed from the Clock", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-01-27T15:15:00Z"))
      const first = yield* Auth.make(credentials)
      const second = yield* Auth.make(credentials)
      expect(first.seed).toBe("2026-01-27T10:15:00-05:00")
      expect(second.seed).toBe(first.seed)
      expect(first.nonce).not.toBe(second.nonce)
      for (const auth of [first, second]) {
        const raw = Buffer.from(auth.nonce, "base64")
        expect(raw).toHaveLength(Auth.NONCE_BYTES)
        expect(auth.tranKey).toBe(Auth.tranKey(raw, auth.seed, credentials.secretKey, "sha256"))
        expect(auth.login).toBe("site-login")
      }
    })
  )

  it.effect("uses SHA-1 when the site is configured for it", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.make({ ...credentials, tranKeyAlgorithm: "sha1" })
      expect(auth.tranKey).toHaveLength(28)
      expect(auth.tranKey).toBe(
        Auth.tranKey(Buffer.from(auth.nonce, "base64"), auth.seed, credentials.secretKey, "sha1")
      )
    })
  )

  it("writes the seed with the offset in force in a DST zone", () => {
    const ny = { ...credentials, timeZone: "America/New_York" }
    const raw = new Uint8Array(16)
    expect(Auth.authObject(ny, raw, Date.parse("2026-07-01T12:00:00Z")).seed).toBe("2026-07-01T08:00:00-04:00")
    expect(Auth.authObject(ny, raw, Date.parse("2026-01-01T12:00:00Z")).seed).toBe("2026-01-01T07:00:00-05:00")
  })
})
