// Debian's chromium driven by playwright-core, launched the one way the browser tests use it:
// headless, in a fresh profile folder that closing removes.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Whether the browser tests can run here; when not, one line on stderr says how to fix it. */
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) process.stderr.write(`browser tests skipped: ${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)\n`);

export interface Chromium {
  context: BrowserContext;
  /** The window chromium opens with. */
  page: Page;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/** Starts chromium in a new profile folder named after `name`. */
export async function launchChromium(name: string, viewport: { width: number; height: number } | null = { width: 1280, height: 800 }): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), `edu-${name}-chromium-`));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      ...(viewport ? { viewport } : {}),
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
}
