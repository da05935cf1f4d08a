// Accord names the field in a BAD_USER_INPUT message: `redirectUris[1]: must be https`,
// `jwks.keys: …`, `email: …`. `fieldOf` reads that name (its first segment) so a form can mark
// the input (aria-invalid) next to the message it shows in role="alert".
import { ApiError } from '../api/client';

export function fieldOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'BAD_USER_INPUT') return null;
  const m = /^([A-Za-z][A-Za-z0-9]*)(?:\[\d+\])?(?:\.[A-Za-z0-9.[\]]+)?:\s/.exec(error.message);
  return m?.[1] ?? null;
}

/** Props for an input: `aria-invalid` when the API's message names `field`, described by the
 * message (`messageId`) then, and by its hint (`hintId`) always. */
export function fieldProps(error: unknown, field: string, messageId: string, hintId?: string) {
  const invalid = fieldOf(error) === field;
  const describedBy = [hintId, invalid ? messageId : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy || undefined };
}
