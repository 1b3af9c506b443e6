# Applies the module against a mocked AWS provider (no credentials, no network) and checks the values the module
# computes itself: names, ARNs built from the (mocked) account and region, statements, runtime settings, wiring of
# inputs. Nothing here compares a mocked value with another mocked value.
# Run from the module directory with Terraform 1.7 or later (mock_provider): terraform init && terraform test
# The mocked aws_iam_policy_document renders no real JSON: the policy as AWS receives it is checked by the
# project's offline plans with the real provider (test/modules/deploy-plan.test.ts, day-two-plan.test.ts).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  # The mock would otherwise invent a random string, and the role policy must be JSON.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_cloudformation_stack" {
    defaults = { outputs = { ConnectorArn = "arn:aws:appflow:eu-west-1:123456789012:connector/HrMysql" } }
  }
  # Attributes other resources validate as ARNs.
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:appflow-HrMysql", version = "1" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:appflow-alerts" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/appflow-alerts" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/appflow-HrMysql" }
  }
}

variables {
  connector_label = "HrMysql"
  db_host         = "hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com"
  db_name         = "hr"
  db_username     = "appflow_reader"
  db_password     = "not-a-real-password"
}

run "defaults" {
  command = apply

  assert {
    condition     = aws_lambda_permission.appflow_invoke.principal == "appflow.amazonaws.com"
    error_message = "AppFlow must be the principal allowed to invoke the connector."
  }
  assert {
    condition     = aws_lambda_permission.appflow_invoke.source_account == "123456789012"
    error_message = "The invoke permission must be limited to the caller's account."
  }
  assert {
    condition     = aws_lambda_permission.appflow_invoke.source_arn == "arn:aws:appflow:eu-west-1:123456789012:*"
    error_message = "The invoke permission must be limited to AppFlow resources of this account and region."
  }
  assert {
    condition     = aws_lambda_permission.appflow_invoke.action == "lambda:InvokeFunction"
    error_message = "The permission must allow lambda:InvokeFunction only."
  }
  assert {
    condition = one([for statement in data.aws_iam_policy_document.connector.statement : statement.resources if statement.sid == "ReadOwnProfileSecrets"]) == toset([
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow!123456789012-HrMysql-*",
    ])
    error_message = "The role may read the secrets of this connector's profiles (appflow!<account>-<label>-*) only."
  }
  assert {
    condition     = one([for statement in data.aws_iam_policy_document.connector.statement : statement.actions if statement.sid == "ReadOwnProfileSecrets"]) == toset(["secretsmanager:GetSecretValue"])
    error_message = "The secrets statement must allow secretsmanager:GetSecretValue only."
  }
  assert {
    condition = one([for statement in data.aws_iam_policy_document.connector.statement : statement.resources if statement.sid == "WriteOwnLogs"]) == toset([
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/appflow-HrMysql:*",
    ])
    error_message = "The role may write to the connector's own log group only."
  }
  assert {
    condition     = length(data.aws_iam_policy_document.connector.statement) == 2
    error_message = "Without subnets, kms_key_arn and IAM authentication the role may only write its logs and read its secrets."
  }
  assert {
    condition     = aws_iam_role_policy.connector[0].name == "appflow-connector" && aws_iam_role_policy.connector[0].role == "appflow-HrMysql-eu-west-1"
    error_message = "The inline policy must be attached to the connector's own role."
  }
  assert {
    condition     = aws_lambda_function.connector.publish
    error_message = "Every change must publish a version, so that the registration can name it."
  }
  assert {
    condition     = aws_lambda_permission.appflow_invoke.statement_id == "AllowAppflowInvoke" && aws_lambda_permission.appflow_invoke_previous.statement_id == "AllowAppflowInvokePreviousVersion"
    error_message = "AppFlow may invoke the registered version and, for one more release, the version before."
  }
  assert {
    condition     = aws_cloudformation_stack.registration.parameters["ConnectorDescription"] == "Amazon AppFlow custom connector for MySQL and MariaDB" && aws_cloudformation_stack.registration.name == "appflow-connector-HrMysql"
    error_message = "A MYSQL connector is described for MySQL and MariaDB; a label CloudFormation accepts names the stack unchanged."
  }
  assert {
    condition     = aws_lambda_function.connector.description == "Amazon AppFlow custom connector HrMysql"
    error_message = "The function's description names the label, not an engine."
  }
  assert {
    condition     = jsondecode(aws_cloudformation_stack.registration.template_body).Resources.Connector.Type == "AWS::AppFlow::Connector"
    error_message = "The registration stack must hold an AWS::AppFlow::Connector."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.connector_label == aws_cloudformation_stack.registration.parameters["ConnectorLabel"]
    error_message = "The profile's label must come from the registration."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.connector_label == "HrMysql"
    error_message = "The connector is registered under connector_label."
  }
  assert {
    condition = aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_properties[0].custom_connector[0].profile_properties == tomap({
      engine   = "MYSQL"
      host     = "hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com"
      port     = "3306"
      database = "hr"
      tlsMode  = "REQUIRED"
    })
    error_message = "The profile must carry the runtime settings engine, host, port, database and tlsMode, and no schema for MYSQL."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_credentials[0].custom_connector[0].authentication_type == "BASIC" && aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_credentials[0].custom_connector[0].basic[0].username == "appflow_reader"
    error_message = "The profile must use BasicAuth by default."
  }
  assert {
    condition     = aws_lambda_function.connector.runtime == "nodejs22.x" && aws_lambda_function.connector.architectures == tolist(["arm64"])
    error_message = "The connector runs on nodejs22.x, arm64."
  }
  assert {
    condition     = aws_lambda_function.connector.function_name == "appflow-HrMysql" && aws_lambda_function.connector.timeout == 30 && aws_lambda_function.connector.memory_size == 1024
    error_message = "Default name, timeout and memory."
  }
  assert {
    condition     = aws_lambda_function.connector.environment[0].variables["LOG_LEVEL"] == "INFO"
    error_message = "LOG_LEVEL defaults to INFO."
  }
  assert {
    condition     = length(aws_lambda_function.connector.vpc_config) == 0
    error_message = "Without subnets there is no VPC configuration."
  }
  assert {
    condition     = aws_iam_role.connector[0].name == "appflow-HrMysql-eu-west-1" && aws_iam_role.connector[0].path == "/" && aws_iam_role.connector[0].permissions_boundary == null
    error_message = "The role name carries the region: role names are global to the account."
  }
  assert {
    condition     = length(terraform_data.paging_token_key) == 1 && length(nonsensitive(aws_lambda_function.connector.environment[0].variables["PAGING_TOKEN_KEY"])) == 72
    error_message = "Without paging_token_key the Lambda gets a generated 72-character key."
  }
  assert {
    condition     = issensitive(terraform_data.paging_token_key[0].triggers_replace)
    error_message = "The generated key is a sensitive attribute of the state."
  }
  assert {
    condition     = aws_cloudwatch_log_group.connector.name == "/aws/lambda/appflow-HrMysql" && aws_cloudwatch_log_group.connector.retention_in_days == 30
    error_message = "The log group is the function's, with a 30 day retention."
  }
  assert {
    condition     = output.connector_label == "HrMysql" && output.profile_name == "HrMysql-profile"
    error_message = "connector_label and profile_name must be set."
  }
  assert {
    condition     = output.function_name == "appflow-HrMysql" && output.log_group_name == "/aws/lambda/appflow-HrMysql" && output.flow_arns == {} && output.role_name == "appflow-HrMysql-eu-west-1"
    error_message = "function_name, log_group_name and flow_arns must be set."
  }
  assert {
    condition     = output.alert_topic_arn == null && length(aws_cloudwatch_event_rule.flow_deactivated) == 0
    error_message = "Without an alert topic there are no alert rules."
  }
}

