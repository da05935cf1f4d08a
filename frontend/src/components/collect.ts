// Reads a Relay connection page by page, up to a bound, for views that need every item
// (an export, a search for one id, counts). `truncated` says when the bound was reached.
export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export async function collectPages<T>(
  fetchPage: (after: string | undefined) => Promise<Connection<T>>,
  maxPages: number,
  stop?: (items: T[]) => boolean,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const conn = await fetchPage(after);
    items.push(...conn.nodes);
    if (stop?.(conn.nodes)) return { items, truncated: false };
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return { items, truncated: false };
    after = conn.pageInfo.endCursor;
  }
  return { items, truncated: true };
}
