// SPEC §10 /settings/members (ADMIN): who is in your organization, with which roles; invite
// someone (the invitation token is shown once); revoke an open invitation; deactivate a member.
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { graphql } from '../../gql';
import type { InviteMemberMutation, MemberListQuery, Role } from '../../gql/graphql';
import { gql } from '../../api/client';
import { hasRole, useViewer } from '../../api/session';
import { Page } from '../../components/Page';
import { SettingsNav } from '../../components/Layout';
import { Empty, Failure, Loading, NotPermitted } from '../../components/Status';
import { Pager, usePageCursor } from '../../components/Pager';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { fieldProps } from '../../components/fieldError';
import { RoleCheckboxes } from '../../components/RoleCheckboxes';
import { FormFooter } from '../../components/FormFooter';
import { rolesFor, rolesText } from '../../components/labels';
import { formatDate, formatDateTime } from '../../components/format';

const MemberList = graphql(`
  query MemberList($after: String) {
    users(first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name email roles active }
    }
  }
`);

const OpenInvitations = graphql(`
  query OpenInvitations {
    invitations(first: 100) {
      totalCount
      nodes { id email roles expiresAt createdAt }
    }
  }
`);

const InviteMember = graphql(`
  mutation InviteMember($email: String!, $roles: [Role!]!) {
    inviteUser(email: $email, roles: $roles) { id token email roles expiresAt }
  }
`);

const RevokeInvitation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) { id revokedAt }
  }
`);

const DeactivateMember = graphql(`
  mutation DeactivateMember($userId: ID!) {
    deactivateUser(userId: $userId) { id active }
  }
`);

type Member = MemberListQuery['users']['nodes'][number];
type Invited = InviteMemberMutation['inviteUser'];

export function MembersPage() {
  const viewer = useViewer();
  const allowed = hasRole(viewer, 'ADMIN');
  return (
    <Page title="Members">
      <SettingsNav />
      {allowed ? (
        <>
          <MemberTable />
          <Invite />
          <Invitations />
        </>
      ) : (
        <NotPermitted need="admins" />
      )}
    </Page>
  );
}

function MemberTable() {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const [after] = usePageCursor();
  const users = useQuery({ queryKey: ['users', after], queryFn: () => gql(MemberList, { after }).then((d) => d.users) });
  const [notice, setNotice] = useState<string | null>(null);
  const deactivate = async (m: Member) => {
    await gql(DeactivateMember, { userId: m.id });
    setNotice(`${m.name} is deactivated: their sessions and API tokens stopped working.`);
    await queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  return (
    <section aria-labelledby="members-h">
      <h2 id="members-h">People in {viewer.tenant.name}</h2>
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      {users.isPending ? (
        <Loading what="members" />
      ) : users.error ? (
        <Failure error={users.error} />
      ) : users.data.nodes.length === 0 ? (
        <Empty>No members.</Empty>
      ) : (
        <>
          <table>
            <caption>Members and their roles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Active</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.nodes.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    {m.name}
                    {m.id === viewer.user.id ? <span className="hint"> (you)</span> : null}
                  </th>
                  <td>{m.email}</td>
                  <td>{rolesText(m.roles)}</td>
                  <td>{m.active ? 'Yes' : 'No (deactivated)'}</td>
                  <td>
                    {m.active && m.id !== viewer.user.id ? (
                      <ConfirmDialog
                        action="Deactivate"
                        title={`Deactivate ${m.name}?`}
                        details={<p>They can no longer sign in; their sessions and API tokens stop working at once. Invitations they sent become void.</p>}
                        danger
                        onConfirm={() => deactivate(m)}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={users.data.totalCount} shown={users.data.nodes.length} pageInfo={users.data.pageInfo} />
        </>
      )}
    </section>
  );
}

function Invite() {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const id = useId();
  const errId = `${id}-error`;
  const choices = rolesFor(viewer.tenant.kind);
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [invited, setInvited] = useState<Invited | null>(null);
  const invite = useMutation({
    mutationFn: (v: { email: string; roles: Role[] }) => gql(InviteMember, v).then((d) => d.inviteUser),
    onSuccess: async (inv) => {
      setInvited(inv);
      setEmail('');
      setRoles([]);
      await queryClient.invalidateQueries({ queryKey: ['invitations'] });
    },
  });
  const err = invite.error;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setInvited(null);
    if (!email.trim()) return setFormError('Email: give the address of the person to invite.');
    if (roles.length === 0) return setFormError('Roles: choose at least one role.');
    invite.mutate({ email: email.trim(), roles: choices.filter((r) => roles.includes(r)) });
  };
  return (
    <section aria-labelledby={`${id}-h`} className="card">
      <h2 id={`${id}-h`}>Invite someone</h2>
      {invited?.token ? (
        <OneTimeSecret what="Invitation token" secret={invited.token} onDismiss={() => setInvited(null)}>
          <p>
            Send it to {invited.email} by a channel you trust. They use it to join {viewer.tenant.name} as {rolesText(invited.roles)} and choose
            their password. It stops working on {formatDate(invited.expiresAt)}, or earlier if you revoke it.
          </p>
        </OneTimeSecret>
      ) : invited ? (
        <p className="notice" role="status">
          Invitation sent to {invited.email}.
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} {...fieldProps(err, 'email', errId)} />
        </div>
        <RoleCheckboxes id={id} choices={choices} value={roles} onChange={setRoles} {...fieldProps(err, 'roles', errId)} />
        <FormFooter errorId={errId} message={formError} error={err} submit="Invite" busy={invite.isPending} />
      </form>
    </section>
  );
}

function Invitations() {
  const queryClient = useQueryClient();
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: () => gql(OpenInvitations).then((d) => d.invitations) });
  const revoke = async (invitationId: string) => {
    await gql(RevokeInvitation, { id: invitationId });
    await queryClient.invalidateQueries({ queryKey: ['invitations'] });
  };
  return (
    <section aria-labelledby="invitations-h">
      <h2 id="invitations-h">Open invitations</h2>
      {invitations.isPending ? (
        <Loading what="invitations" />
      ) : invitations.error ? (
        <Failure error={invitations.error} />
      ) : invitations.data.nodes.length === 0 ? (
        <Empty>No open invitations.</Empty>
      ) : (
        <>
          <table>
            <caption>Invitations not yet accepted, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Sent</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.nodes.map((inv) => (
                <tr key={inv.id}>
                  <th scope="row">{inv.email}</th>
                  <td>{rolesText(inv.roles)}</td>
                  <td>{formatDateTime(inv.createdAt)}</td>
                  <td>{formatDateTime(inv.expiresAt)}</td>
                  <td>
                    <ConfirmDialog
                      action="Revoke"
                      title={`Revoke the invitation to ${inv.email}?`}
                      details={<p>The token stops working at once. You can invite them again later.</p>}
                      danger
                      onConfirm={() => revoke(inv.id)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {invitations.data.totalCount > invitations.data.nodes.length ? (
            <p className="hint">
              Showing the {invitations.data.nodes.length} newest of {invitations.data.totalCount} open invitations.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
