// Grants expiring per week for the next 26 weeks: week 0 starts now.
export interface Week {
  /** The week's first day, ISO date. */
  start: string;
  label: string;
  count: number;
}

const WEEK = 7 * 86_400_000;

export function weeklyExpiries(expiries: string[], now: number, weeks = 26): Week[] {
  const out: Week[] = Array.from({ length: weeks }, (_, i) => {
    const start = new Date(now + i * WEEK);
    return { start: start.toISOString().slice(0, 10), label: start.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }), count: 0 };
  });
  for (const iso of expiries) {
    const at = new Date(iso).getTime();
    if (Number.isNaN(at) || at < now) continue;
    const week = Math.floor((at - now) / WEEK);
    const slot = out[week];
    if (slot) slot.count += 1;
  }
  return out;
}
