// SPEC §3/§10 /settings/policy (data holder ADMIN): the rules every access request to your
// organization is held to. `Save policy` sends only the fields that changed.
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { graphql } from '../../gql';
import type { AppKind, ApprovalPolicyInput, MissedReviewAction, PolicySettingsQuery } from '../../gql/graphql';
import { gql } from '../../api/client';
import { hasRole, isHolder, useViewer } from '../../api/session';
import { Page } from '../../components/Page';
import { SettingsNav } from '../../components/Layout';
import { Failure, Loading, NotPermitted } from '../../components/Status';
import { ScopeList } from '../../components/Scopes';
import { fieldProps } from '../../components/fieldError';
import { Checkboxes } from '../../components/Checkboxes';
import { FormFooter } from '../../components/FormFooter';
import { useDebounced } from '../../components/useDebounced';
import { APP_KINDS, appKindLabel } from '../../components/labels';
import { lines } from '../../components/text';

const PolicySettings = graphql(`
  query PolicySettings {
    approvalPolicy {
      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes
      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview
    }
  }
`);

const SavePolicy = graphql(`
  mutation SavePolicy($input: ApprovalPolicyInput!) {
    updateApprovalPolicy(input: $input) {
      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes
      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview
    }
  }
`);

const AnalyzeForbidden = graphql(`
  query AnalyzeForbiddenScopes($scopes: [String!]!) {
    analyzeScopes(scopes: $scopes) { ...ScopeFields }
  }
`);

type Policy = PolicySettingsQuery['approvalPolicy'];

const MISSED: { value: MissedReviewAction; label: string }[] = [
  { value: 'REVOKE', label: 'Revoke the grant' },
  { value: 'ESCALATE', label: 'Escalate to admins and keep the review open' },
];

export function PolicyPage() {
  const viewer = useViewer();
  const holder = isHolder(viewer);
  const allowed = holder && hasRole(viewer, 'ADMIN');
  return (
    <Page title="Approval policy">
      <SettingsNav />
      {!holder ? (
        <div className="alert" role="alert">
          <strong>Not permitted.</strong> Approval policies are for providers and payers: they set how requests to reach their data are
          approved. Your organization is an app vendor, so it has none.
        </div>
      ) : !allowed ? (
        <NotPermitted need="admins of a provider or payer" />
      ) : (
        <PolicyLoader />
      )}
    </Page>
  );
}

function PolicyLoader() {
  const policy = useQuery({ queryKey: ['approvalPolicy'], queryFn: () => gql(PolicySettings).then((d) => d.approvalPolicy) });
  if (policy.isPending) return <Loading what="the approval policy" />;
  if (policy.error) return <Failure error={policy.error} />;
  return <PolicyForm policy={policy.data} />;
}

interface Draft {
  requiredApprovals: string;
  highRiskRequiredApprovals: string;
  maxGrantDays: string;
  highRiskMaxGrantDays: string;
  forbiddenScopes: string;
  allowedAppKinds: AppKind[];
  reviewIntervalDays: string;
  autoApproveLowRisk: boolean;
  onMissedReview: MissedReviewAction;
}

const draftOf = (p: Policy): Draft => ({
  requiredApprovals: String(p.requiredApprovals),
  highRiskRequiredApprovals: String(p.highRiskRequiredApprovals),
  maxGrantDays: String(p.maxGrantDays),
  highRiskMaxGrantDays: String(p.highRiskMaxGrantDays),
  forbiddenScopes: p.forbiddenScopes.join('\n'),
  allowedAppKinds: [...p.allowedAppKinds],
  reviewIntervalDays: String(p.reviewIntervalDays),
  autoApproveLowRisk: p.autoApproveLowRisk,
  onMissedReview: p.onMissedReview,
});

const NUMBERS = [
  ['requiredApprovals', 'Required approvals', 'Distinct approvals a low- or medium-risk request needs.'],
  ['highRiskRequiredApprovals', 'High-risk required approvals', 'Distinct approvals a request with any high-risk scope needs.'],
  ['maxGrantDays', 'Longest grant (days)', 'No grant runs longer than this.'],
  ['highRiskMaxGrantDays', 'Longest high-risk grant (days)', 'No grant with a high-risk scope runs longer than this.'],
  ['reviewIntervalDays', 'Review interval (days)', 'How often every grant must be re-certified by an approver.'],
] as const;


