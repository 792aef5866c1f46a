import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readConfigFile } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "pasarela-config-"))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe("readConfigFile", () => {
  it.effect("parses the file's JSON", () =>
    Effect.gen(function* () {
      const config = yield* readConfigFile(file("ok.json", '{ "merchants": {} }'))
      expect(config).toEqual({ merchants: {} })
    })
  )

  it.effect("a file that is not JSON is a Configuration error naming the file", () =>
    Effect.gen(function* () {
      const path = file("bad.json", "{ merchants")
      const error = yield* Effect.flip(readConfigFile(path))
      expect(error.reason._tag).toBe("Configuration")
      expect(error.message).toContain(path)
      expect(error.message).toContain("is not valid JSON")
    })
  )

  it.effect("a missing file is a Configuration error that names the path and the cause", () =>
    Effect.gen(function* () {
      const path = join(dir, "missing.json")
      const error = yield* Effect.flip(readConfigFile(path))
      expect(error.reason._tag).toBe("Configuration")
      expect(error.message).toContain(`${path}: cannot be read: ENOENT: no such file or directory`)
    })
  )
})
