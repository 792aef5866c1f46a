/**
 * PlacetoPay's `auth` object (spec §2), sent in the body of every request:
 * `{ login, tranKey, nonce, seed }` with `tranKey = Base64(H(rawNonce ‖ seed ‖ secretKey))`.
 * The raw nonce bytes go into the hash (not their Base64 text), and Base64 is taken over the raw
 * digest (not over hex). Everything here is pure except `make`, which draws a fresh nonce from the
 * CSPRNG and the seed from Effect's `Clock`.
 */

import CryptoJS from "crypto-js/core.js"
import "crypto-js/lib-typedarrays.js"
import Base64 from "crypto-js/enc-base64.js"
import Utf8 from "crypto-js/enc-utf8.js"
import SHA1 from "crypto-js/sha1.js"
import SHA256 from "crypto-js/sha256.js"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { formatIso, offsetMinutes } from "./Wire.js"

/** SHA-256 by default; SHA-1 for sites still on the legacy scheme. */
export type TranKeyAlgorithm = "sha256" | "sha1"

/** What goes on the wire. Holds a one-time proof of the secret: never log it. */
export interface AuthObject {
  readonly login: string
  readonly tranKey: string
  readonly nonce: string
  readonly seed: string
}

export interface Credentials {
  readonly login: string
  readonly secretKey: Redacted.Redacted<string>
  readonly tranKeyAlgorithm: TranKeyAlgorithm
  /** IANA zone the seed is written in (any zone is valid; the site's reads naturally in its logs). */
  readonly timeZone: string
}

/** Bytes of randomness in each nonce. */
export const NONCE_BYTES = 16

/** Base64(H(rawNonce ‖ seed ‖ secretKey)). */
export const tranKey = (
  rawNonce: Uint8Array,
  seed: string,
  secretKey: Redacted.Redacted<string>,
  algorithm: TranKeyAlgorithm
): string => {
  const message = bytes(rawNonce)
    .concat(Utf8.parse(seed))
    .concat(Utf8.parse(Redacted.value(secretKey)))
  return Base64.stringify(algorithm === "sha256" ? SHA256(message) : SHA1(message))
}

/** Raw bytes as crypto-js's word array (a copy). */
const bytes = (raw: Uint8Array) => CryptoJS.lib.WordArray.create(raw as unknown as Array<number>)

/** The seed: `date` in ISO 8601 with its zone, at `offset` minutes east of UTC (`-300` → `…-05:00`). */
export const seedOf = (date: Date, offset: number): string => formatIso(date.getTime(), offset)

/** The `auth` object for a given nonce and instant: pure, for vectors and tests. */
export const authObject = (credentials: Credentials, rawNonce: Uint8Array, epochMs: number): AuthObject => {
  const seed = seedOf(new Date(epochMs), offsetMinutes(epochMs, credentials.timeZone))
  return {
    login: credentials.login,
    tranKey: tranKey(rawNonce, seed, credentials.secretKey, credentials.tranKeyAlgorithm),
    nonce: Base64.stringify(bytes(rawNonce)),
    seed
  }
}

/** A fresh `auth` object: a new CSPRNG nonce every call (the server refuses reused nonces). */
export const make = (credentials: Credentials): Effect.Effect<AuthObject> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.sync(() => authObject(credentials, globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES)), now))
  )
