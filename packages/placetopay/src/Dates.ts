/**
 * Dates on PlacetoPay's wire, pure. Two forms: ISO 8601 with a zone (`2024-06-25T00:43:21-05:00`:
 * seeds, status dates, notifications) and `YYYY-MM-DD HH:mm:ss` in the site's local time (link
 * expiration dates). The site's zone is an IANA name; offsets come from `Intl`, so zones with
 * daylight saving time get the offset in force at each instant.
 */

interface WallClock {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit"
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** True when `Intl` knows the IANA zone name (`America/Bogota`). */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/** The wall clock in `timeZone` at `epochMs`, read from `Intl` (microseconds per call). */
const intlWallClock = (epochMs: number, timeZone: string): WallClock => {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!
  }
}

/**
 * Offsets (milliseconds east of UTC) already read, by zone and whole second. Each request asks
 * for the same few seconds (the seed's, the expiry's) as every other request in that second, and
 * `Intl` is the costly part. Cleared when full.
 */
const offsets = new Map<string, number>()
const OFFSETS_KEPT = 4096

const offsetMillisAt = (second: number, timeZone: string): number => {
  const key = `${timeZone}@${second}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    offset = wallAsUtc(intlWallClock(second, timeZone)) - second
    if (offsets.size >= OFFSETS_KEPT) offsets.clear()
    offsets.set(key, offset)
  }
  return offset
}

/** The wall clock in `timeZone` at the whole second `second`. */
const wallClock = (second: number, timeZone: string): WallClock => utcWall(second + offsetMillisAt(second, timeZone))

const wallAsUtc = (w: WallClock): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)

const floorToSecond = (epochMs: number): number => Math.floor(epochMs / 1000) * 1000

/** Minutes east of UTC in force in `timeZone` at `epochMs` (-300 for Bogotá). */
export const offsetMinutes = (epochMs: number, timeZone: string): number => {
  const at = floorToSecond(epochMs)
  return Math.round(offsetMillisAt(at, timeZone) / 60_000)
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** `-05:00`, `+00:00`. */
export const formatOffset = (minutes: number): string => {
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

const formatWall = (w: WallClock, separator: string): string =>
  `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}${separator}${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`

const utcWall = (epochMs: number): WallClock => {
  const d = new Date(epochMs)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds()
  }
}

/** `2024-06-25T00:43:21-05:00`: whole seconds, at a fixed offset in minutes east of UTC. */
export const formatIso = (epochMs: number, offset: number): string =>
  `${formatWall(utcWall(floorToSecond(epochMs) + offset * 60_000), "T")}${formatOffset(offset)}`

/** `2024-06-25 00:43:21`: the wall-clock time in `timeZone`, whole seconds (sub-seconds dropped). */
export const formatLocal = (epochMs: number, timeZone: string): string =>
  formatWall(wallClock(floorToSecond(epochMs), timeZone), " ")

/** The instant a wall-clock time in `timeZone` denotes (two passes settle DST transitions). */
const localToEpoch = (w: WallClock, timeZone: string): number => {
  const asUtc = wallAsUtc(w)
  const first = asUtc - offsetMinutes(asUtc, timeZone) * 60_000
  return asUtc - offsetMinutes(first, timeZone) * 60_000
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/

const wallOf = (m: RegExpExecArray): WallClock | undefined => {
  const w = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6])
  }
  // Date.UTC rolls 2024-02-30 over into March: a real date survives the round trip.
  const back = utcWall(wallAsUtc(w))
  return back.year === w.year &&
    back.month === w.month &&
    back.day === w.day &&
    back.hour === w.hour &&
    back.minute === w.minute &&
    back.second === w.second
    ? w
    : undefined
}

const zoneMinutes = (zone: string): number | undefined => {
  if (zone === "Z") return 0
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)
  if (m === null) return undefined
  const hours = Number(m[2])
  const minutes = Number(m[3])
  if (hours > 14 || minutes > 59) return undefined
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes)
}

/**
 * Reads a date as PlacetoPay writes it: ISO 8601 with a zone, or `YYYY-MM-DD HH:mm:ss` (and ISO
 * 8601 without a zone), which are the site's local time. Undefined when it is neither or not a
 * real calendar date.
 */
export const parseWireDate = (text: string, timeZone: string): Date | undefined => {
  const local = LOCAL.exec(text)
  if (local !== null) {
    const w = wallOf(local)
    return w === undefined ? undefined : new Date(localToEpoch(w, timeZone))
  }
  const iso = ISO.exec(text)
  if (iso === null) return undefined
  const w = wallOf(iso)
  if (w === undefined) return undefined
  const millis = iso[7] === undefined ? 0 : Math.floor(Number(`0.${iso[7]}`) * 1000)
  if (iso[8] === undefined) return new Date(localToEpoch(w, timeZone) + millis)
  const offset = zoneMinutes(iso[8])
  return offset === undefined ? undefined : new Date(wallAsUtc(w) - offset * 60_000 + millis)
}

/** Reads an ISO 8601 date that must carry its zone (notification dates, seeds). */
export const parseZonedIso = (text: string): Date | undefined => {
  const iso = ISO.exec(text)
  if (iso === null || iso[8] === undefined) return undefined
  return parseWireDate(text, "UTC")
}