run "day_two_options" {
  command = apply

  variables {
    connector_label           = "hr.mysql@eu"
    role_permissions_boundary = "arn:aws:iam::123456789012:policy/Boundary"
    role_path                 = "/appflow/"
    lambda_kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    log_group_kms_key_arn     = "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222"
    create_alert_topic        = true
    flows                     = [{ name = "hr.export", entity_name = "employees", bucket_name = "hr-exports", trigger_type = "Scheduled", schedule_expression = "rate(1hours)", error_deactivation_threshold = 3 }]
    destination_flows = [{
      name                 = "hr-import"
      entity_name          = "employees"
      source_bucket_name   = "hr-imports"
      source_bucket_prefix = "employees"
      write_operation      = "DELETE"
      id_field_names       = ["id"]
    }]
  }

  assert {
    condition     = aws_lambda_function.connector.function_name == "appflow-hr-mysql-eu-311ec421" && aws_cloudformation_stack.registration.name == "appflow-connector-hr-mysql-eu-311ec421"
    error_message = "A label with characters Lambda and CloudFormation reject gets a hash of the label in its names."
  }
  assert {
    condition     = aws_iam_role.connector[0].permissions_boundary == var.role_permissions_boundary && aws_iam_role.connector[0].path == "/appflow/"
    error_message = "The created role takes the permissions boundary and the path."
  }
  assert {
    condition     = aws_lambda_function.connector.kms_key_arn == var.lambda_kms_key_arn && aws_cloudwatch_log_group.connector.kms_key_id == var.log_group_kms_key_arn
    error_message = "The keys encrypt the function's environment and its log group."
  }
  assert {
    condition     = aws_cloudformation_stack.scheduled_flows["hr.export"].parameters["ErrorDeactivationThreshold"] == "3"
    error_message = "The deactivation threshold reaches the scheduled flow."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.flow_deactivated[0].event_pattern).resources == ["arn:aws:appflow:eu-west-1:123456789012:flow/hr.export", "arn:aws:appflow:eu-west-1:123456789012:flow/hr-import"]
    error_message = "The deactivation rule matches this connector's flows by ARN."
  }
  assert {
    condition     = aws_sns_topic.alert_topic[0].name == "appflow-hr-mysql-eu-311ec421-flow-alerts" && aws_cloudwatch_event_rule.flow_run_failed[0].name == "appflow-hr-mysql-eu-311ec421-run-failed"
    error_message = "The alert topic and rules are named after the function."
  }
  assert {
    condition     = aws_appflow_flow.destination_flows["hr-import"].destination_flow_config[0].destination_connector_properties[0].custom_connector[0].write_operation_type == "DELETE" && aws_appflow_flow.destination_flows["hr-import"].destination_flow_config[0].destination_connector_properties[0].custom_connector[0].id_field_names == tolist(["id"])
    error_message = "A destination flow writes with its write operation and id fields."
  }
}

