// A vendor registers an app, sees its client secret once, and requests access with the scope
// analysis shown as they type; the data holder then sees the request in its inbox.
import { test, expect, api, signUp, logIn, check } from './fixtures';

test('a vendor registers an app, sees its client secret once and requests access with the analysis as they type', async ({ page }) => {
  const vendor = await signUp('DEVELOPER', 'Cardio Apps');
  const holder = await signUp('PROVIDER', 'Heart Hospital');
  await logIn(page, vendor, /\/apps$/);

  await page.getByLabel('Name', { exact: true }).fill('Cardio Monitor');
  await page.getByLabel('Kind').selectOption('PROVIDER_FACING');
  await page.getByLabel('Redirect URIs').fill('https://cardio.example/callback');
  await page.getByLabel('Purpose').fill('Clinicians see heart-rate trends beside the chart');
  await page.getByLabel('Business owner email').fill('owner@cardio.example');
  await page.getByLabel('Technical owner email').fill('ops@cardio.example');
  await page.getByRole('button', { name: 'Register app' }).click();

  // The secret once: in a status region, with a warning that it is not shown again.
  const notice = page.getByRole('status').filter({ hasText: 'will not be shown again' });
  await expect(notice).toBeVisible();
  const secret = (await notice.locator('code.secret').textContent()) ?? '';
  expect(secret.length).toBeGreaterThanOrEqual(32);
  await check(page, 'app-registered');
  await notice.getByRole('link', { name: 'Cardio Monitor' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cardio Monitor');
  // Never again: not on the app's page, not after a reload, not in the URL.
  await expect(page.getByText(secret)).toHaveCount(0);
  expect(page.url()).not.toContain(secret);
  await page.goto('/apps');
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.goBack();

  // Request access, with the engine's analysis as the scopes are typed.
  await page.getByLabel('Find a provider or payer by name').fill('Heart Hospital');
  await page.getByLabel('Data holder').selectOption({ label: holder.tenantName });
  await page.getByLabel('Scopes').fill('user/Observation.read launch');
  const analysis = page.getByRole('list', { name: 'Scope analysis' });
  await expect(analysis).toContainText('user/Observation.rs');
  await expect(analysis).toContainText(/risk/i);
  await page.getByLabel('Scopes').fill('user/Observation.read user/Observaton.read');
  await expect(analysis).toContainText(/Observaton/);
  await expect(analysis).toContainText(/Invalid|not valid|unknown/i);
  await page.getByLabel('Scopes').fill('user/Observation.read launch');
  await page.getByLabel('Purpose', { exact: true }).fill('Heart-rate trends for clinicians');
  await page.getByLabel('Duration (days)').fill('120');
  await check(page, 'app-request-access');
  await page.getByRole('button', { name: 'Request access' }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]+$/);
  await expect(page.getByRole('status').filter({ hasText: 'Pending' })).toBeVisible();

  const requestId = page.url().split('/').pop() ?? '';
  const seen = await api<{ accessRequest: { status: string; proposedScopes: string[]; durationDays: number; dataHolder: { id: string } } }>(
    holder.token,
    `query($id: ID!) { accessRequest(id: $id) { status proposedScopes durationDays dataHolder { id } } }`,
    { id: requestId },
  );
  expect(seen.accessRequest).toEqual({ status: 'PENDING', proposedScopes: ['launch', 'user/Observation.rs'], durationDays: 120, dataHolder: { id: holder.tenantId } });
  // The app's page lists its requests (accessRequests(appId:)).
  await page.goBack();
  await expect(page.getByRole('region', { name: 'Access requests' })).toContainText(holder.tenantName);
});
