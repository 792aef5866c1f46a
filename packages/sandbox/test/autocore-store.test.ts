import { describe, expect, it } from "@effect/vitest"
import { Table } from "../src/autocore/Store.js"

describe("Autocore simulator store: table", () => {
  it("lists values oldest key first; a replaced value keeps its place", () => {
    let table = Table.empty<string, number>()
    for (const [key, value] of [
      ["b", 1],
      ["a", 2],
      ["c", 3]
    ] as const)
      table = Table.set(table, key, value)
    const before = table
    table = Table.set(table, "a", 20)
    expect(Table.values(table)).toEqual([1, 20, 3])
    expect(Table.get(table, "a")).toBe(20)
    expect(Table.has(table, "z")).toBe(false)
    expect(Table.values(before)).toEqual([1, 2, 3])
  })
})
