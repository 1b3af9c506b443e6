# A production-shaped deployment: the connector Lambda in private subnets of an existing VPC (with a Secrets
# Manager endpoint so it can read the credentials AppFlow stores, and no other way out), the profile's secret, the
# function's environment and its logs encrypted with a customer-managed KMS key, two flows to an S3 bucket this
# example creates (employees every hour, incrementally on updated_at, created active and deactivated after 3
# failed runs; departments on demand as CSV), one flow from that bucket back into the database (departments
# upserted by id, refused records to an error prefix), and alerts to an SNS topic when a flow fails or is
# deactivated.
#
# During apply AppFlow calls the connector: creating the profile validates the credentials against the database,
# creating a flow describes its table. The database, the user and the tables employees and departments must exist
# and be reachable from the subnets when you apply.
#
#   terraform init
#   terraform apply -var vpc_id=vpc-... -var 'subnet_ids=["subnet-...","subnet-..."]' \
#     -var db_security_group_id=sg-... -var db_host=... -var db_name=... -var db_username=...
#
# Subscribe to the alerts: set alert_email (AWS sends a confirmation mail) or subscribe to the alert_topic_arn output.

terraform {
  required_version = ">= 1.4.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = { Project = "appflow-mysql-connector" }
  }
}

variable "region" {
  description = "Region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the connector Lambda (in vpc_id)."
  type        = list(string)
}

variable "db_security_group_id" {
  description = "Security group of the database: the example lets the Lambda in on db_port."
  type        = string
}

variable "db_host" {
  description = "Host name of the MySQL/MariaDB server."
  type        = string
}

variable "db_port" {
  description = "Port of the database server."
  type        = number
  default     = 3306
}

variable "db_name" {
  description = "Database the connector offers."
  type        = string
}

variable "db_username" {
  description = "Database user AppFlow connects as."
  type        = string
}

variable "db_password" {
  description = "Password of db_username."
  type        = string
  sensitive   = true
}

variable "create_secrets_manager_endpoint" {
  description = "Create an interface endpoint for Secrets Manager. false: the VPC already routes to Secrets Manager (an endpoint of its own or a NAT gateway), and the connector may then send HTTPS to any address."
  type        = bool
  default     = true
}

