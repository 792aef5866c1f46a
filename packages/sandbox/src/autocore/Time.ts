/**
 * Autocore writes timestamps without a zone, in Colombia local time (UTC-5, no daylight saving),
 * either as `2025-04-23 12:45:24.706330` or `2025-05-20T11:21:06.417487` (spec §10).
 */

const colombiaOffsetMillis = -5 * 60 * 60 * 1000

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** Microseconds are the milliseconds padded: the clock has no finer resolution. */
export const autocoreTimestamp = (epochMillis: number, separator: " " | "T"): string => {
  const d = new Date(epochMillis + colombiaOffsetMillis)
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return `${date}${separator}${time}.${pad(d.getUTCMilliseconds(), 3)}000`
}

/** Year and month (1–12) in Colombia at `epochMillis`: card expiry is judged locally. */
export const colombiaYearMonth = (epochMillis: number): { readonly year: number; readonly month: number } => {
  const d = new Date(epochMillis + colombiaOffsetMillis)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 }
}

export const iso = (epochMillis: number): string => new Date(epochMillis).toISOString()

/** `2025-04-23 12:45` in Colombia, for pages. */
export const colombiaMinutes = (epochMillis: number): string => autocoreTimestamp(epochMillis, " ").slice(0, 16)
