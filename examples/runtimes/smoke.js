/**
 * The runtime smoke test's program, the same on Node, Bun, Deno and workerd: against the sandbox it
 * creates a PlacetoPay link and an Autocore charge on Pasarela's default client (the platform's
 * fetch), has the guest pay the link and the gateway settle the charge, feeds the two notifications
 * the sandbox sent (captured by the test, which serves it) to `webhooks.handle`, delivers one again
 * — it must be recognised as a duplicate — and closes. Web-standard APIs only: no runtime's own.
 */
import { Card, Money, RoutedId } from "@pasarela/core"
import { createPasarela } from "pasarela"

export const runtimeName = () =>
  "Bun" in globalThis
    ? "bun"
    : "Deno" in globalThis
      ? "deno"
      : globalThis.navigator?.userAgent === "Cloudflare-Workers"
        ? "workerd"
        : "node"

const post = async (url, body) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  return response.json()
}

/** The gateway's id of something Pasarela created (ids are routed: provider, merchant, id). */
const providerId = (id) => {
  const routed = RoutedId.decode(id)
  return routed._tag === "Some" ? routed.value.id : id
}

/** The notifications the sandbox delivered to the capture endpoint, once `count` have arrived. */
const captured = async (captureUrl, count) => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const deliveries = await (await fetch(`${captureUrl}/captured`)).json()
    if (deliveries.length >= count) return deliveries
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`fewer than ${count} notifications arrived`)
}

/** Runs the smoke test; resolves with what happened, for the test to assert on. */
/** `setup`: the sandbox hotels' configuration and secrets, as JSON (the test makes it from the sandbox's own). */
export const smoke = async ({ sandboxUrl, captureUrl, setup }) => {
  const events = []
  const { config, env } = JSON.parse(setup)
  const pasarela = await createPasarela(config, {
    env,
    onEvent: (event) => {
      events.push({ provider: event.provider, type: event.type, reference: event.reference })
    }
  })
  try {
    const guest = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }
    const link = await pasarela.links.create({
      merchantId: "hotel-bogota",
      reference: "RT-LINK-1",
      description: "2 nights, double room",
      amount: Money.make("480000", "COP"),
      payer: guest,
      expiresIn: "24 hours"
    })
    // 36417002140808: the sandbox leaves the charge pending until it is settled, then notifies.
    const charge = await pasarela.charges.create({
      merchantId: "hotel-cartagena",
      reference: "RT-CHARGE-1",
      description: "Minibar",
      amount: Money.make("85000", "COP"),
      payer: guest,
      card: Card.make({
        number: "36417002140808",
        cvv: "123",
        expiryMonth: 12,
        expiryYear: 2099,
        holderName: "LAURA PELAEZ"
      })
    })
    await post(`${sandboxUrl}/__sandbox/placetopay/links/${providerId(link.id)}/pay`, {
      card: { number: "4110760000000081" }
    })
    await post(`${sandboxUrl}/__sandbox/autocore/charges/${providerId(charge.id)}/settle`, {})

    // In a fixed order: the sandbox sends each in the background.
    const deliveries = (await captured(captureUrl, 2)).sort((a, b) => a.path.localeCompare(b.path))
    const handle = async ({ path, headers, body }) => {
      const response = await pasarela.webhooks.handle(
        new Request(new URL(path, "http://app.example"), { method: "POST", headers, body })
      )
      return response.status
    }
    const handled = []
    for (const delivery of deliveries) handled.push(await handle(delivery))
    const eventsBeforeRedelivery = events.length
    const redelivered = await handle(deliveries[0])
    return {
      runtime: runtimeName(),
      link: { provider: link.provider, status: link.status },
      charge: { provider: charge.provider, outcome: charge.outcome },
      notifications: deliveries.map((delivery) => new URL(delivery.path, "http://app.example").pathname),
      handled,
      redelivered,
      events,
      duplicateHandled: events.length !== eventsBeforeRedelivery
    }
  } finally {
    await pasarela.close()
  }
}
