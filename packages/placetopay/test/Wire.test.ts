import { describe, expect, it } from "@effect/vitest"
import { Wire } from "../src/index.js"

describe("Wire dates", () => {
  it("formats local site time and offsets, Bogotá (no DST)", () => {
    const at = Date.parse("2024-06-25T05:43:21.750Z")
    expect(Wire.formatLocal(at, "America/Bogota")).toBe("2024-06-25 00:43:21")
    expect(Wire.offsetMinutes(at, "America/Bogota")).toBe(-300)
    expect(Wire.formatIso(at, -300)).toBe("2024-06-25T00:43:21-05:00")
    expect(Wire.formatOffset(0)).toBe("+00:00")
    expect(Wire.formatOffset(-570)).toBe("-09:30")
  })

  it("follows DST in zones that have it", () => {
    expect(Wire.offsetMinutes(Date.parse("2026-07-01T12:00:00Z"), "America/New_York")).toBe(-240)
    expect(Wire.offsetMinutes(Date.parse("2026-01-01T12:00:00Z"), "America/New_York")).toBe(-300)
    expect(Wire.offsetMinutes(Date.parse("2026-01-01T12:00:00Z"), "America/Santiago")).toBe(-180)
    expect(Wire.formatLocal(Date.parse("2026-07-01T12:00:00Z"), "America/New_York")).toBe("2026-07-01 08:00:00")
    // Local wall time back to the instant, on both sides of a DST change.
    expect(Wire.parseWireDate("2026-07-01 08:00:00", "America/New_York")?.toISOString()).toBe(
      "2026-07-01T12:00:00.000Z"
    )
    expect(Wire.parseWireDate("2026-01-01 07:00:00", "America/New_York")?.toISOString()).toBe(
      "2026-01-01T12:00:00.000Z"
    )
    expect(Wire.parseWireDate("2026-03-08 03:30:00", "America/New_York")?.toISOString()).toBe(
      "2026-03-08T07:30:00.000Z"
    )
    // A time the clocks skipped reads as the time after the gap; one they showed twice, the earlier.
    expect(Wire.parseWireDate("2026-03-08 02:30:00", "America/New_York")?.toISOString()).toBe(
      "2026-03-08T07:30:00.000Z"
    )
    expect(Wire.parseWireDate("2026-11-01 01:30:00", "America/New_York")?.toISOString()).toBe(
      "2026-11-01T05:30:00.000Z"
    )
  })

  it("reads both wire forms", () => {
    expect(Wire.parseWireDate("2024-08-12 08:10:50", "America/Bogota")?.toISOString()).toBe("2024-08-12T13:10:50.000Z")
    expect(Wire.parseWireDate("2024-08-12T08:10:50-05:00", "UTC")?.toISOString()).toBe("2024-08-12T13:10:50.000Z")
    expect(Wire.parseWireDate("2024-08-12T13:10:50Z", "America/Bogota")?.toISOString()).toBe("2024-08-12T13:10:50.000Z")
    expect(Wire.parseWireDate("2024-08-12T08:10:50.250-0500", "UTC")?.toISOString()).toBe("2024-08-12T13:10:50.250Z")
    // ISO 8601 without a zone is local time, like the space form.
    expect(Wire.parseWireDate("2024-08-12T08:10:50", "America/Bogota")?.toISOString()).toBe("2024-08-12T13:10:50.000Z")
  })

  it("refuses what is neither form or not a real date", () => {
    for (const text of [
      "2024-02-30 10:00:00",
      "2024-08-12",
      "12/08/2024 08:10:50",
      "2024-08-12 8:10:50",
      "2024-08-12T08:10:50+25:00",
      "yesterday",
      ""
    ]) {
      expect(Wire.parseWireDate(text, "America/Bogota")).toBeUndefined()
    }
    expect(Wire.parseZonedIso("2024-08-12T08:10:50")).toBeUndefined()
    expect(Wire.parseZonedIso("2024-08-12 08:10:50")).toBeUndefined()
    expect(Wire.parseZonedIso("2024-08-12T08:10:50-05:00")?.toISOString()).toBe("2024-08-12T13:10:50.000Z")
  })
})
