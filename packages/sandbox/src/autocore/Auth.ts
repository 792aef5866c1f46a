/**
 * Autocore's credentials: the configured accounts (checked once, and which account a hotel belongs
 * to), the two authentication mechanisms (spec §2) and the card-field cipher (spec §6). Written with
 * node:crypto on purpose: the adapter builds tokens and ciphertexts its own way (crypto-js), so
 * agreement here means both follow the spec.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Base64 from "../Base64.js"
import { AuthClockShift } from "../Faults.js"
import { HttpError } from "../Http.js"
import type { Account, Hotel } from "./Model.js"

/** How long a token stays valid, in seconds, on either side of the sandbox's clock. */
export const tokenValiditySeconds = 30

const sha256 = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest()

/** `uniq` = lowercase hex SHA-256 of `secret_key + ts` (plain hash of the concatenation). */
export const tokenUniq = (secretKey: string, ts: string): string => sha256(secretKey + ts).toString("hex")

/** `auth_token` = Base64(`access_key;ts;uniq`), `ts` in Unix seconds. */
export const authToken = (accessKey: string, secretKey: string, ts: number | string): string => {
  const tsText = String(ts)
  return Buffer.from(`${accessKey};${tsText};${tokenUniq(secretKey, tsText)}`, "utf8").toString("base64")
}

const uniqHex = /^[0-9a-f]{64}$/
const unixSeconds = /^[0-9]{1,12}$/

/** Constant-time equality for strings of possibly different lengths (compares their hashes). */
const secretEquals = (given: string, expected: string): boolean => timingSafeEqual(sha256(given), sha256(expected))

const findAccount = (accounts: ReadonlyArray<Account>, accessKey: string): Account | undefined =>
  accounts.find((account) => account.accessKey === accessKey)

/**
 * Checks an `auth_token` header against the accounts at `nowMillis`. The failure is a readable
 * reason (never echoing secrets). A token is accepted from 30 s before to 30 s after its `ts`:
 * Autocore documents only "valid 30 seconds", the symmetric window tolerates small clock drift.
 */
export const verifyAuthToken = (
  accounts: ReadonlyArray<Account>,
  token: string | undefined,
  nowMillis: number
): Either.Either<Account, string> => {
  if (token === undefined || token.length === 0) return Either.left("Falta el encabezado auth_token")
  const decoded = Base64.decode(token)
  if (decoded === undefined) return Either.left("auth_token no es Base64 válido")
  const parts = decoded.toString("utf8").split(";")
  if (parts.length !== 3) return Either.left("auth_token debe codificar access_key;ts;uniq")
  const [accessKey, ts, uniq] = parts as [string, string, string]
  if (!unixSeconds.test(ts)) return Either.left("auth_token: ts debe ser la hora Unix en segundos")
  if (!uniqHex.test(uniq)) return Either.left("auth_token: uniq debe ser SHA-256 en hexadecimal minúscula")
  const account = findAccount(accounts, accessKey)
  if (account === undefined) return Either.left("auth_token: access_key desconocido")
  const expected = Buffer.from(tokenUniq(account.secretKey, ts), "utf8")
  if (!timingSafeEqual(Buffer.from(uniq, "utf8"), expected)) return Either.left("auth_token: firma inválida")
  const age = Math.floor(nowMillis / 1000) - Number(ts)
  if (Math.abs(age) > tokenValiditySeconds) return Either.left("auth_token vencido (validez de 30 segundos)")
  return Either.right(account)
}

/** Checks the `access_key` / `secret_key` header pair. */
export const verifyApiKey = (
  accounts: ReadonlyArray<Account>,
  accessKey: string | undefined,
  secretKey: string | undefined
): Either.Either<Account, string> => {
  if (accessKey === undefined || accessKey.length === 0 || secretKey === undefined || secretKey.length === 0) {
    return Either.left("Faltan los encabezados access_key y secret_key")
  }
  const account = findAccount(accounts, accessKey)
  // Compare against something even for an unknown key so timing says nothing about the secret.
  const matches = secretEquals(secretKey, account?.secretKey ?? "")
  if (account === undefined || !matches) return Either.left("access_key o secret_key inválidos")
  return Either.right(account)
}

