// Deny with a reason; suspend, resume and revoke a grant; certify a review. Each action asks
// in a dialog whose confirm button repeats the action's name, and the outcome shows at once.
import { test, expect, api, signUp, registerApp, requestAccess, logIn, check, accordCli, type Account } from './fixtures';
import type { Page } from '@playwright/test';

async function approvedGrant(holder: Account, vendor: Account, appName: string): Promise<string> {
  const app = await registerApp(vendor, appName);
  const id = await requestAccess(vendor, app.id, holder.tenantId, ['patient/Observation.rs'], 120);
  const d = await api<{ approveAccessRequest: { grant: { id: string } } }>(holder.token, `mutation($id: ID!) { approveAccessRequest(id: $id) { grant { id } } }`, { id });
  return d.approveAccessRequest.grant.id;
}

async function confirm(page: Page, action: string, reason?: string) {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  if (reason !== undefined) await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('an approver denies a request with a reason', async ({ page }) => {
  const holder = await signUp('PROVIDER', 'Denying Hospital');
  const vendor = await signUp('DEVELOPER', 'Hopeful Apps');
  const app = await registerApp(vendor, 'Too Curious');
  const id = await requestAccess(vendor, app.id, holder.tenantId, ['patient/*.rs']);

  await logIn(page, holder, /\/inbox$/);
  await page.getByRole('link', { name: 'Too Curious' }).click();
  // A reason is required: confirming without one changes nothing.
  await page.getByRole('button', { name: 'Deny', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('Reason is required');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await confirm(page, 'Deny', 'Every resource type is far more than results need.');
  await expect(page.getByRole('status').filter({ hasText: 'Denied' })).toContainText('Every resource type is far more than results need.');
  const d = await api<{ accessRequest: { status: string; decisionReason: string } }>(vendor.token, `query($id: ID!) { accessRequest(id: $id) { status decisionReason } }`, { id });
  expect(d.accessRequest).toEqual({ status: 'DENIED', decisionReason: 'Every resource type is far more than results need.' });
  await page.goto('/inbox');
  await expect(page.getByText('No requests are waiting for a decision.')).toBeVisible();
});

test('an approver suspends, resumes and revokes a grant', async ({ page }) => {
  const holder = await signUp('PROVIDER', 'Careful Clinic');
  const vendor = await signUp('DEVELOPER', 'Steady Apps');
  const grantId = await approvedGrant(holder, vendor, 'Steady Results');
  const status = async () =>
    (await api<{ grant: { status: string; revokedReason: string | null } }>(vendor.token, `query($id: ID!) { grant(id: $id) { status revokedReason } }`, { id: grantId })).grant;

  await logIn(page, holder);
  await page.goto('/grants');
  await expect(page.getByRole('figure', { name: /expiring/ })).toBeVisible();
  await check(page, 'grants');
  await page.getByRole('link', { name: 'Steady Results' }).click();
  await expect(page).toHaveURL(new RegExp(`/grants/${grantId}$`));

  await confirm(page, 'Suspend', 'Investigating an incident at the vendor.');
  await expect(page.getByRole('status').filter({ hasText: 'Suspended' })).toBeVisible();
  expect((await status()).status).toBe('SUSPENDED');

  await confirm(page, 'Resume');
  await expect(page.getByRole('status').filter({ hasText: 'Active' })).toBeVisible();
  expect((await status()).status).toBe('ACTIVE');

  await confirm(page, 'Revoke', 'The contract ended.');
  await expect(page.getByRole('status').filter({ hasText: 'Revoked' })).toContainText('The contract ended.');
  expect(await status()).toEqual({ status: 'REVOKED', revokedReason: 'The contract ended.' });
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  // The history comes from the audit trail.
  await expect(page.getByRole('region', { name: 'History' })).toContainText('grant.revoked');
});

test('an approver certifies an open review and the grant carries on', async ({ page }) => {
  const holder = await signUp('PAYER', 'Reviewing Payer');
  const vendor = await signUp('DEVELOPER', 'Reviewed Apps');
  // The policy's shortest interval is 30 days and a review opens 14 days before it is due:
  // the reviews job run as of 17 days from now opens this grant's first review.
  await api(holder.token, `mutation { updateApprovalPolicy(input: { reviewIntervalDays: 30 }) { reviewIntervalDays } }`);
  const grantId = await approvedGrant(holder, vendor, 'Reviewed Results');
  accordCli('jobs', 'run', 'reviews', '--now', new Date(Date.now() + 17 * 86_400_000).toISOString());

  await logIn(page, holder);
  await page.goto('/reviews');
  const row = page.getByRole('row').filter({ hasText: 'Reviewed Results' });
  await expect(row).toBeVisible();
  await check(page, 'reviews');
  await row.getByRole('button', { name: 'Certify', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Certify', exact: true }).click();
  await expect(dialog).toBeHidden();

  const d = await api<{ reviews: { nodes: { id: string; status: string; grant: { id: string; status: string } }[] } }>(
    holder.token,
    `{ reviews(first: 10) { nodes { id status grant { id status } } } }`,
  );
  const review = d.reviews.nodes.find((r) => r.grant.id === grantId);
  expect(review).toMatchObject({ status: 'CERTIFIED', grant: { id: grantId, status: 'ACTIVE' } });

  // The review.due mail links to /reviews/{id}: the same review, decided.
  await page.goto(`/reviews/${review?.id ?? ''}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Review of Reviewed Results');
  await expect(page.getByRole('status').filter({ hasText: 'Certified' }).first()).toBeVisible();
  await check(page, 'review');
});
