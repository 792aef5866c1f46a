/** The package's version, read from its package.json so it never drifts from what is published. */
import { readFileSync } from "node:fs"

export const version: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version
