// The frame around every signed-in page: a skip link, the organization, navigation by what
// the viewer may do, and sign-out.
import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { logout } from '../api/client';
import { hasRole, isHolder, useViewer } from '../api/session';

export function Layout() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const holder = isHolder(viewer);
  const admin = hasRole(viewer, 'ADMIN');
  const links: [string, string][] = holder
    ? [
        ['/inbox', 'Inbox'],
        ['/grants', 'Grants'],
        ['/reviews', 'Reviews'],
        ['/apps', 'Apps'],
      ]
    : [
        ['/apps', 'Apps'],
        ['/requests', 'Requests'],
        ['/grants', 'Grants'],
        ['/reviews', 'Reviews'],
      ];
  if (hasRole(viewer, 'ADMIN', 'AUDITOR')) links.push(['/audit', 'Audit']);
  links.push(['/partners', 'Partners']);
  if (admin) links.push(['/settings/members', 'Settings']);

  const signOut = async () => {
    await logout();
    queryClient.clear();
    navigate('/login', { replace: true });
  };

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Accord</span>
        <nav aria-label="Main">
          <ul>
            {links.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to}>{label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {viewer.user.name} · {viewer.tenant.name}
          </span>
          <button type="button" onClick={signOut}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

export function SettingsNav() {
  const links: [string, string][] = [
    ['/settings/policy', 'Approval policy'],
    ['/settings/members', 'Members'],
    ['/settings/tokens', 'API tokens'],
    ['/settings/webhooks', 'Webhooks'],
  ];
  return (
    <nav aria-label="Settings" className="subnav">
      <ul>
        {links.map(([to, label]) => (
          <li key={to}>
            <NavLink to={to}>{label}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
