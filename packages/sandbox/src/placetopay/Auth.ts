/**
 * The sandbox's own check of PlacetoPay's `auth` object (spec §2), written with node:crypto so it
 * shares no code with the adapter it is meant to test.
 *
 * tranKey = Base64(H(rawNonce ‖ seed ‖ secretKey)), H = SHA-256 (or SHA-1 for legacy sites), where
 * rawNonce is the Base64-decoded nonce bytes.
 */

import { createHash, timingSafeEqual } from "node:crypto"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Base64 from "../Base64.js"
import { parseSeed } from "./Time.js"

export type TranKeyAlgorithm = "sha256" | "sha1"

/** Seeds further than this from the sandbox's auth clock are refused with 103. */
export const SEED_WINDOW_MS = 5 * 60_000

export const tranKey = (
  rawNonce: Uint8Array,
  seed: string,
  secretKey: string,
  algorithm: TranKeyAlgorithm = "sha256"
): string => createHash(algorithm).update(rawNonce).update(seed, "utf8").update(secretKey, "utf8").digest("base64")

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest()

/** Constant-time equality of two strings of any length (compares their SHA-256 digests). */
export const constantTimeEquals = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b))

export const AuthFields = Schema.Struct({
  login: Schema.NonEmptyString,
  tranKey: Schema.NonEmptyString,
  nonce: Schema.NonEmptyString,
  seed: Schema.NonEmptyString
})
export type AuthFields = typeof AuthFields.Type

const decodeAuth = Schema.decodeUnknownOption(AuthFields)

export interface AuthSite {
  readonly login: string
  readonly secretKey: string
  readonly tranKeyAlgorithm: TranKeyAlgorithm
  readonly active: boolean
}

/** PlacetoPay's authentication failure codes (spec §2). */
export type AuthCode = 100 | 101 | 102 | 103 | 104

export type AuthResult<S> =
  | { readonly _tag: "Failed"; readonly code: AuthCode }
  | {
      readonly _tag: "Authenticated"
      readonly site: S
      /** Identifies the nonce for replay detection: login + the raw nonce bytes. */
      readonly replayKey: string
      /** Until when (auth clock) a replay of this nonce could still pass the seed check. */
      readonly replayUntil: number
    }

const failed = (code: AuthCode) => ({ _tag: "Failed", code }) as const

/**
 * Checks run in this order so that only a caller proving knowledge of the secret learns about the
 * seed or the site's state: 100 shape → 101 login → 102 tranKey → 103 seed → 104 site inactive.
 * Nonce replay needs state and is checked by the store after this succeeds.
 */
export const authenticate = <S extends AuthSite>(
  body: unknown,
  sites: ReadonlyArray<S>,
  authNowMs: number
): AuthResult<S> => {
  const raw = typeof body === "object" && body !== null && "auth" in body ? body.auth : undefined
  const auth = decodeAuth(raw)
  if (Option.isNone(auth)) return failed(100)
  const { login, nonce, seed } = auth.value
  const rawNonce = Base64.decode(nonce)
  if (rawNonce === undefined) return failed(100)
  const parsedSeed = parseSeed(seed)
  if (parsedSeed._tag === "Malformed") return failed(100)
  const site = sites.find((s) => s.login === login)
  if (site === undefined) return failed(101)
  const expected = tranKey(rawNonce, seed, site.secretKey, site.tranKeyAlgorithm)
  if (!constantTimeEquals(auth.value.tranKey, expected)) return failed(102)
  if (parsedSeed._tag === "NoZone" || Math.abs(parsedSeed.epochMs - authNowMs) > SEED_WINDOW_MS) return failed(103)
  if (!site.active) return failed(104)
  return {
    _tag: "Authenticated",
    site,
    replayKey: `${login}:${rawNonce.toString("hex")}`,
    replayUntil: parsedSeed.epochMs + SEED_WINDOW_MS
  }
}
