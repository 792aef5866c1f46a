import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "@effect/vitest"
import { EmbeddedStore } from "../src/backends.js"
import { suite } from "./conformance.js"

const dir = mkdtempSync(join(tmpdir(), "pasarela-embedded-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

suite("embedded (PGlite, on disk)", EmbeddedStore.layer({ path: join(dir, "store") }))