run "own_execution_role" {
  command = plan

  variables {
    execution_role_arn = "arn:aws:iam::123456789012:role/platform/appflow"
  }

  assert {
    condition     = length(aws_iam_role.connector) == 0 && length(aws_iam_role_policy.connector) == 0 && aws_lambda_function.connector.role == var.execution_role_arn && output.role_name == "appflow"
    error_message = "With execution_role_arn no role and no inline policy are created."
  }
}

run "rejects_destination_flow_without_id_fields" {
  command = plan

  variables {
    destination_flows = [{ name = "hr-import", entity_name = "employees", source_bucket_name = "hr-imports", source_bucket_prefix = "employees", write_operation = "UPSERT" }]
  }

  expect_failures = [var.destination_flows]
}

run "vpc_kms_and_flows" {
  command = apply

  variables {
    subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    security_group_ids = ["sg-0123456789abcdef0"]
    kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    db_tls_mode        = "VERIFY_IDENTITY"
    db_port            = 3307
    flows = [
      {
        name                        = "employees-to-s3"
        entity_name                 = "employees"
        bucket_name                 = "hr-exports"
        bucket_prefix               = "mysql"
        trigger_type                = "Scheduled"
        schedule_expression         = "rate(1hours)"
        incremental_timestamp_field = "updated_at"
      },
      {
        name        = "departments-to-s3"
        entity_name = "departments"
        bucket_name = "hr-exports"
        file_type   = "CSV"
      },
    ]
  }

  assert {
    condition     = length(aws_lambda_function.connector.vpc_config) == 1 && contains([for statement in data.aws_iam_policy_document.connector.statement : statement.sid], "ManageVpcNetworkInterfaces")
    error_message = "With subnets the Lambda runs in the VPC and its role may manage its network interfaces."
  }
  assert {
    condition     = one([for statement in data.aws_iam_policy_document.connector.statement : statement.resources if statement.sid == "DecryptConnectionSecrets"]) == toset([var.kms_key_arn])
    error_message = "With kms_key_arn the role may decrypt with that key."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.kms_arn == var.kms_key_arn
    error_message = "The profile must be encrypted with kms_key_arn."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_properties[0].custom_connector[0].profile_properties["tlsMode"] == "VERIFY_IDENTITY"
    error_message = "tlsMode comes from db_tls_mode."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_properties[0].custom_connector[0].profile_properties["port"] == "3307"
    error_message = "port comes from db_port, as a string."
  }
  assert {
    condition     = jsondecode(aws_cloudformation_stack.scheduled_flows["employees-to-s3"].template_body).Resources.Flow.Properties.FlowStatus == "Active"
    error_message = "A scheduled flow is created active (aws_appflow_flow would leave it in Draft)."
  }
  assert {
    condition     = aws_cloudformation_stack.scheduled_flows["employees-to-s3"].parameters["IncrementalTimestampField"] == "updated_at" && aws_cloudformation_stack.scheduled_flows["employees-to-s3"].parameters["BucketPrefix"] == "mysql"
    error_message = "The incremental pull uses the timestamp field."
  }
  assert {
    condition     = aws_cloudformation_stack.scheduled_flows["employees-to-s3"].parameters["ScheduleExpression"] == "rate(1hours)"
    error_message = "The scheduled flow runs on its schedule."
  }
  assert {
    condition     = aws_cloudformation_stack.scheduled_flows["employees-to-s3"].parameters["ConnectorProfileName"] == aws_appflow_connector_profile.connector.name && aws_cloudformation_stack.scheduled_flows["employees-to-s3"].parameters["ApiVersion"] == "v1"
    error_message = "Flows read through the profile, API version v1."
  }
  assert {
    condition     = length(aws_appflow_flow.flows) == 1 && length(aws_cloudformation_stack.scheduled_flows) == 1
    error_message = "On-demand flows are aws_appflow_flow, scheduled flows CloudFormation stacks."
  }
  assert {
    condition     = aws_appflow_flow.flows["departments-to-s3"].trigger_config[0].trigger_type == "OnDemand" && length(aws_appflow_flow.flows["departments-to-s3"].trigger_config[0].trigger_properties) == 0
    error_message = "An on-demand flow has no schedule."
  }
  assert {
    condition     = aws_appflow_flow.flows["departments-to-s3"].destination_flow_config[0].destination_connector_properties[0].s3[0].s3_output_format_config[0].file_type == "CSV"
    error_message = "file_type is passed to the S3 destination."
  }
  assert {
    condition     = keys(output.flow_arns) == ["departments-to-s3", "employees-to-s3"]
    error_message = "flow_arns lists the flows by name."
  }
}

