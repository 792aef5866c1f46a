import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
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
