/** The Secrets Manager client: a lazy chunk of the bundle (dist/lambda/lazy/secretsManager.mjs), see ../lazyModules.ts. */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
