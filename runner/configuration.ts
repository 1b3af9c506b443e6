/**
 * What the runner checks in DescribeConnectorConfiguration before it goes on: the API version it will send, the
 * modes and write operation the flow needs, BasicAuth (the secret format the runner serves), the runtime settings.
 */
import type { DescribeConnectorConfigurationResponse } from '../handler/protocol/codecs';
import { API_VERSION } from './constants';
import { RunnerError } from './errors';
import { type FlowContext, violation } from './exchange';
import type { FlowOptions } from './flags';

export function checkConfiguration(
  configuration: DescribeConnectorConfigurationResponse,
  flow: FlowOptions,
  context: FlowContext,
) {
  const operation = 'DescribeConnectorConfiguration';
  if (!configuration.supportedApiVersions.includes(API_VERSION)) {
    context.report.add(
      violation(
        operation,
        'supportedApiVersions',
        `to contain ${API_VERSION}`,
        JSON.stringify(configuration.supportedApiVersions),
      ),
    );
  }
  if (configuration.connectorModes.length === 0) {
    context.report.add(violation(operation, 'connectorModes', 'at least one mode', 'an empty list'));
  }
  if (!configuration.connectorModes.includes('SOURCE')) {
    throw new RunnerError('the connector does not declare the SOURCE mode, so AppFlow cannot read from it');
  }
  if (flow.write) {
    if (!configuration.connectorModes.includes('DESTINATION')) {
      throw new RunnerError('the connector does not declare the DESTINATION mode, so AppFlow cannot write to it');
    }
    if (!configuration.supportedWriteOperations.includes(flow.write.operation)) {
      throw new RunnerError(
        `the connector does not declare ${flow.write.operation} in supportedWriteOperations (${configuration.supportedWriteOperations.join(', ')})`,
      );
    }
  }
  if (configuration.authenticationConfig.isBasicAuthSupported !== true) {
    throw new RunnerError('the connector does not declare BasicAuth, which the runner uses (secret username/password)');
  }
  const declared = new Map((configuration.connectorRuntimeSetting ?? []).map((setting) => [setting.key, setting]));
  const sent = Object.keys(context.profile.runtimeSettings);
  const undeclared = sent.filter((key) => !declared.has(key));
  if (undeclared.length > 0) {
    context.progress.note(`runtime settings the connector does not declare: ${undeclared.join(', ')}`);
  }
}
