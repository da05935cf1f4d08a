// SPEC §10: every page works by keyboard. An approver signs in, opens a request from the
// inbox, narrows it and approves it without touching the mouse; a dialog takes its Reason and
// its confirm button by keyboard too, and Escape closes it.
import type { Page } from '@playwright/test';
import { test, expect, api, signUp, registerApp, requestAccess, PASSWORD } from './fixtures';

/** Presses Tab until the focused element matches `what` (at most 60 presses). */
async function tabTo(page: Page, what: (el: { tag: string; text: string; label: string }) => boolean, description: string) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      const input = a as HTMLInputElement | null;
      const label = input?.labels?.[0]?.textContent ?? a?.getAttribute('aria-label') ?? '';
      return { tag: a?.tagName.toLowerCase() ?? '', text: (a?.textContent ?? '').trim(), label: label.trim() };
    });
    if (what(el)) return;
  }
  throw new Error(`Tab never reached ${description}`);
}

test('an approver signs in, narrows and approves a request using only the keyboard', async ({ page }) => {
  const holder = await signUp('PROVIDER', 'Keyboard Hospital');
  const vendor = await signUp('DEVELOPER', 'Keyboard Apps');
  const app = await registerApp(vendor, 'Keys Only');
  const id = await requestAccess(vendor, app.id, holder.tenantId, ['patient/Observation.rs', 'patient/Condition.rs'], 200);

  await page.goto('/login');
  await tabTo(page, (el) => el.label === 'Email', 'the Email input');
  await page.keyboard.type(holder.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/inbox$/);

  await tabTo(page, (el) => el.tag === 'a' && el.text === 'Keys Only', 'the request in the inbox');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));

  // A dialog by keyboard: Deny opens it, Escape closes it and nothing changes.
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Deny', 'Deny');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByRole('dialog').getByLabel('Reason')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.goto(`/requests/${id}`);
  await tabTo(page, (el) => el.tag === 'input' && el.label === 'patient/Condition.rs', 'the Condition checkbox');
  await page.keyboard.press('Space');
  await expect(page.getByLabel('patient/Condition.rs', { exact: true })).not.toBeChecked();
  await tabTo(page, (el) => el.label === 'Duration (days)', 'Duration (days)');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('30');
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Approve', 'Approve');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Approved' })).toBeVisible();

  const d = await api<{ accessRequest: { grant: { scopes: string[]; grantedAt: string; expiresAt: string } } }>(
    vendor.token,
    `query($id: ID!) { accessRequest(id: $id) { grant { scopes grantedAt expiresAt } } }`,
    { id },
  );
  expect(d.accessRequest.grant.scopes).toEqual(['patient/Observation.rs']);
  expect((Date.parse(d.accessRequest.grant.expiresAt) - Date.parse(d.accessRequest.grant.grantedAt)) / 86_400_000).toBe(30);
});
