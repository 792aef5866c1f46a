/** The built-in provider definitions: memory, placetopay, autocore. */
import { Memory } from "@pasarela/memory"
import { Schema } from "effect"
import * as Registry from "./Registry.js"

export const memory = Registry.define({
  name: "memory",
  options: Schema.Struct({
    idPrefix: Schema.optionalWith(Schema.String, { exact: true }),
    baseUrl: Schema.optionalWith(Schema.String, { exact: true })
  }),
  secrets: { required: [], optional: ["webhookSecret"] },
  layer: ({ merchantId, options, secrets }) =>
    Memory.layer({
      merchantId,
      ...options,
      ...(secrets.webhookSecret === undefined ? {} : { webhookSecret: secrets.webhookSecret })
    })
})

export const builtIn: Registry.Registry = Registry.make([memory])
