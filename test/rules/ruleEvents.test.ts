/** Query files that build on the rule's own query: RuleEvents is bound to the events the rule matches. */
import { describe, expect, it } from 'vitest';
import { bindRuleEvents } from '../../src/rules/ruleEvents.js';
import { lintRuleFile } from '../../src/rules/lint.js';
import { shippedRuleVariant } from '../support/rules.js';

const file = 'let Time_start = now(-1d);\nlet Time_end = now();\nlet HitDeviceIds = dynamic([]);\nlet RuleEvents = DeviceProcessEvents;\nRuleEvents | where DeviceId in (HitDeviceIds)';

describe('bindRuleEvents', () => {
  it("binds the rule's events (its query without the final summarize) and hoists the rule's other lets in front", () => {
    const rule = "let Time_start = now(-5d);\nlet Time_end = now();\nlet Seen = DeviceFileCertificateInfo | where Signer has 'X' | distinct SHA1;\nDeviceProcessEvents\n| where SHA1 in (Seen)\n| summarize Count = count() by DeviceId";
    expect(bindRuleEvents(file, rule)).toEqual({
      text: "let Time_start = now(-1d);\nlet Time_end = now();\nlet HitDeviceIds = dynamic([]);\nlet Seen = DeviceFileCertificateInfo | where Signer has 'X' | distinct SHA1;\nlet RuleEvents = (DeviceProcessEvents\n| where SHA1 in (Seen));\nRuleEvents | where DeviceId in (HitDeviceIds)",
    });
  });

  it('leaves a file without RuleEvents as it is', () => {
    const plain = 'let Time_start = now(-1d);\nDeviceInfo';
    expect(bindRuleEvents(plain, 'DeviceInfo | summarize count() by DeviceId')).toEqual({ text: plain });
  });

  it('refuses a rule whose query does not end in a summarize, and a let both declare', () => {
    expect(bindRuleEvents(file, 'DeviceProcessEvents | take 1')).toEqual({ error: "RuleEvents needs the rule's query to end in a summarize over the events it matches" });
    expect(bindRuleEvents(file, 'let HitDeviceIds = 1;\nDeviceProcessEvents | summarize count() by DeviceId')).toEqual({ error: "the rule's query and this file both declare let HitDeviceIds" });
  });
});

describe('hunter lint with a shared query file', () => {
  it("reports a file that is right on its own but wrong with this rule's events at the rule's field", () => {
    // The connections file reads InitiatingProcessSHA1, which a file-signature rule's events do not have.
    const rule = shippedRuleVariant((text) => text.replace('contextQueryFile: queries/binaries.context.kql', 'contextQueryFile: queries/connections.context.kql'));
    const problems = lintRuleFile(rule);
    expect(problems).toEqual([
      expect.objectContaining({ file: rule, code: 'KQL102', message: expect.stringMatching(/^contextQueryFile: with this rule's RuleEvents, .*connections\.context\.kql: unknown column 'InitiatingProcessSHA1'/) }),
    ]);
  });
});
