/**
 * Ids handed out by the router: `<provider>:<merchant>:<provider's id>`, each part URL-encoded so
 * the separators stay unambiguous. They carry everything needed to route `get` / `disable` later,
 * in another process too, with no shared state.
 */
import { Option } from "effect"

export interface RoutedId {
  readonly provider: string
  readonly merchantId: string
  readonly id: string
}

export const encode = (routed: RoutedId): string =>
  [routed.provider, routed.merchantId, routed.id].map(encodeURIComponent).join(":")

export const decode = (text: string): Option.Option<RoutedId> => {
  const parts = text.split(":")
  if (parts.length !== 3 || parts.some((part) => part === "")) return Option.none()
  try {
    const [provider, merchantId, id] = parts.map(decodeURIComponent) as [string, string, string]
    return Option.some({ provider, merchantId, id })
  } catch {
    return Option.none()
  }
}
