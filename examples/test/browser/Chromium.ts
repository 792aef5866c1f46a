/**
 * Headless Chromium for the browser tests, driven with playwright-core: Debian's `chromium`
 * (never a browser Playwright downloads). One browser per test file, with a fresh profile.
 *
 * Without Chromium the tests are skipped and say why; with `PASARELA_BROWSER_TESTS=required` (what
 * `.ci/run` sets) a missing browser fails instead, so CI cannot pass without running them.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { describe, it } from "vitest"

/** The browser; `PASARELA_CHROMIUM` names another binary. */
export const executablePath = process.env.PASARELA_CHROMIUM ?? "/usr/bin/chromium"

const required = process.env.PASARELA_BROWSER_TESTS === "required"

export const available = existsSync(executablePath)

/** Screenshots of every page the tests open, for review (git-ignored); `PASARELA_SCREENSHOTS` moves them. */
export const screenshotDir =
  process.env.PASARELA_SCREENSHOTS ?? fileURLToPath(new URL("../../../screenshots/", import.meta.url))

/** Run when the browser is there; without it, skip — or fail when the browser tests are required (CI). */
export const mode = (options: { readonly available: boolean; readonly required: boolean }): "run" | "skip" | "fail" =>
  options.available ? "run" : options.required ? "fail" : "skip"

/**
 * `describe` when Chromium is there. Otherwise the suite is skipped with the reason printed, or,
 * when the browser tests are required, one failing test says what is missing.
 */
export const describeWithBrowser = (name: string, body: () => void): void => {
  const decided = mode({ available, required })
  if (decided === "run") {
    describe(name, body)
    return
  }
  const reason = `no Chromium at ${executablePath} (install Debian's chromium: apt-get install -y chromium; or set PASARELA_CHROMIUM)`
  if (decided === "fail") {
    describe(name, () => {
      it("needs Chromium (PASARELA_BROWSER_TESTS=required)", () => {
        throw new Error(reason)
      })
    })
    return
  }
  console.warn(`[skipped] ${name}: ${reason}`)
  describe.skip(name, body)
}

/**
 * These flags keep Chromium from reaching out to Google's services: without them it stalls on a
 * closed network. Playwright adds `--headless` and its own automation flags.
 */
const flags = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

export interface Browser {
  /** A new tab, `width` × `height` (a laptop unless given). */
  readonly page: (viewport?: { readonly width: number; readonly height: number }) => Promise<Page>
  readonly close: () => Promise<void>
}

export const launch = async (): Promise<Browser> => {
  const profile = mkdtempSync(join(tmpdir(), "pasarela-chromium-"))
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: flags,
    viewport: { width: 1280, height: 900 },
    locale: "es-CO",
    timeout: 60_000
  })
  context.setDefaultTimeout(15_000)
  return {
    page: async (viewport) => {
      const page = await context.newPage()
      if (viewport !== undefined) await page.setViewportSize(viewport)
      return page
    },
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/** Saves a full-page screenshot as `<screenshotDir>/<name>.png`. */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
}

/**
 * Records every dialog (`alert`, `confirm`, …) a page opens and dismisses it: a page that escapes
 * what it shows never opens one.
 */
export const recordDialogs = (page: Page): ReadonlyArray<string> => {
  const opened: Array<string> = []
  page.on("dialog", (dialog) => {
    opened.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  return opened
}

/** Runs `action` (a click, a key) and resolves once the page it leads to has loaded. */
export const navigates = async (page: Page, action: () => Promise<unknown>): Promise<void> => {
  await Promise.all([page.waitForEvent("framenavigated"), action()])
  await page.waitForLoadState("load")
}
