/** zod's defaults speak of types; a config author wants "required". */
export function friendlyMessage(issue: { code?: string; input?: unknown }): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return undefined;
}
