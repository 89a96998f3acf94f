import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { Settings } from '../config/settings.js';

/** Made on first use, so a local replay never touches identity. `clientId` picks a specific user-assigned identity. */
export type CredentialFactory = (clientId?: string) => TokenCredential;

/**
 * Managed identity in Azure (AZURE_CLIENT_ID picks a user-assigned one), developer credentials
 * locally; the authority host follows the cloud. No secret is ever read from settings.
 * An override (tests, loopback servers) replaces every credential.
 * @azure/identity (with MSAL, a large part of the CLI's start-up) is imported on the first token
 * request, not when the hunter is built: a replay, which asks for none, never loads it.
 */
export function createCredentialFactory(settings: Settings, override?: TokenCredential): CredentialFactory {
  const made = new Map<string, TokenCredential>();
  return (clientId) => {
    if (override) return override;
    const key = clientId ?? '';
    let credential = made.get(key);
    if (!credential) {
      credential = onFirstToken(async () => {
        const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
        return clientId
          ? new ManagedIdentityCredential({ clientId })
          : new DefaultAzureCredential({ authorityHost: settings.AZURE_AUTHORITY_HOST, ...(settings.AZURE_CLIENT_ID ? { managedIdentityClientId: settings.AZURE_CLIENT_ID } : {}) });
      });
      made.set(key, credential);
    }
    return credential;
  };
}

/** A credential that makes the real one when the first token is asked for, once. */
function onFirstToken(make: () => Promise<TokenCredential>): TokenCredential {
  let real: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      real ??= make();
      return (await real).getToken(scopes, options);
    },
  };
}
