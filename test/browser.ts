/**
 * Debian's Chromium, headless, driven by playwright-core (never a browser that playwright
 * downloads). Running as root on a machine with a closed network, Chromium needs these flags:
 * no sandbox, no GPU, and none of its own background connections (see the machine notes).
 * `.ci/run` installs the package when it is missing.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a new, empty profile; JavaScript off unless asked for. */
export async function openChromium(options: { javaScript?: boolean; width?: number; height?: number } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (as root: apt-get install -y chromium), or set CHROMIUM_PATH`);
  }
  const profile = mkdtempSync(join(tmpdir(), "agentsim-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    javaScriptEnabled: options.javaScript ?? false,
    viewport: { width: options.width ?? 1100, height: options.height ?? 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
