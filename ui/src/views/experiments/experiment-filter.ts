/**
 * The experiments search box: plain words search names (`name ILIKE '%words%'`); anything that looks like
 * MLflow's grammar (`tags.team = 'x'`, `name LIKE ...`) goes to the server as typed.
 */
export const experimentFilter = (text: string): string | undefined => {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (/(^|\s)(tags?\.|attributes?\.|name\s|creation_time|last_update_time)|[=<>]|\b(i?like)\b/i.test(trimmed)) return trimmed;
  return `name ILIKE '%${trimmed.replace(/'/g, "\\'")}%'`;
};
