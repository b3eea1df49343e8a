import { useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { Role } from './api/types';
import { Link, match, navigate, useLocation } from './router';
import { clearSession, getSession, homeFor, subscribeSession, type Session } from './session';
import { SignInPage } from './pages/SignIn';
import { IntakeQueuePage } from './pages/IntakeQueue';
import { NewCallPage } from './pages/NewCall';
import { IntakeDetailPage } from './pages/IntakeDetail';
import { MyWeekPage } from './pages/MyWeek';
import { AvailabilityPage } from './pages/Availability';
import { TimeOffPage } from './pages/TimeOff';
import { ProfilePage } from './pages/Profile';
import { SupportersPage } from './pages/admin/Supporters';
import { SupporterFormPage } from './pages/admin/SupporterForm';
import { UsersPage } from './pages/admin/Users';
import { PoliciesPage } from './pages/admin/Policies';
import { ManagePage } from './pages/Manage';
import { AskForSupportPage } from './pages/AskForSupport';
import { SearchPage } from './pages/Search';
import { CallerRecordPage } from './pages/CallerRecord';
import { PageHeading } from './components/page';
import { SessionWarning } from './components/SessionWarning';
import { clearAllDrafts } from './drafts';

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession);
}

interface Route {
  pattern: string;
  roles: Role[] | 'public';
  render: (p: Record<string, string>, s: Session | null) => ReactNode;
}

const ROUTES: Route[] = [
  { pattern: '/signin', roles: 'public', render: () => <SignInPage /> },
  { pattern: '/ask-for-support', roles: 'public', render: () => <AskForSupportPage /> },
  { pattern: '/manage/:token', roles: 'public', render: (p) => <ManagePage token={p.token} /> },
  { pattern: '/intakes', roles: ['intake', 'admin'], render: () => <IntakeQueuePage /> },
  { pattern: '/intakes/new', roles: ['intake', 'admin'], render: () => <NewCallPage /> },
  { pattern: '/intakes/:id', roles: ['intake', 'admin'], render: (p) => <IntakeDetailPage id={p.id} /> },
  { pattern: '/search', roles: ['intake', 'admin'], render: () => <SearchPage /> },
  { pattern: '/callers/:id', roles: ['intake', 'admin'], render: (p) => <CallerRecordPage id={p.id} /> },
  {
    pattern: '/my-week',
    roles: ['supporter'],
    render: (_, s) => <MyWeekPage supporterId={s!.user.supporterId ?? ''} />,
  },
  {
    pattern: '/availability',
    roles: ['supporter'],
    render: (_, s) => <AvailabilityPage supporterId={s!.user.supporterId ?? ''} />,
  },
  {
    pattern: '/time-off',
    roles: ['supporter'],
    render: (_, s) => <TimeOffPage supporterId={s!.user.supporterId ?? ''} />,
  },
  {
    pattern: '/profile',
    roles: ['supporter'],
    render: (_, s) => <ProfilePage supporterId={s!.user.supporterId ?? ''} />,
  },
  { pattern: '/admin/supporters', roles: ['admin'], render: () => <SupportersPage /> },
  { pattern: '/admin/supporters/new', roles: ['admin'], render: () => <SupporterFormPage /> },
  { pattern: '/admin/supporters/:id', roles: ['admin'], render: (p) => <SupporterFormPage id={p.id} /> },
  {
    pattern: '/admin/supporters/:id/availability',
    roles: ['admin'],
    render: (p) => <AvailabilityPage supporterId={p.id} asAdmin />,
  },
  {
    pattern: '/admin/supporters/:id/time-off',
    roles: ['admin'],
    render: (p) => <TimeOffPage supporterId={p.id} asAdmin />,
  },
  {
    pattern: '/admin/supporters/:id/profile',
    roles: ['admin'],
    render: (p) => <ProfilePage supporterId={p.id} asAdmin />,
  },
  { pattern: '/admin/supporters/:id/week', roles: ['admin'], render: (p) => <MyWeekPage supporterId={p.id} asAdmin /> },
  { pattern: '/admin/users', roles: ['admin'], render: () => <UsersPage /> },
  { pattern: '/admin/policies', roles: ['admin'], render: () => <PoliciesPage /> },
];

