/**
 * Autocore's credentials and the cryptography they key.
 *
 * Authentication (spec §2): links and gift cards send the API key as two headers; charges, cash
 * orders and hotel listing send an `auth_token` that lives 30 seconds, so one is built from the
 * current clock for every request, every retry included.
 *
 * Card encryption (spec §6): the five `card_item` fields are encrypted with the card key. Autocore
 * hands each integrator its scheme on onboarding, so the cipher is a service, `CardCipher`: the
 * default below implements the project's documented scheme, and an integrator provides their own
 * `CardCipher` layer to use Autocore's. Default: AES-256-CBC with PKCS#7 padding, key = SHA-256 of
 * the UTF-8 key text, a fresh random 16-byte IV per field from a CSPRNG, output Base64(IV ‖ ciphertext).
 */

import AES from "crypto-js/aes.js"
import CryptoJS from "crypto-js/core.js"
import "crypto-js/lib-typedarrays.js"
import Base64 from "crypto-js/enc-base64.js"
import Hex from "crypto-js/enc-hex.js"
import Utf8 from "crypto-js/enc-utf8.js"
import Pkcs7 from "crypto-js/pad-pkcs7.js"
import SHA256 from "crypto-js/sha256.js"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
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

// ---- card encryption ----

/** Why a field could not be encrypted. The message never contains the plaintext. */
export class CardCipherError extends Data.TaggedError("CardCipherError")<{ readonly message: string }> {}

export interface CardCipherService {
  /** Encrypts one field (card number, CVV, month, year or holder) into the text Autocore expects. */
  readonly encrypt: (plaintext: Redacted.Redacted<string>) => Effect.Effect<string, CardCipherError>
}

export class CardCipher extends Context.Tag("@pasarela/autocore/CardCipher")<CardCipher, CardCipherService>() {}

const BLOCK_BYTES = 16

/**
 * The default cipher with an injectable IV source. Production uses `cardCipherFromKey` or
 * `cardCipherLayer` (CSPRNG IVs); tests fix the IV to check the spec's vector table.
 */
export const makeCardCipher = (key: Redacted.Redacted<string>, randomIv: () => Uint8Array): CardCipherService => {
  // SHA-256 of the key text's UTF-8 bytes is the 32-byte AES-256 key.
  const aesKey = SHA256(Utf8.parse(Redacted.value(key)))
  const encrypt = (plaintext: string): string => {
    const ivBytes = randomIv()
    if (ivBytes.length !== BLOCK_BYTES) throw new Error("IV must be 16 bytes")
    const iv = CryptoJS.lib.WordArray.create(ivBytes as unknown as Array<number>)
    const encrypted = AES.encrypt(Utf8.parse(plaintext), aesKey, { iv, mode: CryptoJS.mode.CBC, padding: Pkcs7 })
    return Base64.stringify(iv.clone().concat(encrypted.ciphertext))
  }
  return {
    encrypt: (plaintext) =>
      Effect.try({
        try: () => encrypt(Redacted.value(plaintext)),
        // Only a fixed description: the cause could echo the plaintext.
        catch: () => new CardCipherError({ message: "card field encryption failed" })
      })
  }
}

/** The default cipher keyed with `cardEncryptionKey`, drawing every IV from the platform's CSPRNG. */
export const cardCipherFromKey = (cardEncryptionKey: Redacted.Redacted<string>): CardCipherService =>
  makeCardCipher(cardEncryptionKey, () => globalThis.crypto.getRandomValues(new Uint8Array(BLOCK_BYTES)))

/** The default cipher as a layer. */
export const cardCipherLayer = (cardEncryptionKey: Redacted.Redacted<string>): Layer.Layer<CardCipher> =>
  Layer.succeed(CardCipher, cardCipherFromKey(cardEncryptionKey))
