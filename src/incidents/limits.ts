/**
 * Size limits of Sentinel incidents and comments.
 *
 * The Incidents REST reference (learn.microsoft.com/rest/api/securityinsights/incidents/create-or-update)
 * declares no maxLength for `title` or `description`, and the portal trims long text. We therefore stay
 * well inside what the portal shows without trimming: a rejected or trimmed write would either fail the
 * run forever or hide evidence, both worse than a summary.
 * Comments: the Sentinel incident comment `message` is documented as at most 30,000 characters
 * ("Add comments to incidents", learn.microsoft.com/azure/sentinel/investigate-incidents).
 */
export interface IncidentSizeLimits {
  readonly titleChars: number;
  readonly descriptionChars: number;
  readonly commentChars: number;
}

export const sentinelSizeLimits: IncidentSizeLimits = {
  titleChars: 256,
  descriptionChars: 5_000,
  commentChars: 30_000,
};
