// SPEC §7/§10 /reviews: periodic re-certification of grants. A data holder's approvers certify
// (the grant continues) or revoke; vendor users watch theirs read-only. The default view is
// the open reviews (PENDING and ESCALATED), most urgent first; a status filter lives in the URL.
// /reviews/{id} (what review.due mails link to) shows one review with the same actions.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { graphql } from '../gql';
import type { ReviewFieldsFragment, ReviewStatus } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, isHolder, useViewer, type Viewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading } from '../components/Status';
import { Pager, useFilter, usePageCursor } from '../components/Pager';
import { StatusFilter } from '../components/StatusFilter';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ScopeList } from '../components/Scopes';
import { collectPages } from '../components/collect';
import { formatDate, formatDateTime, titleCase } from '../components/format';
import { plural } from '../components/labels';

export const ReviewFields = graphql(`
  fragment ReviewFields on Review {
    id dueAt status decidedAt comment escalatedAt
    decidedBy { id name email }
    grant {
      id status expiresAt nextReviewDue lastReviewedAt scopes
      app { id name }
      vendor { id name }
      dataHolder { id name }
    }
  }
`);

const ReviewsQuery = graphql(`
  query ReviewsPage($after: String, $status: ReviewStatus, $first: Int) {
    reviews(first: $first, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...ReviewFields }
    }
  }
`);

const ReviewGrantScopes = graphql(`
  query ReviewGrantScopes($id: ID!) {
    grant(id: $id) { id scopeAnalysis { ...ScopeFields } }
  }
`);

const Certify = graphql(`
  mutation CertifyReview($reviewId: ID!, $comment: String) {
    certifyGrant(reviewId: $reviewId, comment: $comment) { ...ReviewFields }
  }
`);

const RevokeFromReview = graphql(`
  mutation RevokeFromReview($reviewId: ID!, $reason: String!) {
    revokeFromReview(reviewId: $reviewId, reason: $reason) { ...ReviewFields }
  }
`);

type Review = ReviewFieldsFragment;

const OPEN: ReviewStatus[] = ['PENDING', 'ESCALATED'];
const STATUSES: ReviewStatus[] = ['PENDING', 'ESCALATED', 'CERTIFIED', 'REVOKED'];
const isOpen = (r: Review) => OPEN.includes(r.status);

/** Every open review (both open statuses, bounded), the most urgent first. */
async function openReviews(): Promise<{ items: Review[]; truncated: boolean }> {
  const parts = await Promise.all(
    OPEN.map((status) => collectPages((after) => gql(ReviewsQuery, { after, status, first: 100 }).then((d) => d.reviews), 20)),
  );
  const items = parts.flatMap((p) => p.items).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return { items, truncated: parts.some((p) => p.truncated) };
}

const canDecide = (viewer: Viewer, r: Review) =>
  isHolder(viewer) && hasRole(viewer, 'APPROVER', 'ADMIN') && r.grant.dataHolder.id === viewer.tenant.id;

/** What happened, in one sentence, for the notice after a decision. */
function outcome(r: Review): string {
  const where = `${r.grant.app.name} at ${r.grant.dataHolder.name}`;
  if (r.status === 'CERTIFIED')
    return `Certified: ${where} keeps its access${r.grant.nextReviewDue ? `; the next review is due ${formatDate(r.grant.nextReviewDue)}` : ''}.`;
  if (r.status === 'REVOKED') return `Revoked: ${where} no longer has this access.`;
  return `${titleCase(r.status)}: ${where}.`;
}

