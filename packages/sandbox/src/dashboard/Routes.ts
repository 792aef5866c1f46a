/**
 * The dashboard's two routes: the page at `/` and its live part at `Page.fragmentPath`, built from
 * whichever simulators run on this server. Reading them changes nothing (PlacetoPay's due expiry
 * aside, which every request to that simulator does).
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Html from "../pages/Html.js"
import * as Page from "./Page.js"

export interface Sources {
  readonly placetopay?: Effect.Effect<Page.PlacetoPayView>
  readonly autocore?: Effect.Effect<Page.AutocoreView>
}

export const router = (sources: Sources): HttpRouter.HttpRouter => {
  const view: Effect.Effect<Page.View> = Effect.all({
    placetopay: sources.placetopay ?? Effect.succeed(undefined),
    autocore: sources.autocore ?? Effect.succeed(undefined),
    nowMs: Clock.currentTimeMillis
  })
  return HttpRouter.empty.pipe(
    HttpRouter.get(
      "/",
      Effect.map(view, (v) => Html.respond(Page.dashboardPage(v)))
    ),
    HttpRouter.get(
      Page.fragmentPath,
      Effect.map(view, (v) => Html.respondFragment(Page.fragment(v)))
    )
  )
}
