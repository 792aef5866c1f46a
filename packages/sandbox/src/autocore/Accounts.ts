/** Configured accounts: checking them once, and finding which account a hotel belongs to. */
import type { Account, Hotel } from "./Model.js"

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
