// An approver narrows a request (unticks a scope, shortens the duration) and approves; the
// vendor's grant has exactly the narrowed scopes and duration. A HIGH-risk request needs a
// second approver, in a second browser context.
import { test, expect, api, signUp, addMember, registerApp, requestAccess, logIn, check, watchConsole } from './fixtures';

interface GrantView {
  accessRequest: { status: string; grant: { scopes: string[]; grantedAt: string; expiresAt: string } | null };
}
const grantOf = (token: string, id: string) =>
  api<GrantView>(token, `query($id: ID!) { accessRequest(id: $id) { status grant { scopes grantedAt expiresAt } } }`, { id });

test('an approver narrows a request from the inbox and the vendor gets exactly the narrowed grant', async ({ page }) => {
  const holder = await signUp('PROVIDER', 'General Hospital');
  const vendor = await signUp('DEVELOPER', 'Acme Apps');
  const app = await registerApp(vendor, 'Acme Results');
  const id = await requestAccess(vendor, app.id, holder.tenantId, ['patient/Observation.read', 'patient/Patient.rs', 'patient/Condition.rs'], 365);

  await logIn(page, holder, /\/inbox$/);
  await check(page, 'inbox');
  const row = page.getByRole('row').filter({ hasText: 'Acme Results' });
  await expect(row).toContainText(vendor.tenantName);
  await row.getByRole('link', { name: 'Acme Results' }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request from Acme Results');
  // Each scope shows the engine's plain description and its risk.
  await expect(page.getByRole('list', { name: 'Requested scopes' })).toContainText('patient/Observation.read');
  await expect(page.getByRole('list', { name: 'Requested scopes' })).toContainText(/Low risk/);
  await check(page, 'request');

  await page.getByLabel('patient/Condition.rs', { exact: true }).uncheck();
  await page.getByLabel('Duration (days)').fill('90');
  await page.getByLabel('Comment').fill('Conditions are not needed for results.');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Approved' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'the grant' })).toBeVisible();

  const seen = await grantOf(vendor.token, id);
  expect(seen.accessRequest.status).toBe('APPROVED');
  const grant = seen.accessRequest.grant;
  expect(grant?.scopes).toEqual(['patient/Observation.rs', 'patient/Patient.rs']);
  const days = (Date.parse(grant?.expiresAt ?? '') - Date.parse(grant?.grantedAt ?? '')) / 86_400_000;
  expect(days).toBe(90);

  await page.getByRole('link', { name: 'the grant' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Grant to Acme Results');
  await expect(page.getByRole('list', { name: 'Granted scopes' }).getByRole('listitem')).toHaveCount(2);
  await check(page, 'grant');
});

test('a HIGH-risk request needs a second approver, and the first cannot count twice', async ({ browser, consoleErrors }) => {
  const holder = await signUp('PAYER', 'Blue Payer');
  const second = await addMember(holder, 'Bea Approver', ['APPROVER']);
  const vendor = await signUp('DEVELOPER', 'Writers Inc');
  const app = await registerApp(vendor, 'Chart Writer');
  const id = await requestAccess(vendor, app.id, holder.tenantId, ['patient/Observation.rs', 'patient/Observation.cu'], 60);

  const first = await browser.newContext();
  watchConsole(first, consoleErrors);
  const a = await first.newPage();
  await logIn(a, holder, /\/inbox$/);
  await a.goto(`/requests/${id}`);
  await expect(a.getByRole('status').filter({ hasText: '0 of 2 approvals' })).toBeVisible();
  // HIGH risk stands out, in words as well as colour.
  await expect(a.getByText('High risk').first()).toBeVisible();
  await a.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(a.getByRole('status').filter({ hasText: '1 of 2 approvals' })).toBeVisible();
  expect((await grantOf(vendor.token, id)).accessRequest.status).toBe('PENDING');
  // Approving again as the same person does not count twice.
  await a.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(a.getByRole('alert')).toBeVisible();
  expect((await grantOf(vendor.token, id)).accessRequest.status).toBe('PENDING');

  const other = await browser.newContext();
  watchConsole(other, consoleErrors);
  const b = await other.newPage();
  await logIn(b, second, /\/inbox$/);
  await b.getByRole('link', { name: 'Chart Writer' }).click();
  await b.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(b.getByRole('status').filter({ hasText: 'Approved' })).toBeVisible();

  const done = await grantOf(vendor.token, id);
  expect(done.accessRequest.status).toBe('APPROVED');
  // Normalized: the read and the write on one resource type are one v2 scope.
  expect(done.accessRequest.grant?.scopes).toEqual(['patient/Observation.crus']);
  await first.close();
  await other.close();
});
