/**
 * What a Promise API user sees of Pasarela at work — hooks around each provider request, their own
 * logger, an OpenTelemetry tracer — and the hotels of an Autocore merchant, against the sandbox
 * over loopback HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { trace } from "@opentelemetry/api"
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Money, PaymentError, type ProviderHttp } from "@pasarela/core"
import { Sandbox } from "@pasarela/sandbox"
import * as Effect from "effect/Effect"
import { createPasarela, type PasarelaConfig } from "pasarela"
import { openTelemetryTracer } from "pasarela/opentelemetry"

const PLACETOPAY_SECRET = "sandbox-secret-1001-NOT-A-REAL-KEY"
const AUTOCORE_SECRET = "TESTSECRETKEY0123456789abcdefXYZ"
const env = {
  BOGOTA_PLACETOPAY_SECRET: PLACETOPAY_SECRET,
  CARTAGENA_AUTOCORE_SECRET: AUTOCORE_SECRET,
  CARTAGENA_WEBHOOK_SECRET: "observability-webhook-secret"
}

const configFor = (baseUrl: string): PasarelaConfig => ({
  merchants: {
    "hotel-bogota": {
      provider: "placetopay",
      options: { login: "sandbox-login-site-1001", baseUrl, retry: { baseDelay: "1 millis" } },
      secrets: { secretKey: "BOGOTA_PLACETOPAY_SECRET" }
    },
    "hotel-cartagena": {
      provider: "autocore",
      options: { accessKey: "TESTACCESSKEY001", baseUrl, hotelId: 5 },
      secrets: { secretKey: "CARTAGENA_AUTOCORE_SECRET", webhookSecret: "CARTAGENA_WEBHOOK_SECRET" }
    }
  }
})

let counter = 0
const linkInput = () => ({
  merchantId: "hotel-bogota",
  reference: `OBS-${Date.now().toString(36)}-${counter++}`,
  description: "2 nights",
  amount: Money.make("120000", "COP"),
  expiresIn: "24 hours"
})

/** A console-like logger that keeps what it is given. */
const recordingLogger = () => {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = []
  const at = (level: string) => (message: string, fields: Record<string, unknown>) => {
    lines.push({ level, message, fields })
  }
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } }
}

