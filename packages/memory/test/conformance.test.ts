import { Provider } from "@pasarela/core"
import { Memory } from "@pasarela/memory"
import { conformance } from "@pasarela/testing"
import * as Layer from "effect/Layer"
import * as MemoryDriver from "./Driver.js"

conformance("memory", Layer.provideMerge(MemoryDriver.layer, Memory.layer()), {
  operations: Provider.allOperations,
  expire: true
})

conformance(
  "memory with links.create and webhooks.verify only",
  Layer.provideMerge(MemoryDriver.layer, Memory.layer({ capabilities: ["links.create", "webhooks.verify"] })),
  { operations: ["links.create", "webhooks.verify"], expire: true }
)
