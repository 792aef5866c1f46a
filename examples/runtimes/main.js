// The smoke program on Node, Bun and Deno: the sandbox and capture URLs and the setup from the environment, the
// result as one line of JSON.
import { smoke } from "./smoke.js"

const env = (name) => ("Deno" in globalThis ? globalThis.Deno.env.get(name) : process.env[name])

console.log(
  JSON.stringify(
    await smoke({
      sandboxUrl: env("SMOKE_SANDBOX_URL"),
      captureUrl: env("SMOKE_CAPTURE_URL"),
      setup: env("SMOKE_SETUP")
    })
  )
)
