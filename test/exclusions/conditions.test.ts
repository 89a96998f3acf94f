import { describe, expect, it } from 'vitest';
import type { EcsFields } from '../../src/core/model.js';
import { compileCondition, type Truth } from '../../src/exclusions/conditions.js';
import type { Condition } from '../../src/exclusions/schema.js';

function truth(condition: Condition, fields: EcsFields): Truth {
  return compileCondition(condition)(fields);
}

describe('string operators', () => {
  const fields: EcsFields = { 'process.name': ['AMMYY.exe'], 'process.executable': ['C:\\Program Files (x86)\\Ammyy\\AMMYY.exe'] };

  it('ignore case by default', () => {
    expect(truth({ field: 'process.name', equals: 'ammyy.exe' }, fields)).toBe('true');
    expect(truth({ field: 'process.name', in: ['x.exe', 'Ammyy.EXE'] }, fields)).toBe('true');
    expect(truth({ field: 'process.executable', startswith: 'c:\\program files' }, fields)).toBe('true');
    expect(truth({ field: 'process.executable', endswith: '\\ammyy.exe' }, fields)).toBe('true');
    expect(truth({ field: 'process.executable', contains: '\\AMMYY\\' }, fields)).toBe('true');
    expect(truth({ field: 'process.executable', matches: 'c:\\program files*\\ammyy\\*' }, fields)).toBe('true');
    expect(truth({ field: 'process.name', not_equals: 'ammyy.exe' }, fields)).toBe('false');
  });

  it('compare exactly with case_sensitive: true', () => {
    expect(truth({ field: 'process.name', equals: 'ammyy.exe', case_sensitive: true }, fields)).toBe('false');
    expect(truth({ field: 'process.name', equals: 'AMMYY.exe', case_sensitive: true }, fields)).toBe('true');
    expect(truth({ field: 'process.name', in: ['ammyy.exe'], case_sensitive: true }, fields)).toBe('false');
    expect(truth({ field: 'process.executable', matches: 'c:\\*', case_sensitive: true }, fields)).toBe('false');
    expect(truth({ field: 'process.name', not_equals: 'ammyy.exe', case_sensitive: true }, fields)).toBe('true');
  });

  it('matches wildcards against the whole value, with regex characters taken literally', () => {
    const path: EcsFields = { 'process.executable': ['C:\\Tools (1)\\a.b+c\\ammyy.exe'] };
    expect(truth({ field: 'process.executable', matches: 'C:\\Tools (?)\\a.b+c\\*.exe' }, path)).toBe('true');
    expect(truth({ field: 'process.executable', matches: 'C:\\Tools (1)\\a?b+c\\*' }, path)).toBe('true');
    expect(truth({ field: 'process.executable', matches: 'Tools*' }, path)).toBe('false');
    expect(truth({ field: 'process.executable', matches: 'C:\\Tools (1)\\aXb+c\\*' }, { 'process.executable': ['C:\\Tools (1)\\a.b+c\\x'] })).toBe('false');
    expect(truth({ field: 'process.executable', matches: 'C:\\Tools (??)\\*' }, path)).toBe('false');
  });
});

describe('multi-valued fields', () => {
  const twoDestinations: EcsFields = { 'destination.ip': ['10.1.2.3', '8.8.8.8'] };

  it('match only when every value satisfies the operator', () => {
    expect(truth({ field: 'destination.ip', cidr: '10.0.0.0/8' }, twoDestinations)).toBe('false');
    expect(truth({ field: 'destination.ip', cidr: ['10.0.0.0/8', '8.8.8.0/24'] }, twoDestinations)).toBe('true');
    expect(truth({ field: 'destination.ip', not_equals: '8.8.8.8' }, twoDestinations)).toBe('false');
  });

  it('includes asks for one value (membership)', () => {
    const groups: EcsFields = { 'user.group': ['Domain Users', 'Domain Admins'] };
    expect(truth({ field: 'user.group', includes: 'domain admins' }, groups)).toBe('true');
    expect(truth({ field: 'user.group', equals: 'Domain Admins' }, groups)).toBe('false');
    expect(truth({ field: 'user.group', includes: 'domain admins', case_sensitive: true }, groups)).toBe('false');
    expect(truth({ field: 'user.group', includes: 'Enterprise Admins' }, groups)).toBe('false');
  });
});

