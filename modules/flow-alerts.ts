/**
 * Someone hears when a flow stops: AppFlow deactivates a scheduled flow after repeated failures and publishes
 * "AppFlow Scheduled Flow Deactivated"; every run ends with "AppFlow End Flow Run Report". The flows live in
 * CloudFormation stacks or aws_appflow_flow, whose status Terraform does not read back, so a deactivated flow shows
 * no drift. These EventBridge rules send both events for this connector's flows (matched by flow ARN) to an SNS
 * topic the user names or that is created here.
 *
 * Events and their fields: Amazon AppFlow User Guide, "Flow notifications"
 * (https://docs.aws.amazon.com/appflow/latest/userguide/flow-notifications.html) and the EventBridge events
 * reference (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-appflow.html): source aws.appflow,
 * `resources` holding the flow ARN, `detail.status` of the end-of-run report.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { type TerraformResource, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { createWhen, expressionOf, planTimeSwitch, type Switch, terraformValue } from './switch';

export const DEACTIVATED_DETAIL_TYPE = 'AppFlow Scheduled Flow Deactivated';
export const RUN_REPORT_DETAIL_TYPE = 'AppFlow End Flow Run Report';
/** The status of a run that succeeded; every other end-of-run status is an alert. */
export const SUCCESSFUL_RUN_STATUS = 'Execution Successful';

export interface FlowAlertsProps {
  /** The flow names, as a Terraform list expression (no surrounding `${}`). */
  readonly flowNames: string;
  readonly topicArn: string | undefined;
  readonly createTopic: boolean | undefined;
  readonly topicName: string;
  /** The Lambda function's name (plain or a token): the rules are named after it. */
  readonly functionName: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly tags: Record<string, string> | undefined;
}

export interface FlowAlerts {
  /** The topic alerts go to; a null expression when alerts are off. */
  readonly topicArn: string;
}

function booleanSwitch(value: boolean | undefined): Switch {
  if (value === undefined) return false;
  if (Token.isUnresolved(value)) return planTimeSwitch(`${expressionOf(value)} == true`);
  return value;
}

function presentSwitch(value: string | undefined): Switch {
  if (value === undefined) return false;
  if (Token.isUnresolved(value)) return planTimeSwitch(`${expressionOf(value)} != null`);
  return true;
}

function or(a: Switch, b: Switch): Switch {
  if (a === true || b === true) return true;
  if (a === false) return b;
  if (b === false) return a;
  return planTimeSwitch(`(${a.expression}) || (${b.expression})`);
}

function and(a: Switch, b: Switch): Switch {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return planTimeSwitch(`(${a.expression}) && (${b.expression})`);
}

const one = (resource: TerraformResource, attribute: string) =>
  `one(${resource.terraformResourceType}.${resource.friendlyUniqueId}[*].${attribute})`;

/**
 * "<function name>-<suffix>" within EventBridge's 64 characters; a function name too long for that is cut and a hash
 * of it keeps two such names apart (as physical-names.ts does).
 */
function ruleName(functionName: string, suffix: string): string {
  const name = terraformValue(functionName);
  const room = 64 - suffix.length - 1;
  return (
    `\${length(${name}) <= ${room} ? format("%s-%s", ${name}, "${suffix}") : ` +
    `format("%s-%s-%s", substr(${name}, 0, ${room - 9}), substr(sha256(${name}), 0, 8), "${suffix}")}`
  );
}

export function addFlowAlerts(scope: Construct, props: FlowAlertsProps): FlowAlerts {
  const createTopic = booleanSwitch(props.createTopic);
  const topicGiven = presentSwitch(props.topicArn);
  const alertsOn = or(createTopic, topicGiven);
  // No flow, no rule: an event pattern with an empty resources list matches nothing and EventBridge refuses it.
  const rulesOn = and(alertsOn, planTimeSwitch(`length(${props.flowNames}) > 0`));

  const topic = createWhen(
    createTopic,
    (count) => new SnsTopic(scope, 'alert_topic', { count, name: props.topicName, tags: props.tags }),
  );
  const topicArn =
    topic === undefined
      ? props.topicArn === undefined
        ? `\${null}`
        : props.topicArn
      : topicGiven === false
        ? `\${${one(topic, 'arn')}}`
        : `\${${expressionOf(props.topicArn)} != null ? ${expressionOf(props.topicArn)} : ${one(topic, 'arn')}}`;

  // Patterns written with zipmap rather than object literals: CDKTF takes the first `}` in a hand-written `${...}`
  // for its end.
  const flowArns = `[for name in ${props.flowNames} : format("arn:%s:appflow:%s:%s:flow/%s", ${expressionOf(props.partition)}, ${expressionOf(props.region)}, ${expressionOf(props.account)}, name)]`;
  const pattern = (detailType: string, detail?: string) => {
    const keys = ['"source"', '"detail-type"', '"resources"', ...(detail === undefined ? [] : ['"detail"'])];
    const values = [
      '["aws.appflow"]',
      `[${JSON.stringify(detailType)}]`,
      flowArns,
      ...(detail === undefined ? [] : [detail]),
    ];
    return `\${jsonencode(zipmap([${keys.join(', ')}], [${values.join(', ')}]))}`;
  };
  const rules = [
    {
      id: 'flow_deactivated',
      suffix: 'deactivated',
      description: 'A scheduled flow of this AppFlow connector was deactivated after failed runs',
      pattern: pattern(DEACTIVATED_DETAIL_TYPE),
    },
    {
      id: 'flow_run_failed',
      suffix: 'run-failed',
      description: 'A run of a flow of this AppFlow connector did not succeed',
      pattern: pattern(
        RUN_REPORT_DETAIL_TYPE,
        `zipmap(["status"], [[zipmap(["anything-but"], [[${JSON.stringify(SUCCESSFUL_RUN_STATUS)}]])]])`,
      ),
    },
  ];
  const created = rules.map((rule) =>
    createWhen(rulesOn, (count) => {
      const eventRule = new CloudwatchEventRule(scope, rule.id, {
        count,
        // Rule names: at most 64 characters, [.\-_A-Za-z0-9]+.
        name: ruleName(props.functionName, rule.suffix),
        description: rule.description,
        eventPattern: rule.pattern,
        tags: props.tags,
      });
      new CloudwatchEventTarget(scope, `${rule.id}_target`, {
        count,
        rule: `\${${one(eventRule, 'name')}}`,
        arn: topicArn,
      });
      return eventRule;
    }),
  );

  if (topic !== undefined) {
    const ruleArns = created.flatMap((rule) => (rule === undefined ? [] : [one(rule, 'arn')]));
    const sourceArns = ruleArns.length === 0 ? '[]' : `compact([${ruleArns.join(', ')}])`;
    // Only these rules may publish to the topic the construct created (confused-deputy protection).
    const statement = `[zipmap(["Sid", "Effect", "Principal", "Action", "Resource", "Condition"], ["AllowFlowAlertRules", "Allow", zipmap(["Service"], ["events.amazonaws.com"]), "sns:Publish", ${one(topic, 'arn')}, zipmap(["ArnEquals"], [zipmap(["aws:SourceArn"], [${sourceArns}])])])]`;
    new SnsTopicPolicy(scope, 'alert_topic_policy', {
      count: topic.count,
      arn: `\${${one(topic, 'arn')}}`,
      policy: `\${jsonencode(zipmap(["Version", "Statement"], ["2012-10-17", ${statement}]))}`,
    });
  }
  return { topicArn };
}
