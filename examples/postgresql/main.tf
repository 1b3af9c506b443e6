# A connector for PostgreSQL (or Aurora PostgreSQL) and its connection profile: the tables and views of one schema
# of one database become AppFlow entities. The Lambda runs outside any VPC, so the database must be reachable from
# the internet (e.g. a publicly accessible RDS instance with TLS); port 5432 is the default for this engine.
#
#   terraform init
#   terraform apply -var db_host=... -var db_name=... -var db_username=...   # asks for db_password

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
}

variable "region" {
  description = "Region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "db_host" {
  description = "Host name of the PostgreSQL server."
  type        = string
}

variable "db_name" {
  description = "Database the connector connects to."
  type        = string
}

variable "db_schema" {
  description = "Schema whose tables and views the connector offers (exact name: Employees is not employees)."
  type        = string
  default     = "public"
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

# The module (and this call, named like it in every example) keeps the name appflow-mysql-connector: it serves
# both engines, db_engine chooses.
module "mysql_connector" {
  source = "../../terraform/appflow-mysql-connector"

  connector_label = "PostgreSqlConnector"
  db_engine       = "POSTGRESQL"
  db_host         = var.db_host
  db_name         = var.db_name
  db_schema       = var.db_schema
  db_username     = var.db_username
  db_password     = var.db_password
}

output "connector_arn" {
  description = "ARN of the registered connector."
  value       = module.mysql_connector.connector_arn
}

output "profile_name" {
  description = "Connection profile to use in flows."
  value       = module.mysql_connector.profile_name
}
