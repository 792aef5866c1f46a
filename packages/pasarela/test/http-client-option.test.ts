/** Which HTTP client provider calls go over: the platform's fetch by default, or the `httpClient` option's. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { Money } from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import { Sandbox } from "@pasarela/sandbox"
import { createPasarela, type Pasarela } from "pasarela"

let sandbox: Sandbox.Started
beforeAll(async () => {
  sandbox = await Sandbox.start()
})
afterAll(() => sandbox.close())

const config = () => ({
  merchants: {
    "hotel-bogota": {
      provider: "placetopay",
      options: { login: "sandbox-login-site-1001", baseUrl: sandbox.baseUrl },
      secrets: { secretKey: "BOGOTA_PLACETOPAY_SECRET" }
    }
  }
})
const env = { BOGOTA_PLACETOPAY_SECRET: "sandbox-secret-1001-NOT-A-REAL-KEY" }
let counter = 0
const createLink = async (options: Pick<Pasarela.Options, "httpClient"> = {}) => {
  const pasarela = await createPasarela(config(), { env, ...options })
  try {
    return await pasarela.links.create({
      merchantId: "hotel-bogota",
      reference: `BK-HTTP-${++counter}`,
      description: "2 nights",
      amount: Money.make("480000", "COP"),
      expiresIn: "24 hours"
    })
  } finally {
    await pasarela.close()
  }
}

/** The URLs `globalThis.fetch` was called with while it is watched. */
const fetched: Array<string> = []
const realFetch = globalThis.fetch
const watchFetch = () => {
  globalThis.fetch = (input, init) => {
    fetched.push(input instanceof Request ? input.url : String(input))
    return realFetch(input, init)
  }
}
afterEach(() => {
  globalThis.fetch = realFetch
  fetched.length = 0
})

describe("the HTTP client of provider calls", () => {
  it("is the platform's fetch by default", async () => {
    watchFetch()
    const link = await createLink()
    expect(link.provider).toBe("placetopay")
    expect(fetched.filter((url) => url.startsWith(sandbox.baseUrl))).not.toEqual([])
  })

  it("is the httpClient option's when given (undici here): fetch is never called", async () => {
    watchFetch()
    const link = await createLink({ httpClient: UndiciHttpClient.layer })
    expect(link.provider).toBe("placetopay")
    expect(fetched).toEqual([])
  })
})
