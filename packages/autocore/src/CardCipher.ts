/**
 * Encryption of the five `card_item` fields (spec §6). Autocore hands each integrator its scheme on
 * onboarding, so the cipher is a service: the default below implements the project's documented
 * scheme, and an integrator provides their own `CardCipher` layer to use Autocore's.
 *
 * Default: AES-256-CBC with PKCS#7 padding, key = SHA-256 of the UTF-8 key text, a fresh random
 * 16-byte IV per field from a CSPRNG, output Base64(IV ‖ ciphertext).
 */
import "crypto-js/aes.js"
import { RandomBytes } from "@pasarela/core"
import CryptoJS from "crypto-js/core.js"
import Utf8 from "crypto-js/enc-utf8.js"
import sha256 from "crypto-js/sha256.js"
import { Context, Data, Effect, Layer, Redacted } from "effect"

/** Why a field could not be encrypted. The message never contains the plaintext. */
export class CardCipherError extends Data.TaggedError("CardCipherError")<{ readonly message: string }> {}

export interface CardCipherService {
  /** Encrypts one field (card number, CVV, month, year or holder) into the text Autocore expects. */
  readonly encrypt: (plaintext: Redacted.Redacted<string>) => Effect.Effect<string, CardCipherError>
}

export class CardCipher extends Context.Tag("@pasarela/autocore/CardCipher")<CardCipher, CardCipherService>() {}

const BLOCK_BYTES = 16

/** crypto-js's AES block function, keyed: encrypts the 4 words at `offset` in place. */
interface AesBlock {
  readonly encryptBlock: (words: Array<number>, offset: number) => void
}

/**
 * The default cipher with an injectable IV source. Production uses `layer` (CSPRNG IVs); tests fix
 * the IV to check the spec's vector table.
 *
 * crypto-js's AES is keyed once and only its block function runs per field; CBC chaining and
 * PKCS#7 padding are done here. `AES.encrypt` builds a cipher, a mode and a padder per call
 * through crypto-js's object model, which costs about 150 µs a field; this, about 10 µs. The
 * output is byte for byte what `AES.encrypt` gives (the spec's vectors and a round trip through
 * crypto-js's `AES.decrypt` are tested).
 */
export const make = (key: Redacted.Redacted<string>, randomIv: () => Uint8Array): CardCipherService => {
  // SHA-256 of the key text's UTF-8 bytes is the 32-byte AES-256 key; its schedule is computed once.
  const aes = CryptoJS.algo.AES.createEncryptor(sha256(Utf8.parse(Redacted.value(key)))) as unknown as AesBlock
  const encrypt = (plaintext: string): string => {
    const iv = randomIv()
    if (iv.length !== BLOCK_BYTES) throw new Error("IV must be 16 bytes")
    const data = Buffer.from(plaintext, "utf8")
    // PKCS#7: 1 to 16 bytes, each holding the padding's length.
    const padding = BLOCK_BYTES - (data.length % BLOCK_BYTES)
    const padded = Buffer.alloc(data.length + padding, padding)
    data.copy(padded)
    data.fill(0)
    const words = new Array<number>(padded.length / 4)
    for (let i = 0; i < words.length; i++) words[i] = padded.readInt32BE(i * 4)
    padded.fill(0)
    // CBC: each block is XORed with the previous ciphertext block (the IV for the first).
    const ivBytes = Buffer.from(iv.buffer, iv.byteOffset, BLOCK_BYTES)
    let chain = [ivBytes.readInt32BE(0), ivBytes.readInt32BE(4), ivBytes.readInt32BE(8), ivBytes.readInt32BE(12)]
    for (let offset = 0; offset < words.length; offset += 4) {
      for (let j = 0; j < 4; j++) words[offset + j]! ^= chain[j]!
      aes.encryptBlock(words, offset)
      chain = words.slice(offset, offset + 4)
    }
    const out = Buffer.alloc(BLOCK_BYTES + padded.length)
    out.set(ivBytes, 0)
    for (let i = 0; i < words.length; i++) out.writeUInt32BE(words[i]! >>> 0, BLOCK_BYTES + i * 4)
    return out.toString("base64")
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

/** The default cipher keyed with `cardEncryptionKey`, drawing every IV from the CSPRNG (`RandomBytes`). */
export const fromKey = (cardEncryptionKey: Redacted.Redacted<string>): CardCipherService =>
  make(cardEncryptionKey, () => RandomBytes.take(BLOCK_BYTES))

/** The default cipher as a layer. */
export const layer = (cardEncryptionKey: Redacted.Redacted<string>): Layer.Layer<CardCipher> =>
  Layer.succeed(CardCipher, fromKey(cardEncryptionKey))
