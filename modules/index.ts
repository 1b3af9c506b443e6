// The public surface of the connector's infrastructure code.
export {
  AppflowMysqlConnector,
  type AppflowMysqlConnectorProps,
  InvalidConnectorPropsError,
} from './appflow-mysql-connector';
export {
  ConnectorStack,
  type ConnectorStackConfig,
  configFromEnvironment,
  DEFAULT_LABELS,
  ENVIRONMENT_VARIABLES,
  EnvironmentConfigError,
  stackNameFromEnvironment,
  synthProblems,
  synthSummary,
} from './connector-stack';
export {
  DEFAULTS,
  type FlowTriggerType,
  type LogLevel,
  type S3FileType,
  type TlsMode,
} from './constants';
export { DEPLOYER_STATEMENTS } from './deployer-policy';
export { type DestinationFlowSpec, WRITE_OPERATIONS } from './destination-flows';
export type { FlowSpec } from './flows';
export { type BoundLambdaCode, DEFAULT_BUNDLE_DIRECTORY, LambdaCode } from './lambda-code';
