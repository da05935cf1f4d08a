/** Whether `iso` is now or earlier (read when called: a render shows the state at that time). */
export const isPast = (iso: string, now: number = Date.now()) => new Date(iso).getTime() <= now;