run "iam_database_authentication" {
  command = apply

  variables {
    authentication_type = "IAM"
    db_password         = null
    db_resource_id      = "db-ABCDEFGHIJKLMNOPQRSTUVWXY0"
  }

  assert {
    condition     = aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_credentials[0].custom_connector[0].authentication_type == "CUSTOM"
    error_message = "IAM authentication is AppFlow's custom authentication."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_credentials[0].custom_connector[0].custom[0].custom_authentication_type == "IAM"
    error_message = "The custom authentication type is the one the connector declares, IAM."
  }
  assert {
    condition     = length(aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_credentials[0].custom_connector[0].basic) == 0
    error_message = "An IAM profile has no basic credentials."
  }
  assert {
    condition = one([for statement in data.aws_iam_policy_document.connector.statement : statement.resources if statement.sid == "ConnectAsDatabaseUser"]) == toset([
      "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY0/appflow_reader",
    ])
    error_message = "The role may connect as the one database user of the one database."
  }
}

run "rejects_incomplete_iam_authentication" {
  command = plan

  variables {
    authentication_type = "IAM"
    db_password         = null
    db_tls_mode         = "DISABLED"
  }

  expect_failures = [data.aws_iam_policy_document.connector]
}

run "rejects_basic_authentication_without_password" {
  command = plan

  variables {
    db_password = null
  }

  expect_failures = [data.aws_iam_policy_document.connector]
}

