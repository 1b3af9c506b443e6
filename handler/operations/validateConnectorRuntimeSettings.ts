/**
 * ValidateConnectorRuntimeSettings: checks what the user typed while creating a connection or a flow. It carries no
 * credentials, so it checks syntax and ranges only (ValidateCredentials does the connecting).
 */
import type {
  ValidateConnectorRuntimeSettingsRequest,
  ValidateConnectorRuntimeSettingsResponse,
} from '../protocol/codecs';
import { connectionSettingProblems, unknownSettingKeys } from '../settings';

export async function validateConnectorRuntimeSettings(
  request: ValidateConnectorRuntimeSettingsRequest,
): Promise<ValidateConnectorRuntimeSettingsResponse> {
  const settings = request.connectorRuntimeSettings ?? {};
  const problems: Record<string, string> = {};
  for (const key of unknownSettingKeys(settings)) problems[key] = `${key} is not a setting of this connector`;
  // Connection settings are asked for at CONNECTOR_PROFILE scope only; flows (SOURCE/DESTINATION) have none.
  if (request.scope === 'CONNECTOR_PROFILE') Object.assign(problems, connectionSettingProblems(settings));
  else for (const key of Object.keys(settings)) problems[key] ??= `${key} belongs to the connection, not to a flow`;
  const count = Object.keys(problems).length;
  if (count === 0) return { isSuccess: true, errorDetails: null, errorsByInputField: null };
  return {
    isSuccess: false,
    errorsByInputField: problems,
    errorDetails: {
      errorCode: 'InvalidArgument',
      errorMessage: `${count} runtime setting${count === 1 ? ' is' : 's are'} invalid: ${Object.values(problems).join('; ')}`,
      retryAfterSeconds: null,
    },
  };
}
