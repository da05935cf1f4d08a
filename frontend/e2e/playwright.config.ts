// Browser tests of the portal in the system Chromium (Debian's `chromium`), against a real
// `accord serve` on a fresh database. The Rust test `portal::the_portal_passes_its_browser_tests_in_chromium`
// starts the server and runs this suite (so `cargo test --workspace` runs it); to run it by hand
// against a server you started with ACCORD_SIGNUP_KINDS=DEVELOPER,PROVIDER,PAYER:
//   ACCORD_E2E_BASE_URL=http://127.0.0.1:8080 npm run e2e
import { defineConfig } from '@playwright/test';

const baseURL = process.env.ACCORD_E2E_BASE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: 'artifacts/results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: Number(process.env.ACCORD_E2E_WORKERS ?? 2),
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.ACCORD_E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
