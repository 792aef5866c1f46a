/**
 * Dates on PlacetoPay's wire, pure. Two forms: ISO 8601 with a zone (`2024-06-25T00:43:21-05:00`:
 * seeds, status dates, notifications) and `YYYY-MM-DD HH:mm:ss` in the site's local time (link
 * expiration dates). The site's zone is an IANA name, read with Effect's `DateTime`, so zones with
 * daylight saving time get the offset in force at each instant.
 */

import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"

interface WallClock {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

/** True when the runtime knows the IANA zone name (`America/Bogota`). */
export const isTimeZone = (timeZone: string): boolean => Option.isSome(DateTime.zoneMakeNamed(timeZone))

/** The instant `epochMs` in `timeZone` (a zone `isTimeZone` accepted). */
const zoned = (epochMs: number, timeZone: string): DateTime.Zoned => DateTime.unsafeMakeZoned(epochMs, { timeZone })

/** The wall clock in `timeZone` at `epochMs`. */
const wallClock = (epochMs: number, timeZone: string): WallClock => {
  const parts = DateTime.toParts(zoned(epochMs, timeZone))
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hours,
    minute: parts.minutes,
    second: parts.seconds
  }
}

const wallAsUtc = (w: WallClock): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)

const floorToSecond = (epochMs: number): number => Math.floor(epochMs / 1000) * 1000

/** Minutes east of UTC in force in `timeZone` at `epochMs` (-300 for Bogotá). */
export const offsetMinutes = (epochMs: number, timeZone: string): number =>
  Math.round(DateTime.zonedOffset(zoned(floorToSecond(epochMs), timeZone)) / 60_000)

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

/** The instant a wall-clock time in `timeZone` denotes ("compatible": in a DST overlap the earlier one, in a gap the time after it). */
const localToEpoch = (w: WallClock, timeZone: string): number =>
  DateTime.toEpochMillis(
    DateTime.unsafeMakeZoned(
      { year: w.year, month: w.month, day: w.day, hours: w.hour, minutes: w.minute, seconds: w.second },
      { timeZone, adjustForTimeZone: true, disambiguation: "compatible" }
    )
  )

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
