/**
 * The cost of the adapters' cryptography, next to alternatives: PlacetoPay's tranKey and `auth`
 * object, Autocore's `auth_token`, and Autocore's card-field cipher, each as the adapter does it,
 * with crypto-js, and with node:crypto. Every variant is first checked to give the same answer.
 *
 *   pnpm exec tsx --conditions=@pasarela/source bench/crypto.ts
 */
import { createDecipheriv, createHash, randomBytes } from "node:crypto"
import { Auth as AutocoreAuth, CardCipher } from "@pasarela/autocore"
import { Auth as PlacetoPayAuth } from "@pasarela/placetopay"
import CryptoJS from "crypto-js"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Raw from "./raw.js"
import { isEntryPoint, type Measurement, measureSync, progress, type Rate, runAlone } from "./support.js"

const { login, secretKey } = Raw.credentials.placetopay
const autocore = Raw.credentials.autocore
const nonce = randomBytes(PlacetoPayAuth.NONCE_BYTES)
const seed = "2026-11-21T21:25:13-05:00"
const unixSeconds = 1_795_314_314
const field = Raw.testCard.number

// ---- the variants ----

const secret = Redacted.make(secretKey)
const credentials: PlacetoPayAuth.Credentials = {
  login,
  secretKey: secret,
  tranKeyAlgorithm: "sha256",
  timeZone: "America/Bogota"
}

const wordArrayOf = (bytes: Uint8Array): CryptoJS.lib.WordArray => {
  const words: Array<number> = []
  for (let i = 0; i < bytes.length; i++) words[i >>> 2] = (words[i >>> 2] ?? 0) | (bytes[i]! << (24 - (i % 4) * 8))
  return CryptoJS.lib.WordArray.create(words, bytes.length)
}

const tranKeyCryptoJs = (raw: Uint8Array, seedText: string, key: string): string =>
  CryptoJS.SHA256(
    wordArrayOf(raw).concat(CryptoJS.enc.Utf8.parse(seedText)).concat(CryptoJS.enc.Utf8.parse(key))
  ).toString(CryptoJS.enc.Base64)

const tranKeyNode = (raw: Uint8Array, seedText: string, key: string): string =>
  createHash("sha256").update(raw).update(seedText, "utf8").update(key, "utf8").digest("base64")

const authTokenCryptoJs = (accessKey: string, key: string, seconds: number): string => {
  const ts = String(Math.trunc(seconds))
  const uniq = CryptoJS.SHA256(key + ts).toString(CryptoJS.enc.Hex)
  return CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse(`${accessKey};${ts};${uniq}`))
}

const adapterCipher = CardCipher.fromKey(Redacted.make(autocore.cardEncryptionKey))
const redactedField = Redacted.make(field)

const cryptoJsKey = CryptoJS.SHA256(CryptoJS.enc.Utf8.parse(autocore.cardEncryptionKey))
const cipherCryptoJs = (plaintext: string): string => {
  const iv = wordArrayOf(randomBytes(16))
  const encrypted = CryptoJS.AES.encrypt(CryptoJS.enc.Utf8.parse(plaintext), cryptoJsKey, {
    iv,
    mode: CryptoJS.mode.CBC,
    padding: CryptoJS.pad.Pkcs7
  })
  return CryptoJS.enc.Base64.stringify(iv.clone().concat(encrypted.ciphertext))
}
const cipherNode = Raw.autocoreCardCipher(autocore.cardEncryptionKey)

const decryptField = (text: string): string => {
  const bytes = Buffer.from(text, "base64")
  const key = createHash("sha256").update(autocore.cardEncryptionKey, "utf8").digest()
  const decipher = createDecipheriv("aes-256-cbc", key, bytes.subarray(0, 16))
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString("utf8")
}

// ---- agreement first ----

const agree = (what: string, values: ReadonlyArray<string>): void => {
  if (new Set(values).size !== 1) throw new Error(`${what}: the variants disagree (${values.join(" / ")})`)
}

