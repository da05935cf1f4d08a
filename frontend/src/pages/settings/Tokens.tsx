// /settings/tokens: API tokens for integrations and scripts. Everyone sees and makes their own;
// an ADMIN sees the organization's. A new token is shown once; revoking one also revokes
// every token minted with it.
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { graphql } from '../../gql';
import type { CreateTokenMutation, Role } from '../../gql/graphql';
import { gql } from '../../api/client';
import { hasRole, useViewer } from '../../api/session';
import { Page } from '../../components/Page';
import { SettingsNav } from '../../components/Layout';
import { Empty, Failure, Loading } from '../../components/Status';
import { Pager, usePageCursor } from '../../components/Pager';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { fieldOf, fieldProps } from '../../components/fieldError';
import { RoleCheckboxes } from '../../components/RoleCheckboxes';
import { FormFooter } from '../../components/FormFooter';
import { isPast } from '../../components/clock';
import { rolesFor, rolesText } from '../../components/labels';
import { daysUntil, formatDate, formatDateTime } from '../../components/format';

const TokenList = graphql(`
  query TokenList($after: String) {
    apiTokens(first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name roles createdAt expiresAt lastUsedAt revokedAt }
    }
  }
`);

const CreateToken = graphql(`
  mutation CreateToken($name: String!, $expiresInDays: Int!, $roles: [Role!]) {
    createApiToken(name: $name, expiresInDays: $expiresInDays, roles: $roles) {
      token
      apiToken { id name roles expiresAt }
    }
  }
`);

const RevokeToken = graphql(`
  mutation RevokeToken($id: ID!) {
    revokeApiToken(id: $id) { id revokedAt }
  }
`);

type Created = CreateTokenMutation['createApiToken'];

export function TokensPage() {
  const viewer = useViewer();
  const admin = hasRole(viewer, 'ADMIN');
  return (
    <Page title="API tokens">
      <SettingsNav />
      <p className="lead">
        {admin
          ? 'Tokens let integrations and scripts call Accord’s API as a member of your organization. As an admin you see everyone’s.'
          : 'Tokens let your scripts call Accord’s API as you, with your roles or fewer. You see your own tokens here.'}
      </p>
      <TokenTable />
      <CreateTokenForm />
    </Page>
  );
}

function tokenState(t: { expiresAt: string; revokedAt?: string | null }): string {
  if (t.revokedAt) return `Revoked ${formatDate(t.revokedAt)}`;
  const days = daysUntil(t.expiresAt);
  if (isPast(t.expiresAt)) return 'Expired';
  return days < 14 ? `Active, expires in ${days} day${days === 1 ? '' : 's'}` : 'Active';
}

function TokenTable() {
  const queryClient = useQueryClient();
  const [after] = usePageCursor();
  const tokens = useQuery({ queryKey: ['apiTokens', after], queryFn: () => gql(TokenList, { after }).then((d) => d.apiTokens) });
  const [notice, setNotice] = useState<string | null>(null);
  const revoke = async (id: string, name: string) => {
    await gql(RevokeToken, { id });
    setNotice(`Token “${name}” is revoked, with every token minted with it.`);
    await queryClient.invalidateQueries({ queryKey: ['apiTokens'] });
  };
  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">Tokens</h2>
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      {tokens.isPending ? (
        <Loading what="API tokens" />
      ) : tokens.error ? (
        <Failure error={tokens.error} />
      ) : tokens.data.nodes.length === 0 ? (
        <Empty>No API tokens yet.</Empty>
      ) : (
        <>
          <table>
            <caption>API tokens, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.nodes.map((t) => {
                const live = !t.revokedAt && !isPast(t.expiresAt);
                return (
                  <tr key={t.id}>
                    <th scope="row">{t.name}</th>
                    <td>{rolesText(t.roles)}</td>
                    <td>{formatDate(t.createdAt)}</td>
                    <td>{formatDateTime(t.expiresAt)}</td>
                    <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
                    <td>{tokenState(t)}</td>
                    <td>
                      {live ? (
                        <ConfirmDialog
                          action="Revoke"
                          title={`Revoke the token “${t.name}”?`}
                          details={<p>It stops working at once, and so does every token minted with it. Whatever uses it will get “unauthenticated”.</p>}
                          danger
                          onConfirm={() => revoke(t.id, t.name)}
                        />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager total={tokens.data.totalCount} shown={tokens.data.nodes.length} pageInfo={tokens.data.pageInfo} />
        </>
      )}
    </section>
  );
}

function CreateTokenForm() {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const id = useId();
  const errId = `${id}-error`;
  // An ADMIN may give any role of the organization's kind (ADMIN implies them); others their own.
  const choices = hasRole(viewer, 'ADMIN') ? rolesFor(viewer.tenant.kind) : rolesFor(viewer.tenant.kind).filter((r) => viewer.user.roles.includes(r));
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [roles, setRoles] = useState<Role[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation({
    mutationFn: (v: { name: string; expiresInDays: number; roles?: Role[] }) => gql(CreateToken, v).then((d) => d.createApiToken),
    onSuccess: async (payload) => {
      setCreated(payload);
      setName('');
      setRoles([]);
      await queryClient.invalidateQueries({ queryKey: ['apiTokens'] });
    },
  });
  const err = create.error;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setCreated(null);
    const n = Number(days);
    if (!name.trim()) return setFormError('Name: say what the token is for, e.g. “SIEM export”.');
    if (!Number.isInteger(n) || n < 1 || n > 365) return setFormError('Expires in (days): a whole number from 1 to 365.');
    create.mutate({ name: name.trim(), expiresInDays: n, roles: roles.length ? choices.filter((r) => roles.includes(r)) : undefined });
  };
  return (
    <section aria-labelledby={`${id}-h`} className="card">
      <h2 id={`${id}-h`}>Create a token</h2>
      {created ? (
        <OneTimeSecret what="API token" secret={created.token} onDismiss={() => setCreated(null)}>
          <p>
            “{created.apiToken.name}” carries {rolesText(created.apiToken.roles)} and works until {formatDateTime(created.apiToken.expiresAt)}. Send it
            as <code>Authorization: Bearer …</code>. Accord keeps only a hash of it.
          </p>
        </OneTimeSecret>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} {...fieldProps(err, 'name', errId)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-days`}>Expires in (days)</label>
          <input
            id={`${id}-days`}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            required
            value={days}
            onChange={(e) => setDays(e.target.value)}
            {...fieldProps(err, 'expiresInDays', errId, `${id}-days-hint`)}
          />
          <span id={`${id}-days-hint`} className="hint">
            1 to 365 days.
          </span>
        </div>
        <RoleCheckboxes id={id} choices={choices} value={roles} onChange={setRoles} aria-describedby={`${id}-roles-hint`} aria-invalid={fieldOf(err) === 'roles' || undefined}>
          <p id={`${id}-roles-hint`} className="hint">
            Give the token only what it needs. Leave all unticked for your own roles ({rolesText(viewer.user.roles)}).
          </p>
        </RoleCheckboxes>
        <FormFooter errorId={errId} message={formError} error={err} submit="Create token" busy={create.isPending} />
      </form>
    </section>
  );
}
