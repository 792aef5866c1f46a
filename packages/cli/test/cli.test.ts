import { mkdtempSync, writeFileSync } from "node:fs"
import { type AddressInfo, createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { expect, layer } from "@effect/vitest"
import { Cli } from "@pasarela/cli"
import { MemoryNotification } from "@pasarela/memory"
import { Sandbox } from "@pasarela/sandbox"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"

/** A port nothing listens on right now (the OS picks it). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer()
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

/** Runs the command line in-process; what it prints goes to `out` and `err`. */
const runCli = (args: ReadonlyArray<string>, out: Array<string>, err: Array<string>) => {
  const capture =
    (into: Array<string>) =>
    (...items: ReadonlyArray<unknown>) =>
      Effect.sync(() => void into.push(items.map(String).join(" ")))
  return Console.consoleWith((current) =>
    Cli.run(["node", "pasarela", ...args]).pipe(
      Effect.withConsole({ ...current, log: capture(out), error: capture(err) })
    )
  )
}

/** Runs a command to completion, capturing what it prints. */
const pasarela = (...args: Array<string>) =>
  Effect.gen(function* () {
    const out: Array<string> = []
    const err: Array<string> = []
    const code = yield* runCli(args, out, err)
    return { code, out: out.join("\n"), err: err.join("\n") }
  })

/**
 * Runs a command that serves until stopped: `probe` is retried while the server starts, then the
 * command is interrupted. Returns the probe's result and what the command printed.
 */
const whileServing = <A>(args: ReadonlyArray<string>, probe: (out: ReadonlyArray<string>) => Promise<A>) =>
  Effect.gen(function* () {
    const out: Array<string> = []
    const running = yield* Effect.fork(runCli(args, out, []))
    const result = yield* Effect.tryPromise(() => probe(out)).pipe(
      Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.compose(Schedule.recurs(100))))
    )
    yield* Fiber.interrupt(running)
    return { result, out }
  })

const env = {
  BOGOTA_PLACETOPAY_SECRET: "sandbox-secret-1001-NOT-A-REAL-KEY",
  CARTAGENA_AUTOCORE_SECRET: "TESTSECRETKEY0123456789abcdefXYZ",
  CARTAGENA_CARD_KEY: "TESTSECRETKEY0123456789abcdefXYZ",
  CARTAGENA_WEBHOOK_SECRET: "cartagena-webhook-secret-0123456789",
  LIMA_WEBHOOK_SECRET: "lima-webhook-secret"
}

class Files extends Effect.Service<Files>()("test/Files", {
  scoped: Effect.gen(function* () {
    const sandbox = yield* Sandbox.serve()
    const dir = mkdtempSync(join(tmpdir(), "pasarela-cli-"))
    const write = (name: string, content: unknown) => {
      const path = join(dir, name)
      writeFileSync(path, JSON.stringify(content))
      return path
    }
    const merchants = {
      "hotel-lima": { provider: "memory", secrets: { webhookSecret: "LIMA_WEBHOOK_SECRET" } },
      "hotel-bogota": {
        provider: "placetopay",
        options: { login: "sandbox-login-site-1001", baseUrl: sandbox.baseUrl },
        secrets: { secretKey: "BOGOTA_PLACETOPAY_SECRET" }
      },
      "hotel-cartagena": {
        provider: "autocore",
        options: {
          accessKey: "TESTACCESSKEY001",
          baseUrl: sandbox.baseUrl,
          hotelId: 5,
          notificationUrl: "http://127.0.0.1:9/webhooks/hotel-cartagena/autocore"
        },
        secrets: {
          secretKey: "CARTAGENA_AUTOCORE_SECRET",
          cardEncryptionKey: "CARTAGENA_CARD_KEY",
          webhookSecret: "CARTAGENA_WEBHOOK_SECRET"
        }
      }
    }
    return {
      sandbox,
      config: write("pasarela.json", { merchants }),
      durable: write("durable.json", {
        merchants,
        store: { type: "embedded", path: join(dir, "store") }
      }),
      otherBroken: write("other-broken.json", {
        merchants: {
          ...merchants,
          "hotel-lima": { provider: "memory", options: { colour: "blue" }, secrets: merchants["hotel-lima"].secrets }
        }
      }),
      production: write("production.json", {
        merchants: {
          "hotel-cartagena": {
            ...merchants["hotel-cartagena"],
            options: { ...merchants["hotel-cartagena"].options, baseUrl: "production" }
          }
        }
      })
    }
  })
}) {}

