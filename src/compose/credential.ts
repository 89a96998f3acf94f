import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { Settings } from '../config/settings.js';

/** Made on first use, so a local replay never touches identity. `clientId` picks a specific user-assigned identity. */
export type CredentialFactory = (clientId?: string) => TokenCredential;

/**
 * Managed identity in Azure (AZURE_CLIENT_ID picks a user-assigned one), developer credentials
 * locally; the authority host follows the cloud. No secret is ever read from settings.
 * An override (tests, loopback servers) replaces every credential.
 */
export function createCredentialFactory(settings: Settings, override?: TokenCredential): CredentialFactory {
  const made = new Map<string, TokenCredential>();
  return (clientId) => {
    if (override) return override;
    const key = clientId ?? '';
    let credential = made.get(key);
    if (!credential) {
      credential = clientId
        ? new ManagedIdentityCredential({ clientId })
        : new DefaultAzureCredential({ authorityHost: settings.AZURE_AUTHORITY_HOST, ...(settings.AZURE_CLIENT_ID ? { managedIdentityClientId: settings.AZURE_CLIENT_ID } : {}) });
      made.set(key, credential);
    }
    return credential;
  };
}
