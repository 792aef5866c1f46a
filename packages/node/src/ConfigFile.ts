/** Pasarela's configuration from a JSON file, for `Pasarela.layer` or `createPasarela`. */
import { readFile } from "node:fs/promises"
import { Configuration, FieldIssue, PaymentError } from "@pasarela/core"
import * as Effect from "effect/Effect"

/** Reads and parses a JSON configuration file; a missing file or bad JSON is a `Configuration` error. */
export const readConfigFile = (path: string): Effect.Effect<unknown, PaymentError> =>
  Effect.tryPromise({
    try: async () => JSON.parse(await readFile(path, "utf8")) as unknown,
    catch: (error) =>
      new PaymentError({
        provider: "pasarela",
        operation: "configure",
        reason: new Configuration({
          issues: [
            new FieldIssue({
              path: path,
              message: error instanceof SyntaxError ? `is not valid JSON: ${error.message}` : "cannot be read"
            })
          ]
        })
      })
  })
