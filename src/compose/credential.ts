import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { Settings } from '../config/settings.js';

/** Made on first use: a local replay never touches identity. */
export type CredentialFactory = () => TokenCredential;

export function createCredentialFactory(settings: Settings): CredentialFactory {
  let credential: TokenCredential | undefined;
  return () =>
    (credential ??= new DefaultAzureCredential({
      authorityHost: settings.AZURE_AUTHORITY_HOST,
      ...(settings.AZURE_CLIENT_ID ? { managedIdentityClientId: settings.AZURE_CLIENT_ID } : {}),
    }));
}