const check = (): void => {
  agree("tranKey", [
    PlacetoPayAuth.tranKey(nonce, seed, secret, "sha256"),
    tranKeyCryptoJs(nonce, seed, secretKey),
    tranKeyNode(nonce, seed, secretKey)
  ])
  const now = Date.parse(seed)
  const adapterAuth = PlacetoPayAuth.authObject(credentials, nonce, now)
  const rawAuth = Raw.placetopayAuth(login, secretKey, now)
  agree("auth seed", [adapterAuth.seed, rawAuth.seed, seed])
  agree("auth_token", [
    AutocoreAuth.authToken(autocore.accessKey, autocore.secretKey, unixSeconds),
    authTokenCryptoJs(autocore.accessKey, autocore.secretKey, unixSeconds),
    Raw.autocoreAuthToken(autocore.accessKey, autocore.secretKey, unixSeconds)
  ])
  agree("card field", [
    field,
    decryptField(Effect.runSync(adapterCipher.encrypt(redactedField))),
    decryptField(cipherCryptoJs(field)),
    decryptField(cipherNode(field))
  ])
}

// ---- figures ----

const row = (name: string, rate: Rate, extra = ""): Measurement => ({
  name: `crypto: ${name}`,
  value: rate.opsPerSecond,
  unit: "ops/s",
  notes: `${rate.microsPerOp.toFixed(2)} µs/op (spread ${Math.round(rate.spreadPercent)}%)${extra}`
})

const perCharge = (rate: Rate) => `; × 5 fields = ${(rate.microsPerOp * 5).toFixed(1)} µs per charge`

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = Effect.try(() => {
  check()
  progress("crypto: tranKey, auth_token, card cipher")
  const now = Date.now()
  const cipherRates = {
    adapter: measureSync(() => Effect.runSync(adapterCipher.encrypt(redactedField))),
    cryptoJs: measureSync(() => cipherCryptoJs(field)),
    node: measureSync(() => cipherNode(field))
  }
  return [
    row(
      "PlacetoPay tranKey, adapter (node:crypto)",
      measureSync(() => PlacetoPayAuth.tranKey(nonce, seed, secret, "sha256"))
    ),
    row(
      "PlacetoPay tranKey, crypto-js",
      measureSync(() => tranKeyCryptoJs(nonce, seed, secretKey))
    ),
    row(
      "PlacetoPay tranKey, node:crypto",
      measureSync(() => tranKeyNode(nonce, seed, secretKey))
    ),
    row(
      "PlacetoPay auth object, adapter",
      measureSync((i) => PlacetoPayAuth.authObject(credentials, randomBytes(16), now + i)),
      "; fresh nonce + seed in the site's zone (offset cached per second) + tranKey"
    ),
    row(
      "PlacetoPay auth object, node:crypto",
      measureSync((i) => Raw.placetopayAuth(login, secretKey, now + i)),
      "; fresh nonce + fixed -05:00 seed + tranKey"
    ),
    row(
      "Autocore auth_token, adapter (node:crypto)",
      measureSync((i) => AutocoreAuth.authToken(autocore.accessKey, autocore.secretKey, unixSeconds + i))
    ),
    row(
      "Autocore auth_token, crypto-js",
      measureSync((i) => authTokenCryptoJs(autocore.accessKey, autocore.secretKey, unixSeconds + i))
    ),
    row(
      "Autocore auth_token, node:crypto",
      measureSync((i) => Raw.autocoreAuthToken(autocore.accessKey, autocore.secretKey, unixSeconds + i))
    ),
    row(
      "Autocore card field, adapter (crypto-js AES block, keyed once)",
      cipherRates.adapter,
      `${perCharge(cipherRates.adapter)}; via the CardCipher service (Effect.runSync)`
    ),
    row("Autocore card field, crypto-js AES.encrypt", cipherRates.cryptoJs, perCharge(cipherRates.cryptoJs)),
    row("Autocore card field, node:crypto AES", cipherRates.node, perCharge(cipherRates.node))
  ]
})

if (isEntryPoint(import.meta.url)) runAlone(run)
