import type { Settings } from '../config/settings.js';
import type { Clock, QueryBackend } from '../core/model.js';
import { LocalKqlBackend } from '../adapters/local/localKqlBackend.js';
import { openDataDir } from '../data/index.js';
import type { CredentialFactory } from './credential.js';

export interface BackendRuntime {
  readonly clock: Clock;
  readonly credentials: CredentialFactory;
  readonly fromRoot: (file: string) => string;
}

export function buildQueryBackend(settings: Settings, runtime: BackendRuntime): QueryBackend {
  switch (settings.QUERY_BACKEND) {
    case 'local':
      // loadConfig has already checked that LOCAL_DATA_DIR is set for this backend.
      return new LocalKqlBackend(openDataDir(runtime.fromRoot(settings.LOCAL_DATA_DIR as string)), runtime.clock);
    case 'log-analytics':
    case 'defender':
      throw new Error('wired below');
  }
}