const TestLayer = Layer.mergeAll(
  Files.Default,
  NodeContext.layer,
  Layer.setConfigProvider(ConfigProvider.fromJson(env))
)

layer(TestLayer, { excludeTestServices: true })("pasarela command", (it) => {
  it.effect("creates, shows and disables a link on the sandbox", () =>
    Effect.gen(function* () {
      const { config } = yield* Files
      const created = yield* pasarela(
        "links",
        "create",
        "--config",
        config,
        "--json",
        "--merchant",
        "hotel-bogota",
        "--reference",
        "BK-CLI-1",
        "--description",
        "2 nights",
        "--amount",
        "120000",
        "--payer-name",
        "Laura",
        "--payer-email",
        "laura@example.com"
      )
      expect(created.err).toBe("")
      expect(created.code).toBe(0)
      const link = JSON.parse(created.out)
      expect(link).toMatchObject({
        merchantId: "hotel-bogota",
        provider: "placetopay",
        status: "active",
        reference: "BK-CLI-1"
      })
      expect(link.amount).toEqual({ amount: "120000.00", currency: "COP" })

      const shown = yield* pasarela("links", "get", "--config", config, "--id", link.id)
      expect(shown.out).toMatch(/status\s+active/)
      expect(shown.out).toContain("BK-CLI-1")
      const disabled = yield* pasarela("links", "disable", "--config", config, "--id", link.id, "--json")
      expect(JSON.parse(disabled.out).status).toBe("disabled")
      const again = yield* pasarela("links", "disable", "--config", config, "--id", link.id)
      expect(again.code).toBe(1)
      expect(again.err).toMatch(/^error: .*conflict/m)
      expect(again.err).toMatch(/^hint: /m)
    })
  )

  it.effect("charges a test card on the Autocore sandbox and refuses production", () =>
    Effect.gen(function* () {
      const { config, production } = yield* Files
      const card = ["--card-number", "4111111111111111", "--cvv", "123", "--expiry", "12/2099", "--holder", "JOHN DOE"]
      const payer = ["--payer-name", "John", "--payer-surname", "Doe"]
      const charged = yield* pasarela(
        "charges",
        "create",
        "--config",
        config,
        "--json",
        "--merchant",
        "hotel-cartagena",
        "--reference",
        "CH-CLI-1",
        "--amount",
        "1000",
        ...card,
        ...payer
      )
      expect(charged.err).toBe("")
      expect(JSON.parse(charged.out)).toMatchObject({ outcome: "approved", lastDigits: "1111" })
      expect(charged.out).not.toContain("4111111111111111")

      const refused = yield* pasarela(
        "charges",
        "create",
        "--config",
        production,
        "--merchant",
        "hotel-cartagena",
        "--reference",
        "CH-CLI-2",
        "--amount",
        "1000",
        ...card,
        ...payer
      )
      expect(refused.code).toBe(1)
      expect(refused.err).toContain("production environment")
    })
  )

  it.effect("lists the Autocore account's hotels", () =>
    Effect.gen(function* () {
      const { config } = yield* Files
      const listed = yield* pasarela("hotels", "--config", config, "--merchant", "hotel-cartagena", "--json")
      expect(listed.err).toBe("")
      expect(JSON.parse(listed.out).map((h: { id: number }) => h.id)).toContain(5)
      const wrong = yield* pasarela("hotels", "--config", config, "--merchant", "hotel-bogota")
      expect(wrong.code).toBe(1)
      expect(wrong.err).toContain("not on Autocore")
    })
  )

  it.effect("creates a cash payment order and a gift card on the Autocore sandbox", () =>
    Effect.gen(function* () {
      const { config } = yield* Files
      const order = yield* pasarela(
        "orders",
        "create",
        "--config",
        config,
        "--json",
        "--merchant",
        "hotel-cartagena",
        "--reference",
        "CASH-CLI-1",
        "--description",
        "Booking payment",
        "--amount",
        "123000",
        "--method",
        "daviplata",
        "--person-type",
        "N",
        "--return-url",
        "https://hotel.example/back",
        "--payer-name",
        "Jhon",
        "--payer-surname",
        "Doe",
        "--payer-email",
        "jhon@example.com",
        "--payer-phone",
        "3012105687",
        "--document-number",
        "123456789",
        "--address",
        "Calle 1",
        "--ip",
        "181.204.153.195"
      )
      expect(order.err).toBe("")
      expect(JSON.parse(order.out)).toMatchObject({
        status: "pending",
        reference: "CASH-CLI-1",
        merchantId: "hotel-cartagena"
      })
      expect(JSON.parse(order.out).checkoutUrl).toMatch(/^http/)

      const card = yield* pasarela(
        "gift-cards",
        "create",
        "--config",
        config,
        "--json",
        "--merchant",
        "hotel-cartagena",
        "--reference",
        "GC-CLI-1",
        "--amount",
        "50000",
        "--sender-name",
        "Jhon Doe",
        "--sender-email",
        "jhon@example.com",
        "--sender-phone",
        "5551234",
        "--sender-address",
        "123 Main St",
        "--document-number",
        "11113333",
        "--recipient-name",
        "Jane Doe",
        "--recipient-email",
        "jane@example.com",
        "--note",
        "Happy birthday!",
        "--success-url",
        "https://hotel.example/ok",
        "--failure-url",
        "https://hotel.example/ko"
      )
      expect(card.err).toBe("")
      expect(JSON.parse(card.out)).toMatchObject({ status: "pending_payment", reference: "GC-CLI-1" })
    })
  )

  it.effect("runs both simulators on the port given and prints their credentials", () =>
    Effect.gen(function* () {
      const port = yield* Effect.promise(freePort)
      const { result: status, out } = yield* whileServing(["sandbox", "--port", String(port), "--json"], () =>
        fetch(`http://127.0.0.1:${port}/__sandbox/autocore/state`).then((r) => r.status)
      )
      expect(status).toBe(200)
      const credentials = JSON.parse(out.join("\n"))
      expect(credentials.baseUrl).toBe(`http://127.0.0.1:${port}`)
      expect(credentials.dashboardUrl).toBe(`http://127.0.0.1:${port}/`)
      expect(credentials.placetopay[0]).toMatchObject({ login: "sandbox-login-site-1001" })
      expect(credentials.autocore[0]).toMatchObject({ accessKey: "TESTACCESSKEY001" })
      expect(credentials.autocoreTestCards).toContainEqual({
        number: "1111111111111111",
        outcome: "declined",
        skipLuhnCheck: true
      })
      const another = yield* Effect.promise(freePort)
      const { out: readable } = yield* whileServing(["sandbox", "--port", String(another)], () =>
        fetch(`http://127.0.0.1:${another}/__sandbox/autocore/state`).then((r) => r.status)
      )
      expect(readable.join("\n")).toMatch(
        /1111111111111111 +declined +fails the Luhn check on purpose: skipLuhnCheck: true \(CLI: --skip-luhn\)/
      )
    })
  )

  it.effect("the charge command's help lists the test cards, with --skip-luhn on the declined one", () =>
    Effect.gen(function* () {
      const help = yield* pasarela("charges", "create", "--help")
      expect(help.code).toBe(0)
      const text = help.out.replace(/\s+/g, " ")
      expect(text).toContain("4111111111111111 approved")
      expect(text).toContain("1111111111111111 declined (fails the Luhn check on purpose: add --skip-luhn)")
      expect(text).toContain("36417002140808 pending, then approved")
    })
  )

  it.effect("prints the dashboard's URL, where the dashboard answers", () =>
    Effect.gen(function* () {
      const port = yield* Effect.promise(freePort)
      const { result: page, out } = yield* whileServing(["sandbox", "--port", String(port)], async (printed) => {
        // Retried until the lines are out: the server may answer before they are printed.
        if (!printed.join("\n").includes("Press Ctrl+C")) throw new Error("not printed yet")
        const r = await fetch(`http://127.0.0.1:${port}/`)
        return { status: r.status, text: await r.text() }
      })
      expect(out.join("\n")).toContain(`Dashboard: http://127.0.0.1:${port}/`)
      expect(page.status).toBe(200)
      expect(page.text).toContain("<title>Pasarela sandbox</title>")
    })
  )

  it.effect("serves the webhook endpoint and prints each verified event", () =>
    Effect.gen(function* () {
      const { config } = yield* Files
      const port = yield* Effect.promise(freePort)
      const body = JSON.stringify(
        MemoryNotification.signed(Redacted.make(env.LIMA_WEBHOOK_SECRET), {
          id: "pay_cli_1",
          type: "payment.approved",
          subject: { kind: "link", id: "lnk_1" },
          reference: "BK-LIMA-1",
          amount: { amount: "99000", currency: "COP" },
          status: "APPROVED",
          merchantId: "hotel-lima",
          occurredAt: "2026-11-22T10:00:00.000Z"
        })
      )
      const { result: status, out } = yield* whileServing(
        ["webhooks", "serve", "--config", config, "--port", String(port), "--json"],
        () =>
          fetch(`http://127.0.0.1:${port}/webhooks/hotel-lima/memory`, { method: "POST", body }).then((r) => r.status)
      )
      expect(status).toBe(200)
      expect(out.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({ type: "payment.approved", merchantId: "hotel-lima", reference: "BK-LIMA-1" })
      ])
    })
  )

  it.effect("shows typed errors as one line and a hint, with a non-zero exit code", () =>
    Effect.gen(function* () {
      const { config } = yield* Files
      const bad = yield* pasarela(
        "links",
        "create",
        "--config",
        config,
        "--merchant",
        "hotel-bogota",
        "--reference",
        "BK-CLI-2",
        "--description",
        "x",
        "--amount",
        "12.5"
      )
      expect(bad.code).toBe(1)
      expect(bad.err.split("\n")).toHaveLength(2)
      expect(bad.err).toContain("amount")
      const usage = yield* pasarela("links", "create", "--config", config)
      expect(usage.code).toBe(2)
    })
  )

  it.effect("works with the durable store: migrate, idempotent creates, unknown operations, events, reconcile", () =>
    Effect.gen(function* () {
      const { durable, config, sandbox } = yield* Files
      expect(yield* pasarela("store", "migrate", "--config", durable)).toMatchObject({
        code: 0,
        out: expect.stringContaining("up to date")
      })
      const create = (reference: string) =>
        pasarela(
          "links",
          "create",
          "--json",
          "--config",
          durable,
          "--merchant",
          "hotel-bogota",
          "--reference",
          reference,
          "--description",
          "2 nights",
          "--amount",
          "120000",
          "--payer-name",
          "Laura",
          "--payer-email",
          "laura@example.com"
        )
      const creates = () =>
        Effect.map(sandbox.placetopay.faults.requests, (all) => all.filter((r) => r.route === "links.create").length)
      const before = yield* creates()
      const first = yield* create("BK-DUR-1")
      const again = yield* create("BK-DUR-1")
      expect(first.code).toBe(0)
      expect(JSON.parse(again.out).id).toBe(JSON.parse(first.out).id)
      expect(yield* creates()).toBe(before + 1)

      yield* sandbox.placetopay.faults.inject({ route: "links.create", fault: { kind: "resetAfter" } })
      const lost = yield* create("BK-DUR-2")
      expect(lost.code).toBe(1)
      expect(lost.err).toBe("")
      expect(JSON.parse(lost.out).error).toMatchObject({
        reason: "OutcomeUnknown",
        message: expect.stringContaining("outcome unknown")
      })
      const unknown = yield* pasarela("operations", "--unknown", "--json", "--config", durable)
      expect(JSON.parse(unknown.out).map((op: { reference: string }) => op.reference)).toContain("BK-DUR-2")

      expect((yield* pasarela("events", "--held", "--config", durable)).out).toBe("no held events")
      const replay = yield* pasarela("events", "replay", "no-such-key", "--config", durable)
      expect(replay.code).toBe(1)
      expect(replay.err).toContain("no-such-key")
      const reconciled = yield* pasarela("reconcile", "--json", "--config", durable)
      expect(JSON.parse(reconciled.out)).toMatchObject({ checked: 1, recovered: 0, failed: 0 })

      const pruned = yield* pasarela("store", "prune", "--older-than", "1 day", "--json", "--config", durable)
      expect(JSON.parse(pruned.out)).toEqual({ events: 0, operations: 0 })

      const none = yield* pasarela("events", "--config", config)
      expect(none.code).toBe(1)
      expect(none.err).toContain("names no durable store")
    })
  )

  it.effect("an unset secret's environment variable is one error line naming the setting, not a crash", () =>
    Effect.gen(function* () {
      const { config } = yield* Files
      const { CARTAGENA_AUTOCORE_SECRET: _, CARTAGENA_WEBHOOK_SECRET: __, ...rest } = env
      const missing = yield* pasarela("hotels", "--config", config, "--merchant", "hotel-cartagena").pipe(
        Effect.withConfigProvider(ConfigProvider.fromJson(rest))
      )
      expect(missing.code).toBe(1)
      const [error, hint, ...more] = missing.err.split("\n")
      expect(more).toEqual([])
      expect(error).toMatch(/^error: .*merchants\.hotel-cartagena\.secrets\.secretKey: .*not set/)
      expect(error).toContain("merchants.hotel-cartagena.secrets.webhookSecret")
      expect(hint).toMatch(/^hint: /)
    })
  )
  it.effect("a command for one merchant needs only that merchant's secrets, but checks the whole file", () =>
    Effect.gen(function* () {
      const { config, otherBroken } = yield* Files
      const {
        CARTAGENA_AUTOCORE_SECRET: _,
        CARTAGENA_WEBHOOK_SECRET: __,
        LIMA_WEBHOOK_SECRET: ___,
        ...bogotaOnly
      } = env
      const withBogotaOnly = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.withConfigProvider(effect, ConfigProvider.fromJson(bogotaOnly))
      const created = yield* withBogotaOnly(
        pasarela(
          ...["links", "create", "--config", config, "--json", "--merchant", "hotel-bogota", "--reference", "BK-ONE-1"],
          ...["--description", "1 night", "--amount", "90000"]
        )
      )
      expect(created.err).toBe("")
      const id = JSON.parse(created.out).id as string
      const shown = yield* withBogotaOnly(pasarela("links", "get", "--config", config, "--id", id, "--json"))
      expect(JSON.parse(shown.out)).toMatchObject({ id, reference: "BK-ONE-1" })

      const other = yield* withBogotaOnly(pasarela("hotels", "--config", config, "--merchant", "hotel-cartagena"))
      expect(other.code).toBe(1)
      expect(other.err).toContain("merchants.hotel-cartagena.secrets.secretKey")

      const broken = yield* pasarela("links", "get", "--config", otherBroken, "--id", id)
      expect(broken.code).toBe(1)
      expect(broken.err).toContain("merchants.hotel-lima.options.colour")
    })
  )

  it.effect("an unknown merchant is named with the configured ones", () =>
    Effect.gen(function* () {
      const { config } = yield* Files
      const unknown = yield* pasarela("hotels", "--config", config, "--merchant", "hotel-quito")
      expect(unknown.code).toBe(1)
      expect(unknown.err).toContain(
        'no merchant "hotel-quito" is configured (configured: hotel-lima, hotel-bogota, hotel-cartagena)'
      )
      const byId = yield* pasarela("links", "get", "--config", config, "--id", "placetopay:hotel-quito:primary:1")
      expect(byId.err).toContain('no merchant "hotel-quito" is configured (configured: hotel-lima')
    })
  )

  it.effect("every option of every command says what it is for", () =>
    Effect.gen(function* () {
      const top = yield* pasarela("--help")
      const commands = top.out
        .split("COMMANDS\n\n")[1]!
        .split("\n")
        .filter((line) => /^ {2}\S/.test(line))
        .map((line) => line.trim().split(/ {2,}/)[0]!)
      expect(commands).toContain("links create")
      expect(commands).toContain("events replay")
      // What @effect/cli writes under every option of a kind, whatever the option means.
      const generic = /^(A |An |One of the following|This setting is optional|This option can be set from)/
      for (const command of commands) {
        const help = yield* pasarela(...command.split(" "), "--help")
        expect(help.code).toBe(0)
        const options = help.out.split("OPTIONS\n\n")[1]?.split("\n\nCOMMANDS")[0]
        if (options === undefined) continue
        for (const block of options.split("\n\n")) {
          const [term, ...lines] = block.split("\n")
          const own = lines.map((line) => line.trim()).filter((line) => !generic.test(line))
          expect(own, `${command} ${term}`).not.toEqual([])
        }
      }
    })
  )

  it.effect("help gives formats and codes: --expiry, --method, --person-type", () =>
    Effect.gen(function* () {
      const charge = (yield* pasarela("charges", "create", "--help")).out.replace(/\s+/g, " ")
      expect(charge).toContain("--expiry text A user-defined piece of text. the card's expiry month and year, MM/YYYY")
      const order = (yield* pasarela("orders", "create", "--help")).out.replace(/\s+/g, " ")
      expect(order).toMatch(/--method text .* the cash method's code, .*e\.g\. daviplata/)
      expect(order).toMatch(/--person-type text .* person-type code, .*e\.g\. N/)
      const link = (yield* pasarela("links", "create", "--help")).out.replace(/\s+/g, " ")
      expect(link).toContain('a duration such as "30 minutes", "24 hours" or "3 days"')
    })
  )

  it.effect("a group named alone shows its commands", () =>
    Effect.gen(function* () {
      const group = yield* pasarela("links")
      expect(group.code).toBe(0)
      expect(group.out).toMatch(/^USAGE\n\npasarela links$/m)
      expect(group.out).toMatch(/^ {2}create +create a payment link/m)
      expect(group.out).toMatch(/^ {2}disable +disable a payment link/m)
    })
  )
})