function PolicyForm({ policy }: { policy: Policy }) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState(policy);
  const [draft, setDraft] = useState(() => draftOf(policy));
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const id = useId();
  const errId = `${id}-error`;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(null);
    setDraft((d) => ({ ...d, [key]: value }));
  };

  const save = useMutation({
    mutationFn: (input: ApprovalPolicyInput) => gql(SavePolicy, { input }).then((d) => d.updateApprovalPolicy),
    onSuccess: async (next, input) => {
      setBase(next);
      setDraft(draftOf(next));
      setSaved(`Policy saved (${Object.keys(input).length} setting${Object.keys(input).length === 1 ? '' : 's'} changed). It applies to every decision from now on, including requests already waiting.`);
      queryClient.setQueryData(['approvalPolicy'], next);
    },
  });
  const err = save.error;

  const forbidden = lines(draft.forbiddenScopes);
  const debouncedForbidden = useDebounced(forbidden.join('\n'), 250);
  const analysis = useQuery({
    queryKey: ['analyzeScopes', 'forbidden', debouncedForbidden],
    queryFn: () => gql(AnalyzeForbidden, { scopes: lines(debouncedForbidden) }).then((d) => d.analyzeScopes),
    enabled: debouncedForbidden.length > 0,
    staleTime: Infinity,
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setSaved(null);
    const input: ApprovalPolicyInput = {};
    for (const [key, label] of NUMBERS) {
      const n = Number(draft[key]);
      if (draft[key].trim() === '' || !Number.isInteger(n) || n < 1) {
        setFormError(`${label}: a whole number, at least 1.`);
        return;
      }
      if (n !== base[key]) input[key] = n;
    }
    if (forbidden.join('\n') !== base.forbiddenScopes.join('\n')) input.forbiddenScopes = forbidden;
    const kinds = APP_KINDS.filter((k) => draft.allowedAppKinds.includes(k));
    if (kinds.length === 0) {
      setFormError('Allowed app kinds: allow at least one kind, or no app can ask for access.');
      return;
    }
    if (kinds.join() !== APP_KINDS.filter((k) => base.allowedAppKinds.includes(k)).join()) input.allowedAppKinds = kinds;
    if (draft.autoApproveLowRisk !== base.autoApproveLowRisk) input.autoApproveLowRisk = draft.autoApproveLowRisk;
    if (draft.onMissedReview !== base.onMissedReview) input.onMissedReview = draft.onMissedReview;
    if (Object.keys(input).length === 0) {
      setSaved('Nothing changed: the policy is as shown.');
      return;
    }
    save.mutate(input);
  };

  return (
    <form onSubmit={submit} noValidate className="card">
      <p className="hint">Every request to your organization is checked against these rules when it is made and again at every approval.</p>
      <div className="grid-fields">
        {NUMBERS.map(([key, label, hint]) => (
          <div className="field" key={key}>
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <input
              id={`${id}-${key}`}
              type="number"
              inputMode="numeric"
              min={1}
              required
              value={draft[key]}
              onChange={(e) => set(key, e.target.value)}
              {...fieldProps(err, key, errId, `${id}-${key}-hint`)}
            />
            <span id={`${id}-${key}-hint`} className="hint">
              {hint}
            </span>
          </div>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${id}-forbidden`}>Forbidden scopes</label>
        <textarea
          id={`${id}-forbidden`}
          rows={4}
          spellCheck={false}
          className="mono"
          value={draft.forbiddenScopes}
          onChange={(e) => set('forbiddenScopes', e.target.value)}
          placeholder="system/*.d"
          {...fieldProps(err, 'forbiddenScopes', errId, `${id}-forbidden-hint`)}
        />
        <span id={`${id}-forbidden-hint`} className="hint">
          One scope pattern per line. A request that overlaps any of them is refused, e.g. <code>system/*.d</code> refuses every delete by a
          backend service.
        </span>
      </div>
      {forbidden.length > 0 && analysis.data && debouncedForbidden === forbidden.join('\n') ? (
        <ScopeList analyses={analysis.data} label="What each forbidden pattern covers" />
      ) : null}
      <fieldset {...fieldProps(err, 'allowedAppKinds', errId)}>
        <legend>Allowed app kinds</legend>
        <Checkboxes idPrefix={`${id}-kind`} options={APP_KINDS} value={draft.allowedAppKinds} onChange={(kinds) => set('allowedAppKinds', kinds)} label={(k) => appKindLabel[k]} />
      </fieldset>
      <div className="field field-check">
        <input
          id={`${id}-auto`}
          type="checkbox"
          checked={draft.autoApproveLowRisk}
          onChange={(e) => set('autoApproveLowRisk', e.target.checked)}
          aria-describedby={`${id}-auto-hint`}
        />
        <label htmlFor={`${id}-auto`}>Auto-approve low risk</label>
        <span id={`${id}-auto-hint`} className="hint">
          Grant low-risk requests without an approver. Renewals of revoked or suspended access, and ended partnerships, still wait for a person.
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-missed`}>On missed review</label>
        <select
          id={`${id}-missed`}
          value={draft.onMissedReview}
          onChange={(e) => set('onMissedReview', MISSED.find((m) => m.value === e.target.value)?.value ?? 'REVOKE')}
          {...fieldProps(err, 'onMissedReview', errId, `${id}-missed-hint`)}
        >
          {MISSED.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <span id={`${id}-missed-hint`} className="hint">
          What happens to a grant whose review is still open on its due date.
        </span>
      </div>
      <div role="status">{saved ? <p className="notice">{saved}</p> : null}</div>
      <FormFooter errorId={errId} message={formError} error={err} submit="Save policy" busy={save.isPending}>
        <button
          type="button"
          onClick={() => {
            setDraft(draftOf(base));
            setFormError(null);
            setSaved(null);
            save.reset();
          }}
        >
          Undo changes
        </button>
      </FormFooter>
    </form>
  );
}
