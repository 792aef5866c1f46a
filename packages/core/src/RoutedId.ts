/**
 * Ids handed out by the router: `<provider>:<merchant>:<route>:<provider's id>`, each part
 * URL-encoded so the separators stay unambiguous. `route` says which configured provider of the
 * merchant made the link (`primary` or `fallback`): a merchant may fall back to another site of the
 * same provider, whose ids can collide with the primary's. They carry everything needed to route
 * `get` / `disable` later, in another process too, with no shared state.
 *
 * Ids issued before the route segment existed (`<provider>:<merchant>:<provider's id>`) still
 * decode, without a route: they are routed by provider name, the primary first.
 */
import * as Option from "effect/Option"

/** Which of a merchant's configured providers made a link. */
export type Route = "primary" | "fallback"

export interface RoutedId {
  readonly provider: string
  readonly merchantId: string
  /** Absent in ids issued before routes were recorded. */
  readonly route?: Route | undefined
  readonly id: string
}

export const encode = (routed: RoutedId): string =>
  (routed.route === undefined
    ? [routed.provider, routed.merchantId, routed.id]
    : [routed.provider, routed.merchantId, routed.route, routed.id]
  )
    .map(encodeURIComponent)
    .join(":")

const isRoute = (text: string): text is Route => text === "primary" || text === "fallback"

export const decode = (text: string): Option.Option<RoutedId> => {
  const parts = text.split(":")
  if (parts.length < 3 || parts.length > 4 || parts.some((part) => part === "")) return Option.none()
  try {
    const decoded = parts.map(decodeURIComponent)
    if (decoded.length === 3) {
      const [provider, merchantId, id] = decoded as [string, string, string]
      return Option.some({ provider, merchantId, id })
    }
    const [provider, merchantId, route, id] = decoded as [string, string, string, string]
    return isRoute(route) ? Option.some({ provider, merchantId, route, id }) : Option.none()
  } catch {
    return Option.none()
  }
}
