import { MemoryStore } from "../src/index.js"
import { suite } from "./conformance.js"

suite("memory", MemoryStore.layer)