/** A failed check is a 401 whose detail says why. */
const unauthorized = Either.mapLeft((message: string) => new HttpError({ status: 401, message }))

export const requireApiKey = (accounts: ReadonlyArray<Account>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, ({ headers }) =>
    unauthorized(verifyApiKey(accounts, headers.access_key, headers.secret_key))
  )

/**
 * The token is judged against the sandbox's auth clock: Effect's clock shifted by `skew`, plus a
 * `clockSkew` fault's shift for this request (`Faults.AuthClockShift`).
 */
export const requireAuthToken = (accounts: ReadonlyArray<Account>, skew: Duration.Duration) =>
  Effect.flatMap(
    Effect.all([HttpServerRequest.HttpServerRequest, Clock.currentTimeMillis, AuthClockShift]),
    ([request, now, shift]) =>
      unauthorized(verifyAuthToken(accounts, request.headers.auth_token, now + Duration.toMillis(skew) + shift))
  )

// ---- accounts ----

export type HotelLookup =
  | { readonly _tag: "Found"; readonly hotel: Hotel }
  /** The hotel exists but belongs to another account: Autocore answers 403. */
  | { readonly _tag: "Foreign" }
  | { readonly _tag: "Unknown" }

export const findHotel = (accounts: ReadonlyArray<Account>, account: Account, hotelId: number): HotelLookup => {
  const own = account.hotels.find((hotel) => hotel.id === hotelId)
  if (own !== undefined) return { _tag: "Found", hotel: own }
  return accounts.some((other) => other.hotels.some((hotel) => hotel.id === hotelId))
    ? { _tag: "Foreign" }
    : { _tag: "Unknown" }
}

/** Problems that make a configuration unusable (ambiguous keys or hotels); empty when fine. */
export const configurationProblems = (accounts: ReadonlyArray<Account>): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const keys = new Set<string>()
  const hotels = new Set<number>()
  for (const account of accounts) {
    if (account.accessKey.length === 0 || account.secretKey.length === 0) problems.push("empty accessKey or secretKey")
    if (account.accessKey.includes(";")) problems.push(`accessKey ${account.accessKey} contains ";"`)
    if (keys.has(account.accessKey)) problems.push(`duplicate accessKey ${account.accessKey}`)
    keys.add(account.accessKey)
    for (const hotel of account.hotels) {
      if (!Number.isInteger(hotel.id)) problems.push(`hotel id ${hotel.id} is not an integer`)
      if (hotels.has(hotel.id)) problems.push(`duplicate hotel id ${hotel.id}`)
      if (!/^[A-Za-z0-9_-]+$/.test(hotel.slug)) problems.push(`hotel slug ${hotel.slug} is not URL-safe`)
      hotels.add(hotel.id)
    }
  }
  return problems
}

// ---- card-field cipher ----

const blockSize = 16

export const deriveCardKey = (keyText: string): Buffer => createHash("sha256").update(keyText, "utf8").digest()

/** Encrypts one card field: Base64(IV ‖ AES-256-CBC(PKCS#7)), key = SHA-256(UTF-8 key text); the IV is random unless given (test vectors fix it). */
export const encryptCardField = (
  keyText: string,
  plaintext: string,
  iv: Uint8Array = randomBytes(blockSize)
): string => {
  const cipher = createCipheriv("aes-256-cbc", deriveCardKey(keyText), iv)
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  return Buffer.concat([iv, body]).toString("base64")
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * Decrypts one field. `None` when it is not canonical Base64, not IV plus whole blocks, has bad
 * padding (a wrong key usually shows up here) or is not UTF-8.
 */
export const decryptCardField = (keyText: string, field: string): Option.Option<string> => {
  const bytes = Base64.decode(field)
  if (bytes === undefined || bytes.length < 2 * blockSize || bytes.length % blockSize !== 0) return Option.none()
  try {
    const decipher = createDecipheriv("aes-256-cbc", deriveCardKey(keyText), bytes.subarray(0, blockSize))
    const plain = Buffer.concat([decipher.update(bytes.subarray(blockSize)), decipher.final()])
    return Option.some(utf8.decode(plain))
  } catch {
    return Option.none()
  }
}
