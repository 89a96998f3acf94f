import { describe, expect, it } from 'vitest';
import { ECS_FIELD_NAMES } from '../../src/context/ecsFields.js';
import { ECS_MAPPING, hostOf } from '../../src/context/ecsMapping.js';

describe('the ECS mapping table', () => {
  it('maps every ECS field exclusions may name, once', () => {
    expect(ECS_MAPPING.map((mapping) => mapping.field)).toEqual([...ECS_FIELD_NAMES]);
  });

  it('gives every field a source', () => {
    for (const mapping of ECS_MAPPING) {
      expect(mapping.processEvent ?? mapping.networkEvent ?? mapping.elsewhere, mapping.field).toBeDefined();
    }
  });
});

describe('destination.domain from RemoteUrl', () => {
  it.each([
    ['https://RL.Ammyy.com:443/connect?x=1', 'rl.ammyy.com'],
    ['rl.ammyy.com', 'rl.ammyy.com'],
    ['rl.ammyy.com.', 'rl.ammyy.com'],
    ['rl.ammyy.com:5931', 'rl.ammyy.com'],
    ['http://user:pw@files.contoso.local/share', 'files.contoso.local'],
    ['http://[fd00::5]:8080/x', 'fd00::5'],
    ['fd00::5', 'fd00::5'],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (url, host) => {
    expect(hostOf(url)).toBe(host);
  });
});
