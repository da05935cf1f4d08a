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
        <Links label="Main" links={links} />
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
  return <Links label="Settings" links={links} className="subnav" />;
}

/** A named navigation landmark: a list of links, the current page's marked by NavLink. */
function Links({ label, links, className }: { label: string; links: [string, string][]; className?: string }) {
  return (
    <nav aria-label={label} className={className}>
      <ul>
        {links.map(([to, text]) => (
          <li key={to}>
            <NavLink to={to}>{text}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
