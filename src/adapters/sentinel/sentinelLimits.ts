/**
 * What Microsoft Sentinel accepts on an incident, as documented in "Service limits for Microsoft Sentinel"
 * (learn.microsoft.com/azure/sentinel/sentinel-service-limits, "Incident limits"): a description of at most
 * 5,000 characters, comments of at most 30,000 characters, at most 100 comments per incident. The REST
 * reference declares no length for the title; 256 characters is what the portal shows without trimming
 * and what alert titles are limited to ("Alert details", the same page).
 * The Sentinel adapters own these facts; the composition root hands them to whatever renders the text.
 */
export interface SentinelIncidentLimits {
  readonly titleChars: number;
  readonly descriptionChars: number;
  readonly commentChars: number;
  readonly commentsPerIncident: number;
}

export const sentinelIncidentLimits: SentinelIncidentLimits = {
  titleChars: 256,
  descriptionChars: 5_000,
  commentChars: 30_000,
  commentsPerIncident: 100,
};