run "derived_names_replace_characters_aws_rejects" {
  command = plan

  variables {
    connector_label = "hr.mysql@eu"
  }

  assert {
    condition     = aws_lambda_function.connector.function_name == "appflow-hr-mysql-eu-311ec421" && aws_iam_role.connector[0].name == "appflow-hr-mysql-eu-311ec421-eu-west-1"
    error_message = "Lambda and role names replace characters Lambda rejects with hyphens and add a hash of the label."
  }
  assert {
    condition     = aws_cloudformation_stack.registration.name == "appflow-connector-hr-mysql-eu-311ec421"
    error_message = "The stack name replaces characters CloudFormation rejects with hyphens and adds a hash of the label."
  }
  assert {
    condition     = aws_appflow_connector_profile.connector.name == "hr.mysql@eu-profile" && aws_appflow_connector_profile.connector.connector_label == "hr.mysql@eu"
    error_message = "The profile is named after the label, which is registered unchanged."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  variables {
    connector_label = "my connector"
    db_port         = 70000
    db_tls_mode     = "required"
    timeout_seconds = 901
    memory_size     = 64
    log_level       = "TRACE"
  }

  expect_failures = [
    var.connector_label,
    var.db_port,
    var.db_tls_mode,
    var.timeout_seconds,
    var.memory_size,
    var.log_level,
  ]
}

run "postgresql_profile" {
  command = plan

  variables {
    db_engine = "postgresql"
    db_schema = "Payroll"
  }

  assert {
    condition = aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_properties[0].custom_connector[0].profile_properties == tomap({
      engine   = "POSTGRESQL"
      host     = "hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com"
      port     = "5432"
      database = "hr"
      schema   = "Payroll"
      tlsMode  = "REQUIRED"
    })
    error_message = "A POSTGRESQL profile names its engine in upper case, its schema exactly, and port 5432 by default."
  }
  assert {
    condition     = output.connector_description == "Amazon AppFlow custom connector for PostgreSQL"
    error_message = "A PostgreSQL connector is not described as a MySQL one in the AppFlow console."
  }
}

run "postgresql_without_schema_or_with_own_port" {
  command = plan

  variables {
    db_engine = "POSTGRESQL"
    db_port   = 6432
  }

  assert {
    condition     = !contains(keys(aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_properties[0].custom_connector[0].profile_properties), "schema") && aws_appflow_connector_profile.connector.connector_profile_config[0].connector_profile_properties[0].custom_connector[0].profile_properties["port"] == "6432"
    error_message = "Without db_schema the profile leaves schema out (the connector reads public); db_port wins over the engine's default."
  }
}

run "rejects_schema_with_mysql" {
  command = plan

  variables {
    db_schema = "hr"
  }

  expect_failures = [aws_appflow_connector_profile.connector]
}

run "rejects_unknown_engine_and_impossible_schema" {
  command = plan

  variables {
    db_engine = "oracle"
    db_schema = "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
  }

  expect_failures = [var.db_engine, var.db_schema]
}

run "rejects_kms_alias_arn" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/appflow"
  }

  expect_failures = [var.kms_key_arn]
}

run "own_paging_token_key" {
  command = plan

  variables {
    paging_token_key = "a-key-of-my-own-0123456789"
  }

  assert {
    condition     = length(terraform_data.paging_token_key) == 0 && aws_lambda_function.connector.environment[0].variables["PAGING_TOKEN_KEY"] == "a-key-of-my-own-0123456789"
    error_message = "A given paging_token_key replaces the generated one."
  }
}

run "rejects_scheduled_flow_without_schedule" {
  command = plan

  variables {
    flows = [{ name = "employees-to-s3", entity_name = "employees", bucket_name = "hr-exports", trigger_type = "Scheduled" }]
  }

  expect_failures = [var.flows]
}

run "rejects_subnets_without_security_groups" {
  command = plan

  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [aws_lambda_function.connector]
}
