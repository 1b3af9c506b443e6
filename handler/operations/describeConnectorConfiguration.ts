/** DescribeConnectorConfiguration: what this connector is and supports. Static; no I/O. */

// Only `version` is imported: esbuild inlines that one field of package.json into the bundle, nothing else.
import { version as packageVersion } from '../../package.json';
import {
  ConnectorOperators,
  type DescribeConnectorConfigurationRequest,
  type DescribeConnectorConfigurationResponse,
} from '../protocol/codecs';
import { API_VERSION } from '../protocol/constants';
import { IAM_AUTHENTICATION_TYPE } from '../secrets';
import { RUNTIME_SETTINGS } from '../settings';

export const CONNECTOR_OWNER = 'OpenConnectors';
export const CONNECTOR_NAME = 'MySqlMariaDbConnector';
/** The released version (package.json's), so AppFlow shows the version that is deployed. */
export const CONNECTOR_VERSION: string = packageVersion;

export async function describeConnectorConfiguration(
  _request: DescribeConnectorConfigurationRequest,
): Promise<DescribeConnectorConfigurationResponse> {
  return {
    isSuccess: true,
    errorDetails: null,
    // Owner and name must not start with aws, amazon or appflow (AppFlow reserves those prefixes).
    connectorOwner: CONNECTOR_OWNER,
    connectorName: CONNECTOR_NAME,
    connectorVersion: CONNECTOR_VERSION,
    connectorModes: ['SOURCE', 'DESTINATION'],
    authenticationConfig: {
      isBasicAuthSupported: true,
      isApiKeyAuthSupported: false,
      isOAuth2Supported: false,
      // IAM database authentication (RDS/Aurora): the secret names the database user; the Lambda's role signs a
      // token for it. AppFlow shows this as a second authentication choice when creating a connection.
      isCustomAuthSupported: true,
      oAuth2Defaults: null,
      customAuthConfig: [
        {
          authenticationType: IAM_AUTHENTICATION_TYPE,
          authParameters: [
            {
              key: 'username',
              required: true,
              label: 'Database user',
              // Fetched at registration, before any profile names the engine: both engines' ways of creating an IAM
              // user, as RDS documents them (UsingWithRDS.IAMDBAuth.DBAccounts.html). AppFlow's API allows only
              // [\s\w/!@#+=.-] in this text (API_AuthParameter.html): no commas, colons, quotes or parentheses.
              description:
                'A database user enabled for IAM authentication. MySQL and MariaDB - created IDENTIFIED WITH ' +
                'AWSAuthenticationPlugin AS RDS. PostgreSQL - granted the rds_iam role. The connector Lambda role ' +
                'needs the rds-db connect permission on this user and TLS is required.',
              sensitiveField: false,
              connectorSuppliedValues: null,
            },
          ],
        },
      ],
    },
    // Singular name on the wire (both SDKs), although AppFlow's public API later shows it in the plural.
    connectorRuntimeSetting: RUNTIME_SETTINGS.map((setting) => ({ ...setting })),
    supportedApiVersions: [API_VERSION],
    // Projection and filtering happen in SQL; the arithmetic, masking and validation operators are applied by
    // AppFlow itself on the records, so all are declared.
    operatorsSupported: [...ConnectorOperators],
    supportedTriggerTypes: ['SCHEDULED', 'ONDEMAND'],
    triggerFrequenciesSupported: ['BYMINUTE', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ONCE'],
    supportedWriteOperations: ['INSERT', 'UPDATE', 'UPSERT', 'DELETE'],
    logoURL: null,
    supportedDataTransferTypes: ['RECORD'],
  };
}
