/**
 * The default card-field cipher of spec §6, written with node:crypto so it is independent from the
 * adapter's crypto-js implementation: Base64(IV ‖ AES-256-CBC(PKCS#7)), key = SHA-256(UTF-8 key text).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto"
import * as Option from "effect/Option"

const blockSize = 16
const base64 = /^[A-Za-z0-9+/]+={0,2}$/

export const deriveKey = (keyText: string): Buffer => createHash("sha256").update(keyText, "utf8").digest()

/** Encrypts one field; the IV is random unless given (test vectors fix it). */
export const encrypt = (keyText: string, plaintext: string, iv: Uint8Array = randomBytes(blockSize)): string => {
  const cipher = createCipheriv("aes-256-cbc", deriveKey(keyText), iv)
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  return Buffer.concat([iv, body]).toString("base64")
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * Decrypts one field. `None` when it is not canonical Base64, not IV plus whole blocks, has bad
 * padding (a wrong key usually shows up here) or is not UTF-8.
 */
export const decrypt = (keyText: string, field: string): Option.Option<string> => {
  if (field.length % 4 !== 0 || !base64.test(field)) return Option.none()
  const bytes = Buffer.from(field, "base64")
  if (bytes.length < 2 * blockSize || bytes.length % blockSize !== 0) return Option.none()
  try {
    const decipher = createDecipheriv("aes-256-cbc", deriveKey(keyText), bytes.subarray(0, blockSize))
    const plain = Buffer.concat([decipher.update(bytes.subarray(blockSize)), decipher.final()])
    return Option.some(utf8.decode(plain))
  } catch {
    return Option.none()
  }
}