export function ReviewsPage() {
  const viewer = useViewer();
  const holder = isHolder(viewer);
  const [status, setStatus] = useFilter('status');
  const [after] = usePageCursor();
  const chosen = STATUSES.find((s) => s === status);
  const any = status === 'ANY';
  const showOpen = !chosen && !any;
  // Decisions made here stay in view (with their new status) even when the filter no longer
  // matches them, so the outcome shows at once.
  const [decided, setDecided] = useState<Map<string, Review>>(() => new Map());
  const [notice, setNotice] = useState<string | null>(null);

  const open = useQuery({ queryKey: ['reviews', 'open'], queryFn: openReviews, enabled: showOpen });
  const paged = useQuery({
    queryKey: ['reviews', chosen ?? 'ANY', after],
    queryFn: () => gql(ReviewsQuery, { after, status: chosen, first: 50 }).then((d) => d.reviews),
    enabled: !showOpen,
  });
  const query = showOpen ? open : paged;

  const onDecided = (r: Review) => {
    setDecided((prev) => new Map(prev).set(r.id, r));
    setNotice(outcome(r));
  };

  let rows: Review[] = [];
  if (showOpen && open.data) {
    const fetched = open.data.items.map((r) => decided.get(r.id) ?? r);
    const seen = new Set(fetched.map((r) => r.id));
    rows = [...fetched, ...[...decided.values()].filter((r) => !seen.has(r.id))].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  } else if (!showOpen && paged.data) {
    rows = paged.data.nodes.map((r) => decided.get(r.id) ?? r);
  }

  return (
    <Page title="Reviews">
      <p className="lead">
        {holder
          ? 'Every grant to your data is re-certified on the cadence your approval policy sets. Certify a grant that is still needed; revoke one that is not.'
          : 'Data holders re-certify the access they gave your apps on their own cadence. You can follow the reviews here; only the data holder decides them.'}
      </p>
      <StatusFilter
        id="review-status"
        label="Status"
        options={STATUSES}
        unfiltered="Open (pending or escalated)"
        anyLast
        value={chosen ?? (any ? 'ANY' : '')}
        onChange={(value) => {
          setNotice(null);
          setStatus(value);
        }}
      />
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      {query.isPending ? (
        <Loading what="reviews" />
      ) : query.error ? (
        <Failure error={query.error} />
      ) : rows.length === 0 ? (
        <Empty>{showOpen ? 'No reviews are open.' : `No reviews${chosen ? ` with status ${titleCase(chosen)}` : ''}.`}</Empty>
      ) : (
        <>
          <ReviewTable
            rows={rows}
            caption={showOpen ? `${plural(rows.filter(isOpen).length, 'open review')}, the earliest due first` : 'Reviews, newest first'}
            onDecided={onDecided}
          />
          {showOpen && open.data?.truncated ? (
            <p className="hint">Only the first 2,000 open reviews of each status are shown.</p>
          ) : null}
          {!showOpen && paged.data ? <Pager total={paged.data.totalCount} shown={paged.data.nodes.length} pageInfo={paged.data.pageInfo} /> : null}
        </>
      )}
    </Page>
  );
}

const DAY = 86_400_000;

/** Whole days past due (rounded down), or until due (rounded up), as of now. */
function dueIn(iso: string): { overdue: boolean; days: number } {
  const ms = new Date(iso).getTime() - Date.now();
  return ms < 0 ? { overdue: true, days: Math.floor(-ms / DAY) } : { overdue: false, days: Math.ceil(ms / DAY) };
}

const isOverdue = (r: Review) => isOpen(r) && dueIn(r.dueAt).overdue;

function DueCell({ review: r }: { review: Review }) {
  if (!isOpen(r)) return <>{formatDate(r.dueAt)}</>;
  const { overdue, days } = dueIn(r.dueAt);
  if (overdue)
    return (
      <span className="overdue">
        {formatDate(r.dueAt)} <strong>({days === 0 ? 'overdue: due earlier today' : `overdue by ${plural(days, 'day')}`})</strong>
      </span>
    );
  return (
    <>
      {formatDate(r.dueAt)} <span className="hint">({days <= 1 ? 'due within a day' : `due in ${plural(days, 'day')}`})</span>
    </>
  );
}

