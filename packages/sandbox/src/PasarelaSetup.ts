/**
 * The sandbox's test hotels as a Pasarela configuration, so that a demo, a test or a script points
 * Pasarela at a running sandbox in one line: `hotel-bogota` on PlacetoPay (the first default site)
 * and `hotel-cartagena` on Autocore (hotel 5 of the first default account), with the environment
 * that holds their secrets — the sandbox's public, fake keys.
 *
 * ```ts
 * const pasarela = await createPasarela(PasarelaSetup.config(sandbox.baseUrl), { env: PasarelaSetup.env() })
 * ```
 */
import * as AutocoreSandbox from "./AutocoreSandbox.js"
import * as PlacetoPaySandbox from "./PlacetoPaySandbox.js"

/** The secrets `config` names, as environment variables: the sandbox's public, fake keys. */
export const env = (options: { readonly webhookSecret?: string } = {}) => {
  const site = PlacetoPaySandbox.defaultSites[0]!
  const account = AutocoreSandbox.defaultAccounts[0]!
  return {
    BOGOTA_PLACETOPAY_SECRET: site.secretKey,
    CARTAGENA_AUTOCORE_SECRET: account.secretKey,
    CARTAGENA_CARD_KEY: account.cardEncryptionKey,
    /** Keys the Autocore hotel's notification tokens (any text of 16 characters or more). */
    CARTAGENA_WEBHOOK_SECRET: options.webhookSecret ?? "sandbox-webhook-secret-for-cartagena"
  }
}

/**
 * The configuration of both hotels against a sandbox at `baseUrl`; `publicBaseUrl`: where the app's
 * webhook endpoint is reachable (`http://127.0.0.1:8787/webhooks`), when it has one.
 */
export const config = (baseUrl: string, options: { readonly publicBaseUrl?: string } = {}) => ({
  ...(options.publicBaseUrl === undefined ? {} : { webhooks: { publicBaseUrl: options.publicBaseUrl } }),
  merchants: {
    "hotel-bogota": {
      provider: "placetopay",
      options: { login: PlacetoPaySandbox.defaultSites[0]!.login, baseUrl },
      secrets: { secretKey: "BOGOTA_PLACETOPAY_SECRET" }
    },
    "hotel-cartagena": {
      provider: "autocore",
      options: { accessKey: AutocoreSandbox.defaultAccounts[0]!.accessKey, baseUrl, hotelId: 5 },
      secrets: {
        secretKey: "CARTAGENA_AUTOCORE_SECRET",
        cardEncryptionKey: "CARTAGENA_CARD_KEY",
        webhookSecret: "CARTAGENA_WEBHOOK_SECRET"
      }
    }
  }
})
