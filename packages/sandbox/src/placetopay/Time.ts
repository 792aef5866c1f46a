/**
 * Dates on PlacetoPay's wire: ISO 8601 with the site's UTC offset (`2024-06-25T00:43:21-05:00`) for
 * status dates, seeds and notifications, and `YYYY-MM-DD HH:mm:ss` in the site's local time for
 * link expiration dates. Sites use fixed offsets (America/Bogota has no DST), so no tz database is
 * needed.
 */

const OFFSET = /^([+-])(\d{2}):(\d{2})$/
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/

/** Minutes east of UTC for an offset such as `-05:00`; undefined when it is not `±HH:MM`. */
export const parseOffset = (offset: string): number | undefined => {
  const match = OFFSET.exec(offset)
  if (match === null) return undefined
  const hours = Number(match[2])
  const minutes = Number(match[3])
  if (hours > 14 || minutes > 59) return undefined
  return (match[1] === "-" ? -1 : 1) * (hours * 60 + minutes)
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

const shifted = (epochMs: number, offsetMinutes: number): Date => new Date(epochMs + offsetMinutes * 60_000)

const datePart = (d: Date): string => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`

const timePart = (d: Date): string => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`

const offsetText = (offsetMinutes: number): string => {
  const sign = offsetMinutes < 0 ? "-" : "+"
  const abs = Math.abs(offsetMinutes)
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** `2024-06-25T00:43:21-05:00`: whole seconds, the site's offset. */
export const formatIso = (epochMs: number, offsetMinutes: number): string => {
  const d = shifted(epochMs, offsetMinutes)
  return `${datePart(d)}T${timePart(d)}${offsetText(offsetMinutes)}`
}

/** `2024-06-25 00:43:21` in the site's local time. */
export const formatLocal = (epochMs: number, offsetMinutes: number): string => {
  const d = shifted(epochMs, offsetMinutes)
  return `${datePart(d)} ${timePart(d)}`
}

const utcFromParts = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number
): number | undefined => {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  const d = new Date(ms)
  // Date.UTC rolls 2024-02-30 over to March; a real calendar date survives the round trip.
  const valid =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second
  return valid ? ms : undefined
}

/** Whether the text has the exact `YYYY-MM-DD HH:mm:ss` shape (not whether it is a real date). */
export const isLocalDateShape = (text: string): boolean => LOCAL_DATE.test(text)

/** Epoch ms of a `YYYY-MM-DD HH:mm:ss` local time at the given offset; undefined if not a real date. */
export const parseLocal = (text: string, offsetMinutes: number): number | undefined => {
  const m = LOCAL_DATE.exec(text)
  if (m === null) return undefined
  const utc = utcFromParts(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  return utc === undefined ? undefined : utc - offsetMinutes * 60_000
}

export type SeedParse =
  | { readonly _tag: "Valid"; readonly epochMs: number }
  | { readonly _tag: "NoZone" }
  | { readonly _tag: "Malformed" }

/** An auth seed: ISO 8601 date-time; PlacetoPay requires the zone (`Z` or `±HH:MM`). */
export const parseSeed = (seed: string): SeedParse => {
  const m = ISO_DATE.exec(seed)
  if (m === null) return { _tag: "Malformed" }
  const utc = utcFromParts(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  if (utc === undefined) return { _tag: "Malformed" }
  const zone = m[8]
  if (zone === undefined) return { _tag: "NoZone" }
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  if (zone === "Z") return { _tag: "Valid", epochMs: utc + fraction }
  const offset = parseOffset(zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone)
  if (offset === undefined) return { _tag: "Malformed" }
  return { _tag: "Valid", epochMs: utc + fraction - offset * 60_000 }
}
