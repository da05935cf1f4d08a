// Routes (SPEC §10 paths, plus the paths Accord's mails link to). Pages other than the
// landing ones load on demand, so /inbox ships only what it needs.
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { RequireSession, isHolder, useViewer } from './api/session';
import { Layout } from './components/Layout';
import { Loading } from './components/Status';
import { Page } from './components/Page';
import { LoginPage } from './pages/Login';
import { InboxPage } from './pages/Inbox';

const named = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const RequestsPage = named(() => import('./pages/Requests'), 'RequestsPage');
const RequestPage = named(() => import('./pages/Request'), 'RequestPage');
const GrantsPage = named(() => import('./pages/Grants'), 'GrantsPage');
const GrantPage = named(() => import('./pages/Grant'), 'GrantPage');
const ReviewsPage = named(() => import('./pages/Reviews'), 'ReviewsPage');
const ReviewPage = named(() => import('./pages/Reviews'), 'ReviewPage');
const AuditPage = named(() => import('./pages/Audit'), 'AuditPage');
const AppsPage = named(() => import('./pages/Apps'), 'AppsPage');
const AppPage = named(() => import('./pages/AppDetail'), 'AppPage');
const PartnersPage = named(() => import('./pages/Partners'), 'PartnersPage');
const PolicyPage = named(() => import('./pages/settings/Policy'), 'PolicyPage');
const MembersPage = named(() => import('./pages/settings/Members'), 'MembersPage');
const TokensPage = named(() => import('./pages/settings/Tokens'), 'TokensPage');
const WebhooksPage = named(() => import('./pages/settings/Webhooks'), 'WebhooksPage');
const WebhookPage = named(() => import('./pages/settings/Webhooks'), 'WebhookPage');

function Home() {
  const viewer = useViewer();
  return <Navigate to={isHolder(viewer) ? '/inbox' : '/apps'} replace />;
}

function NotFound() {
  return (
    <Page title="Page not found">
      <div className="alert" role="alert">
        There is no page at this address.
      </div>
    </Page>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireSession>
            <Suspense fallback={<Loading what="the page" />}>
              <Layout />
            </Suspense>
          </RequireSession>
        }
      >
        <Route index element={<Home />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="requests" element={<RequestsPage />} />
        <Route path="requests/:id" element={<RequestPage />} />
        <Route path="grants" element={<GrantsPage />} />
        <Route path="grants/:id" element={<GrantPage />} />
        <Route path="reviews" element={<ReviewsPage />} />
        <Route path="reviews/:id" element={<ReviewPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="apps" element={<AppsPage />} />
        <Route path="apps/:id" element={<AppPage />} />
        <Route path="partners" element={<PartnersPage />} />
        <Route path="settings" element={<Navigate to="/settings/policy" replace />} />
        <Route path="settings/policy" element={<PolicyPage />} />
        <Route path="settings/members" element={<MembersPage />} />
        <Route path="settings/tokens" element={<TokensPage />} />
        <Route path="settings/webhooks" element={<WebhooksPage />} />
        <Route path="settings/webhooks/:id" element={<WebhookPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