const NAV: Record<Role, { href: string; text: string }[]> = {
  intake: [
    { href: '/intakes', text: 'Intakes' },
    { href: '/intakes/new', text: 'New call' },
    { href: '/search', text: 'Search' },
  ],
  supporter: [
    { href: '/my-week', text: 'My week' },
    { href: '/availability', text: 'Availability' },
    { href: '/time-off', text: 'Time off' },
    { href: '/profile', text: 'Profile' },
  ],
  admin: [
    { href: '/intakes', text: 'Intakes' },
    { href: '/intakes/new', text: 'New call' },
    { href: '/search', text: 'Search' },
    { href: '/admin/supporters', text: 'Supporters' },
    { href: '/admin/users', text: 'Users' },
    { href: '/admin/policies', text: 'Policies' },
  ],
};

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { path } = useLocation();
  const session = useSession();

  let content: ReactNode = null;
  let isPublic = false;
  if (path === '/') {
    content = <Redirect to={session ? homeFor(session.user.role) : '/signin'} />;
  } else {
    let found = false;
    for (const r of ROUTES) {
      const params = match(r.pattern, path);
      if (!params) continue;
      found = true;
      if (r.roles === 'public') {
        isPublic = true;
        content = r.render(params, session);
      } else if (!session) {
        content = <Redirect to={`/signin?next=${encodeURIComponent(path)}`} />;
      } else if (!r.roles.includes(session.user.role)) {
        content = (
          <>
            <PageHeading>You cannot open this page</PageHeading>
            <p className="body">Your role ({session.user.role}) does not give access to it.</p>
            <p className="body">
              <Link href={homeFor(session.user.role)}>Go to your start page</Link>
            </p>
          </>
        );
      } else {
        content = r.render(params, session);
      }
      break;
    }
    if (!found) {
      content = (
        <>
          <PageHeading>Page not found</PageHeading>
          <p className="body">If you typed the web address, check it is correct.</p>
          <p className="body">
            <Link href="/">Go to the start page</Link>
          </p>
        </>
      );
    }
  }

  const showNav = session && !isPublic;
  return (
    <>
      <a href="#main-content" className="skip-link">
        Skip to main content
      </a>
      <header className="header">
        <div className="width-container header__inner">
          <Link href="/" className="header__service">
            Doctors' support line
          </Link>
          {showNav && (
            <nav aria-label="Main" className="header__nav">
              <ul className="nav">
                {NAV[session.user.role].map((n) => (
                  <li key={n.href}>
                    <Link href={n.href} className="nav__link" aria-current={path === n.href ? 'page' : undefined}>
                      {n.text}
                    </Link>
                  </li>
                ))}
              </ul>
              <div className="header__account">
                <span className="header__who">
                  {session.user.email} <span className="visually-hidden">signed in as</span>
                  <span className="header__role">({session.user.role})</span>
                </span>
                <button
                  type="button"
                  className="link-button header__signout"
                  onClick={() => {
                    clearAllDrafts();
                    clearSession();
                    navigate('/signin');
                  }}
                >
                  Sign out
                </button>
              </div>
            </nav>
          )}
        </div>
      </header>
      <div className="width-container">
        {showNav && <SessionWarning token={session.token} />}
        <main id="main-content" className="main" tabIndex={-1}>
          {content}
        </main>
      </div>
      <footer className="footer">
        <div className="width-container">
          <p>
            This is not an emergency service. In an emergency call 999 or go to A&amp;E. For urgent medical help call
            NHS 111.
          </p>
        </div>
      </footer>
    </>
  );
}
