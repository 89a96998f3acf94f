/**
 * MITRE ATT&CK as Sentinel rules name it: the tactic values the Sentinel alert-rule API accepts
 * (KnownAttackTactic, learn.microsoft.com/javascript/api/@azure/arm-securityinsight/knownattacktactic)
 * with the names analysts read, and technique ids as ATT&CK writes them (T1219, T1219.001).
 */

export const SENTINEL_TACTICS = {
  Reconnaissance: 'Reconnaissance',
  ResourceDevelopment: 'Resource Development',
  InitialAccess: 'Initial Access',
  Execution: 'Execution',
  Persistence: 'Persistence',
  PrivilegeEscalation: 'Privilege Escalation',
  DefenseEvasion: 'Defense Evasion',
  CredentialAccess: 'Credential Access',
  Discovery: 'Discovery',
  LateralMovement: 'Lateral Movement',
  Collection: 'Collection',
  Exfiltration: 'Exfiltration',
  CommandAndControl: 'Command and Control',
  Impact: 'Impact',
  PreAttack: 'Pre-Attack',
  ImpairProcessControl: 'Impair Process Control',
  InhibitResponseFunction: 'Inhibit Response Function',
} as const;

export type SentinelTactic = keyof typeof SENTINEL_TACTICS;

export const TACTIC_NAMES = Object.keys(SENTINEL_TACTICS) as [SentinelTactic, ...SentinelTactic[]];

/** A technique (T1219) or sub-technique (T1219.001) id. */
export const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;

/** The technique's page on attack.mitre.org (sub-techniques live under their technique). */
export function techniqueUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}
