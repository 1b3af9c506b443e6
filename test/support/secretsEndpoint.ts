// The local Secrets Manager endpoint lives in local/ because the runner uses it too.
export { type SecretBehaviour, type SecretsEndpoint, startSecretsEndpoint } from '../../local/secretsEndpoint';
