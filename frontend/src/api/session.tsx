// Who is signed in: `me`, read once and shared. Pages ask `useViewer()`; RequireSession sends
// a signed-out visitor to /login and back to where they were going after sign-in.
import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router-dom';
import { graphql } from '../gql';
import type { MeQuery, Role } from '../gql/graphql';
import { ApiError, gql } from './client';
import { Failure, Loading } from '../components/Status';

const Me = graphql(`
  query Me {
    me {
      user { id name email roles }
      tenant { id name slug kind }
    }
  }
`);

export type Viewer = MeQuery['me'];

const ViewerContext = createContext<Viewer | null>(null);

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: () => gql(Me).then((d) => d.me), retry: false, staleTime: 60_000 });
}

export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading what="your account" />;
  if (me.error) {
    if (me.error instanceof ApiError && me.error.code === 'UNAUTHENTICATED') {
      const next = location.pathname + location.search;
      return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
    }
    return <Failure error={me.error} />;
  }
  return <ViewerContext.Provider value={me.data}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside RequireSession');
  return viewer;
}

export const isHolder = (v: Viewer) => v.tenant.kind === 'PROVIDER' || v.tenant.kind === 'PAYER';
export const hasRole = (v: Viewer, ...roles: Role[]) => v.user.roles.some((r) => roles.includes(r));