describe("Promise API: hooks, logger, tracer, hotels", () => {
  let sandbox: Sandbox.Started
  const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runPromise(Effect.orDie(effect))
  beforeAll(async () => {
    sandbox = await Sandbox.start()
  })
  afterAll(() => sandbox.close())

  it("hooks see each attempt — request, answer, retry — and never a secret, a body or a query", async () => {
    const seen: Array<readonly [string, ProviderHttp.RequestInfo]> = []
    const pasarela = await createPasarela(configFor(sandbox.baseUrl), {
      env,
      hooks: {
        onRequest: (info) => {
          seen.push(["request", info])
        },
        onResponse: async (info) => {
          seen.push(["response", info])
        },
        onRetry: (info) => {
          seen.push(["retry", info])
        }
      }
    })
    try {
      const link = await pasarela.links.create(linkInput())
      await run(sandbox.placetopay.faults.inject({ route: "links.get", fault: { kind: "status", status: 503 } }))
      await pasarela.links.get(link.id)
      expect(seen.map(([kind, info]) => [kind, info.operation, info.attempt])).toEqual([
        ["request", "links.create", 1],
        ["response", "links.create", 1],
        ["request", "links.get", 1],
        ["response", "links.get", 1],
        ["retry", "links.get", 1],
        ["request", "links.get", 2],
        ["response", "links.get", 2]
      ])
      expect(seen[0]![1]).toMatchObject({ provider: "placetopay", merchantId: "hotel-bogota", method: "POST" })
      expect(
        seen.filter(([kind]) => kind === "response").map(([, info]) => (info as ProviderHttp.ResponseInfo).status)
      ).toEqual([201, 503, 200])
      expect(seen[4]![1]).toMatchObject({ reason: "ProviderUnavailable" })
      const text = JSON.stringify(seen)
      expect(text).not.toContain(PLACETOPAY_SECRET)
      expect(text).not.toMatch(/tranKey|nonce|BK-|OBS-/)
    } finally {
      await pasarela.close()
    }
  })

  it("a hook that throws or rejects changes nothing for the call, and is logged", async () => {
    const { lines, logger } = recordingLogger()
    const pasarela = await createPasarela(configFor(sandbox.baseUrl), {
      env,
      logger,
      hooks: {
        onRequest: () => {
          throw new Error("metrics backend down")
        },
        onResponse: () => Promise.reject(new Error("slow sink refused"))
      }
    })
    try {
      const link = await pasarela.links.create(linkInput())
      expect(link.status).toBe("active")
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(lines.filter((line) => line.level === "warn").map((line) => line.message)).toEqual(
        expect.arrayContaining([
          "the onRequest hook failed metrics backend down",
          "the onResponse hook failed slow sink refused"
        ])
      )
    } finally {
      await pasarela.close()
    }
  })

  it("the logger gets Pasarela's logs at its level, with their fields; none below logLevel", async () => {
    const warned = recordingLogger()
    const quiet = recordingLogger()
    const loud = await createPasarela(configFor(sandbox.baseUrl), { env, logger: warned.logger })
    const silent = await createPasarela(configFor(sandbox.baseUrl), { env, logger: quiet.logger, logLevel: "error" })
    try {
      for (const pasarela of [loud, silent]) {
        await run(sandbox.placetopay.faults.inject({ route: "links.create", fault: { kind: "status", status: 503 } }))
        const error = await pasarela.links.create(linkInput()).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(PaymentError.PaymentError)
      }
      expect(warned.lines).toContainEqual({
        level: "warn",
        message: expect.stringMatching(/^placetopay call failed provider unavailable \(HTTP 503\)/),
        fields: {
          "pasarela.provider": "placetopay",
          "pasarela.operation": "links.create",
          "pasarela.merchant": "hotel-bogota"
        }
      })
      expect(quiet.lines).toEqual([])
    } finally {
      await loud.close()
      await silent.close()
    }
  })

  it("an OpenTelemetry tracer receives the operation's span and its request's span under it", async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
    const pasarela = await createPasarela(configFor(sandbox.baseUrl), {
      env,
      tracer: openTelemetryTracer(provider.getTracer("hotel-app"))
    })
    try {
      await pasarela.links.create(linkInput())
      const spans = exporter.getFinishedSpans()
      const operation = spans.find((span) => span.name === "pasarela.links.create")
      const request = spans.find((span) => span.name === "placetopay.links.create")
      expect(operation?.attributes).toMatchObject({ "pasarela.merchant": "hotel-bogota" })
      expect(request?.attributes).toMatchObject({ "http.response.status_code": 201, "pasarela.outcome": "ok" })
      expect(request?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId)
      expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(PLACETOPAY_SECRET)
    } finally {
      await pasarela.close()
      await provider.shutdown()
      trace.disable()
    }
  })

  it("hotels: an Autocore merchant's account, by page or whole; Unsupported for another gateway", async () => {
    const pasarela = await createPasarela(configFor(sandbox.baseUrl), { env })
    try {
      const page = await pasarela.hotels.list("hotel-cartagena", { offset: 0, limit: 1 })
      expect(page.hotels).toHaveLength(1)
      const all = await pasarela.hotels.all("hotel-cartagena")
      expect(all.length).toBeGreaterThanOrEqual(page.hotels.length)
      expect(all.map((hotel) => hotel.id)).toContain(page.hotels[0]!.id)
      const error = await pasarela.hotels.list("hotel-bogota").catch((e: unknown) => e)
      expect(error).toBeInstanceOf(PaymentError.PaymentError)
      expect((error as PaymentError.PaymentError).reason._tag).toBe("Unsupported")
      expect((error as PaymentError.PaymentError).merchantId).toBe("hotel-bogota")
    } finally {
      await pasarela.close()
    }
  })
})