function ReviewTable({ rows, caption, onDecided }: { rows: Review[]; caption: string; onDecided: (r: Review) => void }) {
  const viewer = useViewer();
  const holder = isHolder(viewer);
  const anyActions = rows.some((r) => isOpen(r) && canDecide(viewer, r));
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">App</th>
          <th scope="col">{holder ? 'Vendor' : 'Data holder'}</th>
          <th scope="col">Due</th>
          <th scope="col">Status</th>
          {anyActions ? <th scope="col">Decision</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} className={isOverdue(r) ? 'row-overdue' : undefined}>
            <td>
              <Link to={`/grants/${r.grant.id}`}>{r.grant.app.name}</Link>
              <div className="hint">
                <Link to={`/reviews/${r.id}`}>Review details</Link>
              </div>
            </td>
            <td>{holder ? r.grant.vendor.name : r.grant.dataHolder.name}</td>
            <td>
              <DueCell review={r} />
            </td>
            <td>
              <StatusText review={r} />
            </td>
            {anyActions ? <td>{isOpen(r) && canDecide(viewer, r) ? <ReviewActions review={r} onDecided={onDecided} /> : null}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatusText({ review: r }: { review: Review }) {
  return (
    <>
      <strong>{titleCase(r.status)}</strong>
      {r.status === 'ESCALATED' && r.escalatedAt ? <div className="hint">Missed; admins told {formatDate(r.escalatedAt)}</div> : null}
      {r.decidedAt ? (
        <div className="hint">
          {r.decidedBy ? `by ${r.decidedBy.name}` : 'by Accord (missed)'}, {formatDateTime(r.decidedAt)}
        </div>
      ) : null}
      {r.comment ? <div className="hint">“{r.comment}”</div> : null}
    </>
  );
}

function ReviewActions({ review: r, onDecided }: { review: Review; onDecided: (r: Review) => void }) {
  const queryClient = useQueryClient();
  const app = r.grant.app.name;
  const certify = async (comment: string) => {
    const { certifyGrant } = await gql(Certify, { reviewId: r.id, comment: comment || undefined });
    onDecided(certifyGrant);
    await queryClient.invalidateQueries();
  };
  const revoke = async (reason: string) => {
    const { revokeFromReview } = await gql(RevokeFromReview, { reviewId: r.id, reason });
    onDecided(revokeFromReview);
    await queryClient.invalidateQueries();
  };
  return (
    <div className="row-actions">
      <ConfirmDialog
        action="Certify"
        title={`Certify ${app}'s access?`}
        details={<p>The grant at {r.grant.dataHolder.name} continues unchanged; its next review is due one review interval after this one’s due date.</p>}
        field={{ label: 'Comment', required: false }}
        onConfirm={certify}
      />
      <ConfirmDialog
        action="Revoke"
        title={`Revoke ${app}'s access?`}
        details={<p>The grant ends now and cannot be restored: the app has to request access again. The vendor is told, with your reason.</p>}
        field={{ label: 'Reason', required: true }}
        danger
        onConfirm={revoke}
      />
    </div>
  );
}

const OneReview = graphql(`
  query Review($id: ID!) {
    review(id: $id) { ...ReviewFields }
  }
`);

export function ReviewPage() {
  const { id = '' } = useParams();
  const found = useQuery({ queryKey: ['reviews', 'one', id], queryFn: () => gql(OneReview, { id }).then((d) => d.review ?? null) });
  const [decided, setDecided] = useState<Review | null>(null);
  const review = decided?.id === id ? decided : (found.data ?? null);
  return (
    <Page title={review ? `Review of ${review.grant.app.name}` : 'Review'}>
      <p>
        <Link to="/reviews">All open reviews</Link>
      </p>
      {found.isPending ? (
        <Loading what="the review" />
      ) : found.error ? (
        <Failure error={found.error} />
      ) : !review ? (
        <div className="alert" role="alert">
          No such review, or it is not one of a grant your organization is party to.
        </div>
      ) : (
        <ReviewView review={review} onDecided={setDecided} />
      )}
    </Page>
  );
}

function ReviewView({ review: r, onDecided }: { review: Review; onDecided: (r: Review) => void }) {
  const viewer = useViewer();
  const scopes = useQuery({ queryKey: ['grant', r.grant.id, 'scopes'], queryFn: () => gql(ReviewGrantScopes, { id: r.grant.id }).then((d) => d.grant) });
  const [notice, setNotice] = useState<string | null>(null);
  const decide = (next: Review) => {
    onDecided(next);
    setNotice(outcome(next));
  };
  return (
    <>
      <p className={`outcome status-${r.status.toLowerCase()}`} role="status">
        {notice ?? (
          <>
            <strong>{titleCase(r.status)}</strong>
            {isOpen(r) ? (
              <>
                {' · '}
                <DueCell review={r} />
              </>
            ) : null}
          </>
        )}
      </p>
      <dl className="facts">
        <dt>App</dt>
        <dd>{r.grant.app.name}</dd>
        <dt>Vendor</dt>
        <dd>{r.grant.vendor.name}</dd>
        <dt>Data holder</dt>
        <dd>{r.grant.dataHolder.name}</dd>
        <dt>Grant</dt>
        <dd>
          <Link to={`/grants/${r.grant.id}`}>{titleCase(r.grant.status)} grant</Link>, until {formatDate(r.grant.expiresAt)}
        </dd>
        <dt>Due</dt>
        <dd>{formatDate(r.dueAt)}</dd>
        <dt>Last certified</dt>
        <dd>{formatDate(r.grant.lastReviewedAt)}</dd>
        <dt>Status</dt>
        <dd>
          <StatusText review={r} />
        </dd>
      </dl>
      <section aria-labelledby="review-scopes-h">
        <h2 id="review-scopes-h">Scopes under review</h2>
        {scopes.isPending ? (
          <Loading what="the scopes" />
        ) : scopes.error ? (
          <Failure error={scopes.error} />
        ) : scopes.data ? (
          <ScopeList analyses={scopes.data.scopeAnalysis} label="Scopes under review" />
        ) : (
          <Empty>The grant is no longer visible.</Empty>
        )}
      </section>
      {isOpen(r) && canDecide(viewer, r) ? (
        <section aria-labelledby="review-decide-h" className="card">
          <h2 id="review-decide-h">Your decision</h2>
          <ReviewActions review={r} onDecided={decide} />
        </section>
      ) : null}
    </>
  );
}
