/**
 * Minimal hosted pages standing in for Autocore's pay page and the cash checkout, so links and
 * `checkout_url`s handed out by the simulator lead somewhere in demos. Their buttons call the
 * control endpoints (approve / decline) and then follow the redirect URLs given at creation.
 */
import type { LinkSnapshot, OrderSnapshot } from "./Model.js"

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}` +
  `dt{font-weight:600}button{margin-right:.5rem;padding:.5rem 1rem}</style></head>` +
  `<body><h1>${escapeHtml(title)}</h1><p><small>Simulador de Autocore (sandbox): ningún pago es real.</small></p>${body}</body></html>`

const row = (label: string, value: string): string => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`

/** Buttons posting `{ outcome }` to `action`, then going to the matching redirect (or reloading). */
const payButtons = (action: string, successUrl: string | null, failureUrl: string | null): string => {
  const config = JSON.stringify({ action, successUrl, failureUrl }).replace(/</g, "\\u003c")
  return (
    `<p><button data-outcome="approved">Aprobar pago</button><button data-outcome="declined">Rechazar pago</button></p>` +
    `<p id="result"></p><script>const c=${config};` +
    `for(const b of document.querySelectorAll("button[data-outcome]"))b.onclick=async()=>{` +
    `const outcome=b.dataset.outcome;const r=await fetch(c.action,{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({outcome})});` +
    `if(!r.ok){document.getElementById("result").textContent=(await r.json()).detail;return}` +
    `const next=outcome==="approved"?c.successUrl:c.failureUrl;if(next)location.href=next;else location.reload()}</script>`
  )
}

const statusLabel: Readonly<Record<string, string>> = {
  active: "Pendiente de pago",
  paid: "Pagado",
  expired: "Vencido",
  pending: "Pendiente de pago",
  applied: "Pagado",
  rejected: "Rechazado"
}

export const linkPage = (link: LinkSnapshot, controlBase: string): string =>
  page(
    link.kind === "gift_card" ? "Tarjeta de regalo" : "Link de pago",
    `<dl>${row("Hotel", link.hotelName)}${row("Descripción", link.description)}${row("Valor", `${link.amount} ${link.currency}`)}` +
      `${row("Estado", statusLabel[link.status] ?? link.status)}${link.expiresAt === null ? "" : row("Vence", link.expiresAt)}</dl>` +
      (link.status === "active"
        ? payButtons(`${controlBase}/links/${encodeURIComponent(link.code)}/pay`, link.successUrl, link.failureUrl)
        : "")
  )

export const checkoutPage = (order: OrderSnapshot, controlBase: string): string =>
  page(
    "Pago en efectivo",
    `<dl>${row("Hotel", order.hotelName)}${row("Detalle", order.detail)}${row("Valor", `${order.amount} COP`)}` +
      `${row("Medio", order.paymentType)}${row("Estado", statusLabel[order.status] ?? order.status)}</dl>` +
      (order.status === "pending"
        ? payButtons(
            `${controlBase}/orders/${encodeURIComponent(order.transactionId)}/pay`,
            order.responseUrl,
            order.responseUrl
          )
        : "")
  )

export const notFoundPage = (): string => page("No encontrado", "<p>Este enlace no existe en el simulador.</p>")