variable "alert_email" {
  description = "E-mail address told when a flow fails or is deactivated (null: subscribe to the alert_topic_arn output yourself)."
  type        = string
  default     = null
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# Network: the Lambda may reach the database and the Secrets Manager endpoint, and nothing else. It needs no other
# AWS endpoint: IAM database authentication signs its token locally, and Secrets Manager decrypts with the KMS key.
resource "aws_security_group" "connector" {
  name_prefix = "appflow-mysql-connector-"
  description = "AppFlow MySQL connector Lambda"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "to_database" {
  security_group_id            = aws_security_group.connector.id
  referenced_security_group_id = var.db_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
}

resource "aws_vpc_security_group_egress_rule" "to_secrets_manager_endpoint" {
  count                        = var.create_secrets_manager_endpoint ? 1 : 0
  security_group_id            = aws_security_group.connector.id
  referenced_security_group_id = aws_security_group.secrets_manager_endpoint[0].id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

# Only without an endpoint of this example: Secrets Manager is then reached through whatever the VPC routes to.
resource "aws_vpc_security_group_egress_rule" "to_https" {
  count             = var.create_secrets_manager_endpoint ? 0 : 1
  security_group_id = aws_security_group.connector.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "database_from_connector" {
  security_group_id            = var.db_security_group_id
  referenced_security_group_id = aws_security_group.connector.id
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
}

resource "aws_security_group" "secrets_manager_endpoint" {
  count       = var.create_secrets_manager_endpoint ? 1 : 0
  name_prefix = "secrets-manager-endpoint-"
  description = "Secrets Manager endpoint for the AppFlow MySQL connector"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "endpoint_from_connector" {
  count                        = var.create_secrets_manager_endpoint ? 1 : 0
  security_group_id            = aws_security_group.secrets_manager_endpoint[0].id
  referenced_security_group_id = aws_security_group.connector.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_endpoint" "secrets_manager" {
  count               = var.create_secrets_manager_endpoint ? 1 : 0
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.secrets_manager_endpoint[0].id]
  private_dns_enabled = true
}

# The key AppFlow encrypts the connection's secret with (the module lets the Lambda decrypt through Secrets
# Manager); it also encrypts the function's environment (PAGING_TOKEN_KEY) and its log group, which CloudWatch Logs
# may use only for this connector's log group.
resource "aws_kms_key" "connection_secrets" {
  description         = "AppFlow MySQL connection secrets, connector environment and logs"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.connection_secrets_key.json
}

data "aws_iam_policy_document" "connection_secrets_key" {
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "CloudWatchLogsEncryptsTheConnectorLogs"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/appflow-HrMysql"]
    }
  }
}

# Destination of the flows. AppFlow writes with its service principal, for this account only.
# force_destroy: once the flows have written, `terraform destroy` deletes the exported objects with the bucket
# (S3 refuses to delete a bucket that is not empty). Remove it to keep the exports: destroy then stops at the bucket.
resource "aws_s3_bucket" "exports" {
  bucket_prefix = "appflow-mysql-exports-"
  force_destroy = true
}

resource "aws_s3_bucket_versioning" "exports" {
  bucket = aws_s3_bucket.exports.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "exports" {
  bucket                  = aws_s3_bucket.exports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

locals {
  # AppFlow acts for flows of this account and region only (confused-deputy protection on the bucket policy).
  appflow_flows_arn = "arn:${data.aws_partition.current.partition}:appflow:${var.region}:${data.aws_caller_identity.current.account_id}:flow/*"
}

data "aws_iam_policy_document" "appflow_writes_exports" {
  statement {
    sid     = "AllowAppflowDestination"
    actions = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:ListBucketMultipartUploads", "s3:GetBucketAcl", "s3:PutObjectAcl"]
    resources = [
      aws_s3_bucket.exports.arn,
      "${aws_s3_bucket.exports.arn}/*",
    ]
    principals {
      type        = "Service"
      identifiers = ["appflow.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.appflow_flows_arn]
    }
  }
  # The flow into the database reads its files from imports/.
  statement {
    sid       = "AllowAppflowSource"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.exports.arn, "${aws_s3_bucket.exports.arn}/imports/*"]
    principals {
      type        = "Service"
      identifiers = ["appflow.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.appflow_flows_arn]
    }
  }
  statement {
    sid       = "DenyPlainHttp"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.exports.arn, "${aws_s3_bucket.exports.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = data.aws_iam_policy_document.appflow_writes_exports.json
}

module "mysql_connector" {
  source = "../../terraform/appflow-mysql-connector"

  connector_label = "HrMysql"
  db_host         = var.db_host
  db_port         = var.db_port
  db_name         = var.db_name
  db_username     = var.db_username
  db_password     = var.db_password
  db_tls_mode     = "VERIFY_IDENTITY"

  subnet_ids            = var.subnet_ids
  security_group_ids    = [aws_security_group.connector.id]
  kms_key_arn           = aws_kms_key.connection_secrets.arn
  lambda_kms_key_arn    = aws_kms_key.connection_secrets.arn
  log_group_kms_key_arn = aws_kms_key.connection_secrets.arn
  create_alert_topic    = true

  # No timeout_seconds: AppFlow waits 30 s for data calls and 10 s for the others, which the default 30 s covers.
  # No reserved_concurrency: reserving takes from the account's unreserved pool, which small accounts cannot spare.
  memory_size        = 1536
  log_level          = "INFO"
  log_retention_days = 90

  # bucket_name is read from the bucket policy, so that the flows wait until AppFlow may write to the bucket.
  flows = [
    {
      name                         = "hr-employees-to-s3"
      entity_name                  = "employees"
      bucket_name                  = aws_s3_bucket_policy.exports.bucket
      bucket_prefix                = "hr"
      file_type                    = "PARQUET"
      trigger_type                 = "Scheduled"
      schedule_expression          = "rate(1hours)"
      incremental_timestamp_field  = "updated_at"
      error_deactivation_threshold = 3
      description                  = "Employees changed in the last hour"
    },
    {
      name          = "hr-departments-to-s3"
      entity_name   = "departments"
      bucket_name   = aws_s3_bucket_policy.exports.bucket
      bucket_prefix = "hr"
      file_type     = "CSV"
    },
  ]

  # Files dropped under imports/departments/ are upserted into departments by id; records the database refuses
  # land under import-errors/ and the run goes on.
  destination_flows = [
    {
      name                 = "hr-departments-from-s3"
      entity_name          = "departments"
      source_bucket_name   = aws_s3_bucket_policy.exports.bucket
      source_bucket_prefix = "imports/departments"
      file_type            = "CSV"
      write_operation      = "UPSERT"
      id_field_names       = ["id"]
      error_bucket_name    = aws_s3_bucket_policy.exports.bucket
      error_bucket_prefix  = "import-errors"
    },
  ]

  tags = { Team = "data-platform" }
}

output "connector_arn" {
  description = "ARN of the registered connector."
  value       = module.mysql_connector.connector_arn
}

output "profile_name" {
  description = "Connection profile of the HR database."
  value       = module.mysql_connector.profile_name
}

output "flow_arns" {
  description = "ARNs of the flows, by name."
  value       = module.mysql_connector.flow_arns
}

resource "aws_sns_topic_subscription" "alert_email" {
  count     = var.alert_email == null ? 0 : 1
  topic_arn = module.mysql_connector.alert_topic_arn
  protocol  = "email"
  endpoint  = var.alert_email
}

output "alert_topic_arn" {
  description = "SNS topic told when a flow fails a run or is deactivated."
  value       = module.mysql_connector.alert_topic_arn
}

output "deployer_policy_json" {
  description = "IAM policy for the identity that applies and destroys this connector."
  value       = module.mysql_connector.deployer_policy_json
}

output "exports_bucket" {
  description = "Bucket the flows write to."
  value       = aws_s3_bucket.exports.bucket
}
