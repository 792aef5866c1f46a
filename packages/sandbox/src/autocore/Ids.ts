/** Identifiers the simulator hands out, drawn from a CSPRNG (node:crypto) like real codes would be. */
import { randomInt, randomUUID } from "node:crypto"

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

const pick = (alphabet: string, length: number): string => {
  let out = ""
  // randomInt is uniform over the range, so there is no modulo bias.
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

/** Payment-link code: 12 lowercase alphanumerics. */
export const linkCode = (): string => pick(lowerAlnum, 12)

/** Gift card code: 10 uppercase alphanumerics. */
export const giftCardCode = (): string => pick(upperAlnum, 10)

/** A gift card's payment-link code: `GC_` and 10 lowercase alphanumerics. */
export const giftCardLinkCode = (): string => `GC_${pick(lowerAlnum, 10)}`

/** Cash order transaction id: 9 digits, no leading zero (as in the seed, "453593318"). */
export const cashTransactionId = (): string => String(randomInt(100_000_000, 1_000_000_000))

export const uuid = (): string => randomUUID()