describe('missing fields', () => {
  it('never match, with any operator', () => {
    const conditions: Condition[] = [
      { field: 'user.group', equals: 'x' },
      { field: 'user.group', not_equals: 'x' },
      { field: 'user.group', in: ['x'] },
      { field: 'user.group', includes: 'x' },
      { field: 'user.group', startswith: 'x' },
      { field: 'user.group', endswith: 'x' },
      { field: 'user.group', contains: 'x' },
      { field: 'user.group', matches: '*' },
      { field: 'destination.ip', cidr: '0.0.0.0/0' },
    ];
    for (const condition of conditions) {
      expect(truth(condition, {}), JSON.stringify(condition)).toBe('unknown');
      expect(truth(condition, { 'user.group': [], 'destination.ip': [] }), JSON.stringify(condition)).toBe('unknown');
    }
  });

  it('stay unknown under not, all and any, so missing data cannot exclude', () => {
    const missing: Condition = { field: 'user.group', includes: 'Domain Admins' };
    expect(truth({ not: missing }, {})).toBe('unknown');
    expect(truth({ all: [{ field: 'process.name', equals: 'a' }, missing] }, { 'process.name': ['a'] })).toBe('unknown');
    expect(truth({ all: [{ field: 'process.name', equals: 'b' }, missing] }, { 'process.name': ['a'] })).toBe('false');
    expect(truth({ any: [{ field: 'process.name', equals: 'b' }, missing] }, { 'process.name': ['a'] })).toBe('unknown');
    expect(truth({ any: [{ field: 'process.name', equals: 'a' }, missing] }, { 'process.name': ['a'] })).toBe('true');
    expect(truth({ not: { not: missing } }, {})).toBe('unknown');
  });

  it('are what exists tests', () => {
    expect(truth({ field: 'user.group', exists: true }, {})).toBe('unknown'); // absent may be "not collected": see missingUnderNegation.test.ts
    expect(truth({ field: 'user.group', exists: false }, {})).toBe('true');
    expect(truth({ field: 'user.group', exists: true }, { 'user.group': ['a'] })).toBe('true');
    expect(truth({ field: 'user.group', exists: false }, { 'user.group': ['a'] })).toBe('false');
  });
});

describe('not', () => {
  it('negates a known answer', () => {
    expect(truth({ not: { field: 'process.parent.name', equals: 'powershell.exe' } }, { 'process.parent.name': ['cmd.exe'] })).toBe('true');
    expect(truth({ not: { field: 'process.parent.name', equals: 'powershell.exe' } }, { 'process.parent.name': ['PowerShell.exe'] })).toBe('false');
  });
});

describe('cidr', () => {
  const inRange = (ip: string, cidr: string | string[]) => truth({ field: 'destination.ip', cidr }, { 'destination.ip': [ip] });

  it.each([
    ['10.0.0.0', '10.0.0.0/8', 'true'],
    ['10.255.255.255', '10.0.0.0/8', 'true'],
    ['9.255.255.255', '10.0.0.0/8', 'false'],
    ['11.0.0.0', '10.0.0.0/8', 'false'],
    ['172.16.0.0', '172.16.0.0/12', 'true'],
    ['172.31.255.255', '172.16.0.0/12', 'true'],
    ['172.15.255.255', '172.16.0.0/12', 'false'],
    ['172.32.0.0', '172.16.0.0/12', 'false'],
    ['192.168.0.0', '192.168.0.0/16', 'true'],
    ['192.168.255.255', '192.168.0.0/16', 'true'],
    ['192.169.0.0', '192.168.0.0/16', 'false'],
    ['192.167.255.255', '192.168.0.0/16', 'false'],
    ['203.0.113.7', '203.0.113.7', 'true'],
    ['203.0.113.8', '203.0.113.7', 'false'],
    ['203.0.113.8', '0.0.0.0/0', 'true'],
  ])('IPv4 %s in %s → %s', (ip, cidr, expected) => {
    expect(inRange(ip, cidr)).toBe(expected);
  });

  it.each([
    ['fc00::', 'fc00::/7', 'true'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fc00::/7', 'true'],
    ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fc00::/7', 'false'],
    ['fe00::', 'fc00::/7', 'false'],
    ['FD12:3456::1', 'fd12:3456::/32', 'true'],
    ['2001:db8::1', 'fc00::/7', 'false'],
    ['::1', '::1/128', 'true'],
  ])('IPv6 %s in %s → %s', (ip, cidr, expected) => {
    expect(inRange(ip, cidr)).toBe(expected);
  });

  it('treats IPv4-mapped IPv6 peers as IPv4', () => {
    expect(inRange('::ffff:10.1.2.3', '10.0.0.0/8')).toBe('true');
    expect(inRange('::ffff:8.8.8.8', '10.0.0.0/8')).toBe('false');
  });

  it('never puts an address of one family in a range of the other', () => {
    expect(inRange('10.1.2.3', '::/0')).toBe('false');
    expect(inRange('fd00::1', '0.0.0.0/0')).toBe('false');
  });

  it('does not match values that are not plain addresses', () => {
    expect(inRange('10.1', '10.0.0.0/8')).toBe('false');
    expect(inRange('0x0a000001', '10.0.0.0/8')).toBe('false');
    expect(inRange('ammyy.com', '0.0.0.0/0')).toBe('false');
    expect(inRange('', '0.0.0.0/0')).toBe('false');
  });
});
