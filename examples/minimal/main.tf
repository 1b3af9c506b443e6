# The smallest useful deployment: one connector and its connection profile. The Lambda runs outside any VPC, so
# the database must be reachable from the internet (e.g. a publicly accessible RDS instance with TLS).
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
  description = "Host name of the MySQL/MariaDB server."
  type        = string
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

module "mysql_connector" {
  source = "../../terraform/appflow-mysql-connector"

  connector_label = "MySqlConnector"
  db_host         = var.db_host
  db_name         = var.db_name
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
