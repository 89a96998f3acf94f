import type { EcsFieldName } from '../core/model.js';

/**
 * Every ECS field an exclusion may name, as a runtime list (the model only has the type).
 * The record below makes the compiler reject a field added to `EcsFieldName` but not listed here.
 */
const ecsFieldPresence: Record<EcsFieldName, true> = {
  'process.name': true,
  'process.parent.name': true,
  'process.executable': true,
  'process.command_line': true,
  'process.hash.sha1': true,
  'user.name': true,
  'user.domain': true,
  'user.group': true,
  'destination.ip': true,
  'destination.domain': true,
  'destination.port': true,
  'host.id': true,
  'host.name': true,
};

export const ECS_FIELD_NAMES = Object.keys(ecsFieldPresence) as readonly EcsFieldName[];

export function isEcsFieldName(name: string): name is EcsFieldName {
  return Object.hasOwn(ecsFieldPresence, name);
}
