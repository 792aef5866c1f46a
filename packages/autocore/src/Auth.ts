/**
 * Autocore's two authentication mechanisms (spec §2). Links and gift cards send the API key as two
 * headers; charges, cash orders and hotel listing send an `auth_token` that lives 30 seconds, so
 * one is built from the current clock for every request, every retry included.
 */

import Base64 from "crypto-js/enc-base64.js"
import Hex from "crypto-js/enc-hex.js"
import Utf8 from "crypto-js/enc-utf8.js"
import SHA256 from "crypto-js/sha256.js"
import * as Redacted from "effect/Redacted"

export interface Credentials {
  readonly accessKey: string
  readonly secretKey: Redacted.Redacted<string>
}

/** `uniq` = lowercase hex SHA-256 of `secret_key + ts` (a plain hash of the concatenation, not an HMAC). */
export const tokenUniq = (secretKey: string, ts: string): string => Hex.stringify(SHA256(secretKey + ts))

/** `auth_token` = Base64(`access_key;ts;uniq`), `ts` the Unix time in seconds. Pure: test it with the spec's vector. */
export const authToken = (accessKey: string, secretKey: string, unixSeconds: number): string => {
  const ts = String(Math.trunc(unixSeconds))
  return Base64.stringify(Utf8.parse(`${accessKey};${ts};${tokenUniq(secretKey, ts)}`))
}

/** Header names that carry credentials: spans and logs must redact them. */
export const credentialHeaders: ReadonlyArray<string> = ["access_key", "secret_key", "auth_token"]

/** The `auth_token` header, freshly built. */
export const authTokenHeaders = (credentials: Credentials, nowMillis: number): Record<string, string> => ({
  auth_token: authToken(credentials.accessKey, Redacted.value(credentials.secretKey), Math.floor(nowMillis / 1000))
})

/** The API-key headers (`access_key`, `secret_key`): underscores, so proxies must be told to keep them. */
export const apiKeyHeaders = (credentials: Credentials): Record<string, string> => ({
  access_key: credentials.accessKey,
  secret_key: Redacted.value(credentials.secretKey)
})
