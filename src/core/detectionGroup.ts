import type { HuntRule } from '../rules/rule.js';

/**
 * The detection group a rule's episodes belong to: devices are kept per group, so the rules of one
 * group (the file-signature, process and network rules of one RMM tool) raise one episode per
 * device between them. Default: the rule on its own. The watermark and run reports stay per rule.
 */
export function detectionGroupOf(rule: HuntRule): string {
  return rule.detectionGroup ?? rule.id;
}
