/** Identity is not under test here: a credential that hands out the contract servers' token and records scopes. */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { TEST_TOKEN } from './httpsContractServer.js';

export class FixedTokenCredential implements TokenCredential {
  readonly scopesRequested: string[] = [];

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopesRequested.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}
