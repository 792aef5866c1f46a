/**
 * Autocore's two authentication mechanisms (spec §2), checked with node:crypto on purpose: the
 * adapter builds tokens its own way, so agreement here means both follow the spec.
 */
import { createHash, timingSafeEqual } from "node:crypto"
import * as Either from "effect/Either"
import type { Account } from "./Model.js"

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

const base64 = /^[A-Za-z0-9+/]*={0,2}$/
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
  if (token.length % 4 !== 0 || !base64.test(token)) return Either.left("auth_token no es Base64 válido")
  const decoded = Buffer.from(token, "base64")
  // Re-encoding must give the same text, so non-canonical Base64 is refused as well.
  if (decoded.toString("base64") !== token) return Either.left("auth_token no es Base64 válido")
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
