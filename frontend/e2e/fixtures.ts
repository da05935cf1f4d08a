// What every browser test shares: organizations made through the public API (fast, and each
// test gets its own, so tests run in parallel), sign-in through the real /login page, a
// console-error trap, and `check(page, name)`: axe-core (WCAG 2.1 AA; no serious or critical
// violation) plus a full-page screenshot written to e2e/artifacts/screenshots/<name>.png.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PASSWORD = 'correct horse battery staple';
export const baseURL = process.env.ACCORD_E2E_BASE_URL ?? 'http://127.0.0.1:8080';
const here = dirname(fileURLToPath(import.meta.url));
export const screenshots = join(here, 'artifacts', 'screenshots');

export interface Account {
  token: string;
  email: string;
  userId: string;
  tenantId: string;
  tenantName: string;
}

/** A GraphQL call with a bearer token (setup only: the tests' subject is the browser). */
export async function api<T = Record<string, unknown>>(token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${baseURL}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const unique = () => randomUUID().slice(0, 8);

export async function signUp(kind: 'PROVIDER' | 'PAYER' | 'DEVELOPER', orgName: string, person = 'Ada Admin'): Promise<Account> {
  const id = unique();
  const email = `${person.split(' ')[0]?.toLowerCase()}.${id}@${kind.toLowerCase()}.example`;
  const tenantName = `${orgName} ${id}`;
  const d = await api<{ signUp: { token: string; user: { id: string; tenant: { id: string } } } }>(
    null,
    `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id tenant { id } } } }`,
    { input: { organizationName: tenantName, kind, name: person, email, password: PASSWORD } },
  );
  return { token: d.signUp.token, email, userId: d.signUp.user.id, tenantId: d.signUp.user.tenant.id, tenantName };
}

/** Another person in `admin`'s organization, with `roles`, through an invitation. */
export async function addMember(admin: Account, name: string, roles: string[]): Promise<Account> {
  const email = `${name.split(' ')[0]?.toLowerCase()}.${unique()}@member.example`;
  const inv = await api<{ inviteUser: { token: string } }>(admin.token, `mutation($e: String!, $r: [Role!]!) { inviteUser(email: $e, roles: $r) { token } }`, { e: email, r: roles });
  const d = await api<{ acceptInvitation: { token: string; user: { id: string } } }>(
    null,
    `mutation($t: String!, $n: String!, $p: String!) { acceptInvitation(token: $t, name: $n, password: $p) { token user { id } } }`,
    { t: inv.inviteUser.token, n: name, p: PASSWORD },
  );
  return { token: d.acceptInvitation.token, email, userId: d.acceptInvitation.user.id, tenantId: admin.tenantId, tenantName: admin.tenantName };
}

/** A public patient-facing app (PKCE, no secret), registered through the API. */
export async function registerApp(vendor: Account, name: string): Promise<{ id: string; clientId: string }> {
  const input = {
    name,
    kind: 'PATIENT_FACING',
    public: true,
    redirectUris: ['https://app.vendor.example/callback'],
    purpose: 'Patients see their own results',
    businessOwnerEmail: 'owner@vendor.example',
    technicalOwnerEmail: 'ops@vendor.example',
  };
  const d = await api<{ registerApp: { app: { id: string; clientId: string } } }>(vendor.token, `mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id clientId } } }`, { i: input });
  return d.registerApp.app;
}

export async function requestAccess(vendor: Account, appId: string, holderId: string, scopes: string[], durationDays = 365): Promise<string> {
  const d = await api<{ requestAccess: { id: string } }>(
    vendor.token,
    `mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }`,
    { i: { appId, dataHolderId: holderId, scopes, purpose: 'Monthly quality measures', durationDays } },
  );
  return d.requestAccess.id;
}

/** Runs `accord <args>` against the server's own database (the Rust harness passes its environment). */
export function accordCli(...args: string[]): string {
  const bin = process.env.ACCORD_E2E_BIN;
  if (!bin) throw new Error('ACCORD_E2E_BIN is not set: run the suite through `cargo test -p accord-gateway --test portal`');
  const env = JSON.parse(process.env.ACCORD_E2E_SERVER_ENV ?? '{}') as Record<string, string>;
  return execFileSync(bin, args, { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', cwd: process.env.ACCORD_E2E_SERVER_DIR });
}

/** Signs in through the real /login page. */
export async function logIn(page: Page, account: Pick<Account, 'email'>, then?: RegExp) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  if (then) await expect(page).toHaveURL(then);
}

/** axe-core finds no serious or critical violation, and a screenshot of the page is kept. */
export async function check(page: Page, name: string) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
  mkdirSync(screenshots, { recursive: true });
  // The screenshot before axe: axe finishes its run in a page of its own, and a full-page
  // screenshot taken after that left Chromium's hit-testing stale (the next click landed on
  // the element under the button's old box).
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).toEqual([]);
  // Let the viewport settle after the full-page capture (Chromium restores the scroll position
  // asynchronously), so the test's next click is not split across a scroll.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        window.scrollTo(0, 0);
        requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
      }),
  );
}

/** Collects console errors and uncaught page errors of every page `context` opens. */
export function watchConsole(context: BrowserContext, errors: string[]) {
  const watch = (p: Page) => {
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${p.url()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
}

/** Every test fails on a console error or an uncaught page error, on any page it opened
 * (contexts a test makes itself are watched with `watchConsole(context, consoleErrors)`). */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      watchConsole(context, errors);
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
