// The portal's only way to the server: the public GraphQL API (SPEC §5) with the session
// cookie, plus SPEC §10's /auth/login and /auth/logout. Every state-changing call carries
// the accord_csrf cookie's value in X-CSRF-Token; the server refuses a cookie without it.
import type { TypedDocumentString } from '../gql/graphql';

/** A failure the server explained: GraphQL's `extensions.code`, or the HTTP status's meaning. */
export class ApiError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'accord_csrf') return decodeURIComponent(rest.join('='));
  }
  return '';
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<R, V>(document: TypedDocumentString<R, V>, ...[variables]: V extends Record<string, never> ? [] | [V] : [V]): Promise<R> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('Accord cannot be reached. Check your connection and try again.', 'NETWORK');
  }
  let body: GraphQLResponse<R>;
  try {
    body = (await response.json()) as GraphQLResponse<R>;
  } catch {
    throw new ApiError(`Accord answered ${response.status} without a readable body.`, statusCode(response.status));
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? statusCode(response.status));
  if (!response.ok || body.data == null) throw new ApiError(`Accord answered ${response.status}.`, statusCode(response.status));
  return body.data;
}

function statusCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  return 'INTERNAL';
}

/** `POST /auth/login`: sets the session and CSRF cookies, or throws the server's message. */
export async function login(email: string, password: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/auth/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    throw new ApiError('Accord cannot be reached. Check your connection and try again.', 'NETWORK');
  }
  if (response.ok) return;
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  const retry = response.headers.get('Retry-After');
  let message = body.error ?? `Sign-in failed (${response.status}).`;
  if (response.status === 429 && retry && !message.includes(retry)) message += ` Try again in ${retry} s.`;
  throw new ApiError(message, statusCode(response.status));
}

/** `POST /auth/logout`: ends the session on the server and clears both cookies. */
export async function logout(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken() } });
}
