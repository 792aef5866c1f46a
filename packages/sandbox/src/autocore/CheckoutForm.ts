/**
 * What the hosted pay page's card form posts, checked before anything is paid. Only Autocore's
 * test cards (spec §5) are accepted: any other number is refused with a message saying this is a
 * sandbox, so no real card number goes any further. Pure.
 */
import * as Either from "effect/Either"
import * as Cards from "./Cards.js"
import type { LinkPaymentOutcome } from "./Model.js"

export const messages = {
  number: "El número de tarjeta debe tener de 13 a 19 dígitos.",
  notATestCard:
    "Esto es un sandbox: solo se aceptan las tarjetas de prueba de la lista. Aquí nunca se cobra una tarjeta real.",
  expiry: "El vencimiento debe escribirse MM/AA o MM/AAAA.",
  expired: "La tarjeta está vencida.",
  cvv: "El CVV debe tener 3 o 4 dígitos.",
  holder: "Escriba el nombre del titular.",
  unreadable: "No se pudo leer el formulario; intente de nuevo."
} as const

const EXPIRY = /^(\d{2})\/(\d{2}|\d{4})$/

const field = (fields: Readonly<Record<string, string>>, name: string): string => (fields[name] ?? "").trim()

/** How the payment goes (decided by the test card), or the message to show on the form. */
export const readCardForm = (
  fields: Readonly<Record<string, string>>,
  nowMillis: number
): Either.Either<LinkPaymentOutcome, string> => {
  const number = field(fields, "number").replace(/[\s-]/g, "")
  if (!/^\d{13,19}$/.test(number)) return Either.left(messages.number)
  if (Cards.scenario(number, false)._tag === "InvalidCard") return Either.left(messages.notATestCard)
  const expiry = EXPIRY.exec(field(fields, "expiry"))
  const month = Number(expiry?.[1])
  if (expiry === null || month < 1 || month > 12) return Either.left(messages.expiry)
  const year = expiry[2]!.length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2])
  if (!/^\d{3,4}$/.test(field(fields, "cvv"))) return Either.left(messages.cvv)
  const holder = field(fields, "holder")
  if (holder === "" || holder.length > 80) return Either.left(messages.holder)
  const scenario = Cards.scenario(number, Cards.isExpired(year, month, nowMillis))
  switch (scenario._tag) {
    case "Approved":
      return Either.right("approved")
    case "Declined":
      return Either.right("declined")
    case "Pending":
      return Either.right(scenario.settlesTo === "approved" ? "pending_approved" : "pending_declined")
    case "InvalidCard":
      return Either.left(messages.expired)
  }
}
