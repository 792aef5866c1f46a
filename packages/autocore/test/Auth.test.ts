import { createDecipheriv, createHash } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import CryptoJS from "crypto-js"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as Auth from "../src/Auth.js"

// Spec §2 test vector.
const accessKey = "TESTACCESSKEY001"
const secretKey = "TESTSECRETKEY0123456789abcdefXYZ"
const ts = 1735689600
const uniq = "160166e76b09373ff626852a1db4d8a5fbabf701c5f28c2eb31857fae16c3620"
const token =
  "VEVTVEFDQ0VTU0tFWTAwMTsxNzM1Njg5NjAwOzE2MDE2NmU3NmIwOTM3M2ZmNjI2ODUyYTFkYjRkOGE1ZmJhYmY3MDFjNWYyOGMyZWIzMTg1N2ZhZTE2YzM2MjA="

const credentials: Auth.Credentials = { accessKey, secretKey: Redacted.make(secretKey) }

describe("Auth", () => {
  it("computes uniq as lowercase hex SHA-256 of secret_key + ts", () => {
    expect(Auth.tokenUniq(secretKey, String(ts))).toBe(uniq)
  })

  it("builds the spec's auth_token", () => {
    expect(Auth.authToken(accessKey, secretKey, ts)).toBe(token)
    expect(Buffer.from(token, "base64").toString("utf8")).toBe(`${accessKey};${ts};${uniq}`)
  })

  it("changes with the second, the key and the secret", () => {
    expect(Auth.authToken(accessKey, secretKey, ts + 1)).not.toBe(token)
    expect(Auth.authToken("OTHER", secretKey, ts)).not.toBe(token)
    expect(Auth.authToken(accessKey, `${secretKey}x`, ts)).not.toBe(token)
  })

  it.effect("builds the auth_token header from the clock, in whole seconds, afresh at every call", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(ts * 1000 + 999)
      expect(Auth.authTokenHeaders(credentials, yield* Clock.currentTimeMillis)).toEqual({ auth_token: token })
      yield* TestClock.adjust("31 seconds")
      const later = Auth.authTokenHeaders(credentials, yield* Clock.currentTimeMillis)
      expect(later.auth_token).toBe(Auth.authToken(accessKey, secretKey, ts + 31))
    })
  )

  it("sends the API key as access_key / secret_key headers", () => {
    expect(Auth.apiKeyHeaders(credentials)).toEqual({ access_key: accessKey, secret_key: secretKey })
    expect(Auth.credentialHeaders).toEqual(expect.arrayContaining(["access_key", "secret_key", "auth_token"]))
  })
})

// Spec §6 test vector.
const keyText = "TESTSECRETKEY0123456789abcdefXYZ"
const fixedIv = () => Uint8Array.from({ length: 16 }, (_, i) => i)
const vector: ReadonlyArray<readonly [string, string, string]> = [
  ["cc_number", "4111111111111111", "AAECAwQFBgcICQoLDA0ODwkZLq/pUVovjGckT9G6HHIpcNF723b8yf8BYk6rUsgN"],
  ["cc_code", "123", "AAECAwQFBgcICQoLDA0ODx93i0ht1vokK/vqEHYq3Ys="],
  ["cc_expire_month", "12", "AAECAwQFBgcICQoLDA0OD5dxQ9l1RStr+f85xD0ETBs="],
  ["cc_expire_year", "2030", "AAECAwQFBgcICQoLDA0OD2kuuAecLOuXmP9MU9sfWPo="],
  ["cc_holder", "JOHN DOE", "AAECAwQFBgcICQoLDA0OD5Ut3rZD3m8sR9+qUM3qXIQ="]
]

/** An independent decryption with node:crypto, to check what the crypto-js cipher produces. */
const decrypt = (key: string, field: string): string => {
  const bytes = Buffer.from(field, "base64")
  const decipher = createDecipheriv(
    "aes-256-cbc",
    createHash("sha256").update(key, "utf8").digest(),
    bytes.subarray(0, 16)
  )
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString("utf8")
}

/** crypto-js's one-call `AES.encrypt` with the same key and IV: the reference the cipher must equal. */
const reference = (key: string, iv: Uint8Array, plaintext: string): string => {
  const ivWords = CryptoJS.enc.Hex.parse(Buffer.from(iv).toString("hex"))
  const encrypted = CryptoJS.AES.encrypt(CryptoJS.enc.Utf8.parse(plaintext), CryptoJS.SHA256(key), {
    iv: ivWords,
    mode: CryptoJS.mode.CBC,
    padding: CryptoJS.pad.Pkcs7
  })
  return CryptoJS.enc.Base64.stringify(ivWords.concat(encrypted.ciphertext))
}

describe("Auth: card cipher", () => {
  it("derives the spec's key", () => {
    expect(createHash("sha256").update(keyText, "utf8").digest("hex")).toBe(
      "ac98bb146009d0e55b51edd66c5c598d7ec7c5bdc276af92dbe8116371ec6795"
    )
  })

  for (const [field, plaintext, ciphertext] of vector) {
    it.effect(`matches the vector for ${field}`, () =>
      Effect.gen(function* () {
        const cipher = Auth.makeCardCipher(Redacted.make(keyText), fixedIv)
        expect(yield* cipher.encrypt(Redacted.make(plaintext))).toBe(ciphertext)
      })
    )
  }

  it.effect("uses a fresh random IV per field by default, and decrypts to the plaintext", () =>
    Effect.gen(function* () {
      const cipher = Auth.cardCipherFromKey(Redacted.make(keyText))
      const a = yield* cipher.encrypt(Redacted.make("4111111111111111"))
      const b = yield* cipher.encrypt(Redacted.make("4111111111111111"))
      expect(a).not.toBe(b)
      expect(Buffer.from(a, "base64").subarray(0, 16)).not.toEqual(Buffer.from(b, "base64").subarray(0, 16))
      expect(decrypt(keyText, a)).toBe("4111111111111111")
      expect(decrypt(keyText, b)).toBe("4111111111111111")
    })
  )

  it("gives exactly what crypto-js's AES.encrypt gives, for any text and IV (every padding length, many blocks)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (plaintext, iv) => {
          const cipher = Auth.makeCardCipher(Redacted.make(keyText), () => iv)
          const encrypted = Effect.runSync(cipher.encrypt(Redacted.make(plaintext)))
          expect(encrypted).toBe(reference(keyText, iv, plaintext))
          expect(decrypt(keyText, encrypted)).toBe(plaintext)
        }
      ),
      { numRuns: 300 }
    )
  })

  it.effect("is the CardCipher service of its layer", () =>
    Effect.gen(function* () {
      const cipher = yield* Auth.CardCipher
      expect(decrypt(keyText, yield* cipher.encrypt(Redacted.make("JOHN DOE")))).toBe("JOHN DOE")
    }).pipe(Effect.provide(Auth.cardCipherLayer(Redacted.make(keyText))))
  )

  it.effect("fails without echoing the plaintext when encryption cannot happen", () =>
    Effect.gen(function* () {
      const cipher = Auth.makeCardCipher(Redacted.make(keyText), () => new Uint8Array(3))
      const exit = yield* Effect.exit(cipher.encrypt(Redacted.make("4111111111111111")))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(JSON.stringify(exit)).not.toContain("4111")
    })
  )
})
