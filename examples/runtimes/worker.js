// The smoke program as a Cloudflare worker: the sandbox and capture URLs are bindings, the result the
// response's JSON.
import { smoke } from "./smoke.js"

export default {
  async fetch(_request, env) {
    return Response.json(await smoke({ sandboxUrl: env.SMOKE_SANDBOX_URL, captureUrl: env.SMOKE_CAPTURE_URL }))
  }
}
