import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { defaultAccounts } from "../src/AutocoreSandbox.js"
import * as Auth from "../src/autocore/Auth.js"

// spec §2
const vector = {
  accessKey: "TESTACCESSKEY001",
  secretKey: "TESTSECRETKEY0123456789abcdefXYZ",
  ts: 1735689600,
  uniq: "160166e76b09373ff626852a1db4d8a5fbabf701c5f28c2eb31857fae16c3620",
  token:
    "VEVTVEFDQ0VTU0tFWTAwMTsxNzM1Njg5NjAwOzE2MDE2NmU3NmIwOTM3M2ZmNjI2ODUyYTFkYjRkOGE1ZmJhYmY3MDFjNWYyOGMyZWIzMTg1N2ZhZTE2YzM2MjA="
}

// spec §6
const cipherKey = "TESTSECRETKEY0123456789abcdefXYZ"
const iv = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex")
const cipherTable = [
  ["cc_number", "4111111111111111", "AAECAwQFBgcICQoLDA0ODwkZLq/pUVovjGckT9G6HHIpcNF723b8yf8BYk6rUsgN"],
  ["cc_code", "123", "AAECAwQFBgcICQoLDA0ODx93i0ht1vokK/vqEHYq3Ys="],
  ["cc_expire_month", "12", "AAECAwQFBgcICQoLDA0OD5dxQ9l1RStr+f85xD0ETBs="],
  ["cc_expire_year", "2030", "AAECAwQFBgcICQoLDA0OD2kuuAecLOuXmP9MU9sfWPo="],
  ["cc_holder", "JOHN DOE", "AAECAwQFBgcICQoLDA0OD5Ut3rZD3m8sR9+qUM3qXIQ="]
] as const

describe("Autocore auth token (spec §2)", () => {
  it("matches the test vector", () => {
    expect(Auth.tokenUniq(vector.secretKey, String(vector.ts))).toBe(vector.uniq)
    expect(Auth.authToken(vector.accessKey, vector.secretKey, vector.ts)).toBe(vector.token)
  })

  it("accepts the vector token within 30 s and refuses it after", () => {
    const at = (seconds: number) => Auth.verifyAuthToken(defaultAccounts, vector.token, (vector.ts + seconds) * 1000)
    expect(Either.isRight(at(0))).toBe(true)
    expect(Either.isRight(at(30))).toBe(true)
    expect(at(31)).toEqual(Either.left("auth_token vencido (validez de 30 segundos)"))
    expect(Either.isLeft(at(-31))).toBe(true)
  })

  it("refuses tampered, malformed and unknown tokens", () => {
    const now = vector.ts * 1000
    const encode = (text: string) => Buffer.from(text).toString("base64")
    const wrongSecret = Auth.authToken(vector.accessKey, "not-the-secret", vector.ts)
    const upperHex = encode(`${vector.accessKey};${vector.ts};${vector.uniq.toUpperCase()}`)
    const unknown = Auth.authToken("NOSUCHKEY", vector.secretKey, vector.ts)
    for (const token of [wrongSecret, upperHex, unknown, "%%%", encode("a;b"), encode(`k;12x;${vector.uniq}`), ""]) {
      expect(Either.isLeft(Auth.verifyAuthToken(defaultAccounts, token, now))).toBe(true)
    }
    expect(Either.isLeft(Auth.verifyAuthToken(defaultAccounts, undefined, now))).toBe(true)
  })

  it("refuses a token that is not canonical Base64, even when it decodes to the right text", () => {
    const now = vector.ts * 1000
    expect(Either.isRight(Auth.verifyAuthToken(defaultAccounts, vector.token, now))).toBe(true)
    const invalid = Either.left("auth_token no es Base64 válido")
    // Same bytes with non-zero unused bits, without padding, with a line break.
    for (const token of [`${vector.token.slice(0, -2)}B=`, vector.token.slice(0, -1), `${vector.token}\n`]) {
      expect(Auth.verifyAuthToken(defaultAccounts, token, now)).toEqual(invalid)
    }
  })

  it("checks API keys", () => {
    expect(Either.isRight(Auth.verifyApiKey(defaultAccounts, vector.accessKey, vector.secretKey))).toBe(true)
    expect(Either.isLeft(Auth.verifyApiKey(defaultAccounts, vector.accessKey, `${vector.secretKey}x`))).toBe(true)
    expect(Either.isLeft(Auth.verifyApiKey(defaultAccounts, "NOSUCHKEY", vector.secretKey))).toBe(true)
    expect(Either.isLeft(Auth.verifyApiKey(defaultAccounts, vector.accessKey, undefined))).toBe(true)
  })
})

describe("Autocore card cipher (spec §6)", () => {
  it("derives the documented key", () => {
    expect(Auth.deriveCardKey(cipherKey).toString("hex")).toBe(
      "ac98bb146009d0e55b51edd66c5c598d7ec7c5bdc276af92dbe8116371ec6795"
    )
  })

  it.each(cipherTable)("decrypts %s of the vector table", (_field, plaintext, ciphertext) => {
    expect(Auth.decryptCardField(cipherKey, ciphertext)).toEqual(Option.some(plaintext))
    expect(Auth.encryptCardField(cipherKey, plaintext, iv)).toBe(ciphertext)
  })

  it("refuses a field that is not canonical Base64, even when it decodes to the right bytes", () => {
    const [, plaintext, ciphertext] = cipherTable[1]
    expect(ciphertext.endsWith("Ys=")).toBe(true)
    const standard = Buffer.from(ciphertext, "base64")
    const urlSafe = standard.toString("base64url")
    // Same bytes with non-zero unused bits, without padding, with a line break.
    for (const field of [`${ciphertext.slice(0, -2)}t=`, ciphertext.slice(0, -1), `${ciphertext}\n`]) {
      expect(Buffer.from(field, "base64")).toEqual(standard)
      expect(Auth.decryptCardField(cipherKey, field)).toEqual(Option.none())
    }
    expect(Auth.decryptCardField(cipherKey, ciphertext)).toEqual(Option.some(plaintext))
    expect(urlSafe).toContain("_")
    expect(Auth.decryptCardField(cipherKey, urlSafe)).toEqual(Option.none())
  })

  it("round-trips with a random IV and refuses what does not decrypt", () => {
    const a = Auth.encryptCardField(cipherKey, "4111111111111111")
    const b = Auth.encryptCardField(cipherKey, "4111111111111111")
    expect(a).not.toBe(b)
    expect(Auth.decryptCardField(cipherKey, a)).toEqual(Option.some("4111111111111111"))
    const [, , number] = cipherTable[0]
    expect(Auth.decryptCardField("another key", number)).toEqual(Option.none())
    // The seed's sample ciphertexts are placeholders, not valid Base64 of IV plus blocks.
    for (const garbage of [
      "dBLXqs5dK3MCABhEtVhhA==",
      "SOGBH+0cTEUzCNK00bQ41ofYw==",
      "AAECAwQFBgcICQoLDA0ODw==",
      "",
      "@@@@"
    ]) {
      expect(Auth.decryptCardField(cipherKey, garbage)).toEqual(Option.none())
    }
  })
})
