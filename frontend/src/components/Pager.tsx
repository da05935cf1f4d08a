// Relay pagination kept in the URL (`?after=`), so a reload or a shared link shows the same page.
import { useSearchParams } from 'react-router-dom';

export function usePageCursor(): [string | undefined, (next: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const after = params.get('after') ?? undefined;
  const go = (next: string | null) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (next) q.set('after', next);
      else q.delete('after');
      return q;
    });
  return [after, go];
}

export function Pager({ total, shown, pageInfo }: { total: number; shown: number; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }) {
  const [after, go] = usePageCursor();
  return (
    <nav className="pager" aria-label="Pages">
      <span>
        {shown} shown of {total}
      </span>
      {after ? (
        <button type="button" onClick={() => go(null)}>
          First page
        </button>
      ) : null}
      {pageInfo.hasNextPage && pageInfo.endCursor ? (
        <button type="button" onClick={() => go(pageInfo.endCursor ?? null)}>
          Next page
        </button>
      ) : null}
    </nav>
  );
}

/** Sets one search parameter (or removes it when empty), and starts again at the first page. */
export function useFilter(name: string): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = (value: string) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (value) q.set(name, value);
      else q.delete(name);
      q.delete('after');
      return q;
    });
  return [params.get(name) ?? '', set];
}
