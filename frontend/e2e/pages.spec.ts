// Every page, for a data holder's admin and for a vendor: one h1, no axe violation that is
// serious or critical, no console error, a screenshot; and a role that may not see a page is
// told so instead of shown data.
import { test, expect, api, signUp, addMember, registerApp, requestAccess, logIn, check } from './fixtures';

test('every page a data holder admin can open passes axe and logs no error', async ({ page }) => {
  const holder = await signUp('PROVIDER', 'Tour Hospital');
  const vendor = await signUp('DEVELOPER', 'Tour Apps');
  const app = await registerApp(vendor, 'Tour App');
  const id = await requestAccess(vendor, app.id, holder.tenantId, ['patient/Observation.rs', 'user/Encounter.rs', 'system/Patient.cud'], 60);
  const endpoint = await api<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
    holder.token,
    `mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`,
    { i: { url: 'http://127.0.0.1:9/siem', eventTypes: ['grant.revoked', 'grant.expiring'], description: 'SIEM' } },
  );
  await logIn(page, holder, /\/inbox$/);
  const pages: [string, string][] = [
    ['/requests', 'requests'],
    [`/requests/${id}`, 'request-high-risk'],
    ['/grants', 'grants-empty'],
    ['/reviews', 'reviews-empty'],
    ['/audit', 'audit'],
    ['/apps', 'apps-holder'],
    [`/apps/${app.id}`, 'app-holder'],
    ['/partners', 'partners'],
    ['/settings/policy', 'settings-policy'],
    ['/settings/members', 'settings-members'],
    ['/settings/tokens', 'settings-tokens'],
    ['/settings/webhooks', 'settings-webhooks'],
    [`/settings/webhooks/${endpoint.createWebhookEndpoint.endpoint.id}`, 'settings-webhook'],
  ];
  for (const [path, name] of pages) {
    await page.goto(path);
    await check(page, name);
  }
  // The last one is the endpoint itself (found by id), not a not-found message.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Webhook endpoint http://127.0.0.1:9/siem');
  // A path the portal does not have is the server's plain 404 (tested in Rust); one under a
  // portal path that the client does not know shows the client's own not-found page.
  await page.goto('/settings/no-such-page');
  await expect(page.getByRole('alert')).toContainText('There is no page at this address.');
});

test('every page a vendor can open passes axe and logs no error', async ({ page }) => {
  const vendor = await signUp('DEVELOPER', 'Vendor Tour');
  const app = await registerApp(vendor, 'Vendor Tour App');
  await logIn(page, vendor, /\/apps$/);
  await check(page, 'apps');
  for (const [path, name] of [
    [`/apps/${app.id}`, 'app'],
    ['/requests', 'requests-vendor'],
    ['/grants', 'grants-vendor'],
    ['/reviews', 'reviews-vendor'],
    ['/settings/members', 'settings-members-vendor'],
  ] as const) {
    await page.goto(path);
    await check(page, name);
  }
});

test('a role that may not see a page is told so instead of shown data', async ({ page }) => {
  const holder = await signUp('PROVIDER', 'Roles Hospital');
  const auditor = await addMember(holder, 'Aud Itor', ['AUDITOR']);
  const approver = await addMember(holder, 'Abe Approver', ['APPROVER']);
  await logIn(page, auditor);
  await page.goto('/inbox');
  await expect(page.getByRole('alert')).toContainText('Not permitted');
  await page.goto('/settings/members');
  await expect(page.getByRole('alert')).toContainText('Not permitted');
  await page.goto('/audit');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await check(page, 'audit-auditor');

  await page.getByRole('button', { name: 'Log out' }).click();
  await logIn(page, approver);
  await page.goto('/audit');
  await expect(page.getByRole('alert')).toContainText('Not permitted');
});
