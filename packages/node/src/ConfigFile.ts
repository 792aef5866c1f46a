/** Pasarela's configuration from a JSON file, for `Pasarela.layer` or `createPasarela`. */
import { readFile } from "node:fs/promises"
import { PaymentError } from "@pasarela/core"
import * as Effect from "effect/Effect"

/** Why a file could not be read, as Node says it: `ENOENT: no such file or directory` (the path is said apart). */
const causeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message.split(", ")[0]! : String(error)
  return typeof code === "string" && !message.startsWith(code) ? `${code}: ${message}` : message
}

const problem = (path: string, message: string) => PaymentError.configurationError("pasarela", [{ path, message }])

/**
 * Reads and parses a JSON configuration file; a file that cannot be read (named with the cause,
 * such as `ENOENT`) or bad JSON is a `Configuration` error.
 */
export const readConfigFile = (path: string): Effect.Effect<unknown, PaymentError.PaymentError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (error) => problem(path, `cannot be read: ${causeOf(error)}`)
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (error) => problem(path, `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
      })
    )
  )
