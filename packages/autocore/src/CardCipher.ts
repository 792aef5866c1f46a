/**
 * Encryption of the five `card_item` fields (spec §6). Autocore hands each integrator its scheme on
 * onboarding, so the cipher is a service: the default below implements the project's documented
 * scheme, and an integrator provides their own `CardCipher` layer to use Autocore's.
 *
 * Default: AES-256-CBC with PKCS#7 padding, key = SHA-256 of the UTF-8 key text, a fresh random
 * 16-byte IV per field from a CSPRNG, output Base64(IV ‖ ciphertext).
 */
import AES from "crypto-js/aes.js"
import CryptoJS from "crypto-js/core.js"
import "crypto-js/lib-typedarrays.js"
import Base64 from "crypto-js/enc-base64.js"
import Utf8 from "crypto-js/enc-utf8.js"
import Pkcs7 from "crypto-js/pad-pkcs7.js"
import SHA256 from "crypto-js/sha256.js"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/** Why a field could not be encrypted. The message never contains the plaintext. */
export class CardCipherError extends Data.TaggedError("CardCipherError")<{ readonly message: string }> {}

export interface CardCipherService {
  /** Encrypts one field (card number, CVV, month, year or holder) into the text Autocore expects. */
  readonly encrypt: (plaintext: Redacted.Redacted<string>) => Effect.Effect<string, CardCipherError>
}

export class CardCipher extends Context.Tag("@pasarela/autocore/CardCipher")<CardCipher, CardCipherService>() {}

const BLOCK_BYTES = 16

/**
 * The default cipher with an injectable IV source. Production uses `layer` (CSPRNG IVs); tests fix
 * the IV to check the spec's vector table.
 */
export const make = (key: Redacted.Redacted<string>, randomIv: () => Uint8Array): CardCipherService => {
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
export const fromKey = (cardEncryptionKey: Redacted.Redacted<string>): CardCipherService =>
  make(cardEncryptionKey, () => globalThis.crypto.getRandomValues(new Uint8Array(BLOCK_BYTES)))

/** The default cipher as a layer. */
export const layer = (cardEncryptionKey: Redacted.Redacted<string>): Layer.Layer<CardCipher> =>
  Layer.succeed(CardCipher, fromKey(cardEncryptionKey))
