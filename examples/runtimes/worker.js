// The smoke program as a Cloudflare worker: the sandbox and capture URLs are bindings, the result the
// response's JSON. `/embedded-store` answers what a configuration naming the embedded store gets here.
import { createPasarela } from "pasarela"
import { smoke } from "./smoke.js"

const embeddedStore = async () => {
  const error = await createPasarela({
    merchants: { "hotel-lima": { provider: "memory" } },
    store: { type: "embedded" }
  })
    .then((pasarela) => pasarela.close())
    .catch((error) => error)
  return { reason: error?.reason?._tag, message: error?.message }
}

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/embedded-store") return Response.json(await embeddedStore())
    return Response.json(
      await smoke({ sandboxUrl: env.SMOKE_SANDBOX_URL, captureUrl: env.SMOKE_CAPTURE_URL, setup: env.SMOKE_SETUP })
    )
  }
}
