// Reading lists out of text fields.

/** Lines of a textarea, trimmed, without the empty ones. */
export const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Words separated by spaces or line breaks (how people paste a scope list). */
export const words = (text: string) => text.split(/\s+/).filter(Boolean);
